"""One message read: who wrote it to whom, when (on your calendar), about what, and
whether it is mail to import at all.

Headers are read with the email package's compat32 parser and decoded with `email.utils`
and `email.header`: `email.policy.default`'s header objects read the same headers eight
times slower (6.5 s for 10,000 messages, against 0.85 s). The body is read only for
`--with-notes` (`bodies`).

Not imported, counted by reason: mailing-list mail (a List-Id header, or Precedence: list),
automated mail (Auto-Submitted other than "no": out-of-office replies, delivery reports;
X-Autoreply, X-Autorespond; Precedence: auto_reply), bulk mail (Precedence: bulk or junk)
and drafts (a Maildir message flagged D).

The day a message falls on is your local day of its Date (a Date without a time zone is
UTC, as RFC 5322 says of `-0000`). A Date that cannot be read, is missing, lies after
today or outside the dates Cockpit keeps is replaced by the mailbox's own date for the
message (an mbox From line's, taken as UTC; a Maildir file's modification time), and that
is reported; without that either, the message is left out and reported.
"""

from __future__ import annotations

import email.policy
import email.utils
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.parser import BytesHeaderParser

from cockpit import clock
from cockpit.date_limits import OutsideKeptDates, check_stored_moment
from cockpit.email_addresses import is_address
from cockpit.importers.mail import bodies, keys
from cockpit.importers.mail.headers import from_bytes, one_line, text_header, with_words_decoded

MAILING_LIST = "mailing list"
AUTOMATED = "automated"
BULK = "bulk"
DRAFT = "draft"
_PRECEDENCE = {"bulk": BULK, "junk": BULK, "list": MAILING_LIST, "auto_reply": AUTOMATED}
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_PARSER = BytesHeaderParser(policy=email.policy.compat32)
_IDS = re.compile(r"<([^<>\s]+)>")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a message or a file: where (an mbox's line, or a Maildir's
    file as a path in the folder named), what, and whether the message was left out
    because of it (else it came in, and this is said of it)."""

    where: int | str
    reason: str
    left_out: bool


@dataclass(frozen=True, slots=True)
class SkippedMessage:
    """A message that is not imported: mailing-list, automated or bulk mail, or a draft."""

    number: int
    where: int | str
    reason: str  # MAILING_LIST, AUTOMATED, BULK or DRAFT


@dataclass(frozen=True, slots=True)
class MailMessage:
    number: int  # in reading order, from 1
    where: int | str  # as a Problem's
    key: str  # `keys.message_key`: the import's key for it
    message_id: str  # as written between the brackets; "" when it has none
    moment: datetime  # UTC, naive, as the book keeps moments
    day: date  # your local day of it
    sender: str  # the From address, as written
    sender_name: str
    recipients: tuple[tuple[str, str], ...]  # (name, address) of To, Cc and Bcc, in order
    subject: str  # one line, decoded; "" when it has none
    in_reply_to: tuple[str, ...]  # the ids it answers
    references: tuple[str, ...]  # the ids of its thread, the first message's first
    note: str = ""  # its text, read only with notes

    @property
    def thread(self) -> str:
        """The id of the first message of its thread (its own when it starts one)."""
        return (self.references or self.in_reply_to or (self.message_id,))[0]


@dataclass(frozen=True)
class Fallback:
    """The mailbox's own date for a message, used when its Date cannot serve."""

    moment: datetime | None  # UTC, naive
    source: str  # "its mbox From line", "its file's modification time"


class _Headers:
    def __init__(self, raw: bytes) -> None:
        self.values: dict[str, list[str]] = {}
        for name, value in _PARSER.parsebytes(raw).raw_items():
            self.values.setdefault(name.lower(), []).append(value)

    def first(self, name: str) -> str:
        found = self.values.get(name)
        return from_bytes(found[0]).text.strip() if found else ""

    def all(self, name: str) -> list[str]:
        return self.values.get(name, [])

    def __contains__(self, name: str) -> bool:
        return name in self.values


def skip_reason(headers: _Headers) -> str:
    """Why a message is not imported, "" when it is."""
    if "list-id" in headers:
        return MAILING_LIST
    submitted = headers.first("auto-submitted").split(";")[0].strip().lower()
    if submitted and submitted != "no":
        return AUTOMATED
    if "x-autoreply" in headers or "x-autorespond" in headers:
        return AUTOMATED
    return _PRECEDENCE.get(headers.first("precedence").lower(), "")


