"""Today's date and the user's time zone.

`COCKPIT_TODAY=YYYY-MM-DD` fixes "today" for every command and screen, so
tests, demos and snapshots do not depend on the calendar.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache, lru_cache
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
    return _fixed_day(value)


@lru_cache(maxsize=8)
def _fixed_day(value: str) -> date:
    """COCKPIT_TODAY read (once per value: an import asks for today on every row)."""
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
    fixed = fixed_today()
    if fixed is not None:
        return fixed
    now = datetime.now(UTC)
    return (now + _offset(local_timezone(), now)).date()


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
        if moment.fold == 0:
            offset = _offset(local_timezone(), moment, local=True)
            if offset is not None:
                return moment - offset
        moment = moment.replace(tzinfo=local_timezone())
    return moment.astimezone(UTC).replace(tzinfo=None)


def local_day(stored_utc: datetime) -> date:
    """The user's calendar day on which a stored (naive UTC) moment fell."""
    return (stored_utc + _offset(local_timezone(), stored_utc)).date()


def to_local(stored_utc: datetime) -> datetime:
    """A stored (naive UTC) moment as naive local time, as the user reads it."""
    return stored_utc.replace(tzinfo=UTC).astimezone(local_timezone()).replace(tzinfo=None)


def local_datetime(day: date, at: time) -> datetime:
    return datetime.combine(day, at, local_timezone())


# The local time zone's offset from UTC, worked out once per day, or per hour on the days it
# changes (a day is asked of every row of an import, and the machine's zone is slow to ask):
# the zone it was worked out for, then for UTC and for local (wall clock) time, the days and
# the hours, each -> its offset (None: it changes within).
_offsets: tuple = (None, {}, {}, {}, {})
_DAY, _HOUR = timedelta(days=1), timedelta(hours=1)


def _offset(zone: tzinfo, moment: datetime, *, local: bool = False) -> timedelta | None:
    """The zone's offset from UTC at a moment, UTC (naive or aware) or (`local`, naive) on
    the wall clock. Zones change their offset at most once in a day: in a day in which it
    changes, hour by hour; in an hour in which it changes, a UTC moment's offset is
    worked out moment by moment, and a local one's is None (the caller asks the zone
    itself, which knows about the hour that repeats or never was)."""
    global _offsets
    known, *kept = _offsets
    if known is not zone:  # the setting changed (and the zone was asked again)
        kept = [{}, {}, {}, {}]
        _offsets = (zone, *kept)
    days, hours = (kept[2], kept[3]) if local else (kept[0], kept[1])
    day = moment.toordinal()
    offset = days.get(day, ...)
    if offset is ...:
        start = datetime.combine(date.fromordinal(day), time())
        offset = _remembered(days, day, _steady_offset(zone, start, _DAY, local))
    if offset is None:
        key = (day, moment.hour)  # quicker to make than the hour's datetime
        offset = hours.get(key, ...)
        if offset is ...:
            start = datetime.combine(date.fromordinal(day), time(moment.hour))
            offset = _remembered(hours, key, _steady_offset(zone, start, _HOUR, local))
    if offset is None and not local:
        return moment.replace(tzinfo=UTC).astimezone(zone).utcoffset() or timedelta(0)
    return offset


def _remembered(known: dict, key, offset: timedelta | None) -> timedelta | None:
    if len(known) >= 100_000:
        known.clear()
    known[key] = offset
    return offset


def _steady_offset(
    zone: tzinfo, start: datetime, length: timedelta, local: bool
) -> timedelta | None:
    """The zone's offset through `length` from `start`, or None if it changes in it."""
    try:
        last = start + length - timedelta(microseconds=1)
        if local:
            first, final = (moment.replace(tzinfo=zone).utcoffset() for moment in (start, last))
        else:
            first, final = (
                moment.replace(tzinfo=UTC).astimezone(zone).utcoffset() for moment in (start, last)
            )
    except OverflowError:  # the calendar's first or last hours: worked out moment by moment
        return None
    return first if first is not None and first == final else None
