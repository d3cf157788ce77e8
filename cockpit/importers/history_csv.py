"""The interchange history CSV: touches and won deals, one per row.

    client,company,date,kind,intent,duration_min,amount,note

`date` is ISO (a date, or a date and time; without a time zone it is local
time); `kind` is an interaction kind, or `deal` for a won deal with `amount`;
`intent` is `sales` or `relationship` (else `validation.default_intent` by the
client's won date, counting the file's deals); the other columns are optional.
Rows of the same client and company belong to one client, created on first
sight. A row identical to a stored one (same client, day, kind and note; for a
deal also the amount) is not added again, so importing a file twice adds
nothing the second time.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import NamedTuple

from cockpit import clock
from cockpit.config import settings
from cockpit.date_limits import FIRST_DAY, LAST_DAY
from cockpit.errors import ValidationError
from cockpit.importers.report import ImportReport
from cockpit.storage import book, import_matching
from cockpit.storage.import_ledger import ImportWriter
from cockpit.vocabulary import Kind

COLUMNS = ("client", "company", "date", "kind", "intent", "duration_min", "amount", "note")
REQUIRED = ("client", "date", "kind")
DEAL = "deal"
# A touch known only by its day is put at noon, so its day is the same in any time zone
# within twelve hours of the user's.
DATE_ONLY_TIME = time(12, 0)
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # a byte that was not UTF-8
# Of a history's share of a progress bar, what reading and checking its rows takes; the
# rest is writing them.
READ_SHARE = 0.5


def is_history_header(header: list[str]) -> bool:
    names = {name.strip().lower() for name in header}
    return set(REQUIRED) <= names and names <= set(COLUMNS)


class _Row(NamedTuple):  # a tuple: a large file makes hundreds of thousands
    line: int
    name: str
    company: str
    moment: datetime
    date: str  # as the file has it, for messages
    kind: str
    intent: str | None
    duration_min: int | None
    amount: str
    note: str


def _moment(text: str) -> datetime:
    value = text.strip()
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), DATE_ONLY_TIME)
        else:
            moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            f"date {text!r} is not an ISO date such as 2026-03-01 or 2026-03-01T14:30"
        ) from None
    if not 1 < moment.year < 9999:  # only there can UTC or the local day fall off the calendar
        _check_calendar(moment, text)
    return moment


def _check_calendar(moment: datetime, text: str) -> None:
    """Refuse a moment that storing it would take off the calendar: in UTC, then its day
    in the user's time zone (storing it raises OverflowError, said here as a row's fault)."""
    try:
        clock.local_day(clock.to_utc(moment))
    except OverflowError:
        raise ValidationError(f"date {text!r} is beyond the calendar in UTC") from None


_KINDS = {kind.value: kind.value for kind in Kind} | {DEAL: DEAL}


def _kind(text: str) -> str:
    found = _KINDS.get(text)  # as the file has it, mostly
    if found is not None:
        return found
    value = text.strip().lower().replace("_", "-").replace(" ", "-")
    if value == DEAL:
        return DEAL
    try:
        return Kind(value).value
    except ValueError:
        known = ", ".join([*(kind.value for kind in Kind), DEAL])
        raise ValidationError(f"kind {text!r} is not one of {known}") from None


def _duration(text: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise ValidationError(f"duration_min {text!r} is not a whole number of minutes")
    if len(value.lstrip("0")) > 4:  # and int() refuses more than 4300 digits
        raise ValidationError("a duration cannot be longer than a day (1440 minutes)")
    return int(value)


class _Known:
    """What `check` makes of each value (or the ValidationError it raises), worked out once:
    a history repeats its clients' names, its days and its kinds on row after row. The
    good ones are in `known`, for the quick way to look them up itself."""

    LIMIT = 200_000  # values kept, at most

    def __init__(self, check: Callable) -> None:
        self.check = check
        self.known: dict = {}
        self.refused: dict[object, str] = {}  # value -> why

    def __call__(self, value):
        found = self.known.get(value, _MISSING)
        if found is not _MISSING:
            return found
        why = self.refused.get(value)
        if why is None:
            try:
                return _remember(self.known, value, self.check(value))
            except ValidationError as error:
                why = _remember(self.refused, value, error.message)
        raise ValidationError(why)


_MISSING = object()


class _Checks:
    """The checks of `_parse`, each value worked out once."""

    def __init__(self) -> None:
        self.client = _Known(lambda value: book.clean_line(value, "client", required=True))
        self.company = _Known(lambda value: book.clean_line(value, "company"))
        self.moment = _Known(_moment)
        self.duration = _Known(_duration)


def _parse(line: int, cells: dict[str, str], checks: _Checks | None = None) -> _Row:
    checks = checks or _Checks()
    if _ESCAPED_BYTE.search("".join(cells.values())):
        for column, value in cells.items():
            if _ESCAPED_BYTE.search(value):
                raise ValidationError(f"{column} is not valid UTF-8 text")
    kind = _kind(cells.get("kind", ""))
    amount = cells.get("amount", "").strip()
    if kind == DEAL and not amount:
        raise ValidationError("a deal row needs an amount")
    if kind != DEAL and amount:
        raise ValidationError("only deal rows have an amount")
    intent = cells.get("intent", "").strip().lower() or None
    date_text = cells.get("date", "")
    return _Row(
        line=line,
        name=checks.client(cells.get("client", "")),
        company=checks.company(cells.get("company", "")),
        moment=checks.moment(date_text),
        date=date_text,
        kind=kind,
        intent=intent,
        duration_min=checks.duration(cells.get("duration_min", "")),
        amount=amount,
        note=cells.get("note", ""),
    )


class _Clients:
    """Finds the client of each row by name and company, creating it on first sight (the
    book's clients read once; the new ones written together, `write_new`)."""

    def __init__(self, report: ImportReport, writer: ImportWriter) -> None:
        self.report = report
        self.writer = writer
        self.ids: dict[tuple[str, str], int] = {}  # by match keys
        self.seen: dict[tuple[str, str], int] = {}  # by name and company as the rows have them
        self.created: set[int] = set()
        self.new: list[book.NewClientRows] = []
        self.book: dict[tuple[str, str], list[int]] = {}
        for client_id, name_key, company_key, _ in import_matching.client_match_keys():
            self.book.setdefault((name_key, company_key), []).append(client_id)

    def resolve(self, name: str, company: str) -> int:
        found = self.seen.get((name, company))
        if found is not None:
            return found
        key = (book.match_key(name), book.match_key(company))
        if key in self.ids:
            self.seen[(name, company)] = self.ids[key]
            return self.ids[key]
        matches = self.book.get(key, [])
        if len(matches) > 1:
            where = f" at {company}" if company else ""
            raise ValidationError(
                f"more than one client is named {name}{where}; the import cannot tell which"
            )
        if matches:
            client_id = matches[0]
        else:
            new = book.new_client_rows(
                self.writer.peek_client_id(),
                name,
                company,
                title="",
                emails=[],
                phones=[],
                owner=self.writer.owner,
                created_at=self.writer.moment,
            )
            client_id = self.writer.next_client_id()
            self.new.append(new)
            self.created.add(client_id)
        self.ids[key] = client_id
        self.seen[(name, company)] = client_id
        return client_id

    def write_new(self, deals: list[dict]) -> None:
        """Write the clients created, with the won date and honeymoon their summaries will
        keep (the file's first deal of each): refreshing the summaries then finds them
        right, and has no client to write again."""
        first: dict[int, date] = {}
        for deal in deals:
            client_id = deal["client"]
            if client_id in self.created and deal["won_on"] < first.get(client_id, date.max):
                first[client_id] = deal["won_on"]
        honeymoon = timedelta(days=settings().health.honeymoon_days)
        for new in self.new:
            won = first.get(new.client["id"])
            new.client["won_on"] = won
            new.client["honeymoon_end"] = won + honeymoon if won else None
        self.writer.add_new_clients(self.new)
        self.new = []


def _stored_keys(client_ids: set[int]) -> tuple[set[tuple], set[tuple], set[tuple]]:
    """What is already in the book for these clients, as `_keys` makes it: the touches
    by their day and by their moment, and the deals."""
    days: set[tuple] = set()
    moments: set[tuple] = set()
    for client, kind, summary, day, moment in import_matching.stored_touches(client_ids):
        days.add((client, kind, summary, day))
        moments.add((client, kind, summary, moment))
    won = set(import_matching.stored_deals(client_ids))
    return days, moments, won


class _Rows:
    """The rows `book.interaction_row` and `book.deal_row` make of a file's rows, the
    same ones with the same checks, made quicker for a large file: what repeats from row
    to row (a kind with its intent and minutes, today) is worked out once. A row the
    quick way has any doubt about (a kind it does not know, a day outside the dates
    Cockpit keeps or in the future) is made by `book.interaction_row` itself, which says
    what is wrong exactly as it always does."""

    def __init__(self, created_at: datetime | None = None) -> None:
        self.created_at = created_at
        self.today = clock.today()
        self.kinds: dict[tuple, tuple | None] = {}
        self.moments: dict[str, tuple[datetime, date]] = {}  # date as the file has it ->
        self.summary = _Known(lambda note: book.clean_text(note, "the summary"))

    def of(self, row: _Row) -> dict:
        """The row as it will be stored, its client still to be found."""
        try:
            if row.kind == DEAL:
                won_on = clock.local_day(clock.to_utc(row.moment))
                return book.deal_row(
                    0, row.amount, won_on=won_on, description=row.note, created_at=self.created_at
                )
            return self._touch(row) or book.interaction_row(
                0,
                row.kind,
                when=row.moment,
                summary=row.note,
                intent=row.intent,
                duration_min=row.duration_min,
                created_at=self.created_at,
            )
        except OverflowError:  # in UTC, or on the user's calendar, beyond the last day
            raise ValidationError(f"date {row.date!r} is beyond the calendar in UTC") from None

    def _touch(self, row: _Row) -> dict | None:
        """`book.interaction_row` of the row, or None when in doubt."""
        key = (row.kind, row.intent, row.duration_min)
        kinds = self.kinds.get(key, ...)
        if kinds is ...:
            try:
                kind, intent, minutes = book.touch_kind(*key)
                kinds = kind, intent, minutes, book.default_intent(kind, date.max, None)
            except ValidationError:
                kinds = None
            self.kinds[key] = kinds
        if kinds is None or not FIRST_DAY <= row.moment.date() <= LAST_DAY:
            return None
        kind, intent, minutes, unwon = kinds
        stored = self.moments.get(row.date)
        if stored is None:
            occurred_at = clock.to_utc(row.moment)
            stored = self.moments[row.date] = occurred_at, clock.local_day(occurred_at)
            if len(self.moments) >= _Known.LIMIT:
                self.moments.clear()
        occurred_at, day = stored
        if not FIRST_DAY <= day <= min(LAST_DAY, self.today):
            return None
        return {
            "client": 0,
            "occurred_at": occurred_at,
            "day": day,
            "kind": kind.value,
            "intent": (unwon if intent is None else intent).value,
            "duration_min": minutes,
            "summary": self.summary(row.note),
            "follow_up_on": None,
            "follow_up_done": False,
            "created_at": self.created_at or clock.now_utc(),
        }


class _Reading:
    """Each row read and checked as `_parse` and `_Rows` do it; the usual row (a touch
    whose every value was seen before and found good) straight from what was found of
    its values: for a file of 250,000 rows, what costs is the Python per row. Any other
    row goes the long way, which says what is wrong exactly as it always does."""

    def __init__(self, names: list[str], created_at: datetime | None) -> None:
        self.names = names
        at = {name: index for index, name in enumerate(names)}  # the last of a name, as dict()
        self.at = [at.get(column) for column in COLUMNS]
        self.in_order = tuple(names) == COLUMNS
        self.checks = _Checks()
        self.made = _Rows(created_at)
        self.created_at = created_at or clock.now_utc()
        self.newest = min(LAST_DAY, self.made.today)
        # What good values were found to be (a value found bad is not kept here):
        self.kinds: dict[str, str] = {}  # kind as the file has it -> checked
        self.touches: dict[tuple, tuple] = {}  # kind, intent, minutes -> as stored
        self.days: dict[str, tuple] = {}  # date -> moment as stored, its day
        self.summaries: dict[str, str] = {}  # note -> as stored
        self.cents = _Known(lambda amount: int(book.parse_amount(amount) * 100))
        self._currency: str | None = None

    def row(self, line: int, cells: list[str], joined: str) -> tuple[_Row, dict]:
        quick = None if _ESCAPED_BYTE.search(joined) else self._quick(line, cells)
        if quick is not None:
            return quick
        row = _parse(line, dict(zip(self.names, cells, strict=False)), self.checks)
        return row, self.made.of(row)

    def _values(self, cells: list[str]) -> list[str] | tuple[str, ...]:
        if self.in_order and len(cells) == len(COLUMNS):
            return cells
        size = len(cells)
        return [cells[at] if at is not None and at < size else "" for at in self.at]

    def _quick(self, line: int, cells: list[str]) -> tuple[_Row, dict] | None:
        """The row if it is a good touch or deal, made from what its values were found to
        be (a value not seen yet is checked and remembered); None for any other row. The
        lookups are written out: this runs for every row of a file."""
        name, company, when, kind, intent, minutes, amount, note = self._values(cells)
        checks, missing = self.checks, _MISSING
        try:
            kind = self.kinds.get(kind) or self._kind(kind)
            amount = amount.strip()
            if (kind == DEAL) != bool(amount):
                return None
            found = checks.client.known.get(name, missing)
            name = checks.client(name) if found is missing else found
            found = checks.company.known.get(company, missing)
            company = checks.company(company) if found is missing else found
            found = checks.moment.known.get(when, missing)
            moment = checks.moment(when) if found is missing else found
            found = checks.duration.known.get(minutes, missing)
            duration = checks.duration(minutes) if found is missing else found
            intent = intent.strip().lower() or None
            occurred_at, on = self.days.get(when) or self._day(when, moment)
            summary = self.summaries.get(note)
            if summary is None:
                summary = _remember(self.summaries, note, book.clean_text(note, "the text"))
            row = _Row(line, name, company, moment, when, kind, intent, duration, amount, note)
            if kind == DEAL:
                found = self.cents.known.get(amount, missing)
                return row, {
                    "client": 0,
                    "amount_cents": self.cents(amount) if found is missing else found,
                    "currency": self.currency(),
                    "won_on": on,
                    "description": summary,
                    "created_at": self.created_at,
                }
            kind, intent, minutes = self.touches.get((kind, intent, duration)) or self._touch(
                kind, intent, duration
            )
        except ValidationError:  # the long way says what is wrong
            return None
        return row, {
            "client": 0,
            "occurred_at": occurred_at,
            "day": on,
            "kind": kind,
            "intent": intent,
            "duration_min": minutes,
            "summary": summary,
            "follow_up_on": None,
            "follow_up_done": False,
            "created_at": self.created_at,
        }

    def currency(self) -> str:
        """The home currency, which a deal row is recorded in (`book.deal_row`)."""
        if self._currency is None:
            self._currency = book.currency_code(None)
        return self._currency

    def _kind(self, text: str) -> str:
        return _remember(self.kinds, text, _kind(text))

    def _touch(self, kind: str, intent: str | None, minutes: int | None) -> tuple:
        """A touch's kind, intent and minutes as `book.interaction_row` stores them; the
        intent of a row without one is chosen later (`_choose_intents`)."""
        checked, chosen, duration = book.touch_kind(kind, intent, minutes)
        unwon = book.default_intent(checked, date.max, None)
        stored = checked.value, (unwon if chosen is None else chosen).value, duration
        return _remember(self.touches, (kind, intent, minutes), stored)

    def _day(self, when: str, moment: datetime) -> tuple[datetime, date]:
        """The moment as stored and its day; ValidationError (any) for a day outside the
        dates Cockpit keeps or in the future, which the long way words."""
        if not FIRST_DAY <= moment.date() <= LAST_DAY:
            raise ValidationError("outside the dates kept")
        occurred_at = clock.to_utc(moment)
        day = clock.local_day(occurred_at)
        if not FIRST_DAY <= day <= self.newest:
            raise ValidationError("outside the dates kept, or to come")
        return _remember(self.days, when, (occurred_at, day))


def _remember(known: dict, key, value):
    """`known[key] = value`, within `_Known.LIMIT` keys; the value."""
    if len(known) >= _Known.LIMIT:
        known.clear()
    known[key] = value
    return value


def _validated(row: _Row, created_at: datetime | None = None) -> dict:
    """The row as it will be stored, its client still to be found."""
    return _Rows(created_at).of(row)


def import_history(
    path: Path,
    reader: csv.reader,
    header: list[str],
    report: ImportReport,
    writer: ImportWriter | None = None,
    *,
    lines: int = 0,
    progress: Callable[[float], None] | None = None,
) -> None:
    """Import the rows after the header; the caller holds the transaction, and `writer`
    writes (for the ledger). `progress(fraction)` hears how far it is, of `lines` lines.

    Every row is checked before any client is looked up or created, so a bad
    row never leaves an empty client behind.
    """
    writer = writer or ImportWriter(recorded=False)
    names = [name.strip().lower() for name in header]
    valid: list[tuple[_Row, dict]] = []
    reading = _Reading(names, writer.moment)
    for cells in reader:
        line = reader.line_num
        if progress is not None and line % 4096 == 0 and lines:
            progress(READ_SHARE * min(1.0, line / lines))
        joined = "".join(cells)
        if not joined.strip():
            continue
        if len(cells) > len(names):
            report.fail(line, f"{len(cells)} values for {len(names)} columns")
            continue
        try:
            valid.append(reading.row(line, cells, joined))
        except ValidationError as error:
            report.fail(line, error.message)
    if progress is not None:
        progress(READ_SHARE)
    clients = _Clients(report, writer)
    resolved: list[tuple[_Row, dict]] = []
    for row, new in valid:
        try:
            new["client"] = clients.resolve(row.name, row.company)
        except ValidationError as error:
            report.fail(row.line, error.message)
            continue
        resolved.append((row, new))
    del valid  # the rows of a large file take much memory: each list goes once done with
    days, moments, won = _stored_keys(set(clients.ids.values()) - clients.created)
    interactions, deals, unchosen = [], [], []
    touched: set[int] = set()
    for row, new in resolved:
        # A row is one already there (stored, or earlier in the file) when a touch has the
        # client, kind, note and day of one, or its exact moment (a row with a time zone is
        # still found after the user's time zone setting changed); a deal its day, amount
        # and note. A row of the file keeps only its day's key: the same moment is the same
        # day.
        if row.kind == DEAL:
            key = (new["client"], new["won_on"], new["amount_cents"], new["description"])
            if key in won:
                report.already_there += 1
                continue
            won.add(key)
            deals.append(new)
        else:
            same = (new["client"], new["kind"], new["summary"])
            day = (*same, new["day"])
            if day in days or (*same, new["occurred_at"]) in moments:
                report.already_there += 1
                continue
            days.add(day)
            interactions.append(new)
            if row.intent is None:
                unchosen.append(new)
        touched.add(new["client"])
    del resolved, days, moments, won
    clients.write_new(deals)
    _choose_intents(unchosen, deals)
    writing = None
    if progress is not None:
        progress(READ_SHARE)

        def writing(fraction: float) -> None:
            progress(READ_SHARE + (1 - READ_SHARE) * fraction)

    writer.add_history(interactions, deals, writing)
    if progress is not None:
        progress(1.0)
    notes = sum(1 for new in interactions if new["kind"] == Kind.NOTE.value)
    report.touches_added += len(interactions) - notes
    report.notes_added += notes
    report.deals_added += len(deals)
    report.clients_created += len(clients.created)
    report.created_without_deal += len(clients.created - {new["client"] for new in deals})
    report.clients_updated += len(touched - clients.created)
    report.clients_unchanged += len(set(clients.ids.values()) - touched - clients.created)


def _choose_intents(touches: list[dict], deals: list[dict]) -> None:
    """The intent of the touches whose row has none, by their client's won date, the
    deals of the file counted."""
    first_deal: dict[int, date] = {}
    for deal in deals:
        client_id = deal["client"]
        first_deal[client_id] = min(deal["won_on"], first_deal.get(client_id, deal["won_on"]))
    won_on = book.won_dates({touch["client"] for touch in touches}, first_deal)
    for touch in touches:
        kind, day = touch["kind"], touch["day"]
        touch["intent"] = book.default_intent(kind, day, won_on.get(touch["client"])).value
