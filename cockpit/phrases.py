"""Dates, times and durations as people type them after a call.

Dates: ISO (`2026-12-01`), `today`, `tomorrow`, `yesterday`, weekday names
(`friday` is the next one to come, a week from today when said on a Friday;
`next friday` the one after that, a week later, except on a Friday, where it is
a week from today too; `last friday` the latest past one), `in 2 weeks`, `3 days ago`, and the forms
of `PartialDate` (`15 April`, `April 15 2027`; without a year, the next such
day). A time may follow a date (`yesterday 16:00`, `friday 9am`). Durations:
`15`, `15m`, `1h`, `1h30`, `1h 30m`, `90 min`. Intervals: `30`, `30 days`,
`2 weeks`, `3 months`, `every 6 weeks`, `monthly`. Parsed on top of the standard
library, so `cockpit log` starts fast.
"""

from __future__ import annotations

import re
from datetime import MAXYEAR, MINYEAR, date, datetime, time, timedelta

from cockpit.date_limits import check_day
from cockpit.errors import ValidationError
from cockpit.partial_date import PartialDate

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}
DATE_FORMS = "2026-12-01, today, tomorrow, friday, next friday, in 2 weeks, 3 days ago, 15 April"

_RELATIVE = re.compile(r"^in (\d+) (days?|weeks?|months?)$")
_AGO = re.compile(r"^(\d+) (days?|weeks?|months?) ago$")
_INTERVAL = re.compile(r"^(?:every )?(\d+)? ?(d|days?|w|weeks?|m|months?|y|years?)?$")
NAMED_INTERVALS = {
    "weekly": 7,
    "fortnightly": 14,
    "monthly": 30,
    "quarterly": 91,
    "yearly": 365,
    "annually": 365,
}
INTERVAL_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_TIME = re.compile(r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$")
_TIME_SHAPED = re.compile(r"^\d{1,2}(:\d{2}|am|pm)$|^\d{1,2}:\d{2}(am|pm)$")
_DURATION = re.compile(
    r"^(?:(?P<h>\d+)\s*h(?:ours?|rs?)?)?\s*(?:(?P<m>\d+)\s*(?:m|min|mins|minutes?)?)?$"
)
BEYOND_CALENDAR = "that day is beyond the calendar (years 1 to 9999)"
MAX_DIGITS = 9  # longer numbers of days, minutes or months are beyond any calendar


def _number(digits: str, text: str) -> int:
    """The number a phrase holds; one too long to mean anything is refused (Python would
    refuse to read one of more than 4300 digits with a ValueError)."""
    if len(digits) > MAX_DIGITS:
        raise ValidationError(f"{text!r}: {digits[:12]}… is too large a number")
    return int(digits)


def _weekday(name: str) -> int | None:
    for index, day in enumerate(WEEKDAYS):
        if name == day or (len(name) >= 3 and day.startswith(name)):
            return index
    return None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), or the month's last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    if not MINYEAR <= year <= MAXYEAR:
        raise ValidationError(BEYOND_CALENDAR)
    for candidate in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _shift(today: date, count: int, unit: str) -> date:
    if unit.startswith("month"):
        return add_months(today, count)
    try:
        return today + timedelta(days=count * UNITS[unit])
    except OverflowError:
        raise ValidationError(BEYOND_CALENDAR) from None


def parse_date(text: str, today: date, *, future: bool = True) -> date:
    """A day from a phrase; a bare weekday or a day without a year is the next one
    to come when `future`, else the latest one past. A day outside the dates Cockpit
    keeps is refused (OutsideKeptDates)."""
    return check_day(_day_from_phrase(text, today, future))


def _day_from_phrase(text: str, today: date, future: bool) -> date:
    value = " ".join(text.strip().casefold().split())
    if not value:
        raise ValidationError(f"give a date such as {DATE_FORMS}")
    named = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if value in named:
        return today + timedelta(days=named[value])
    if match := _RELATIVE.match(value):
        return _shift(today, _number(match.group(1), text), match.group(2))
    if match := _AGO.match(value):
        return _shift(today, -_number(match.group(1), text), match.group(2))
    words = value.split()
    if len(words) in (1, 2) and (weekday := _weekday(words[-1])) is not None:
        which = words[0] if len(words) == 2 else ""
        if which not in ("", "next", "last", "this"):
            raise ValidationError(f"{text!r} is not a date; use {DATE_FORMS}")
        ahead = (weekday - today.weekday()) % 7
        if which == "last" or (which == "" and not future):
            return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
        if which == "next":
            return today + timedelta(days=ahead + 7 if ahead else 7)
        return today + timedelta(days=ahead or (0 if which == "this" else 7))
    try:
        day = PartialDate.parse(text)
    except ValidationError:
        raise ValidationError(f"{text!r} is not a date; use {DATE_FORMS}") from None
    if day.year is not None:
        return date(day.year, day.month, day.day)
    if future:
        return day.next_occurrence(today)
    for year in (today.year, today.year - 1):  # the latest such day, today included
        candidate = day.next_occurrence(date(year, 1, 1))
        if candidate <= today:
            return candidate
    raise AssertionError("unreachable: a day of the year recurs every year")


