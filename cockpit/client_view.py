"""What the cockpit shows about one client: the profile pane and the timeline.

Plain data, no Textual: the screen renders it, tests read it directly.
Sensitive profile answers never leave this module unmasked; item 39
(confidential subjects) only shows as a "do not raise" warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cockpit import clock
from cockpit.config import settings
from cockpit.errors import ValidationError
from cockpit.partial_date import PartialDate
from cockpit.profile.items import RECORD_FIELDS
from cockpit.profile.schema import (
    ITEM_OF_FIELD,
    ITEMS,
    REMINDER_FIELDS,
    SECTIONS,
    Reminder,
    items_in_section,
)
from cockpit.storage import client_facts
from cockpit.storage.account_people import roles_held
from cockpit.storage.client_facts import ClientRecord, ProfileEntry
from cockpit.validation import money
from cockpit.vocabulary import KIND_INFO, Kind, a_kind, period, roles_brief

CONFIDENTIAL_FIELD = "confidential_subjects"


@dataclass(frozen=True)
class Occasion:
    day: date
    what: str  # "Birthday", "Wedding anniversary", "Mia's birthday"
    age: int | None  # the age or years reached that day, when the year is known
    reminder: Reminder = Reminder.BIRTHDAY
    child: str = ""  # a child's birthday: the child's name


@dataclass(frozen=True)
class ClientDetail(ClientRecord):
    """The client's own row and what the profile pane shows beside it."""

    plans: list[str]
    next_occasion: Occasion | None
    profile_answered: int  # items of 66 with at least one answer
    sections: list[tuple[str, tuple[int, int]]]  # per section: (answered, items)
    interests: list[str]
    children: list[str]
    has_confidential_subjects: bool
    sensitive: list[tuple[str, str]]  # (label, answer) of answered sensitive fields; never shown
    # unmasked unless the user reveals them one at a time
    follow_ups: list[tuple[date, str]]  # open follow-ups, soonest first: (due, what)
    scheduled: list[date]  # touches promised in a weekly review, from today on


@dataclass(frozen=True)
class TimelineEntry:
    id: int
    when: datetime  # local time
    day: date
    kind: str
    label: str
    intent: str
    is_touch: bool
    duration_min: int
    summary: str
    follow_up_on: date | None
    follow_up_done: bool


@dataclass(frozen=True)
class HeardEntry:
    """A day the client wrote to you (imported mail): on the timeline, never a touch of
    yours."""

    id: int
    when: datetime  # local time
    day: date
    summary: str  # the day's first message's subject (and its text with --with-notes)


@dataclass(frozen=True)
class DealEntry:
    """A won deal among the touches of the timeline."""

    id: int
    day: date
    amount_cents: int
    currency: str
    description: str

    @property
    def text(self) -> str:
        """ "€12,000 won · Annual contract": the description's first line after the amount."""
        first_line = (self.description.strip().splitlines() or [""])[0]
        won = f"{money(self.amount_cents, self.currency)} won"
        return f"{won} · {first_line}" if first_line else won


def occasions(values: Sequence[ProfileEntry], today: date) -> list[Occasion]:
    """A client's birthdays and anniversaries from their profile values, soonest first."""
    rows: dict[int, dict[str, str]] = {}
    for value in values:
        if value.field_key == "children":
            rows.setdefault(value.row_no, {})[value.column_key] = value.text
    found = []
    for field_key, column_key, reminder in REMINDER_FIELDS:
        for value in values:
            if value.field_key != field_key or value.column_key != (column_key or ""):
                continue
            try:
                when = PartialDate.parse(value.text)
            except ValidationError:
                continue
            day = when.next_occurrence(today)
            child = ""
            if reminder is Reminder.BIRTHDAY:
                what = "Birthday"
            elif reminder is Reminder.ANNIVERSARY:
                what = "Wedding anniversary"
            else:
                child = rows.get(value.row_no, {}).get("name") or "A child"
                what = f"{child}'s birthday"
            found.append(Occasion(day, what, when.age_on(day), reminder, child))
    return sorted(found, key=lambda occasion: (occasion.day, occasion.what))


def client_detail(client_id: int, today: date) -> ClientDetail | None:
    """Everything the profile pane shows, or None if the client is gone."""
    client = client_facts.client_record(client_id)
    if client is None:
        return None
    values = client_facts.profile_entries(client_id)
    answered = {ITEM_OF_FIELD[v.field_key].number for v in values if v.field_key in ITEM_OF_FIELD}
    answered |= {ITEM_OF_FIELD[k].number for k, c in RECORD_FIELDS.items() if getattr(client, c)}
    by_field: dict[str, list[ProfileEntry]] = {}
    for value in values:
        by_field.setdefault(value.field_key, []).append(value)
    interests = [v.text for v in sorted(by_field.get("hobbies", []), key=lambda v: v.row_no)]
    children = [
        v.text
        for v in sorted(by_field.get("children", []), key=lambda v: v.row_no)
        if v.column_key == "name"
    ]
    coming = occasions(values, today)
    plans = [
        f"{plan.what}: {a_kind(plan.kind)} {period(plan.every, plan.unit)}, "
        f"next {plan.next_due.isoformat()}"
        for plan in client_facts.plan_lines(client_id)
    ]
    return ClientDetail(
        **vars(client),
        plans=plans,
        next_occasion=coming[0] if coming else None,
        profile_answered=len(answered),
        sections=[
            (
                section,
                (
                    sum(1 for item in items_in_section(section) if item.number in answered),
                    len(items_in_section(section)),
                ),
            )
            for section in SECTIONS
        ],
        interests=interests,
        children=children,
        has_confidential_subjects=CONFIDENTIAL_FIELD in by_field,
        sensitive=sensitive_answers(by_field),
        follow_ups=_open_follow_ups(client_id),
        scheduled=client_facts.scheduled_days(client_id, today, limit=3),
    )


