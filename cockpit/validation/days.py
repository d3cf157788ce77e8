"""Days and counts of days as the book keeps them."""

from __future__ import annotations

from datetime import date

from cockpit.date_limits import check_day
from cockpit.errors import ValidationError


def kept_days(*days: date | None) -> None:
    """Refuse a day (or moment) outside the dates Cockpit keeps; None is no day."""
    for day in days:
        if day is not None:
            check_day(day)


def positive_days(value: int | None, what: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValidationError(f"{what} must be a whole number of days above zero")
    return value


def as_date(value: date | str | None) -> date | None:
    """A day as a raw query returns it: a date (PostgreSQL) or ISO text (SQLite)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
