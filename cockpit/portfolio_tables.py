"""The portfolio as tables of words and numbers: what `cockpit portfolio` prints, what the
portfolio screen shows instead of a chart (for screen readers, and to copy), and what
`cockpit export portfolio` writes as CSV. Each chart of the screen has its table here."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.capacity import SOURCES
from cockpit.capacity import hours as capacity_hours
from cockpit.portfolio import TIERS, Portfolio
from cockpit.text import cell_width
from cockpit.validation import money


@dataclass(frozen=True)
class Table:
    key: str  # its name in --json and in the export's file names
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    numbers: list[tuple[object, ...]]  # the same rows as numbers (minutes, cents), for JSON/CSV
    units: tuple[str, ...] = ()  # of each column of `numbers`: "minutes", "cents" or ""

    def text(self) -> str:
        """The table in columns, numbers to the right."""
        cells = [self.headers, *self.rows]
        widths = [max(cell_width(row[i]) for row in cells) for i in range(len(self.headers))]
        lines = []
        for row in cells:
            parts = [
                cell + " " * (width - cell_width(cell))
                if i == 0
                else " " * (width - cell_width(cell)) + cell
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("  ".join(parts).rstrip())
        return "\n".join([self.title, *lines])


def hours(minutes: int) -> str:
    return f"{minutes / 60:.1f} h"


def time_and_revenue(portfolio: Portfolio) -> Table:
    currency = portfolio.currency
    headers = (
        "month",
        *(f"time {tier}" for tier in TIERS),
        *(f"revenue {tier}" for tier in TIERS),
    )
    rows, numbers = [], []
    for month in portfolio.months:
        rows.append(
            (
                month.label,
                *(hours(month.minutes[tier]) for tier in TIERS),
                *(money(month.revenue_cents[tier], currency) for tier in TIERS),
            )
        )
        numbers.append(
            (
                month.start.isoformat(),
                *(month.minutes[tier] for tier in TIERS),
                *(month.revenue_cents[tier] for tier in TIERS),
            )
        )
    return Table(
        "time_and_revenue",
        "Time spent and revenue won each month, by tier",
        headers,
        rows,
        numbers,
        ("", *("minutes",) * len(TIERS), *("cents",) * len(TIERS)),
    )


def time_sinks(portfolio: Portfolio) -> Table:
    rows, numbers = [], []
    for sink in portfolio.sinks:
        who = sink.name + (f" ({sink.company})" if sink.company else "")
        mark = "peripheral" if sink.tier == "peripheral" else sink.tier
        rows.append((who, hours(sink.minutes), money(sink.revenue_cents, portfolio.currency), mark))
        numbers.append((sink.name, sink.minutes, sink.revenue_cents, sink.tier))
    return Table(
        "time_sinks",
        f"The {len(portfolio.sinks)} clients who took the most time, against their revenue",
        ("client", "time", "revenue", "tier"),
        rows,
        numbers,
        ("", "minutes", "cents", ""),
    )


def gives_and_asks(portfolio: Portfolio) -> Table:
    rows = [(m.label, str(m.gives), str(m.asks)) for m in portfolio.months]
    numbers = [(m.start.isoformat(), m.gives, m.asks) for m in portfolio.months]
    return Table(
        "gives_and_asks", "Gives and asks each month", ("month", "gives", "asks"), rows, numbers
    )


def touches_per_week(portfolio: Portfolio) -> Table:
    rows = [(f"{monday:%d %b %Y}", str(count)) for monday, count in portfolio.weeks]
    numbers = [(monday.isoformat(), count) for monday, count in portfolio.weeks]
    return Table(
        "touches_per_week",
        "Touches each week (weeks from Monday)",
        ("week of", "touches"),
        rows,
        numbers,
    )


def drifting(portfolio: Portfolio) -> Table:
    last = portfolio.months[-1].start if portfolio.months else None
    rows = [
        (
            m.label + (" (today)" if m.start == last else ""),
            "…" if m.drifting is None else str(m.drifting),
        )
        for m in portfolio.months
    ]
    numbers = [(m.start.isoformat(), m.drifting) for m in portfolio.months]
    return Table(
        "drifting",
        "Clients drifting at each month's end",
        ("month", "drifting"),
        rows,
        numbers,
    )


def weekly_needs(portfolio: Portfolio) -> Table | None:
    """What the plans need each week by tier and source (None before it is worked out)."""
    found = portfolio.demand
    if found is None:
        return None
    headers = ("tier", "cadences", "planned communications", "plan actions", "all")
    rows, numbers = [], []
    for tier in TIERS:
        each = found.by_tier[tier]
        rows.append((tier, *(week_hours(minutes) for minutes in each), week_hours(sum(each))))
        numbers.append((tier, *(round(minutes, 1) for minutes in each), round(sum(each), 1)))
    totals = [found.source_minutes(source) for source in SOURCES]
    rows.append(("all", *(week_hours(minutes) for minutes in totals), week_hours(found.minutes)))
    numbers.append(("all", *(round(minutes, 1) for minutes in totals), round(found.minutes, 1)))
    said = portfolio.capacity_hours
    title = "What your plans need each week, by tier"
    if said is not None:
        title += f"; you said {capacity_hours(said * 60)}"
    units = ("", *("minutes",) * (len(headers) - 1))
    return Table("weekly_needs", title, headers, rows, numbers, units)


def week_hours(minutes: float) -> str:
    return f"{minutes / 60:.1f} h"


def all_tables(portfolio: Portfolio) -> list[Table]:
    needs = weekly_needs(portfolio)
    return [
        *([needs] if needs is not None else []),
        time_and_revenue(portfolio),
        time_sinks(portfolio),
        gives_and_asks(portfolio),
        touches_per_week(portfolio),
        drifting(portfolio),
    ]
