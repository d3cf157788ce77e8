"""Reading an iCalendar file (RFC 5545) into the occurrences of its events within a window.

The file is read by `icalendar`, and recurring events are expanded by
`recurring-ical-events` (RRULE, RDATE, EXDATE, overridden occurrences by RECURRENCE-ID,
with or without their master event). Calendars as they are found in the wild are read
as far as they can be, and what is wrong is said with the file's line:

- a line that is no iCalendar content line is left out (a warning);
- a file that ends inside an event (cut short) loses that event (a failure);
- an event without a start, or whose start cannot be read, is skipped (a failure);
- a time zone (TZID) that is neither defined in the file nor known by its name (IANA
  or Windows) is read as the user's own time (a warning); so is a time zone the file
  defines wrongly (an offset of more than a day): its definition is left out;
- an event without a UID is known by its start, summary and organizer (a warning);
- an RRULE whose UNTIL is a date where the start has a time (or the reverse) is read
  as it was surely meant (a warning);
- a series that repeats hourly or more often is no meeting and is skipped (a failure),
  as is a series whose occurrences cannot be worked out.

Each of the other events' occurrences from `since` up to `until` is an `Occurrence`.
A bare VEVENT file (no VCALENDAR around it, as khal's tests keep some) and several
calendars in one file are read too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from cockpit import clock
from cockpit.importers.calendar_keys import event_key, moment_text, stand_in_uid

# A content line: a name, then its parameters (;) or its value (:).
_CONTENT = re.compile(r"[A-Za-z0-9-]+[;:]")
_BEGIN = re.compile(r"BEGIN:(\S+)", re.IGNORECASE)
_END = re.compile(r"END:(\S+)", re.IGNORECASE)
_NAME_END = re.compile(r"[;:]")
# The properties of an event Cockpit reads; the others (DTSTAMP, LOCATION, alarms, X-...)
# are left out before the calendar is parsed.
READ = frozenset(
    {
        "BEGIN",
        "END",
        "UID",
        "DTSTART",
        "DTEND",
        "DURATION",
        "RRULE",
        "RDATE",
        "EXDATE",
        "RECURRENCE-ID",
        "SUMMARY",
        "DESCRIPTION",
        "STATUS",
        "ORGANIZER",
        "ATTENDEE",
        "SEQUENCE",
    }
)
KEPT_COMPONENTS = ("VEVENT", "VTIMEZONE")
TOO_OFTEN = ("SECONDLY", "MINUTELY", "HOURLY")
LONGEST_MINUTES = 24 * 60  # a longer timed event counts as a day
# An all-day event's moment: noon, so its day is the same in any time zone within twelve
# hours of the user's (as the history CSV's days).
ALL_DAY_TIME = time(12, 0)


@dataclass(frozen=True)
class Person:
    """An ATTENDEE or the ORGANIZER: the address (without mailto:), the name (CN), the
    answer (PARTSTAT) and what it is (CUTYPE: a person, a room, a group...)."""

    address: str
    name: str = ""
    answer: str = ""
    kind: str = "INDIVIDUAL"

    @property
    def is_person(self) -> bool:
        return self.kind in ("INDIVIDUAL", "UNKNOWN", "")


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of an event, as Cockpit will judge it."""

    key: str  # `calendar_keys.event_key`
    uid: str
    line: int  # of the event (or the overridden occurrence) in the file
    starts_at: datetime  # UTC, naive; an all-day event's: noon of its day, local time
    ends_at: datetime  # UTC, naive
    all_day: bool
    minutes: int | None  # None: no end, or an all-day event (the kind's usual minutes)
    summary: str
    description: str
    status: str  # STATUS, upper case: CANCELLED, TENTATIVE, CONFIRMED or ""
    organizer: Person | None
    attendees: tuple[Person, ...]
    # Its key when the event was of the other kind: a one-off event's as the first
    # occurrence of a series; a series' first occurrence's as a one-off event ("" none).
    former_key: str = ""


@dataclass
class CalendarReading:
    occurrences: list[Occurrence] = field(default_factory=list)
    events: int = 0  # VEVENT components read
    failures: list[tuple[int, str]] = field(default_factory=list)  # (line, why): left out
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, what was assumed)


