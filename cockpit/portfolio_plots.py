"""The portfolio's charts as drawings on Plotext's API (`draw(plt)`), shared by the portfolio
screen (textual-plotext's widget) and `cockpit portfolio` in a wide terminal (Plotext's own
text): time and revenue each month by tier, what the plans need each week, the top time
sinks against their revenue, gives and asks, touches each week, and the drifting clients at
each month's end. Plain functions: no Textual here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cockpit.capacity import SOURCE_TITLES, SOURCES
from cockpit.portfolio import TIERS, Portfolio
from cockpit.text import printable, shorten


@dataclass(frozen=True)
class Drawing:
    name: str
    draw: Callable[[object], None]
    tall: bool = False  # the time sinks: 10 clients, two bars each


def _thousands(cents: int) -> float:
    return round(cents / 100_000, 1)


def drawings(portfolio: Portfolio) -> list[Drawing]:
    months = [month.start.strftime("%b %y") for month in portfolio.months]
    currency = portfolio.currency

    def time_by_tier(plt) -> None:
        hours = [[round(m.minutes[tier] / 60, 1) for m in portfolio.months] for tier in TIERS]
        plt.multiple_bar(months, hours, labels=list(TIERS))
        plt.title("Time spent each month, by tier (hours)")

    def revenue_by_tier(plt) -> None:
        won = [[_thousands(m.revenue_cents[tier]) for m in portfolio.months] for tier in TIERS]
        plt.multiple_bar(months, won, labels=list(TIERS))
        plt.title(f"Revenue won each month, by tier (thousands, {currency})")

    def time_sinks(plt) -> None:
        sinks = list(reversed(portfolio.sinks))  # Plotext draws horizontal bars bottom up
        total_minutes = sum(m.total_minutes for m in portfolio.months) or 1
        total_revenue = sum(m.total_revenue_cents for m in portfolio.months) or 1
        names = [
            printable(shorten(s.name, 18)) + (" *" if s.tier == "peripheral" else "") for s in sinks
        ]
        plt.multiple_bar(
            names,
            [
                [round(100 * s.minutes / total_minutes, 1) for s in sinks],
                [round(100 * s.revenue_cents / total_revenue, 1) for s in sinks],
            ],
            labels=["% of your time", "% of revenue"],
            orientation="horizontal",
            width=0.6,
        )
        plt.title("The top time sinks against their revenue (* peripheral)")

    def gives_and_asks(plt) -> None:
        plt.multiple_bar(
            months,
            [[m.gives for m in portfolio.months], [m.asks for m in portfolio.months]],
            labels=["gives", "asks"],
        )
        plt.title("Gives and asks each month")

    def touches_per_week(plt) -> None:
        counts = [count for _, count in portfolio.weeks]
        plt.plot(list(range(1, len(counts) + 1)), counts, marker="braille")
        every = max(1, len(counts) // 8)
        ticks = list(range(1, len(counts) + 1, every))
        plt.xticks(ticks, [portfolio.weeks[i - 1][0].strftime("%d %b") for i in ticks])
        plt.title("Touches each week")

    def drifting(plt) -> None:
        if any(m.drifting is None for m in portfolio.months):
            plt.title("Clients drifting at each month's end: working out the history…")
            return
        plt.bar(months, [m.drifting for m in portfolio.months])
        plt.title("Clients drifting at each month's end")

    def weekly_needs(plt) -> None:
        found = portfolio.demand
        if found is None:
            return
        series = [
            [round(found.by_tier[tier][at] / 60, 1) for tier in TIERS] for at in range(len(SOURCES))
        ]
        plt.multiple_bar(list(TIERS), series, labels=[SOURCE_TITLES[s] for s in SOURCES])
        said = portfolio.capacity_hours
        against = f"; you said {said:g} h" if said is not None else ""
        plt.title(f"What your plans need each week, by tier (hours{against})")

    return [
        *([Drawing("needs", weekly_needs)] if portfolio.demand is not None else []),
        Drawing("time", time_by_tier),
        Drawing("revenue", revenue_by_tier),
        Drawing("sinks", time_sinks, tall=True),
        Drawing("gives", gives_and_asks),
        Drawing("weeks", touches_per_week),
        Drawing("drifting", drifting),
    ]
