"""Meetings from calendars: the occurrences of an import's calendar files judged, then
written as touches and scheduled touches (`cockpit import calendar.ics`, or a vdir).

The rules (README, "Touches you did not type"):

- An occurrence that has ended is a `meeting` touch with every client whose address is
  an ATTENDEE or the ORGANIZER: on its day in the user's time zone, its minutes from its
  start to its end (none given, or an all-day event: the usual 60), its SUMMARY as the
  touch's note (and its DESCRIPTION below it with `with_notes`), an ask until the client's
  won date and a give from then on, as every touch the user does not say otherwise of.
- Skipped, and counted by reason: Cockpit's own exported events (UIDs ending in
  @cockpit), cancelled ones, those the user declined (their own ATTENDEE line says
  DECLINED; their addresses are `me`), all-day events with no attendee (blocks in the
  user's own calendar), and those with more than `max_attendees` attendees (a conference).
  A client who declined gets no touch; the others at the meeting do. Rooms and resources
  (CUTYPE) are nobody.
- A meeting the user logged by hand with that client on that day already stands for it.
- The next occurrence still to come with a client is the client's next scheduled touch,
  which the weekly review then checks was kept.
- Importing again: an occurrence's touch is found by its key (`calendar_keys`); one that
  moved (a new start, end or summary) is moved too, unless the user edited that touch in
  Cockpit since (then it stays as they left it, and the report says so); one cancelled or
  declined since is taken away; one the user deleted is not added again.
- On a team book, a meeting with another rep's client is reported, not written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, timedelta

from cockpit import clock
from cockpit.dates import day_seen_from
from cockpit.errors import ValidationError
from cockpit.importers.calendar_keys import is_cockpits_own
from cockpit.importers.calendar_reading import Occurrence, Person
from cockpit.importers.correspondents import (
    AddressBook,
    Me,
    Unmatched,
    UnmatchedAddress,
    address_key,
)
from cockpit.importers.prospects import AskedProspect
from cockpit.importers.report import ImportReport
from cockpit.storage import book, import_matching, import_sources
from cockpit.storage.import_ledger import ImportWriter
from cockpit.storage.import_matching import Correspondent
from cockpit.storage.import_sources import PROMISE, TOUCH, Source
from cockpit.text import counted
from cockpit.vocabulary import Kind

MAX_ATTENDEES = 15  # more: a conference, not a meeting
WINDOW_DAYS = 365  # the past read by default, and the future looked at for the next touch
LONGEST_NOTE = 20_000  # characters of an event's summary and description kept

# Why an occurrence brought no touch, in the order the report lists them.
REASONS = {
    "cockpit": "Cockpit's own exported events",
    "cancelled": "cancelled",
    "declined": "declined by you",
    "all_day": "all-day with nobody invited",
    "conference": "with more than {max} attendees (a conference)",
    "nobody": "with nobody from your book",
}


@dataclass(frozen=True)
class CalendarOptions:
    since: date | None = None  # the first day read; None: a year before today
    with_notes: bool = False  # keep each event's description with its touch
    max_attendees: int = MAX_ATTENDEES
    me: tuple[str, ...] = ()  # the user's own addresses
    prospects: tuple[AskedProspect, ...] = ()  # to make first (calendars and mail alike)

    def first_day(self, today: date) -> date:
        return self.since or today - timedelta(days=WINDOW_DAYS)


@dataclass
class ClientNews:
    """What the import did with one client's meetings."""

    name: str
    added: int = 0
    moved: int = 0
    updated: int = 0  # a new summary or length, the same moment
    removed: int = 0  # cancelled or declined since
    kept_edits: int = 0  # edited by the user since: left as they are
    deleted: int = 0  # deleted by the user since: not added again
    next_day: date | None = None  # a next touch scheduled (or moved) by this import
    next_summary: str = ""
    next_moved: bool = False
    not_written: int = 0  # another rep's client
    owner: str = ""

    def line(self, today: date, dry_run: bool = False) -> str:
        if self.not_written:
            meetings = counted(self.not_written, "meeting")
            whose = f"{self.owner}'s client" if self.owner else "nobody's client"
            return f"{self.name} ({whose}): {meetings} not written: only they or a manager may"
        parts = []
        verb = "would be " if dry_run else ""
        for count, words in (
            (self.added, f"{verb}added"),
            (self.moved, f"{verb}moved"),
            (self.updated, f"{verb}updated"),
            (self.removed, f"{verb}removed (cancelled or declined since)"),
        ):
            if count:
                parts.append(f"{counted(count, 'meeting')} {words}")
        if self.kept_edits:
            parts.append(f"{counted(self.kept_edits, 'meeting')} you edited kept as you left it")
        if self.deleted:
            parts.append(f"{counted(self.deleted, 'meeting')} you deleted not added again")
        if self.next_day is not None:
            what = f" from {self.next_summary!r}" if self.next_summary else ""
            moved = " (moved)" if self.next_moved else ""
            parts.append(f"next touch {day_seen_from(self.next_day, today)}{what}{moved}")
        return f"{self.name}: {'; '.join(parts)}"

    @property
    def anything(self) -> bool:
        return bool(
            self.added
            or self.moved
            or self.updated
            or self.removed
            or self.kept_edits
            or self.deleted
            or self.next_day
            or self.not_written
        )


