"""The dates Cockpit keeps: one range for every date a user can enter.

Touches, follow-ups, deals, plans, reviews and the profile's birthdays and
anniversaries all fall between 1 January 1900 and 31 December 2200: older than
anyone a rep talks to, and further ahead than any plan. The edges of Python's
calendar (years 1 and 9999) are kept out because a day or a time zone added to
them falls off it (the calendar export adds a day to every event).

Books written before this check may hold days outside the range: readers use
`stored_day` and `stored_moment`, which give None for them rather than fail.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from cockpit.errors import ValidationError
from cockpit.partial_date import PartialDate

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)
KEPT_DATES = f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
# A stored moment is UTC: a local day in the range may be a day off in UTC.
_UTC_SLACK = timedelta(days=1)


class OutsideKeptDates(ValidationError):
    """A date before FIRST_DAY or after LAST_DAY."""


def is_kept(day: date) -> bool:
    """Whether a day (or a moment's day) lies within the dates Cockpit keeps."""
    return FIRST_DAY <= _day_of(day) <= LAST_DAY


def _day_of(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def check_day(day: date) -> date:
    """The day (or moment) itself; OutsideKeptDates when it is outside the range."""
    if not is_kept(day):
        raise OutsideKeptDates(
            f"{_day_of(day).isoformat()} is outside the dates Cockpit keeps ({KEPT_DATES})"
        )
    return day


def check_stored_moment(moment: datetime) -> datetime:
    """A stored (naive UTC) moment whose local day can be within the range."""
    if not FIRST_DAY - _UTC_SLACK <= moment.date() <= LAST_DAY + _UTC_SLACK:
        raise OutsideKeptDates(
            f"{moment.isoformat(sep=' ')} is outside the dates Cockpit keeps ({KEPT_DATES})"
        )
    return moment


def check_past_date(when: PartialDate, today: date) -> PartialDate:
    """A birthday or an anniversary: with its year, within the range and not after today;
    without one, any day of the calendar."""
    if when.year is None:
        return when
    day = check_day(date(when.year, when.month, when.day))
    if day > today:
        raise ValidationError(f"{day.isoformat()} is in the future")
    return when


def stored_day(value: date | str | None) -> date | None:
    """A day read from a book (a date, or ISO text from a raw query), or None when it is
    outside the range or unreadable."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return None
    if not isinstance(value, date) or not is_kept(value):
        return None
    return _day_of(value)


def stored_moment(value: datetime | str | None) -> datetime | None:
    """A moment read from a book (naive UTC), or None when it is far outside the range
    (a time zone could take it off the calendar) or unreadable."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    try:
        return check_stored_moment(value)
    except OutsideKeptDates:
        return None
