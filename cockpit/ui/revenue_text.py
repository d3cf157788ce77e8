"""A client's revenue as the list and the profile pane write it: the won deals of the
trailing window (the health engine's `window_days`) in the home currency, written as the
timeline writes a deal ("$12,400", "12,400 CHF")."""

from __future__ import annotations

import re

from cockpit.config import settings
from cockpit.validation.amounts import money

LAST_THOUSAND = re.compile(r",000(?!,)")  # "$12,346,000": the group that becomes "k"


def revenue_cell(cents: int, width: int) -> str:
    """The list's cell: whole units, right-aligned in `width`; in thousands ("$12,346k")
    when whole units do not fit; empty for no revenue."""
    if cents <= 0:
        return ""
    currency = settings().currency
    text = money((cents + 50) // 100 * 100, currency)
    if len(text) > width:
        text = LAST_THOUSAND.sub("k", money((cents + 50_000) // 100_000 * 100_000, currency), 1)
    return text.rjust(width)


def window_words(days: int) -> str:
    """The trailing window in words: "the last 12 months" (365 days), "the last 90 days"."""
    return "the last 12 months" if days == 365 else f"the last {days} days"


def revenue_line(cents: int, window_days: int, deals: int | None) -> str:
    """The profile pane's line: "$12,400 in the last 12 months · 3 deals" (the deals'
    count left out when unknown)."""
    amount = money(cents, settings().currency) if cents > 0 else "none"
    line = f"{amount} in {window_words(window_days)}"
    if deals:
        line += f" · {deals} deal" + ("s" if deals != 1 else "")
    return line
