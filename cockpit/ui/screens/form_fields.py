"""Reading what was typed into a form: every value checked, with a message naming the field."""

from __future__ import annotations

from datetime import date

from cockpit.date_limits import OutsideKeptDates, check_day
from cockpit.errors import ValidationError


def optional_date(text: str, label: str) -> date | None:
    value = text.strip()
    if not value:
        return None
    try:
        return check_day(date.fromisoformat(value))
    except ValueError:
        raise ValidationError(f"{label}: {value!r} is not a date; use YYYY-MM-DD") from None
    except OutsideKeptDates as error:
        raise ValidationError(f"{label}: {error.message}") from None


def optional_days(text: str, label: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) <= 0:
        raise ValidationError(f"{label}: a whole number of days, such as 30")
    return int(value)


def listed(text: str) -> list[str]:
    """Comma-separated values, blanks dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]
