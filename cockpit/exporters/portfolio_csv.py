"""The portfolio's tables as one CSV file for a spreadsheet (`cockpit export portfolio`):
each table under a line with its title, its header, its rows, then an empty line. Numbers
are numbers a spreadsheet sums: time in hours, money in the home currency (two decimals),
days as YYYY-MM-DD. A cell a spreadsheet would take for a formula (a name beginning with
=, +, - or @) starts with an apostrophe, which spreadsheets show as nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from cockpit.portfolio import Portfolio, portfolio
from cockpit.portfolio_tables import Table, all_tables
from cockpit.text import counted

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class PortfolioExport:
    data: bytes = b""
    tables: int = 0
    months: int = 0

    def warnings(self) -> list[str]:
        return []

    @property
    def done(self) -> str:
        return f"{counted(self.tables, 'portfolio table')} over {counted(self.months, 'month')}"


def export_portfolio(today: date, reps: list[str] | None, months: int = 12) -> PortfolioExport:
    """The portfolio of the `months` calendar months up to `today`, of the clients of
    `reps` (None: the whole book), its drifting history included."""
    found = portfolio(today, months, reps)
    return PortfolioExport(as_csv(found).encode("utf-8"), len(all_tables(found)), months)


def as_csv(found: Portfolio) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for table in all_tables(found):
        writer.writerow([_safe(table.title)])
        writer.writerow([_header(table, at, found.currency) for at in range(len(table.headers))])
        for row in table.numbers:
            writer.writerow([_cell(value, _unit(table, at)) for at, value in enumerate(row)])
        writer.writerow([])
    return buffer.getvalue()


def _unit(table: Table, at: int) -> str:
    return table.units[at] if at < len(table.units) else ""


def _header(table: Table, at: int, currency: str) -> str:
    unit = _unit(table, at)
    suffix = {"minutes": " (hours)", "cents": f" ({currency})"}.get(unit, "")
    return _safe(table.headers[at] + suffix)


def _cell(value: object, unit: str) -> str:
    if value is None:
        return ""
    if unit == "minutes":
        return f"{float(value) / 60:.2f}"
    if unit == "cents":
        cents = int(value)
        sign = "-" if cents < 0 else ""
        return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return _safe(str(value))


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text
