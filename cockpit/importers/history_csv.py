"""The interchange history CSV: touches and won deals, one per row.

    client,company,date,kind,intent,duration_min,amount,note

`date` is ISO (a date, or a date and time; without a time zone it is local
time); `kind` is an interaction kind, or `deal` for a won deal with `amount`;
`intent` is `sales` or `relationship` (else the kind's default); the other
columns are optional. Rows of the same client and company belong to one
client, created on first sight. A row identical to a stored one (same client,
day, kind and note; for a deal also the amount) is not added again, so
importing a file twice adds nothing the second time.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from cockpit.errors import ValidationError
from cockpit.importers.report import ImportReport
from cockpit.storage import book
from cockpit.storage.models import Client, Deal, Interaction
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
            return datetime.combine(date.fromisoformat(value), DATE_ONLY_TIME)
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            f"date {text!r} is not an ISO date such as 2026-03-01 or 2026-03-01T14:30"
        ) from None


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
    if not value.isdigit():
        raise ValidationError(f"duration_min {text!r} is not a whole number of minutes")
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
        matches = list(
            Client.select(Client.id)
            .where((Client.name_key == key[0]) & (Client.company_key == key[1]))
            .limit(2)
        )
        if len(matches) > 1:
            where = f" at {company}" if company else ""
            raise ValidationError(
                f"more than one client is named {name}{where}; the import cannot tell which"
            )
        if matches:
            client_id = matches[0].id
        else:
            client_id = book.add_client(name, company).id
            self.created.add(client_id)
        self.ids[key] = client_id
        return client_id


def _stored_keys(client_ids: set[int]) -> tuple[set[tuple], set[tuple]]:
    """What is already in the book for these clients, in the form rows are compared."""
    touches: set[tuple] = set()
    deals: set[tuple] = set()
    ids = list(client_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = Interaction.select(
            Interaction.client, Interaction.day, Interaction.kind, Interaction.summary
        ).where(Interaction.client.in_(chunk))
        touches.update(
            (c, d if isinstance(d, date) else date.fromisoformat(d), k, s)
            for c, d, k, s in query.tuples()
        )
        query = Deal.select(Deal.client, Deal.won_on, Deal.amount_cents, Deal.description).where(
            Deal.client.in_(chunk)
        )
        deals.update(
            (c, d if isinstance(d, date) else date.fromisoformat(d), a, s)
            for c, d, a, s in query.tuples()
        )
    return touches, deals


def import_history(path: Path, reader: csv.reader, header: list[str], report: ImportReport) -> None:
    """Import the rows after the header; the caller holds the transaction."""
    names = [name.strip().lower() for name in header]
    parsed: list[_Row] = []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(names):
            report.fail(line, f"{len(cells)} values for {len(names)} columns")
            continue
        try:
            parsed.append(_parse(line, dict(zip(names, cells, strict=False))))
        except ValidationError as error:
            report.fail(line, error.message)
    clients = _Clients(report)
    resolved: list[tuple[_Row, int]] = []
    for row in parsed:
        try:
            resolved.append((row, clients.resolve(row.name, row.company)))
        except ValidationError as error:
            report.fail(row.line, error.message)
    stored_touches, stored_deals = _stored_keys(set(clients.ids.values()) - clients.created)
    interactions, deals = [], []
    touched: set[int] = set()
    for row, client_id in resolved:
        try:
            if row.kind == DEAL:
                new = book.deal_row(
                    client_id, row.amount, won_on=row.moment.date(), description=row.note
                )
                key = (client_id, new["won_on"], new["amount_cents"], new["description"])
                seen, batch = stored_deals, deals
            else:
                new = book.interaction_row(
                    client_id,
                    row.kind,
                    when=row.moment,
                    summary=row.note,
                    intent=row.intent,
                    duration_min=row.duration_min,
                )
                key = (client_id, new["day"], new["kind"], new["summary"])
                seen, batch = stored_touches, interactions
        except ValidationError as error:
            report.fail(row.line, error.message)
            continue
        if key in seen:
            report.already_there += 1
            continue
        seen.add(key)
        batch.append(new)
        touched.add(client_id)
    book.insert_many(interactions, deals)
    report.touches_added += len(interactions)
    report.deals_added += len(deals)
    report.clients_created += len(clients.created)
    report.clients_updated += len(touched - clients.created)
    report.clients_unchanged += len(set(clients.ids.values()) - touched - clients.created)
