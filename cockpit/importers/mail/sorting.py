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
  others, with how many messages each, yours and the skipped mail's never among them.
- The same message met twice (one Message-ID in two folders: a copy of what you sent
  to yourself, an archive) counts once.

Addresses are compared by `email_addresses.address_key`: case and display names ignored, a
`+tag` kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from cockpit.email_addresses import address_key
from cockpit.importers.mail.message import MailMessage, SkippedMessage

# Whose address it is: the ids of the clients (none: nobody's). A mapping is by the
# address as `address_key` makes it; a lookup is asked with that key.
Lookup = Mapping[str, int | Collection[int]] | Callable[[str], int | Collection[int] | None]
LONGEST_NOTE = 10_000  # characters of a day's notes kept (each message's are capped already)


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


@dataclass(frozen=True)
class Unmatched:
    """An address that is no client's: how many messages you sent to it or had from it,
    and the name it was last met with ("" if never)."""

    address: str  # as first met
    count: int
    name: str


@dataclass
class SortedMail:
    touches: list[EmailTouch]  # by day, then client
    heard: list[HeardFrom]  # by day, then client
    unmatched: list[Unmatched]  # the most messages first
    skipped: Counter[str]  # reason -> messages (`message.MAILING_LIST`, ...)
    sent: int = 0  # messages from you read (not skipped)
    received: int = 0  # the others
    repeated: int = 0  # messages met again (the same key): counted once

    def top_unmatched(self, limit: int = 20) -> list[Unmatched]:
        return self.unmatched[:limit]


def sort_mail(
    messages: Iterable[MailMessage | SkippedMessage], me: Iterable[str], clients: Lookup
) -> SortedMail:
    """What the messages mean, given your addresses and whose each address is."""
    mine = {address_key(address) for address in me}
    owners = _owners(clients)
    touches: dict[tuple[int, date], EmailTouch] = {}
    heard: dict[tuple[int, date], HeardFrom] = {}
    unmatched = _Addresses()
    skipped: Counter[str] = Counter()
    seen: set[str] = set()
    result = SortedMail([], [], [], skipped)
    for message in messages:
        if isinstance(message, SkippedMessage):
            skipped[message.reason] += 1
            continue
        if message.key in seen:
            result.repeated += 1
            continue
        seen.add(message.key)
        sender = address_key(message.sender)
        if sender in mine:
            result.sent += 1
            for client_id in _clients_written_to(message, mine, owners, unmatched):
                _add(touches, EmailTouch, client_id, message)
            continue
        result.received += 1
        writers = owners(sender)
        if not writers:
            unmatched.add(message.sender, sender, message.sender_name)
        for client_id in writers:
            _add(heard, HeardFrom, client_id, message)
    result.touches = sorted(touches.values(), key=lambda t: (t.day, t.client_id))
    result.heard = sorted(heard.values(), key=lambda h: (h.day, h.client_id))
    result.unmatched = unmatched.most_first()
    return result


def _clients_written_to(
    message: MailMessage,
    mine: set[str],
    owners: Callable[[str], tuple[int, ...]],
    unmatched: _Addresses,
) -> list[int]:
    """The clients a message of yours went to, each once; its other recipients (not you)
    counted as nobody's."""
    found: dict[int, None] = {}
    keys: set[str] = set()
    for name, address in message.recipients:
        key = address_key(address)
        if key in keys:  # named twice in one message: counted once
            unmatched.name(key, name)
        if key in mine or key in keys:
            continue
        keys.add(key)
        ids = owners(key)
        if not ids:
            unmatched.add(address, key, name)
        found.update(dict.fromkeys(ids))
    return list(found)


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


def _owners(clients: Lookup) -> Callable[[str], tuple[int, ...]]:
    """Whose an address (its key) is, as a tuple of client ids, asked once per address."""
    if isinstance(clients, Mapping):
        by_key: dict[str, tuple[int, ...]] = {}
        for address, ids in clients.items():
            key = address_key(address)
            by_key[key] = tuple(dict.fromkeys((*by_key.get(key, ()), *_as_ids(ids))))
        return lambda key: by_key.get(key, ())
    known: dict[str, tuple[int, ...]] = {}

    def asked(key: str) -> tuple[int, ...]:
        if key not in known:
            known[key] = _as_ids(clients(key))
        return known[key]

    return asked


def _as_ids(found: int | Collection[int] | None) -> tuple[int, ...]:
    if found is None:
        return ()
    if isinstance(found, int):
        return (found,)
    return tuple(found)


class _Addresses:
    """Addresses that are nobody's, with their counts and names."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.written: dict[str, str] = {}  # key -> the address as first met
        self.names: dict[str, str] = {}

    def add(self, address: str, key: str, name: str) -> None:
        self.counts[key] += 1
        self.written.setdefault(key, address)
        self.name(key, name)

    def name(self, key: str, name: str) -> None:
        if name and key in self.counts:
            self.names[key] = name

    def most_first(self) -> list[Unmatched]:
        ordered = sorted(self.counts.items(), key=lambda pair: (-pair[1], pair[0]))
        return [
            Unmatched(self.written[key], count, self.names.get(key, "")) for key, count in ordered
        ]
