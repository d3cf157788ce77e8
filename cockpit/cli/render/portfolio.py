"""What `cockpit portfolio` prints: the headline, then each table."""

from __future__ import annotations

import json

from cockpit.capacity import SOURCES
from cockpit.portfolio import TIERS, Portfolio
from cockpit.portfolio_tables import all_tables
from cockpit.text import json_printable, printable


def as_text(portfolio: Portfolio) -> str:
    first, last = portfolio.months[0], portfolio.months[-1]
    lines = [
        f"Portfolio, {first.label} to {last.label} (to {portfolio.as_of:%a %d %b})",
        portfolio.headline + ".",
        *([portfolio.capacity_line] if portfolio.capacity_line else []),
    ]
    for table in all_tables(portfolio):
        lines += ["", table.text()]
    return "\n".join(printable(line, multiline=True) for line in lines)


CHART_HEIGHT = 16
TALL_CHART_HEIGHT = 32
NARROWEST_CHARTS = 80  # columns: below, the tables alone


def charts_text(portfolio: Portfolio, width: int, *, colour: bool) -> str:
    """The portfolio's charts as Plotext draws them in a terminal `width` columns wide."""
    import plotext

    from cockpit.portfolio_plots import drawings

    drawn = []
    for each in drawings(portfolio):
        plotext.clear_figure()
        plotext.theme("clear")
        plotext.plotsize(width, TALL_CHART_HEIGHT if each.tall else CHART_HEIGHT)
        each.draw(plotext)
        built = plotext.build()
        drawn.append((built if colour else plotext.uncolorize(built)).rstrip("\n"))
    plotext.clear_figure()
    return "\n\n".join(drawn)


def as_json(portfolio: Portfolio) -> str:
    document = {
        "as_of": portfolio.as_of.isoformat(),
        "currency": portfolio.currency,
        "headline": [
            {
                "who": s.who,
                "revenue_share": round(s.revenue_share, 4),
                "time_share": round(s.time_share, 4),
            }
            for s in portfolio.shares
        ],
        "capacity": _capacity(portfolio),
        "months": [
            {
                "month": m.start.strftime("%Y-%m"),
                "minutes": m.minutes,
                "revenue_cents": m.revenue_cents,
                "gives": m.gives,
                "asks": m.asks,
                "drifting": m.drifting,
            }
            for m in portfolio.months
        ],
        "time_sinks": [
            {
                "id": s.client_id,
                "client": s.name,
                "company": s.company,
                "tier": s.tier,
                "minutes": s.minutes,
                "revenue_cents": s.revenue_cents,
            }
            for s in portfolio.sinks
        ],
        "touches_per_week": [
            {"week_of": monday.isoformat(), "touches": count} for monday, count in portfolio.weeks
        ],
    }
    return json_printable(json.dumps(document, ensure_ascii=False, indent=2))


def _capacity(portfolio: Portfolio) -> dict | None:
    found = portfolio.demand
    if found is None:
        return None
    return {
        "hours_per_week": portfolio.capacity_hours,
        "needed_minutes_per_week": round(found.minutes, 1),
        "over": found.over(portfolio.capacity_hours),
        "by_tier": {
            tier: {source: round(found.by_tier[tier][at], 1) for at, source in enumerate(SOURCES)}
            for tier in TIERS
        },
        "said": portfolio.capacity_line,
    }