def looks_like_calendar(text: str) -> bool:
    """Whether a text is iCalendar: its first content line begins a calendar or an event."""
    for line in text.lstrip("\ufeff").splitlines()[:20]:
        if line.strip():
            return line.strip().upper() in ("BEGIN:VCALENDAR", "BEGIN:VEVENT")
    return False


@dataclass
class _Component:
    name: str
    line: int
    lines: list[tuple[int, str]]  # (line number, unfolded content line), BEGIN to END
    depth: int = 1  # 1 bare, 2 inside a VCALENDAR

    def line_of(self, prop: str) -> int:
        """The line of the component's first `prop` property (its BEGIN line if none)."""
        wanted = prop.upper()
        for number, text in self.lines:
            name = re.split(r"[;:]", text, maxsplit=1)[0].upper()
            if name == wanted:
                return number
        return self.line


def read_calendar(text: str, since: date, until: date) -> CalendarReading:
    """The occurrences of the text's events from `since` to `until` (days, both kept),
    with what was wrong in the file."""
    reading = CalendarReading()
    header, components = _components(text, reading)
    events = [component for component in components if component.name == "VEVENT"]
    reading.events = len(events)
    events = _near(events, since, until)
    zones = [component for component in components if component.name == "VTIMEZONE"]
    calendar, parsed = _parsed(header, zones, events, reading)
    if calendar is None:
        return reading
    recurring, lines, kept = _checked(parsed, reading)
    line_of = {(uid, when): line for uid, when, line in lines}
    first_line: dict[str, int] = {}
    for uid, _, line in lines:
        first_line.setdefault(uid, line)
    series = [part for part in kept if str(part.get("UID", "")) in recurring]
    first_planned = {  # a series' first occurrence, as its key keeps it
        str(part.get("UID", "")): moment_text(part["DTSTART"].dt)
        for part in series
        if part.get("RECURRENCE-ID") is None and part.get("DTSTART") is not None
    }
    occurrences = _expanded(calendar, series, since, until, reading, first_line)
    occurrences += [  # a one-off event is its own occurrence: no expanding to do
        (str(part.get("UID", "")), part)
        for part in kept
        if str(part.get("UID", "")) not in recurring and _within(part, since, until)
    ]
    for uid, component in occurrences:
        try:
            made = _occurrence(
                component, uid, uid in recurring, line_of, first_line, first_planned.get(uid)
            )
        except (ValueError, TypeError, OverflowError) as error:
            reading.failures.append(
                (first_line.get(uid, 0), f"an occurrence cannot be read ({error})")
            )
            continue
        if made is not None:
            reading.occurrences.append(made)
    return reading


