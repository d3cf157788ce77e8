"""Mail from mailboxes: an import's mbox files and Maildir folders read as one stream of
messages (`mail.mailboxes`), sorted (`mail.sorting.sort_mail`) and written: your email
touches and the days your clients wrote to you ("heard from" lines, `heard_from`).

The rules (README, "Touches you did not type"):

- A message from one of your addresses to a client's is an `email` touch of that client,
  one a day whatever the number of messages and threads: the day's first message's moment
  and subject (with `--with-notes` the text below it), an ask until the client's won date
  and a give from then on.
- A message from a client is a heard-from line of that client on their timeline, one a
  day; never your touch (the health rules do not read it).
- Importing again: a day's touch or line is found by any of its messages' keys (their
  Message-ID); one holding none of the keys but of the same client and day (another
  mailbox's messages of that day) takes the new keys instead of a second one. An email
  you logged yourself that day stands for the day's messages. One you deleted is not
  added again.
- On a team book, mail with another rep's client is reported, not written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from cockpit.errors import ValidationError
from cockpit.importers.calendar_import import plain_text
from cockpit.importers.correspondents import AddressBook, Me, Unmatched, UnmatchedAddress
from cockpit.importers.mail.mailboxes import MailReading, Message
from cockpit.importers.mail.message import MailMessage
from cockpit.importers.mail.sorting import MailDay, sort_mail
from cockpit.importers.report import ImportReport
from cockpit.storage import book, import_sources
from cockpit.storage.import_ledger import ImportWriter
from cockpit.storage.import_matching import Correspondent
from cockpit.storage.import_sources import HEARD, TOUCH, Source
from cockpit.text import counted
from cockpit.vocabulary import Kind

# Why a message brought nothing, as the report words it (`mail.message` reasons).
SKIPPED = {
    "mailing list": "from mailing lists",
    "automated": "automated (out-of-office replies, delivery reports)",
    "bulk": "bulk mail",
    "draft": "drafts",
}


@dataclass
class MailNews:
    """What the import did with one client's mail."""

    name: str
    owner: str = ""
    emails: int = 0  # email touches added
    heard: int = 0  # heard-from lines added
    already: int = 0  # days already in the book (an import, or logged by you)
    deleted: int = 0  # days whose touch you deleted since: not added again
    not_written: int = 0  # another rep's client: days not written

    def line(self, dry_run: bool = False) -> str:
        if self.not_written:
            whose = f"{self.owner}'s client" if self.owner else "nobody's client"
            days = counted(self.not_written, "day")
            return f"{self.name} ({whose}): {days} of mail not written: only they or a manager may"
        verb = "would be added" if dry_run else "added"
        parts = []
        if self.emails:
            parts.append(f"{counted(self.emails, 'email touch', 'email touches')} {verb}")
        if self.heard:
            parts.append(f"{counted(self.heard, 'day')} heard from them {verb}")
        if self.already:
            parts.append(f"{counted(self.already, 'day')} already there")
        if self.deleted:
            parts.append(
                f"{counted(self.deleted, 'email touch', 'email touches')} you deleted "
                "not added again"
            )
        return f"{self.name}: {'; '.join(parts)}"


@dataclass
class MailSummary:
    """What the mailboxes of one import did, for the report after the files' lines."""

    clients: dict[int, MailNews] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)  # reason -> messages
    unmatched: list[UnmatchedAddress] = field(default_factory=list)  # the top ones
    unmatched_total: int = 0
    sent: int = 0
    received: int = 0
    repeated: int = 0
    emails: int = 0  # email touches added, all told
    heard: int = 0  # heard-from lines added
    passed_over: list[str] = field(default_factory=list)  # Maildir folders not read
    dry_run: bool = False

    def client_lines(self) -> list[str]:
        news = sorted(self.clients.values(), key=lambda item: item.name.casefold())
        return [item.line(self.dry_run) for item in news]

    def skipped_line(self) -> str:
        if not self.skipped:
            return ""
        parts = [
            f"{self.skipped[reason]} {SKIPPED.get(reason, reason)}"
            for reason in sorted(self.skipped, key=lambda r: (-self.skipped[r], r))
        ]
        return "Messages not brought in: " + "; ".join(parts)

    def unmatched_lines(self) -> list[str]:
        if not self.unmatched:
            return []
        more = self.unmatched_total > len(self.unmatched)
        head = (
            f"Mail addresses that matched nobody in your book ({self.unmatched_total}; the "
            f"{len(self.unmatched)} met most often, with how many messages):"
            if more
            else f"Mail addresses that matched nobody in your book ({self.unmatched_total}), "
            "with how many messages:"
        )
        return [head, *(f"  {item.line()}" for item in self.unmatched)]

    def lines(self) -> list[str]:
        head = f"Mail: {counted(self.sent, 'message')} from you, {self.received} to you" + (
            f", {self.repeated} met twice (counted once)" if self.repeated else ""
        )
        passed = (
            [f"Mail folders not read (drafts, junk, trash...): {', '.join(self.passed_over)}"]
            if self.passed_over
            else []
        )
        skipped = self.skipped_line()
        return [
            head,
            *self.client_lines(),
            *passed,
            *([skipped] if skipped else []),
            *self.unmatched_lines(),
        ]

    def counts(self) -> str:
        verb = "would add" if self.dry_run else "added"
        return (
            f"{verb} {counted(self.emails, 'email touch', 'email touches')} and "
            f"{counted(self.heard, 'heard-from line')}"
        )