def read_message(
    raw: bytes,
    number: int,
    where: int | str,
    fallback: Callable[[], Fallback],
    problems: list[Problem],
    *,
    with_notes: bool = False,
    draft: bool = False,
    cut: str = "",
) -> MailMessage | SkippedMessage | None:
    """A message of its bytes (without an mbox From line), or what it is skipped as; None
    when it cannot be imported (said in `problems`, as is anything else wrong with it).
    `fallback` gives the mailbox's date for it; `cut` says how the message is cut short
    (then it is imported only if its headers are whole)."""
    found = _HEADER_END.search(raw)
    if cut and found is None:
        problems.append(Problem(where, f"message {number} {cut}, inside its headers", True))
        return None
    head = raw[: found.end()] if found else raw
    headers = _Headers(head)
    if draft:
        return SkippedMessage(number, where, DRAFT)
    skipped = skip_reason(headers)
    if skipped:
        return SkippedMessage(number, where, skipped)
    said = _Said(number, where, problems)
    if not headers.values:
        said("has no headers that can be read", left_out=True)
        return None
    if cut:
        said(f"{cut}; its headers are whole, so it was imported", left_out=False)
    senders = _addresses(headers, ("from",), said)
    if not senders:
        said("has no sender address (From)", left_out=True)
        return None
    moment = _moment(headers.first("date"), fallback, said)
    if moment is None:
        return None
    subject = text_header(headers.all("subject")[0]) if "subject" in headers else None
    if subject is not None and subject.trouble:
        said(f"its Subject {subject.trouble}", left_out=False)
    identity = keys.message_id(headers.first("message-id"))
    key = keys.message_key(identity or _stand_in(headers))
    note = ""
    if with_notes and found is not None:
        note, trouble = bodies.note_of(raw)
        if trouble:
            said(trouble, left_out=False)
    return MailMessage(
        number=number,
        where=where,
        key=key,
        message_id=identity,
        moment=moment,
        day=clock.local_day(moment),
        sender=senders[0][1],
        sender_name=senders[0][0],
        recipients=tuple(_addresses(headers, ("to", "cc", "bcc"), said)),
        subject=subject.text if subject is not None else "",
        in_reply_to=tuple(_IDS.findall(headers.first("in-reply-to"))),
        references=tuple(_IDS.findall(" ".join(headers.all("references")))),
        note=note,
    )


class _Said:
    """Says what is wrong with one message in `problems`, naming it."""

    def __init__(self, number: int, where: int | str, problems: list[Problem]) -> None:
        self.number = number
        self.where = where
        self.problems = problems

    def __call__(self, what: str, *, left_out: bool) -> None:
        self.problems.append(Problem(self.where, f"message {self.number} {what}", left_out))


def _addresses(headers: _Headers, names: tuple[str, ...], said: _Said) -> list[tuple[str, str]]:
    """The (name, address) pairs of the headers named, names decoded, in order."""
    found = []
    for name in names:
        for value in headers.all(name):
            read = from_bytes(value)
            if read.trouble:
                said(f"its {name.capitalize()} header {read.trouble}", left_out=False)
            for display, address in parsed_addresses([read.text]):
                found.append((one_line(with_words_decoded(display).text), address))
    return found


def parsed_addresses(values: list[str]) -> list[tuple[str, str]]:
    """The (display name, address) pairs of address header values (decoded text) that
    are addresses; the names as written (RFC 2047 words undecoded)."""
    return [
        (name, address) for name, address in email.utils.getaddresses(values) if is_address(address)
    ]


def _stand_in(headers: _Headers) -> str:
    written = (headers.first(name) for name in ("date", "from", "to", "cc", "subject"))
    return keys.stand_in_id(*written)


def _moment(value: str, fallback: Callable[[], Fallback], said: _Said) -> datetime | None:
    """The UTC moment of a Date value, else the mailbox's (said), else None (said)."""
    moment, why = _read_date(value)
    if moment is not None:
        return moment
    instead = fallback()
    usable, _ = _usable(instead.moment) if instead.moment is not None else (None, "")
    if usable is None:
        said(f"{why}, nor has the mailbox a date for it: left out", left_out=True)
        return None
    said(f"{why}: dated by {instead.source} instead", left_out=False)
    return usable


def _read_date(value: str) -> tuple[datetime | None, str]:
    """The moment of a Date header, or None and why not."""
    if not value:
        return None, "has no Date"
    shown = one_line(value, 60)
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, f"has a Date that cannot be read ({shown!r})"
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        moment = parsed.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        return None, f"has a Date beyond the calendar ({shown!r})"
    usable, why = _usable(moment)
    return usable, why.format(shown=shown)


def _usable(moment: datetime) -> tuple[datetime | None, str]:
    """The moment if a touch may be on it; else None and why not (`{shown}` the Date)."""
    try:
        check_stored_moment(moment)
    except OutsideKeptDates:
        return None, "has a Date outside the dates Cockpit keeps ({shown!r})"
    if clock.local_day(moment) > clock.today():
        return None, "has a Date after today ({shown!r})"
    return moment, ""