@dataclass
class CalendarSummary:
    """What the calendars of one import did, for the report after the files' lines."""

    clients: dict[int, ClientNews] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)  # reason -> occurrences
    unmatched: list[UnmatchedAddress] = field(default_factory=list)  # the top ones
    unmatched_total: int = 0  # addresses that matched nobody, all told
    me_known: bool = True
    max_attendees: int = MAX_ATTENDEES
    since: date | None = None
    dry_run: bool = False

    def client_lines(self, today: date) -> list[str]:
        news = sorted(self.clients.values(), key=lambda item: item.name.casefold())
        return [item.line(today, self.dry_run) for item in news if item.anything]

    def skipped_line(self) -> str:
        if not self.skipped:
            return ""
        parts = [
            f"{self.skipped[reason]} {words.format(max=self.max_attendees)}"
            for reason, words in REASONS.items()
            if self.skipped[reason]
        ]
        return "Events not brought in: " + "; ".join(parts)

    def unmatched_lines(self) -> list[str]:
        if not self.unmatched:
            return []
        more = self.unmatched_total - len(self.unmatched)
        head = (
            f"Addresses that matched nobody in your book ({self.unmatched_total}; the "
            f"{len(self.unmatched)} met most often, with how many events):"
            if more
            else f"Addresses that matched nobody in your book ({self.unmatched_total}), "
            "with how many events:"
        )
        lines = [head, *(f"  {item.line()}" for item in self.unmatched)]
        if not self.me_known:
            lines.append(
                "  (Your own addresses are among them unless you set them: me = "
                '["you@example.com"] in config.toml, or --me.)'
            )
        return lines

    def lines(self, today: date) -> list[str]:
        lines = self.client_lines(today)
        skipped = self.skipped_line()
        return [*lines, *([skipped] if skipped else []), *self.unmatched_lines()]


@dataclass
class _Met:
    """An occurrence with one client: what it would write."""

    occurrence: Occurrence
    client: Correspondent
    report: ImportReport


