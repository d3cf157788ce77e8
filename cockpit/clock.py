"""Today's date and the user's time zone.

`COCKPIT_TODAY=YYYY-MM-DD` fixes "today" for every command and screen, so
tests, demos and snapshots do not depend on the calendar.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, tzinfo
from functools import cache
from zoneinfo import ZoneInfo

from cockpit.config import settings
from cockpit.date_limits import KEPT_DATES, OutsideKeptDates, check_day
from cockpit.errors import ConfigError

TODAY_VARIABLE = "COCKPIT_TODAY"


@cache
def local_timezone() -> tzinfo:
    """The configured time zone, else the machine's (DST-aware)."""
    name = settings().timezone
    if name:
        return ZoneInfo(name)
    from dateutil.tz import tzlocal

    return tzlocal()


def fixed_today() -> date | None:
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return None
    try:
        return check_day(date.fromisoformat(value))
    except ValueError:
        raise ConfigError(
            f"{TODAY_VARIABLE}={value!r} is not a valid date; use YYYY-MM-DD"
        ) from None
    except OutsideKeptDates:
        raise ConfigError(
            f"{TODAY_VARIABLE}={value!r} is outside the dates Cockpit keeps ({KEPT_DATES})"
        ) from None


def today() -> date:
    """The user's current calendar day (or the fixed one)."""
    return fixed_today() or datetime.now(local_timezone()).date()


def now_utc() -> datetime:
    """The current moment as a naive UTC datetime, the form stored in the database.

    With a fixed today, the moment is today's date at the current local time
    of day, so a touch logged "now" falls on the fixed day.
    """
    fixed = fixed_today()
    moment = datetime.now(local_timezone())
    if fixed is not None:
        moment = datetime.combine(fixed, moment.time(), local_timezone())
    return moment.astimezone(UTC).replace(tzinfo=None)


def now_local() -> datetime:
    """The current moment as naive local time, on the fixed day when there is one."""
    return datetime.combine(today(), datetime.now(local_timezone()).time())


def to_utc(moment: datetime) -> datetime:
    """A naive UTC datetime for storage; naive input is taken as local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_timezone())
    return moment.astimezone(UTC).replace(tzinfo=None)


def local_day(stored_utc: datetime) -> date:
    """The user's calendar day on which a stored (naive UTC) moment fell."""
    return stored_utc.replace(tzinfo=UTC).astimezone(local_timezone()).date()


def to_local(stored_utc: datetime) -> datetime:
    """A stored (naive UTC) moment as naive local time, as the user reads it."""
    return stored_utc.replace(tzinfo=UTC).astimezone(local_timezone()).replace(tzinfo=None)


def local_datetime(day: date, at: time) -> datetime:
    return datetime.combine(day, at, local_timezone())
