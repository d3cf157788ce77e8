"""The calendar export (iCalendar): occasions, open follow-ups and planned communications.

Birthdays, wedding anniversaries and children's birthdays are yearly all-day
events; follow-ups and plans are all-day events on their day (events, not
to-dos: some calendar programs ignore to-dos). Every event has a UID made of
what it is and the id of the row behind it, so importing a new export into
the same calendar updates the events instead of adding them again:

    birthday-<client id>@cockpit             anniversary-<client id>@cockpit
    child-birthday-<client id>-<row>@cockpit followup-<interaction id>@cockpit
    plan-<plan id>@cockpit

Archived clients are left out, and so is every sensitive profile answer.
A book written before Cockpit checked its dates may hold some outside the
range it keeps (`cockpit.date_limits`): such a follow-up or plan is left out,
such an occasion is written without its year, and the export says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import TypeVar

from icalendar import Calendar, Event

from cockpit import __version__, clock
from cockpit.date_limits import KEPT_DATES, is_kept, stored_day
from cockpit.errors import ValidationError
from cockpit.partial_date import PartialDate
from cockpit.profile.schema import FIELDS, REMINDER_FIELDS, Reminder
from cockpit.storage import export_rows
from cockpit.vocabulary import KIND_INFO, Kind, a_kind, period

PRODID = f"-//Cockpit//Cockpit {__version__}//EN"
UID_DOMAIN = "cockpit"
Dated = TypeVar("Dated", export_rows.OpenFollowUp, export_rows.PlanRow)
# The start of a yearly occasion whose year is unknown: a leap year, so 29 February exists.
NO_YEAR = 2000


@dataclass(frozen=True)
class CalendarExport:
    data: bytes
    occasions: int
    follow_ups: int
    plans: int
    outside_dates: int = 0  # follow-ups and plans left out: their day is outside the range
    years_dropped: int = 0  # occasions written without a year outside the range

    @property
    def events(self) -> int:
        return self.occasions + self.follow_ups + self.plans

    def warnings(self) -> list[str]:
        found = []
        if self.outside_dates:
            found.append(
                f"{self.outside_dates} follow-ups and planned communications are not in the "
                f"file: their day is outside the dates Cockpit keeps ({KEPT_DATES})"
            )
        if self.years_dropped:
            found.append(
                f"{self.years_dropped} birthdays and anniversaries are written without their "
                f"year, which is outside the dates Cockpit keeps ({KEPT_DATES})"
            )
        return found


@dataclass
class _Skipped:
    """What the export could not write as stored."""

    outside_dates: int = 0
    years_dropped: int = 0


def uid(kind: str, *ids: int) -> str:
    return f"{kind}-{'-'.join(str(part) for part in ids)}@{UID_DOMAIN}"


def _who(name: str, company: str) -> str:
    return f"{name} ({company})" if company else name


def _event(
    identity: str, day: date, summary: str, description: str, *, yearly: bool = False
) -> Event:
    event = Event()
    event.add("uid", identity)
    event.add("dtstamp", clock.now_utc().replace(tzinfo=UTC))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a reminder, not time taken
    if yearly:
        if (day.month, day.day) == (2, 29):
            # The last day of February: the 29th in leap years, the 28th otherwise,
            # as Cockpit's own reminders have it.
            event.add("rrule", {"freq": "yearly", "bymonth": 2, "bymonthday": -1})
        else:
            event.add("rrule", {"freq": "yearly"})
    return event


def _occasion_uid(reminder: Reminder, client_id: int, row_no: int, in_list: bool) -> str:
    name = reminder.value.replace("_", "-")
    return uid(name, client_id, row_no) if in_list else uid(name, client_id)


def _occasions(clients: dict[int, tuple[str, str]], skipped: _Skipped) -> list[Event]:
    reminders = [
        (field_key, column_key, reminder)
        for field_key, column_key, reminder in REMINDER_FIELDS
        if not FIELDS[field_key].sensitive
    ]
    keys = sorted({field_key for field_key, _, _ in reminders})
    values = export_rows.profile_cells(keys)
    cells: dict[int, dict[tuple[str, int, str], str]] = {}
    for client_id, field_key, row_no, column_key, text in values:
        if client_id in clients:
            cells.setdefault(client_id, {})[(field_key, row_no, column_key)] = text
    events = []
    for client_id, answers in cells.items():
        name, company = clients[client_id]
        who = _who(name, company)
        for field_key, column_key, reminder in reminders:
            found = sorted(
                (row_no, text)
                for (key, row_no, column), text in answers.items()
                if key == field_key and column == (column_key or "")
            )
            for row_no, text in found:
                try:
                    when = PartialDate.parse(text)
                except ValidationError:
                    continue  # not a date this version can read: no event rather than a wrong one
                if when.year is not None and not is_kept(date(when.year, when.month, when.day)):
                    when = PartialDate(None, when.month, when.day)
                    skipped.years_dropped += 1
                start = date(when.year or NO_YEAR, when.month, when.day)
                # A person in a list (a child) is named in the same row.
                child = answers.get((field_key, row_no, "name")) if column_key else None
                summary, description = _occasion_words(reminder, who, name, when, child)
                identity = _occasion_uid(reminder, client_id, row_no, column_key is not None)
                events.append(_event(identity, start, summary, description, yearly=True))
    return events


def _occasion_words(
    reminder: Reminder, who: str, name: str, when: PartialDate, child: str | None
) -> tuple[str, str]:
    if reminder is Reminder.BIRTHDAY:
        born = f", born in {when.year}" if when.year else ""
        return f"Birthday: {who}", f"The birthday of {who}{born}."
    if reminder is Reminder.ANNIVERSARY:
        married = f", married in {when.year}" if when.year else ""
        return f"Wedding anniversary: {who}", f"The wedding anniversary of {who}{married}."
    child = (child or "").strip() or "A child"
    born = f", born in {when.year}" if when.year else ""
    return (
        f"{child}'s birthday ({name}'s child)",
        f"The birthday of {child}{born}, a child of {who}.",
    )


def _dated(
    rows: Iterable[Dated], day_of: Callable[[Dated], object], clients: dict, skipped: _Skipped
) -> Iterator[tuple[Dated, date, str]]:
    """The rows of the clients listed, each with its day and who the client is; a row whose
    day is outside the dates Cockpit keeps is left out and counted."""
    for row in rows:
        if row.client_id not in clients:
            continue
        day = stored_day(day_of(row))
        if day is None:
            skipped.outside_dates += 1
            continue
        yield row, day, _who(*clients[row.client_id])


def _follow_ups(clients: dict[int, tuple[str, str]], skipped: _Skipped) -> list[Event]:
    events = []
    follow_ups = export_rows.open_follow_ups()
    for follow_up, day, who in _dated(follow_ups, lambda row: row.follow_up_on, clients, skipped):
        label = KIND_INFO[Kind(follow_up.kind)].label.lower()
        touch_day = stored_day(follow_up.day)
        after = f" of {touch_day.isoformat()}" if touch_day else ""
        description = f"Follow up with {who} after the {label}{after}"
        summary = follow_up.summary
        description += f":\n{summary.strip()}" if summary.strip() else "."
        identity = uid("followup", follow_up.touch_id)
        events.append(_event(identity, day, f"Follow up: {who}", description))
    return events


def _plans(clients: dict[int, tuple[str, str]], skipped: _Skipped) -> list[Event]:
    events = []
    for plan, day, who in _dated(export_rows.plans(), lambda row: row.next_due, clients, skipped):
        how_often = f"{a_kind(plan.kind)} {period(plan.every, plan.unit)}"
        description = f"Planned communication with {who}, {how_often}: {plan.what}."
        events.append(_event(uid("plan", plan.id), day, f"{plan.what}: {who}", description))
    return events


def export_calendar() -> CalendarExport:
    """The calendar of the open book, as the bytes of an .ics file."""
    clients = export_rows.client_names(archived=False)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Cockpit")
    skipped = _Skipped()
    occasions = _occasions(clients, skipped)
    follow_ups = _follow_ups(clients, skipped)
    plans = _plans(clients, skipped)
    for event in (*occasions, *follow_ups, *plans):
        calendar.add_component(event)
    return CalendarExport(
        calendar.to_ical(),
        len(occasions),
        len(follow_ups),
        len(plans),
        skipped.outside_dates,
        skipped.years_dropped,
    )