class CalendarImport:
    """The calendars of one import: their occurrences gathered file by file (`add`), then
    judged together and written through the import's writer (`finish`): a vdir keeps
    one event a file, and a client's next meeting may be in any of them."""

    def __init__(self, writer: ImportWriter, options: CalendarOptions) -> None:
        self.writer = writer
        self.options = options
        self.today = clock.today()
        self.now = clock.now_utc()
        self.me = Me.of(options.me)
        self.found: dict[str, tuple[Occurrence, ImportReport]] = {}  # key -> the last read
        self.created: set[int] = set()  # prospects made by the import (`prospects`)

    def window(self) -> tuple[date, date]:
        """The days read: from `since` to as far ahead as the next meetings are looked for."""
        return self.options.first_day(self.today), self.today + timedelta(days=WINDOW_DAYS)

    def add(self, report: ImportReport, occurrences: list[Occurrence]) -> None:
        """A file's occurrences; one met in an earlier file (by its UID and occurrence) is
        the later file's, and said when the two differ."""
        told: set[str] = set()
        for occurrence in occurrences:
            earlier = self.found.get(occurrence.key)
            if (
                earlier is not None
                and earlier[1] is not report
                and occurrence.uid not in told
                and replace(earlier[0], line=0) != replace(occurrence, line=0)
            ):
                told.add(occurrence.uid)
                where = earlier[1].shown or earlier[1].path.name
                report.warn(
                    occurrence.line,
                    f"the same event (UID {occurrence.uid}) as in {where}, which differs: "
                    "this one counts",
                )
            self.found[occurrence.key] = (occurrence, report)

    def finish(self, dry_run: bool = False) -> CalendarSummary:
        summary = CalendarSummary(
            me_known=self.me.known,
            max_attendees=self.options.max_attendees,
            since=self.window()[0],
            dry_run=dry_run,
        )
        people = AddressBook()
        unmatched = Unmatched()
        past: list[_Met] = []
        coming: list[_Met] = []
        called_off: set[str] = set()  # keys of occurrences cancelled or declined
        declined_by: set[tuple[str, int]] = set()  # (key, client) a client declined
        for occurrence, report in self.found.values():
            reason = self._skipped(occurrence)
            if reason is not None:
                summary.skipped[reason] += 1
                report.events_skipped += 1
                if reason in ("cancelled", "declined"):
                    called_off.add(occurrence.key)
                continue
            clients = self._clients(occurrence, people, unmatched, declined_by)
            if not clients:
                summary.skipped["nobody"] += 1
                continue
            ended = occurrence.ends_at <= self.now
            for client in clients:
                met = _Met(occurrence, client, report)
                (past if ended else coming).append(met)
        summary.unmatched = unmatched.top()
        summary.unmatched_total = len(unmatched)
        writing = _Writing(self, summary, people)
        writing.write(past, coming, called_off, declined_by)
        return summary

    def _skipped(self, occurrence: Occurrence) -> str | None:
        if is_cockpits_own(occurrence.uid):
            return "cockpit"
        if occurrence.status == "CANCELLED":
            return "cancelled"
        attendees = [person for person in occurrence.attendees if person.is_person]
        if any(self.me.is_me(p.address) and p.answer == "DECLINED" for p in attendees):
            return "declined"
        if occurrence.all_day and not attendees:
            return "all_day"
        if len({address_key(person.address) for person in attendees}) > self.options.max_attendees:
            return "conference"
        return None

    def _clients(self, occurrence, people, unmatched, declined_by) -> list[Correspondent]:
        """The clients at the occurrence (each once), noting the addresses that matched
        nobody and the clients who declined."""
        found: dict[int, Correspondent] = {}
        persons: list[Person] = [p for p in occurrence.attendees if p.is_person]
        if occurrence.organizer is not None and occurrence.organizer.is_person:
            persons.append(occurrence.organizer)
        seen: set[str] = set()
        for person in persons:
            key = address_key(person.address)
            if key in seen or self.me.is_me(person.address):
                continue
            seen.add(key)
            clients = people.clients(person.address)
            if not clients:
                if not self.me.is_colleague(person.address):
                    unmatched.add(person.address, person.name)
                continue
            for client in clients:
                if person.answer == "DECLINED":
                    declined_by.add((occurrence.key, client.id))
                    found.pop(client.id, None)
                elif (occurrence.key, client.id) not in declined_by:
                    found[client.id] = client
        return list(found.values())

    def names_met(self) -> tuple[dict[str, str], dict[str, ImportReport]]:
        """The name each address came with (by `address_key`, the first met), and the file
        that met it first."""
        names: dict[str, str] = {}
        reports: dict[str, ImportReport] = {}
        for occurrence, report in self.found.values():
            for person in (*occurrence.attendees, occurrence.organizer):
                if person is not None:
                    key = address_key(person.address)
                    reports.setdefault(key, report)
                    if person.name:
                        names.setdefault(key, person.name)
        return names, reports