def weekday_rule(text: str, today: date) -> str | None:
    """How "next <weekday>" was read, naming the days it could be taken for: "next
    friday" said on a Thursday is the Friday 8 days later, not tomorrow."""
    words = " ".join(text.strip().casefold().split()).split()
    if len(words) != 2 or words[0] != "next" or (weekday := _weekday(words[1])) is None:
        return None
    name = WEEKDAYS[weekday].capitalize()
    coming = _day_from_phrase(words[1], today, future=True)
    if coming == _day_from_phrase(text, today, future=True):
        return f"a week from today, as {words[1]} alone is"
    alone = f"{coming:%a} {coming.day} {coming:%b}"
    return f"the {name} after the coming one; {words[1]} alone is {alone}"


def parse_time(text: str) -> time:
    match = _TIME.match(text.strip().casefold())
    if not match:
        raise ValidationError(f"{text!r} is not a time; use 16:00, 9am or 4pm")
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise ValidationError(f"{text!r} is not a time; with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValidationError(f"{text!r} is not a time of day")
    return time(hour, minute)


def parse_moment(text: str, now: datetime) -> datetime:
    """When something happened: a date phrase, optionally followed by a time
    (`yesterday 16:00`), a time alone (today), an ISO moment (`2026-11-20T08:15`, one
    with a UTC offset converted), or `now`. Naive local time; a day alone is at noon,
    today at the time it is now, whatever the form of the day (`2026-11-20` too). A day
    outside the dates Cockpit keeps is refused (OutsideKeptDates)."""
    return check_day(_moment_from_phrase(text, now))


def _moment_from_phrase(text: str, now: datetime) -> datetime:
    value = " ".join(text.strip().split())
    if value.casefold() == "now":
        return now
    words = value.split(" ")
    if len(words) >= 2 and _TIME_SHAPED.match(words[-1].casefold()):
        at = parse_time(words[-1])  # a time-shaped word that is no time is reported as such
        day = parse_date(" ".join(words[:-1]), now.date(), future=False)
        return datetime.combine(day, at)
    try:
        return datetime.combine(now.date(), parse_time(value))
    except ValidationError:
        pass
    try:
        day = date.fromisoformat(value)  # a day alone, such as 2026-11-20: as any day phrase
    except ValueError:
        try:
            return _naive_local(datetime.fromisoformat(value), text)
        except ValueError:
            day = parse_date(value, now.date(), future=False)
    return (
        datetime.combine(day, now.time())
        if day == now.date()
        else datetime.combine(day, time(12, 0))
    )


def _naive_local(moment: datetime, text: str) -> datetime:
    """A moment as naive local time; one given with a UTC offset is converted."""
    if moment.tzinfo is None:
        return moment
    from cockpit import clock  # only for a moment with an offset: `cockpit log` starts fast

    try:
        return clock.to_local(clock.to_utc(moment))
    except OverflowError:
        raise ValidationError(f"{text!r} is beyond the calendar") from None


def parse_day_to_come(text: str, today: date) -> date:
    """A day from a phrase, today or later (a follow-up, a plan's next date)."""
    day = parse_date(text, today)
    if day < today:
        raise ValidationError(f"{day.isoformat()} is past; give a day to come")
    return day


def parse_past_moment(text: str, now: datetime) -> datetime:
    """When a touch happened: a moment from a phrase, no later than now."""
    moment = parse_moment(text, now)
    if moment > now.replace(second=59):
        raise ValidationError(
            f"{moment:%Y-%m-%d %H:%M} is in the future; log a touch once it happened"
        )
    return moment


def parse_duration(text: str) -> int:
    """Minutes from `15`, `15m`, `1h`, `1h30`, `1h 30m`, `90 min`."""
    value = text.strip().casefold()
    match = _DURATION.match(value)
    if not value or not match or not (match["h"] or match["m"]):
        raise ValidationError(f"{text!r} is not a duration; use 15, 15m, 1h or 1h30")
    minutes = _number(match["h"] or "0", text) * 60 + _number(match["m"] or "0", text)
    if minutes > 24 * 60:
        raise ValidationError(f"{text!r} is longer than a day")
    return minutes


def parse_interval(text: str) -> int:
    """Days from `30`, `30 days`, `2 weeks`, `3 months` (30 days each), `1 year`,
    `every 6 weeks`, `every month`, `weekly`, `fortnightly`, `monthly`, `quarterly`,
    `yearly`, `annually`."""
    value = " ".join(text.strip().casefold().split())
    if value in NAMED_INTERVALS:
        return NAMED_INTERVALS[value]
    match = _INTERVAL.match(value)
    if not match or not (match[1] or (match[2] and value.startswith("every "))):
        raise ValidationError(
            f"{text!r} is not an interval; use 30, 30 days, 2 weeks, 3 months or monthly"
        )
    days = _number(match[1] or "1", text) * INTERVAL_DAYS[(match[2] or "d")[0]]
    if not 1 <= days <= 3660:
        raise ValidationError(f"{text!r}: an interval is between 1 day and 10 years")
    return days