# --- Lines and components --------------------------------------------------------------------


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """The content lines unfolded (a line starting with a space or tab goes on the one
    before), each with the number of its first physical line."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if raw[:1] in (" ", "\t") and lines:
            first, kept = lines[-1]
            lines[-1] = (first, kept + raw[1:])
        elif raw.strip():
            lines.append((number, raw.rstrip("\r")))
    return lines


def _components(text: str, reading: CalendarReading) -> tuple[list[str], list[_Component]]:
    """The calendar's own properties and its events and time zones, each with its lines.
    A bare VEVENT is an event too; other components (to-dos, journals) and what an event
    holds (its alarms) are passed over."""
    header: list[str] = []
    components: list[_Component] = []
    stack: list[str] = []
    current: _Component | None = None
    for number, line in _logical_lines(text):
        if not _CONTENT.match(line):
            reading.warnings.append((number, "not an iCalendar line; left out"))
            continue
        begin, end = _BEGIN.fullmatch(line.strip()), _END.fullmatch(line.strip())
        if begin:
            name = begin.group(1).upper()
            if current is None and name in KEPT_COMPONENTS and stack in ([], ["VCALENDAR"]):
                current = _Component(name, number, [], depth=len(stack) + 1)
            stack.append(name)
        if current is not None:
            if current.name != "VEVENT" or len(stack) == current.depth:  # an event's alarms: no
                current.lines.append((number, line))
        elif stack in ([], ["VCALENDAR"]) and not (begin or end or _preamble(line)):
            header.append(line)
        if end:
            name = end.group(1).upper()
            if name in stack:
                while stack and stack.pop() != name:
                    pass
            if current is not None and len(stack) < current.depth:
                components.append(current)
                current = None
    if current is not None:
        what = "an event" if current.name == "VEVENT" else "a time zone"
        reading.failures.append(
            (current.line, f"the file ends inside {what} (cut short?); it was left out")
        )
    return header, components


def _property(line: str) -> str:
    return line[: _NAME_END.search(line).start()].upper()


def _near(events: list[_Component], since: date, until: date) -> list[_Component]:
    """The events that may have an occurrence from `since` to `until`: a one-off event
    (no RRULE, RDATE or RECURRENCE-ID, its UID on no such event) whose days, as its lines
    write them, are all more than two days outside is left out before it is parsed (most
    of a calendar of years); any event Cockpit cannot tell so is kept."""
    repeating = set()
    for event in events:
        names = {_property(line) for _, line in event.lines}
        if names & {"RRULE", "RDATE", "RECURRENCE-ID"}:
            repeating.add(_uid_text(event))
    first, last = since - timedelta(days=2), until + timedelta(days=2)
    kept = []
    for event in events:
        days = _days_written(event)
        if _uid_text(event) in repeating or days is None or not (days[1] < first or days[0] > last):
            kept.append(event)
    return kept


def _uid_text(event: _Component) -> str:
    for _, line in event.lines:
        if _property(line) == "UID":
            return line.partition(":")[2].strip()
    return ""


_DAY = re.compile(r":(\d{4})(\d{2})(\d{2})")


def _days_written(event: _Component) -> tuple[date, date] | None:
    """The first and last days of an event as its DTSTART and DTEND lines write them;
    None when they cannot be read so (a DURATION, no start, a bad date)."""
    found = {}
    for _, line in event.lines:
        name = _property(line)
        if name == "DURATION":
            return None
        if name in ("DTSTART", "DTEND"):
            match = _DAY.search(line)
            if match is None:
                return None
            try:
                found[name] = date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    if "DTSTART" not in found:
        return None
    start = found["DTSTART"]
    return start, max(start, found.get("DTEND", start))


def _preamble(line: str) -> bool:
    """VERSION and PRODID, which the calendar made anew has once."""
    return line.upper().startswith(("VERSION", "PRODID"))


def _parsed(header, zones, events, reading):
    """The calendar as `icalendar` reads it, and its events with their components; a time
    zone or event it cannot read is left out (and said)."""
    from icalendar import Calendar

    def text_of(parts: list[_Component]) -> str:
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", *header]
        for part in parts:
            if part.name == "VEVENT":  # what Cockpit reads of an event, and nothing else
                lines += [line for _, line in part.lines if _property(line) in READ]
            else:
                lines += [line for _, line in part.lines]
        return "\r\n".join([*lines, "END:VCALENDAR", ""])

    try:
        calendar = Calendar.from_ical(text_of([*zones, *events]))
    except Exception:  # icalendar raises many kinds; each part is tried alone
        good_zones = []
        for zone in zones:
            if _readable(text_of([zone])):
                good_zones.append(zone)
            else:
                reading.warnings.append(
                    (
                        zone.line,
                        "a time zone this file defines cannot be read; left out (times in it "
                        "are read by the zone's name where it is a known one)",
                    )
                )
        good_events = []
        for event in events:
            if _readable(text_of([*good_zones, event])):
                good_events.append(event)
            else:
                reading.failures.append((event.line, "an event that cannot be read; left out"))
        try:
            calendar = Calendar.from_ical(text_of([*good_zones, *good_events]))
        except Exception as error:
            reading.failures.append((1, f"the calendar cannot be read ({error})"))
            return None, []
        events = good_events
    parsed = calendar.walk("VEVENT")
    if len(parsed) != len(events):  # never seen: the walk keeps the file's order
        reading.failures.append((1, "the calendar's events cannot be told apart"))
        return None, []
    return calendar, list(zip(parsed, events, strict=True))


def _readable(text: str) -> bool:
    from icalendar import Calendar

    try:
        Calendar.from_ical(text)
    except Exception:
        return False
    return True


# --- Checking each event ---------------------------------------------------------------------


_TIMED = ("DTSTART", "DTEND", "RECURRENCE-ID")


def _checked(parsed, reading):
    """The UIDs of recurring events, each event's (uid, recurrence id text, line), and the
    events kept; an event Cockpit cannot use is taken out of the calendar and said."""
    from icalendar import Calendar  # noqa: F401 - the components below are icalendar's

    recurring: set[str] = set()
    lines: list[tuple[str, str | None, int]] = []
    kept: list = []
    seen: dict[tuple[str, str | None], tuple[int, int]] = {}  # -> (place in kept, line)
    for component, source in parsed:
        start = component.get("DTSTART")
        value = getattr(start, "dt", None)
        if start is None:
            reading.failures.append((source.line, "an event without a start (DTSTART); left out"))
            continue
        if not isinstance(value, date):
            reading.failures.append(
                (source.line_of("DTSTART"), f"the start {str(start)!r} cannot be read; left out")
            )
            continue
        for name, problem in component.errors:
            if name.upper() in ("DTSTART",):
                continue
            reading.warnings.append((source.line_of(name), f"{name}: {problem}; left out"))
        _check_zones(component, source, reading)
        rule = component.get("RRULE")
        if rule is not None:
            frequency = str((rule.get("FREQ") or [""])[0]).upper()
            if frequency in TOO_OFTEN:
                reading.failures.append(
                    (source.line_of("RRULE"), f"repeats {frequency.lower()}: no meeting; left out")
                )
                continue
            _check_until(component, rule, value, source, reading)
        uid = str(component.get("UID", "")).strip()
        if not uid:
            organizer = _address(component.get("ORGANIZER"))
            uid = stand_in_uid(value, str(component.get("SUMMARY", "")), organizer)
            component["UID"] = uid
            reading.warnings.append(
                (
                    source.line,
                    "an event without a UID: known by its start, summary and "
                    "organizer (changing one makes it another event)",
                )
            )
        if rule is not None or "RDATE" in component or "RECURRENCE-ID" in component:
            recurring.add(uid)
        recurrence = component.get("RECURRENCE-ID")
        when = _when_text(recurrence.dt) if recurrence is not None else None
        earlier = seen.get((uid, when))
        if earlier is not None:
            reading.warnings.append(
                (source.line, f"the same event as at line {earlier[1]} (its UID); this one counts")
            )
            kept[earlier[0]] = None
        seen[(uid, when)] = (len(kept), source.line)
        lines.append((uid, when, source.line))
        kept.append(component)
    return recurring, lines, [component for component in kept if component is not None]


def _check_zones(component, source: _Component, reading: CalendarReading) -> None:
    for name in _TIMED:
        prop = component.get(name)
        if prop is None or "TZID" not in getattr(prop, "params", {}):
            continue
        value = getattr(prop, "dt", None)
        if isinstance(value, datetime) and value.tzinfo is None:
            reading.warnings.append(
                (
                    source.line_of(name),
                    f"unknown time zone {prop.params['TZID']!r}: {name} is taken as your own "
                    "time zone's",
                )
            )


def _check_until(component, rule, start: date, source: _Component, reading) -> None:
    until = (rule.get("UNTIL") or [None])[0]
    if until is None:
        return
    timed_start, timed_until = isinstance(start, datetime), isinstance(until, datetime)
    if timed_start != timed_until:
        reading.warnings.append(
            (
                source.line_of("RRULE"),
                "the repeat rule's UNTIL is a "
                + (
                    "day where the start has a time"
                    if timed_start
                    else "time where the start is a day"
                )
                + ": read as that day's end",
            )
        )
        return
    if timed_start and (start.tzinfo is None) != (until.tzinfo is None):
        reading.warnings.append(
            (
                source.line_of("RRULE"),
                "the repeat rule's UNTIL and the start differ in time zone; "
                "UNTIL is read in the start's",
            )
        )
        until = until.replace(tzinfo=start.tzinfo)
    if until < start:
        reading.warnings.append(
            (source.line_of("RRULE"), "the repeat rule ends (UNTIL) before the event starts")
        )


def _when_text(value) -> str:
    from cockpit.importers.calendar_keys import moment_text

    return moment_text(value)


# --- Expanding and converting ----------------------------------------------------------------


def _expanded(calendar, kept, since: date, until: date, reading, first_line):
    """(uid, component) of every occurrence from `since` to `until`; a series that cannot be
    worked out is left out and said, the others still come."""
    import recurring_ical_events

    calendar.subcomponents = [
        part for part in calendar.subcomponents if part.name != "VEVENT"
    ] + list(kept)
    end = until + timedelta(days=1)
    try:
        found = recurring_ical_events.of(calendar).between(since, end)
        return [(str(part.get("UID", "")), part) for part in found]
    except Exception:  # a bad series: each one is tried alone
        pass
    from icalendar import Calendar

    zones = [part for part in calendar.subcomponents if part.name == "VTIMEZONE"]
    series: dict[str, list] = {}
    for part in kept:
        series.setdefault(str(part.get("UID", "")), []).append(part)
    found = []
    for uid, parts in series.items():
        alone = Calendar()
        alone.subcomponents = [*zones, *parts]
        try:
            occurrences = recurring_ical_events.of(alone).between(since, end)
        except Exception as error:
            reading.failures.append(
                (
                    first_line.get(uid, 0),
                    f"the repeats of event {uid!r} cannot be worked out ({error}); left out",
                )
            )
            continue
        found += [(uid, part) for part in occurrences]
    return found


def _within(component, since: date, until: date) -> bool:
    """Whether a one-off event is on a day from `since` to `until`, or spans one."""
    start = component["DTSTART"].dt
    end = _end(component, start) or start
    first = start.date() if isinstance(start, datetime) else start
    last = end.date() if isinstance(end, datetime) else end
    return first <= until and max(first, last) >= since


def _end(component, start):
    """An event's end: its DTEND, else its start and DURATION; None when it has neither."""
    end_prop = component.get("DTEND")
    if end_prop is not None:
        return getattr(end_prop, "dt", None)
    duration = component.get("DURATION")
    length = getattr(duration, "dt", None)
    if isinstance(length, timedelta):
        return start + length
    return None