@dataclass
class _Box:
    path: Path
    report: ImportReport
    started: Callable[[], Callable[[float], None]]  # the progress bar told it starts


class MailImport:
    """The mailboxes of one import: named one after another (`add`), then read as one
    stream, sorted and written through the import's writer (`finish`)."""

    def __init__(self, writer: ImportWriter, me: tuple[str, ...], with_notes: bool) -> None:
        self.writer = writer
        self.me = me
        self.with_notes = with_notes
        self.boxes: list[_Box] = []
        self.passed_over: list[str] = []

    def add(self, path: Path, report: ImportReport, started) -> None:
        self.boxes.append(_Box(path, report, started))

    def finish(self, dry_run: bool = False) -> MailSummary:
        people = AddressBook()
        by_id = {client.id: client for found in people.by_key.values() for client in found}
        unmatched = Unmatched()
        me = Me.of(self.me)
        sorted_mail = sort_mail(
            self._messages(),
            self.me,
            lambda address: [client.id for client in people.clients(address)],
            colleague=me.is_colleague,
            unmatched=unmatched,
        )
        summary = MailSummary(
            skipped=Counter(sorted_mail.skipped),
            unmatched=unmatched.top(),
            unmatched_total=len(unmatched),
            sent=sorted_mail.sent,
            received=sorted_mail.received,
            repeated=sorted_mail.repeated,
            passed_over=self.passed_over,
            dry_run=dry_run,
        )
        writing = _Writing(self.writer, summary, people, by_id)
        writing.write(TOUCH, sorted_mail.touches)
        writing.write(HEARD, sorted_mail.heard)
        return summary

    def _messages(self) -> Iterator[Message]:
        """Every mailbox's messages in turn; each one's problems said in its report."""
        for box in self.boxes:
            reading = MailReading(box.path, self.with_notes, progress=box.started())
            report = box.report
            read = skipped = 0
            try:
                for found in reading.messages():
                    if isinstance(found, MailMessage):
                        read += 1
                    else:
                        skipped += 1
                    yield found
            finally:
                report.messages, report.messages_skipped = read, skipped
                report.mail_kind = reading.kind
                for problem in reading.problems:
                    if problem.left_out:
                        report.fail(problem.where, problem.reason)
                    else:
                        report.warn(problem.where, problem.reason)
                prefix = f"{box.report.shown}/" if reading.kind != "mbox" else ""
                self.passed_over += [prefix + name for name in reading.passed_over]


class _Writing:
    """A day's touches or heard-from lines written, against what earlier imports (and the
    user) put in the book."""

    def __init__(self, writer, summary: MailSummary, people: AddressBook, by_id) -> None:
        self.writer = writer
        self.summary = summary
        self.people = people
        self.by_id: dict[int, Correspondent] = by_id

    def news(self, client: Correspondent) -> MailNews:
        found = self.summary.clients.get(client.id)
        if found is None:
            found = self.summary.clients[client.id] = MailNews(client.name, client.owner)
        return found

    def write(self, table: str, days: list[MailDay]) -> None:
        writable = []
        for day in days:
            client = self.by_id[day.client_id]
            if self.people.may_write(client):
                writable.append(day)
            else:
                self.news(client).not_written += 1
        stored = import_sources.sources_of(key for day in writable for key in day.keys)
        kind = Kind.EMAIL.value if table == TOUCH else None
        there = import_sources.imported_days(table, {day.client_id for day in writable}, kind)
        rows, keys = [], []
        for day in writable:
            client = self.by_id[day.client_id]
            news = self.news(client)
            known = [s for key in day.keys if (s := stored.get((key, client.id, table)))]
            if known:
                self._again(table, day, known, news)
                continue
            earlier = there.get((client.id, day.day))
            if earlier is not None:  # an email of that day: logged by you, or imported
                row_id, imported = earlier
                if imported:
                    import_sources.add_keys(self.writer, table, client.id, row_id, day.keys)
                news.already += 1
                continue
            try:
                rows.append(self._row(table, day, client))
            except ValidationError as error:
                self.summary.skipped[f"not kept ({error.message})"] += 1
                continue
            keys.append(day.keys)
            if table == TOUCH:
                news.emails += 1
                self.summary.emails += 1
            else:
                news.heard += 1
                self.summary.heard += 1
        import_sources.add_rows_from(self.writer, table, rows, keys)

    def _again(self, table: str, day: MailDay, known: list[Source], news: MailNews) -> None:
        """A day an earlier import brought: its new messages' keys added to it (deleted
        since: not added again)."""
        have = {source.key for source in known}
        first = known[0]
        new_keys = [key for key in day.keys if key not in have]
        import_sources.add_keys(self.writer, table, first.client_id, first.row_id, new_keys)
        if first.exists:
            news.already += 1
        else:
            news.deleted += 1

    def _row(self, table: str, day: MailDay, client: Correspondent) -> dict:
        summary = plain_text(day.summary)
        if table == TOUCH:
            return book.interaction_row(
                client.id,
                Kind.EMAIL,
                when=day.moment.replace(tzinfo=UTC),
                summary=summary,
                created_at=self.writer.moment,
                won_on=client.won_on,
            )
        return import_sources.heard_row(client.id, day.moment, day.day, summary, self.writer.moment)
