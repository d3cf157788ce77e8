"""The history export: every interaction and won deal in the interchange CSV.

    client,company,date,kind,intent,duration_min,amount,note

It is the format `cockpit import` reads (see `cockpit.importers.history_csv`),
and importing the file gives the same touches and deals: a touch's date is its
exact moment in local time with the UTC offset, so it lands on the same moment
and day; a deal's date is the day it was won. Archived clients are included.

What the format cannot carry is reported, not hidden: a deal's currency (an
import records it in the home currency), follow-up dates, and touches that
repeat another of the same client, day, kind and note (an import keeps one).
Touches and deals dated outside the range Cockpit keeps (`cockpit.date_limits`,
stored before it checked) are left out, as an import would refuse them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC

from cockpit import clock
from cockpit.config import settings
from cockpit.date_limits import KEPT_DATES, is_kept, stored_day, stored_moment
from cockpit.importers.history_csv import COLUMNS, DEAL
from cockpit.storage import book, export_rows
from cockpit.vocabulary import Kind


@dataclass
class HistoryExport:
    data: bytes = b""
    touches: int = 0
    notes: int = 0
    deals: int = 0
    other_currencies: dict[str, int] = field(default_factory=dict)  # code -> deals
    follow_ups: int = 0  # open follow-up dates the format has no column for
    repeats: int = 0  # rows an import would take for one already read
    namesakes: int = 0  # clients with the same name and company as another
    outside_dates: int = 0  # touches and deals dated outside the range Cockpit keeps

    def warnings(self) -> list[str]:
        found = []
        if self.other_currencies:
            listed = ", ".join(
                f"{count} in {code}" for code, count in sorted(self.other_currencies.items())
            )
            found.append(
                f"deals not in {settings().currency} ({listed}): the file has no currency "
                f"column, so importing it records them in the home currency"
            )
        if self.follow_ups:
            found.append(
                f"{self.follow_ups} open follow-up dates are not in the file (no column for them)"
            )
        if self.repeats:
            found.append(
                f"{self.repeats} rows repeat another of the same client, day, kind and note "
                "(for a deal, amount and note); importing the file keeps one of each"
            )
        if self.namesakes:
            found.append(
                f"{self.namesakes} clients have the same name and company as another; "
                "the file cannot tell them apart"
            )
        if self.outside_dates:
            found.append(
                f"{self.outside_dates} touches, notes and deals are not in the file: their date "
                f"is outside the dates Cockpit keeps ({KEPT_DATES})"
            )
        return found


def _moment(stored_utc) -> str | None:
    """A stored (naive UTC) moment as local time with its offset: exact, and readable;
    None when it is outside the dates Cockpit keeps."""
    moment = stored_moment(stored_utc)
    if moment is None:
        return None
    local = moment.replace(tzinfo=UTC).astimezone(clock.local_timezone())
    return local.isoformat() if is_kept(local) else None


def export_history() -> HistoryExport:
    """Every interaction and deal of the open book, as the bytes of an interchange CSV."""
    export = HistoryExport()
    clients = export_rows.client_names()
    rows: list[tuple[tuple, list[str]]] = []
    seen: set[tuple] = set()
    home = settings().currency
    for touch in export_rows.history_touches():
        fields = touch.fields
        name, company = clients[touch.client_id]
        when = _moment(fields.when)
        if when is None or stored_day(touch.day) is None:
            export.outside_dates += 1
            continue
        key = (touch.client_id, book.as_date(touch.day), fields.kind, fields.summary)
        export.repeats += key in seen
        seen.add(key)
        export.follow_ups += fields.follow_up_on is not None and not touch.follow_up_done
        if fields.kind == Kind.NOTE.value:
            export.notes += 1
        else:
            export.touches += 1
        order = (touch.client_id, when[:10], str(fields.when), 0, touch.id)
        cells = [name, company, when, fields.kind, fields.intent, str(fields.duration_min)]
        rows.append((order, [*cells, "", fields.summary]))
    for deal in export_rows.history_deals():
        name, company = clients[deal.client_id]
        won = stored_day(deal.won_on)
        if won is None:
            export.outside_dates += 1
            continue
        day = won.isoformat()
        if deal.currency != home:
            count = export.other_currencies.get(deal.currency, 0)
            export.other_currencies[deal.currency] = count + 1
        export.deals += 1
        cents = deal.amount_cents
        key = (deal.client_id, won, DEAL, cents, deal.description)
        export.repeats += key in seen
        seen.add(key)
        amount = f"{cents // 100}.{cents % 100:02d}"
        order = (deal.client_id, day, day, 1, deal.id)
        rows.append((order, [name, company, day, DEAL, "", "", amount, deal.description]))
    names = {
        client_id: (book.match_key(name), book.match_key(company))
        for client_id, (name, company) in clients.items()
    }
    written = {order[0] for order, _ in rows}
    export.namesakes = len(written) - len({names[client_id] for client_id in written})
    rows.sort(key=lambda row: (names[row[0][0]], *row[0]))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(cells for _, cells in rows)
    export.data = buffer.getvalue().encode("utf-8")
    return export
