"""Who an address is, for imports that read people by their email addresses (calendars now,
mail next): the user (`Me`), a colleague, a client of the book (`AddressBook`), or
nobody yet (`Unmatched`, the addresses the report lists and the import screen offers to
turn into prospects).

The user's addresses come from the `me = [...]` setting in config.toml and `--me ADDR`.
An address at the domain of one of them (not a free-mail domain such as gmail.com) is a
colleague's: never a client matched, never offered as a prospect.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from cockpit import email_addresses
from cockpit.errors import ValidationError
from cockpit.storage import import_matching
from cockpit.storage.import_matching import Correspondent
from cockpit.storage.reps import current_rep
from cockpit.validation import checked_emails

UNMATCHED_SHOWN = 20  # addresses listed by the report, the most often met first


@lru_cache(maxsize=65536)  # a calendar names the same people event after event
def address_key(address: str) -> str:
    """An address as matching compares it (`email_addresses.address_key`: case folded, a
    domain in either spelling), a calendar's mailto: dropped."""
    text = address.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return email_addresses.address_key(text)


def domain_of(address: str) -> str:
    return address_key(address).rpartition("@")[2]


def checked_addresses(addresses: Iterable[str], where: str) -> tuple[str, ...]:
    """The user's addresses as given (`--me`, the `me` setting), each checked; a bad one
    is refused naming `where` it came from."""
    given = [address.strip() for address in addresses if address.strip()]
    try:
        return tuple(checked_emails(given))
    except ValidationError as error:
        raise ValidationError(f"{where}: {error.message}") from None


@dataclass(frozen=True)
class Me:
    """The user's own addresses, and the domains of their colleagues."""

    addresses: frozenset[str] = frozenset()  # keys
    domains: frozenset[str] = frozenset()

    @classmethod
    def of(cls, addresses: Iterable[str]) -> Me:
        keys = frozenset(address_key(address) for address in addresses)
        free = import_matching.free_mail_domains()
        domains = frozenset(key.rpartition("@")[2] for key in keys) - free
        return cls(keys, domains)

    @property
    def known(self) -> bool:
        return bool(self.addresses)

    def is_me(self, address: str) -> bool:
        return address_key(address) in self.addresses

    def is_colleague(self, address: str) -> bool:
        return not self.is_me(address) and domain_of(address) in self.domains


class AddressBook:
    """The book's clients by their addresses, read once; and which of them the user may
    write to (on a team book a rep writes to their own clients only)."""

    def __init__(self) -> None:
        # The book keys addresses by case only: bücher.example and xn--bcher-kva.example
        # are two keys there, one here.
        self.by_key: dict[str, list[Correspondent]] = {}
        for key, clients in import_matching.clients_by_address().items():
            found = self.by_key.setdefault(address_key(key), [])
            found += [client for client in clients if client not in found]
        self.everyone = import_matching.writes_every_client()
        self.me = current_rep()

    def clients(self, address: str) -> list[Correspondent]:
        return self.by_key.get(address_key(address), [])

    def add(self, address: str, client: Correspondent) -> None:
        """A client made during the import (a prospect from an address)."""
        self.by_key.setdefault(address_key(address), []).append(client)

    def may_write(self, client: Correspondent) -> bool:
        return self.everyone or client.owner == self.me


@dataclass
class Unmatched:
    """The addresses met that matched nobody in the book, how often, and the name they
    came with (a calendar's CN, a message's display name)."""

    counts: Counter = field(default_factory=Counter)  # key -> how often
    spelled: dict[str, str] = field(default_factory=dict)  # key -> the address as written
    names: dict[str, str] = field(default_factory=dict)  # key -> a name met with it

    def add(self, address: str, name: str = "") -> None:
        key = address_key(address)
        self.counts[key] += 1
        self.spelled.setdefault(key, address.strip())
        if name and key not in self.names:
            self.names[key] = name

    def top(self, count: int = UNMATCHED_SHOWN) -> list[UnmatchedAddress]:
        """The addresses met most often (ties: by address), with their counts."""
        ranked = sorted(self.counts.items(), key=lambda pair: (-pair[1], pair[0]))
        return [
            UnmatchedAddress(self.spelled[key], self.names.get(key, ""), times)
            for key, times in ranked[:count]
        ]

    def __len__(self) -> int:
        return len(self.counts)


def merged_unmatched(
    lists: Iterable[list[UnmatchedAddress]], count: int = UNMATCHED_SHOWN
) -> list[UnmatchedAddress]:
    """The addresses of several tallies' tops as one (an address met by a calendar and by
    mail counted once, with both counts), the most often met first."""
    tally = Unmatched()
    for found in lists:
        for item in found:
            key = address_key(item.address)
            tally.counts[key] += item.times
            tally.spelled.setdefault(key, item.address)
            if item.name:
                tally.names.setdefault(key, item.name)
    return tally.top(count)


@dataclass(frozen=True)
class UnmatchedAddress:
    address: str
    name: str
    times: int

    def line(self) -> str:
        who = f"{self.name} <{self.address}>" if self.name else self.address
        return f"{who}: {self.times}"
