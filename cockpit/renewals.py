"""When a contract renews: a deal's renewal day, and every term after it."""

from __future__ import annotations

import calendar
from datetime import date


def months_later(day: date, months: int) -> date:
    """The same day of the month `months` later (the month's last day where it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_renewal(
    won_on: date, renews_on: date | None, term_months: int | None, as_of: date
) -> date | None:
    """The first renewal on or after `as_of`: `renews_on`, then every `term_months` after
    it; with a term alone, every term from the day the deal was won. None when the deal
    does not renew, or renewed for the last time before `as_of` (a renewal day without a
    term is once)."""
    if renews_on is not None:
        if renews_on >= as_of:
            return renews_on
        if term_months is None:
            return None
        anchor, first = renews_on, 1
    elif term_months is None:
        return None
    else:
        anchor, first = won_on, 1
    # Whole terms from the anchor, each counted from it (no drift at the ends of months).
    passed = (as_of.year - anchor.year) * 12 + as_of.month - anchor.month
    steps = max(passed // term_months, first)
    day = months_later(anchor, steps * term_months)
    while day < as_of:
        steps += 1
        day = months_later(anchor, steps * term_months)
    return day