class _Writing:
    """The touches and scheduled touches of an import's meetings written, against what the
    book holds from earlier imports of the same events."""

    def __init__(self, run: CalendarImport, summary: CalendarSummary, people: AddressBook):
        self.run = run
        self.writer = run.writer
        self.summary = summary
        self.people = people
        self.updated: dict[int, set[int]] = {}  # id of a file's report -> clients it changed

    def changed(self, met: _Met) -> None:
        self.updated.setdefault(id(met.report), set()).add(met.client.id)

    def news(self, client: Correspondent) -> ClientNews:
        found = self.summary.clients.get(client.id)
        if found is None:
            found = self.summary.clients[client.id] = ClientNews(client.name, owner=client.owner)
        return found

    def write(self, past, coming, called_off, declined_by) -> None:
        past = self._writable(past)
        coming = self._writable(coming)
        keys = {met.occurrence.key for met in (*past, *coming)} | called_off
        keys |= {key for key, _ in declined_by}
        keys |= {met.occurrence.former_key for met in (*past, *coming)} - {""}
        stored = import_sources.sources_of(keys)
        self._touches(past, stored)
        self._next_touches(coming, stored)
        self._called_off(stored, called_off, declined_by)
        met: dict[int, tuple[ImportReport, set[int]]] = {}
        for one in (*past, *coming):
            met.setdefault(id(one.report), (one.report, set()))[1].add(one.client.id)
        for key, (report, clients) in met.items():
            changed = self.updated.get(key, set()) - self.run.created
            report.clients_updated += len(changed)
            report.clients_unchanged += len(clients - changed - self.run.created)

    def _writable(self, meetings: list[_Met]) -> list[_Met]:
        kept = []
        for met in meetings:
            if self.people.may_write(met.client):
                kept.append(met)
            else:
                self.news(met.client).not_written += 1
        return kept

    # Meetings held -----------------------------------------------------------------------

    def _touches(self, past: list[_Met], stored: dict[tuple, Source]) -> None:
        logged = import_matching.meeting_days_not_imported({met.client.id for met in past})
        rows: list[dict] = []
        keys: list[str] = []
        for met in sorted(past, key=lambda met: met.occurrence.starts_at):
            occurrence, client = met.occurrence, met.client
            try:
                row = self._row(occurrence, client)
            except ValidationError as error:
                met.report.fail(occurrence.line, f"{client.name}: {error.message}")
                continue
            news = self.news(client)
            source = self._source(stored, met, TOUCH)
            if source is None:
                if (client.id, row["day"]) in logged:  # the meeting the user logged that day
                    met.report.already_there += 1
                    continue
                rows.append(row)
                keys.append(occurrence.key)
                news.added += 1
                met.report.touches_added += 1
                self.changed(met)
                continue
            self._again(met, source, row, news)
        import_sources.add_rows_from(self.writer, TOUCH, rows, keys)

    def _source(self, stored: dict[tuple, Source], met: _Met, table: str) -> Source | None:
        """What an earlier import wrote for the occurrence with the client, by its key, or
        by the key it had when its event was of the other kind (a one-off event since
        turned into a series, or back): that row is then known by the new key."""
        occurrence, client_id = met.occurrence, met.client.id
        source = stored.get((occurrence.key, client_id, table))
        if source is not None or not occurrence.former_key:
            return source
        former = stored.pop((occurrence.former_key, client_id, table), None)
        if former is None:
            return None
        source = import_sources.rekey(self.writer, former, occurrence.key)
        stored[(occurrence.key, client_id, table)] = source
        return source

    def _again(self, met: _Met, source: Source, row: dict, news: ClientNews) -> None:
        """A meeting an earlier import brought: moved with its event, unless the user
        edited or deleted its touch since."""
        if not source.exists:
            news.deleted += 1
            return
        changes = {
            name: row[name]
            for name, now in (
                ("occurred_at", source.occurred_at),
                ("day", source.day),
                ("duration_min", source.duration_min),
                ("summary", source.summary),
            )
            if row[name] != now
        }
        if not changes:
            met.report.already_there += 1
            return
        if source.edited:
            news.kept_edits += 1
            met.report.already_there += 1
            return
        import_sources.rewrite(self.writer, source, changes)
        self.changed(met)
        if "occurred_at" in changes or "day" in changes:
            news.moved += 1
            met.report.moved += 1
        else:
            news.updated += 1
            met.report.moved += 1

    def _row(self, occurrence: Occurrence, client: Correspondent) -> dict:
        note = occurrence.summary
        if self.run.options.with_notes and occurrence.description:
            note = f"{note}\n\n{occurrence.description}" if note else occurrence.description
        return book.interaction_row(
            client.id,
            Kind.MEETING,
            when=occurrence.starts_at.replace(tzinfo=UTC),
            summary=plain_text(note),
            duration_min=occurrence.minutes,
            created_at=self.writer.moment,
            won_on=client.won_on,
        )

    # Meetings to come ----------------------------------------------------------------------

    def _next_touches(self, coming: list[_Met], stored: dict[tuple, Source]) -> None:
        """Each client's next meeting becomes its next scheduled touch; a scheduled touch
        an earlier import made for a meeting that moved moves with it."""
        first: dict[int, _Met] = {}
        for met in sorted(coming, key=lambda met: met.occurrence.starts_at):
            first.setdefault(met.client.id, met)
            source = self._source(stored, met, PROMISE)
            if source is None or first[met.client.id] is met:
                continue
            self._promise_again(met, source, next_one=False)
        rows, keys = [], []
        for client_id, met in first.items():
            day = clock.local_day(met.occurrence.starts_at)
            source = self._source(stored, met, PROMISE)
            if source is not None:
                self._promise_again(met, source, next_one=True)
                continue
            news = self.news(met.client)
            news.next_day, news.next_summary = day, met.occurrence.summary
            rows.append(import_sources.promise_row(client_id, day, self.writer.moment))
            keys.append(met.occurrence.key)
            met.report.promises += 1
            self.changed(met)
        import_sources.add_rows_from(self.writer, PROMISE, rows, keys)

    def _promise_again(self, met: _Met, source: Source, *, next_one: bool) -> None:
        day = clock.local_day(met.occurrence.starts_at)
        news = self.news(met.client)
        if not source.exists or source.day == day:
            return
        if source.edited:
            news.kept_edits += 1
            return
        import_sources.rewrite(self.writer, source, {"due_on": day})
        met.report.moved += 1
        self.changed(met)
        if next_one:
            news.next_day, news.next_summary = day, met.occurrence.summary
            news.next_moved = True

    # Meetings called off -------------------------------------------------------------------

    def _called_off(self, stored, called_off: set[str], declined_by) -> None:
        """What earlier imports wrote for occurrences cancelled or declined since (by the
        user: every client's; by a client: theirs) is taken away, unless edited since."""
        gone = [
            source
            for (key, client_id, _), source in stored.items()
            if key in called_off or (key, client_id) in declined_by
        ]
        known = import_matching.names_and_owners({source.client_id for source in gone})
        for source in gone:
            client_id = source.client_id
            name, owner = known.get(client_id, ("?", ""))
            client = Correspondent(client_id, name, "", owner, None)
            if not self.people.may_write(client):
                continue  # another rep's: they see it on their own import
            news = self.news(client)
            if source.exists and source.edited:
                news.kept_edits += 1
                continue
            import_sources.drop(self.writer, source)
            if source.exists:
                news.removed += 1


def plain_text(text: str) -> str:
    """An event's text as a touch's note keeps it: line breaks and tabs kept, other control
    characters left out, at most LONGEST_NOTE characters."""
    cleaned = "".join(
        char if char in "\n\t" or (char >= " " and not 0x7F <= ord(char) <= 0x9F) else " "
        for char in text.replace("\r\n", "\n")
    )
    for override in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        cleaned = cleaned.replace(override, "")
    return cleaned.strip()[:LONGEST_NOTE]
