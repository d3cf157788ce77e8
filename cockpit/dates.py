"""Dates as people say them."""

from __future__ import annotations

from datetime import date


def _span(days: int) -> str:
    if days < 7:
        return f"{days} days"
    if days < 30:
        weeks = days // 7
        return "a week" if weeks == 1 else f"{weeks} weeks"
    if days < 365:
        months = max(1, round(days / 30.44))
        if months >= 12:
            return "a year"
        return "a month" if months == 1 else f"{months} months"
    years = round(days / 365.25)
    return "a year" if years == 1 else f"{years} years"


def ago(day: date | None, today: date) -> str:
    """How long ago a day was, in words: "today", "yesterday", "3 weeks ago", "in 2 days"."""
    if day is None:
        return "never"
    delta = (today - day).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if delta == -1:
        return "tomorrow"
    if delta < 0:
        return f"in {_span(-delta)}"
    return f"{_span(delta)} ago"


def short_day(day: date) -> str:
    """A day as the review and the panes name it: "Fri 27 Nov"."""
    return f"{day:%a} {day.day} {day:%b}"
