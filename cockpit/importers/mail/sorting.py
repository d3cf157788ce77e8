"""What the messages of a mailbox mean for the book, on plain data: your email touches,
the lines saying a client wrote to you, the addresses that are nobody's yet, and what was
not imported.

- A message from one of your addresses (`me`) to a client's address (To, Cc or Bcc) is an
  email touch of that client. A client has one email touch a day, whatever the number of
  messages and threads: the first message's moment and subject, and the keys of all of
  them (so a later import finds it by any of them).
- A message from a client's address is a "heard from" line of that client: one a day,
  the first message's moment and subject. It is not your touch: the health rules never
  count it (a client writing to you is not you keeping in touch).
- Addresses that are nobody's: the recipients of your messages and the senders of the
  others, with how many messages each; never yours, a colleague's, nor the skipped
  mail's (a received message's other recipients are not counted: they did not write
  to you, nor you to them).
- The same message met twice (one Message-ID in two folders: a copy of what you sent
  to yourself, an archive) counts once.

Your addresses and those of a mapping of clients are compared by
`email_addresses.address_key`: case and display names ignored, a `+tag` kept, a domain
in either IDNA spelling.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from cockpit.email_addresses import address_key
from cockpit.importers.mail.message import MailMessage, SkippedMessage

# Whose an address is: the ids of its clients (none: nobody's). A mapping is by address
# (compared by `address_key`); a function is asked with the address as written, once for
# each address (by `address_key`), and compares as it will.
Lookup = Mapping[str, int | Collection[int]] | Callable[[str], int | Collection[int] | None]
LONGEST_NOTE = 10_000  # characters of a day's notes kept (each message's are capped already)
SHOWN_UNMATCHED = 20  # addresses that are nobody's a report lists, the most met first


@dataclass
class MailDay:
    """The messages between you and a client on one of your days, as one entry."""

    client_id: int
    day: date  # your local day
    moment: datetime  # UTC, naive: the day's first message's
    subject: str  # the day's first message's ("" when it had none)
    keys: list[str] = field(default_factory=list)  # every message's `keys.message_key`
    notes: list[str] = field(default_factory=list)  # their text, with notes

    @property
    def note(self) -> str:
        """The messages' text (with notes; else ""), a message's subject before its text
        when it is not the day's first."""
        text = "\n\n---\n\n".join(self.notes)
        return text if len(text) <= LONGEST_NOTE else text[: LONGEST_NOTE - 1].rstrip() + "…"

    @property
    def summary(self) -> str:
        """What the entry says: the subject, then the text when there is one."""
        return "\n\n".join(part for part in (self.subject, self.note) if part)


class EmailTouch(MailDay):
    """Your email touch of a client on a day: the messages you sent them that day."""


class HeardFrom(MailDay):
    """A client wrote to you on a day: a line on their timeline, not your touch."""


class AddressTally(Protocol):
    """Where the addresses that are nobody's are counted (`UnmatchedAddresses`, or the
    import's own, shared with its calendars: `add` and `top` alike)."""

    def add(self, address: str, name: str = "") -> None: ...


@dataclass(frozen=True)
class AddressCount:
    """An address that is no client's, the name it came with first ("" if none), and
    how many messages you sent to it or had from it."""

    address: str  # as first met
    name: str
    times: int