def _occurrence(
    component, uid, recurring, line_of, first_line, first_planned=None
) -> Occurrence | None:
    start = component["DTSTART"].dt
    end = _end(component, start)
    recurrence = component.get("RECURRENCE-ID")
    occurrence = recurrence.dt if recurrence is not None and recurring else None
    all_day = not isinstance(start, datetime)
    if all_day:
        starts_at = clock.to_utc(datetime.combine(start, ALL_DAY_TIME))
        last = end if isinstance(end, date) and not isinstance(end, datetime) else None
        if last is None or last <= start:
            last = start + timedelta(days=1)
        ends_at = clock.to_utc(datetime.combine(last, time()))
        minutes = None
    else:
        if isinstance(end, datetime):
            if (end.tzinfo is None) != (start.tzinfo is None):  # mixed: read in the start's
                end = end.replace(tzinfo=start.tzinfo)
        else:
            end = None
        starts_at = _utc(start)
        ends_at = _utc(end) if end is not None else starts_at
        seconds = (ends_at - starts_at).total_seconds()
        minutes = min(LONGEST_MINUTES, round(seconds / 60)) if seconds > 0 else None
    when = _when_text(occurrence) if occurrence is not None else None
    line = line_of.get((uid, when)) or first_line.get(uid, 0)
    if occurrence is None:
        former_key = event_key(uid, start)
    elif first_planned is not None and moment_text(occurrence) == first_planned:
        former_key = event_key(uid, None)
    else:
        former_key = ""
    return Occurrence(
        key=event_key(uid, occurrence),
        former_key=former_key,
        uid=uid,
        line=line,
        starts_at=starts_at,
        ends_at=ends_at,
        all_day=all_day,
        minutes=minutes,
        summary=_text(component.get("SUMMARY")),
        description=_text(component.get("DESCRIPTION")),
        status=_text(component.get("STATUS")).upper(),
        organizer=_person(component.get("ORGANIZER")),
        attendees=tuple(
            person
            for person in (_person(prop) for prop in _listed(component.get("ATTENDEE")))
            if person is not None
        ),
    )


def _utc(moment: datetime) -> datetime:
    """A moment as stored (naive UTC); a floating one is the user's own time."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return clock.to_utc(moment.replace(tzinfo=None))
    return moment.astimezone(UTC).replace(tzinfo=None)


def _listed(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _address(value) -> str:
    """An ORGANIZER's or ATTENDEE's email address, without mailto: ("" if it has none)."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    text = "".join(str(value).split())  # a line folded inside the address leaves a space
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text if "@" in text else ""


def _person(value) -> Person | None:
    address = _address(value)
    if not address:
        return None
    params = getattr(value, "params", {}) or {}
    return Person(
        address=address,
        name=_text(params.get("CN")).strip('"'),
        answer=_text(params.get("PARTSTAT")).upper(),
        kind=_text(params.get("CUTYPE")).upper() or "INDIVIDUAL",
    )
