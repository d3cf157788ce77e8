"""Dates as people say them."""

from __future__ import annotations

from datetime import date


def ago(day: date | None, today: date) -> str:
    """How long ago a day was, in words: "today", "yesterday", "3 weeks ago"."""
    if day is None:
        return "never"
    delta = (today - day).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if delta == -1:
        return "tomorrow"
    import arrow

    return arrow.get(day).humanize(arrow.get(today))
