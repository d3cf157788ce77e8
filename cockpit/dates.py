"""Dates as people say them."""

from __future__ import annotations

from datetime import date


def _span(days: int) -> str:
    """A number of days in words, never rounded down by much: "13 days", not "a week"."""
    if days < 14:
        return "1 day" if days == 1 else f"{days} days"
    if days < 60:
        return f"{round(days / 7)} weeks"
    if days < 365:
        months = round(days / 30.44)
        return "a year" if months >= 12 else f"{months} months"
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


def day_seen_from(day: date, today: date) -> str:
    """`short_day`, with the year when it is not this year's: "Fri 31 Dec 2027"."""
    return short_day(day) + ("" if day.year == today.year else f" {day.year}")