def _open_follow_ups(client_id: int, limit: int = 5) -> list[tuple[date, str]]:
    return [(f.day, f.what) for f in open_follow_ups(client_id, limit)]


@dataclass(frozen=True)
class OpenFollowUp:
    touch_id: int  # the touch that set it
    day: date  # when it is due
    what: str  # the first line of that touch's summary (its kind when it has none)


def open_follow_ups(client_id: int, limit: int = 5) -> list[OpenFollowUp]:
    """The client's open follow-ups, the soonest first."""
    return [
        OpenFollowUp(
            touch_id, day, (summary.strip().splitlines() or [KIND_INFO[Kind(kind)].label])[0]
        )
        for touch_id, day, summary, kind in client_facts.open_follow_ups(client_id, limit)
    ]


def sensitive_answers(by_field: dict[str, list[ProfileEntry]]) -> list[tuple[str, str]]:
    """(label, answer) of each sensitive field answered, in the schema's order; a list
    field's rows joined with "; "."""
    found = []
    for item in ITEMS:
        for field in item.fields:
            if field.sensitive and field.key in by_field:
                values = sorted(by_field[field.key], key=lambda v: (v.row_no, v.column_key))
                found.append((field.label, "; ".join(v.text for v in values)))
    return found


def profile_completeness() -> dict[int, int]:
    """Per client, how many of the 66 items have an answer."""
    items: dict[int, set[int]] = {}
    for client_id, field_key in client_facts.answered_fields():
        item = ITEM_OF_FIELD.get(field_key)
        if item is not None:
            items.setdefault(client_id, set()).add(item.number)
    return {client_id: len(numbers) for client_id, numbers in items.items()}


def timeline(client_id: int, limit: int = 500) -> list[TimelineEntry | DealEntry | HeardEntry]:
    """A client's interactions, won deals and the days they wrote to you, newest first (at
    most `limit` of each; a deal comes before the touches of its day)."""
    touches = [
        TimelineEntry(
            id=row.id,
            when=clock.to_local(row.occurred_at),
            day=row.day,
            kind=row.kind,
            label=KIND_INFO[Kind(row.kind)].label,
            intent=row.intent,
            is_touch=row.kind != Kind.NOTE.value,
            duration_min=row.duration_min,
            summary=row.summary,
            follow_up_on=row.follow_up_on,
            follow_up_done=row.follow_up_done,
        )
        for row in client_facts.touch_records(client_id, limit)
    ]
    deals = [DealEntry(*row) for row in client_facts.deal_records(client_id, limit)]
    heard = [
        HeardEntry(row.id, clock.to_local(row.occurred_at), row.day, row.summary)
        for row in client_facts.heard_records(client_id, limit)
    ]
    if len(touches) == limit:  # older touches are left out: so are the deals among them
        deals = [deal for deal in deals if deal.day >= touches[-1].day]
        heard = [line for line in heard if line.day >= touches[-1].day]
    merged: list[TimelineEntry | DealEntry | HeardEntry] = [*touches, *deals, *heard]
    merged.sort(key=lambda entry: (entry.day, isinstance(entry, DealEntry)), reverse=True)
    return merged


def follow_ups_due(
    entries: Sequence[TimelineEntry | DealEntry], today: date
) -> list[TimelineEntry]:
    """Open follow-ups due today or earlier, oldest first."""
    due = [
        e
        for e in entries
        if isinstance(e, TimelineEntry)
        and e.follow_up_on
        and not e.follow_up_done
        and e.follow_up_on <= today
    ]
    return sorted(due, key=lambda e: e.follow_up_on)


def deals_counted(entries: Sequence[TimelineEntry | DealEntry], today: date, days: int) -> int:
    """The won deals among these entries that the revenue of the trailing `days` counts:
    won in that window, in the home currency."""
    since, home = today - timedelta(days=days), settings().currency
    return sum(
        1
        for entry in entries
        if isinstance(entry, DealEntry) and since < entry.day <= today and entry.currency == home
    )


def roles_in_list() -> dict[int, str]:
    """What each person holding a role is at their account, in a few letters, by id."""
    return {client_id: roles_brief(*held) for client_id, held in roles_held().items()}


def monthly_touches(today: date, months: int = 12) -> dict[int, list[int]]:
    """Per client, the touches in each of the last `months` calendar months, oldest first."""
    first = date(today.year, today.month, 1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    index_of = {}
    month = first
    for index in range(months):
        index_of[(month.year, month.month)] = index
        month = (month + timedelta(days=32)).replace(day=1)
    return client_facts.touches_by_month(first, today, index_of, months)