class UnmatchedAddresses:
    """The addresses that are nobody's, counted (by `address_key`)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.spelled: dict[str, str] = {}  # key -> the address as first met
        self.names: dict[str, str] = {}  # key -> the first name met with it

    def add(self, address: str, name: str = "") -> None:
        key = address_key(address)
        self.counts[key] += 1
        self.spelled.setdefault(key, address.strip())
        if name:
            self.names.setdefault(key, name)

    def top(self, count: int = SHOWN_UNMATCHED) -> list[AddressCount]:
        """The addresses met most often (ties: by address)."""
        ranked = sorted(self.counts.items(), key=lambda pair: (-pair[1], pair[0]))
        return [
            AddressCount(self.spelled[key], self.names.get(key, ""), times)
            for key, times in ranked[:count]
        ]

    def __len__(self) -> int:
        return len(self.counts)


@dataclass
class SortedMail:
    touches: list[EmailTouch]  # by day, then client
    heard: list[HeardFrom]  # by day, then client
    unmatched: AddressTally  # the addresses that are nobody's
    skipped: Counter[str]  # reason -> messages (`message.MAILING_LIST`, ...)
    sent: int = 0  # messages from you read (not skipped)
    received: int = 0  # the others
    repeated: int = 0  # messages met again (the same key): counted once


def sort_mail(
    messages: Iterable[MailMessage | SkippedMessage],
    me: Iterable[str],
    clients: Lookup,
    *,
    colleague: Callable[[str], bool] | None = None,
    unmatched: AddressTally | None = None,
) -> SortedMail:
    """What the messages mean, given your addresses and whose each address is.
    `colleague` says an address (no client's) is a colleague's: never counted as
    nobody's; `unmatched` is where those are counted (else a new `UnmatchedAddresses`)."""
    mine = {address_key(address) for address in me}
    owners = _owners(clients)
    is_colleague = colleague or (lambda address: False)
    nobodys = unmatched if unmatched is not None else UnmatchedAddresses()
    touches: dict[tuple[int, date], EmailTouch] = {}
    heard: dict[tuple[int, date], HeardFrom] = {}
    seen: set[str] = set()
    result = SortedMail([], [], nobodys, Counter())
    for message in messages:
        if isinstance(message, SkippedMessage):
            result.skipped[message.reason] += 1
            continue
        if message.key in seen:
            result.repeated += 1
            continue
        seen.add(message.key)
        if address_key(message.sender) in mine:
            result.sent += 1
            entries, make = touches, EmailTouch
            people = _others(message.recipients, mine)
        else:
            result.received += 1
            entries, make = heard, HeardFrom
            people = [(message.sender_name, message.sender)]
        found: dict[int, None] = {}  # the message's clients, each once
        for name, address in people:
            ids = owners(address)
            if not ids and not is_colleague(address):
                nobodys.add(address, name)
            found.update(dict.fromkeys(ids))
        for client_id in found:
            _add(entries, make, client_id, message)
    result.touches = sorted(touches.values(), key=lambda t: (t.day, t.client_id))
    result.heard = sorted(heard.values(), key=lambda h: (h.day, h.client_id))
    return result


def _add(days: dict, make: type, client_id: int, message: MailMessage) -> None:
    entry = days.get((client_id, message.day))
    if entry is None:
        entry = days[(client_id, message.day)] = make(
            client_id, message.day, message.moment, message.subject
        )
    elif message.moment < entry.moment:  # read out of order (folders): the first leads
        entry.moment, entry.subject = message.moment, message.subject
    entry.keys.append(message.key)
    if message.note:
        entry.notes.append(
            message.note
            if message.subject == entry.subject
            else f"{message.subject}\n{message.note}".strip()
        )


def _others(recipients: Iterable[tuple[str, str]], mine: set[str]) -> list[tuple[str, str]]:
    """The recipients of a message of yours but you, each address once (with the first
    name it has there)."""
    found: dict[str, tuple[str, str]] = {}
    for name, address in recipients:
        key = address_key(address)
        if key in mine:
            continue
        first_name, first_address = found.get(key, (name, address))
        found[key] = (first_name or name, first_address)
    return list(found.values())


def _owners(clients: Lookup) -> Callable[[str], tuple[int, ...]]:
    """Whose an address is, as a tuple of client ids, asked once per address (by its
    key)."""
    if isinstance(clients, Mapping):
        by_key: dict[str, tuple[int, ...]] = {}
        for address, ids in clients.items():
            key = address_key(address)
            by_key[key] = tuple(dict.fromkeys((*by_key.get(key, ()), *_as_ids(ids))))
        return lambda address: by_key.get(address_key(address), ())
    known: dict[str, tuple[int, ...]] = {}

    def asked(address: str) -> tuple[int, ...]:
        key = address_key(address)
        if key not in known:
            known[key] = _as_ids(clients(address.strip()))
        return known[key]

    return asked


def _as_ids(found: int | Collection[int] | None) -> tuple[int, ...]:
    if found is None:
        return ()
    if isinstance(found, int):
        return (found,)
    return tuple(found)
