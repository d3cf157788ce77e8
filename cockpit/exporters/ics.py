"""The calendar export (iCalendar): occasions, open follow-ups, planned communications,
drift alerts and renewals.

Birthdays, wedding anniversaries and children's birthdays are yearly all-day
events; follow-ups and plans are all-day events on their day (events, not
to-dos: some calendar programs ignore to-dos). A drift alert is an all-day event
on the day a core client (or one pinned as strategic) of yours needs attention:
today when it is drifting now, else the day the engine will judge it drifting
without a touch (`ClientHealth.drifts_on`; a snoozed client's on the day its
snooze ends, if later). A renewal is an all-day event on the day a deal's
contract next ends, with an alarm 14 days ahead. Every event has a UID made of
what it is and the id of the row behind it, so importing a new export into
the same calendar updates the events instead of adding them again:

    birthday-<client id>@cockpit             anniversary-<client id>@cockpit
    child-birthday-<client id>-<row>@cockpit followup-<interaction id>@cockpit
    plan-<plan id>@cockpit                   drift-<client id>@cockpit
    renewal-<deal id>@cockpit

Archived clients are left out (former clients too, from drift alerts and
renewals), and so is every sensitive profile answer.
A book written before Cockpit checked its dates may hold some outside the
range it keeps (`cockpit.date_limits`): such a follow-up or plan is left out,
such an occasion is written without its year, and the export says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import TypeVar

from icalendar import Alarm, Calendar, Event

from cockpit import __version__, clock
from cockpit.coming_renewals import ComingRenewal, coming_renewals
from cockpit.date_limits import KEPT_DATES, is_kept, stored_day
from cockpit.dates import day_seen_from
from cockpit.errors import ValidationError
from cockpit.health import ClientHealth
from cockpit.partial_date import PartialDate
from cockpit.profile.schema import FIELDS, REMINDER_FIELDS, Reminder
from cockpit.storage import export_rows
from cockpit.storage.reps import clients_of, my_reps
from cockpit.today import drift_alerts, tier_word
from cockpit.vocabulary import KIND_INFO, Kind, a_kind, period

PRODID = f"-//Cockpit//Cockpit {__version__}//EN"
UID_DOMAIN = "cockpit"
Dated = TypeVar("Dated", export_rows.OpenFollowUp, export_rows.PlanRow)
# The start of a yearly occasion whose year is unknown: a leap year, so 29 February exists.
NO_YEAR = 2000
RENEWAL_ALARM_DAYS = 14  # a renewal's alarm rings this many days ahead


@dataclass(frozen=True)
class CalendarExport:
    data: bytes
    occasions: int
    follow_ups: int
    plans: int
    outside_dates: int = 0  # follow-ups and plans left out: their day is outside the range
    years_dropped: int = 0  # occasions written without a year outside the range
    drift_alerts: int = 0
    renewals: int = 0

    @property
    def events(self) -> int:
        return self.occasions + self.follow_ups + self.plans + self.drift_alerts + self.renewals

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


def _drift_alerts(as_of: date, ours: set[int]) -> list[Event]:
    events = []
    for verdict, day in drift_alerts(as_of, ours):
        who = _who(verdict.name, verdict.company)
        description = _drift_words(verdict, day, who)
        events.append(_event(uid("drift", verdict.id), day, f"Drifting: {who}", description))
    return events


def _drift_words(verdict: ClientHealth, day: date, who: str) -> str:
    who = f"{who}, {tier_word(verdict)},"
    if verdict.drifts_on != day:  # snoozed past the day it drifts
        state = "is drifting" if verdict.drifting else "will be drifting by then without a touch"
        return (
            f"{who} is snoozed until this day, and the relationship {state}. On "
            f"{day_seen_from(verdict.as_of, day)}: {verdict.explanation}"
        )
    if verdict.drifting:
        return f"The relationship with {who} is drifting: {verdict.explanation}"
    won, last = verdict.won_on, verdict.last_touch
    touched = (
        f"the last touch was on {day_seen_from(last, day)}"
        if last is not None and last >= won
        else f"no touch since winning on {day_seen_from(won, day)}"
    )
    if verdict.honeymoon_end is not None and day < verdict.honeymoon_end:
        rule = (
            f"in the honeymoon (won {day_seen_from(won, day)}) a silence of more than "
            f"{math.floor(verdict.silence_limit)} days is drifting"
        )
    else:
        every = max(1, math.floor(verdict.plan_interval + 0.5))
        rule = f"the cadence is every {every} days"
    return (
        f"Without a touch before this day, the relationship with {who} is drifting from "
        f"this day: {touched}, and {rule}."
    )


def _renewals(as_of: date, ours: set[int]) -> list[Event]:
    events = []
    for renewal in coming_renewals(as_of, ours=ours):
        event = _event(
            uid("renewal", renewal.deal_id),
            renewal.day,
            f"Renewal: {renewal.whose}, {renewal.amount}",
            _renewal_words(renewal),
        )
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Renewal in {RENEWAL_ALARM_DAYS} days: {renewal.whose}")
        alarm.add("trigger", timedelta(days=-RENEWAL_ALARM_DAYS))
        event.add_component(alarm)
        events.append(event)
    return events


def _renewal_words(renewal: ComingRenewal) -> str:
    what = f" ({renewal.what})" if renewal.what else ""
    every = f", renewing every {renewal.term_months} months" if renewal.term_months else ""
    won_by = f"won with {renewal.client}" if renewal.account else "won"
    line = f"{renewal.whose}'s contract{what} ends this day: {renewal.amount}{every}; {won_by}."
    return line + renewal.risk_words()


def export_calendar() -> CalendarExport:
    """The calendar of the open book, as the bytes of an .ics file: occasions, follow-ups
    and plans of every client not archived; drift alerts and renewals of your own clients
    (and those nobody owns), as of today."""
    as_of = clock.today()
    ours = clients_of(my_reps())
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
    drifts = _drift_alerts(as_of, ours)
    renewals = _renewals(as_of, ours)
    for event in (*occasions, *follow_ups, *plans, *drifts, *renewals):
        calendar.add_component(event)
    return CalendarExport(
        calendar.to_ical(),
        len(occasions),
        len(follow_ups),
        len(plans),
        skipped.outside_dates,
        skipped.years_dropped,
        len(drifts),
        len(renewals),
    )
