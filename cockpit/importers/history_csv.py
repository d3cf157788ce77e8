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
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from cockpit import clock
from cockpit.errors import ValidationError
from cockpit.importers.report import ImportReport
from cockpit.storage import book, import_matching
from cockpit.vocabulary import Kind

COLUMNS = ("client", "company", "date", "kind", "intent", "duration_min", "amount", "note")
REQUIRED = ("client", "date", "kind")
DEAL = "deal"
# A touch known only by its day is put at noon, so its day is the same in any time zone
# within twelve hours of the user's.
DATE_ONLY_TIME = time(12, 0)


def is_history_header(header: list[str]) -> bool:
    names = {name.strip().lower() for name in header}
    return set(REQUIRED) <= names and names <= set(COLUMNS)


@dataclass(frozen=True)
class _Row:
    line: int
    name: str
    company: str
    moment: datetime
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
    try:  # as storing it will: in UTC, then its day in the user's time zone
        clock.local_day(clock.to_utc(moment))
    except OverflowError:
        raise ValidationError(f"date {text!r} is beyond the calendar in UTC") from None
    return moment


def _kind(text: str) -> str:
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


def _parse(line: int, cells: dict[str, str]) -> _Row:
    for column, value in cells.items():
        if any("\udc80" <= char <= "\udcff" for char in value):
            raise ValidationError(f"{column} is not valid UTF-8 text")
    kind = _kind(cells.get("kind", ""))
    amount = cells.get("amount", "").strip()
    if kind == DEAL and not amount:
        raise ValidationError("a deal row needs an amount")
    if kind != DEAL and amount:
        raise ValidationError("only deal rows have an amount")
    intent = cells.get("intent", "").strip().lower() or None
    return _Row(
        line=line,
        name=book.clean_line(cells.get("client", ""), "client", required=True),
        company=book.clean_line(cells.get("company", ""), "company"),
        moment=_moment(cells.get("date", "")),
        kind=kind,
        intent=intent,
        duration_min=_duration(cells.get("duration_min", "")),
        amount=amount,
        note=cells.get("note", ""),
    )


class _Clients:
    """Finds the client of each row by name and company, creating it on first sight."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.ids: dict[tuple[str, str], int] = {}
        self.created: set[int] = set()

    def resolve(self, name: str, company: str) -> int:
        key = (book.match_key(name), book.match_key(company))
        if key in self.ids:
            return self.ids[key]
        matches = import_matching.clients_with_keys(*key, limit=2)
        if len(matches) > 1:
            where = f" at {company}" if company else ""
            raise ValidationError(
                f"more than one client is named {name}{where}; the import cannot tell which"
            )
        if matches:
            client_id = matches[0]
        else:
            client_id = book.add_client(name, company).id
            self.created.add(client_id)
        self.ids[key] = client_id
        return client_id


def _stored_keys(client_ids: set[int]) -> set[tuple]:
    """What is already in the book for these clients, in the form of `_keys`."""
    keys: set[tuple] = set()
    for client, kind, summary, day, moment in import_matching.stored_touches(client_ids):
        keys.add(("day", client, kind, summary, day))
        keys.add(("moment", client, kind, summary, moment))
    for client, won_on, cents, description in import_matching.stored_deals(client_ids):
        keys.add(("deal", client, won_on, cents, description))
    return keys


def _validated(row: _Row) -> dict:
    """The row as it will be stored, its client still to be found."""
    if row.kind == DEAL:
        won_on = clock.local_day(clock.to_utc(row.moment))
        return book.deal_row(0, row.amount, won_on=won_on, description=row.note)
    return book.interaction_row(
        0,
        row.kind,
        when=row.moment,
        summary=row.note,
        intent=row.intent,
        duration_min=row.duration_min,
    )


def import_history(path: Path, reader: csv.reader, header: list[str], report: ImportReport) -> None:
    """Import the rows after the header; the caller holds the transaction.

    Every row is checked before any client is looked up or created, so a bad
    row never leaves an empty client behind.
    """
    names = [name.strip().lower() for name in header]
    valid: list[tuple[_Row, dict]] = []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(names):
            report.fail(line, f"{len(cells)} values for {len(names)} columns")
            continue
        try:
            row = _parse(line, dict(zip(names, cells, strict=False)))
            valid.append((row, _validated(row)))
        except ValidationError as error:
            report.fail(line, error.message)
    clients = _Clients(report)
    resolved: list[tuple[_Row, dict]] = []
    for row, new in valid:
        try:
            new["client"] = clients.resolve(row.name, row.company)
        except ValidationError as error:
            report.fail(row.line, error.message)
            continue
        resolved.append((row, new))
    stored = _stored_keys(set(clients.ids.values()) - clients.created)
    interactions, deals, unchosen = [], [], []
    touched: set[int] = set()
    for row, new in resolved:
        keys = _keys(row.kind, new)
        if any(key in stored for key in keys):
            report.already_there += 1
            continue
        stored.update(keys)
        (deals if row.kind == DEAL else interactions).append(new)
        touched.add(new["client"])
        if row.kind != DEAL and row.intent is None:
            unchosen.append(new)
    _choose_intents(unchosen, deals)
    book.insert_many(interactions, deals)
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


def _keys(kind: str, new: dict) -> tuple[tuple, ...]:
    """What makes a row the same as one already stored.

    A touch matches on its day, or on its exact moment (so a row with a time
    zone is still found after the user's time zone setting changed).
    """
    if kind == DEAL:
        return (("deal", new["client"], new["won_on"], new["amount_cents"], new["description"]),)
    same = (new["client"], new["kind"], new["summary"])
    return (("day", *same, new["day"]), ("moment", *same, new["occurred_at"]))
