"""What the cockpit's panes read about one client (and the client list's sparklines and
profile counts), as plain data: `client_view` makes the panes of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from cockpit.storage.models import (
    Client,
    ClientEmail,
    ClientPhone,
    Deal,
    Interaction,
    PlannedCommunication,
    ProfileValue,
    ScheduledTouch,
    database_proxy,
)
from cockpit.storage.tags import tags_of
from cockpit.validation import as_date
from cockpit.vocabulary import Kind


class ProfileEntry(NamedTuple):
    """One stored profile value: a field's answer, or a cell of a list field's row."""

    field_key: str
    row_no: int
    column_key: str
    text: str


@dataclass(frozen=True)
class ClientRecord:
    """A client's own row, with its emails and phones in order, and its tags."""

    id: int
    name: str
    company: str
    title: str
    lifecycle: str
    emails: list[str]
    phones: list[str]
    client_since: date | None
    won_on: date | None
    keep_in_touch_days: int | None
    strategic: bool
    snoozed_until: date | None
    archived: bool
    roles: str  # at their account, as the row keeps them (`vocabulary.stored_roles`)
    role_note: str
    tags: list[str]  # in the order shown


class PlanLine(NamedTuple):
    what: str
    every: int
    unit: str
    next_due: date
    kind: str


class TouchRecord(NamedTuple):
    """An interaction as the timeline shows it (`occurred_at` in UTC)."""

    id: int
    occurred_at: datetime
    day: date
    kind: str
    intent: str
    duration_min: int
    summary: str
    follow_up_on: date | None
    follow_up_done: bool


def client_record(client_id: int) -> ClientRecord | None:
    """The client's row, or None if the client is gone."""
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        return None
    return ClientRecord(
        id=client.id,
        name=client.name,
        company=client.company,
        title=client.title,
        lifecycle=client.lifecycle,
        emails=[e.address for e in client.emails.order_by(ClientEmail.position)],
        phones=[p.number for p in client.phones.order_by(ClientPhone.position)],
        client_since=client.client_since,
        won_on=client.won_on,
        keep_in_touch_days=client.keep_in_touch_days,
        strategic=client.strategic,
        snoozed_until=client.snoozed_until,
        archived=client.archived,
        roles=client.roles,
        role_note=client.role_note,
        tags=tags_of(client.id),
    )


def profile_entries(client_id: int) -> list[ProfileEntry]:
    """Every profile value kept for the client."""
    return [
        ProfileEntry(value.field_key, value.row_no, value.column_key, value.text)
        for value in ProfileValue.select().where(ProfileValue.client == client_id)
    ]


def plan_lines(client_id: int) -> list[PlanLine]:
    """The client's planned communications, the soonest due first."""
    return [
        PlanLine(plan.what, plan.every, plan.unit, plan.next_due, plan.kind)
        for plan in PlannedCommunication.select()
        .where(PlannedCommunication.client == client_id)
        .order_by(PlannedCommunication.next_due)
    ]


def scheduled_days(client_id: int, since: date, limit: int = 3) -> list[date]:
    """The days of the touches promised from `since` on, the soonest first."""
    return [
        as_date(day)
        for (day,) in ScheduledTouch.select(ScheduledTouch.due_on)
        .where((ScheduledTouch.client == client_id) & (ScheduledTouch.due_on >= since))
        .order_by(ScheduledTouch.due_on)
        .limit(limit)
        .tuples()
    ]


def open_follow_ups(client_id: int, limit: int) -> list[tuple[int, date, str, str]]:
    """(touch id, due, summary, kind) of the client's open follow-ups, the soonest first."""
    query = (
        Interaction.select(
            Interaction.id, Interaction.follow_up_on, Interaction.summary, Interaction.kind
        )
        .where(
            (Interaction.client == client_id)
            & Interaction.follow_up_on.is_null(False)
            & (Interaction.follow_up_done == False)  # noqa: E712
        )
        .order_by(Interaction.follow_up_on, Interaction.id)
        .limit(limit)
        .tuples()
    )
    return [(touch_id, as_date(day), summary, kind) for touch_id, day, summary, kind in query]


def answered_fields() -> list[tuple[int, str]]:
    """(client, field) of every field answered in any client's profile."""
    query = ProfileValue.select(ProfileValue.client, ProfileValue.field_key).distinct().tuples()
    return list(query)


def touch_records(client_id: int, limit: int) -> list[TouchRecord]:
    """A client's interactions, newest first (at most `limit`)."""
    query = (
        Interaction.select()
        .where(Interaction.client == client_id)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(limit)
    )
    return [
        TouchRecord(
            row.id,
            row.occurred_at,
            row.day,
            row.kind,
            row.intent,
            row.duration_min,
            row.summary,
            row.follow_up_on,
            row.follow_up_done,
        )
        for row in query
    ]


class HeardRecord(NamedTuple):
    """A day a client wrote to you (imported mail), as the timeline shows it."""

    id: int
    occurred_at: datetime
    day: date
    summary: str


def heard_records(client_id: int, limit: int) -> list[HeardRecord]:
    """The days a client wrote to you, newest first (at most `limit`)."""
    from cockpit.storage.models import HeardFrom

    query = (
        HeardFrom.select(HeardFrom.id, HeardFrom.occurred_at, HeardFrom.day, HeardFrom.summary)
        .where(HeardFrom.client == client_id)
        .order_by(HeardFrom.occurred_at.desc(), HeardFrom.id.desc())
        .limit(limit)
    )
    return [HeardRecord(*row) for row in query.tuples()]


class DealRecord(NamedTuple):
    """A won deal as the timeline shows it."""

    id: int
    won_on: date
    amount_cents: int
    currency: str
    description: str


def deal_records(client_id: int, limit: int) -> list[DealRecord]:
    """A client's won deals, the latest first (at most `limit`)."""
    query = (
        Deal.select(Deal.id, Deal.won_on, Deal.amount_cents, Deal.currency, Deal.description)
        .where(Deal.client == client_id)
        .order_by(Deal.won_on.desc(), Deal.id.desc())
        .limit(limit)
        .tuples()
    )
    return [DealRecord(id_, as_date(won), *rest) for id_, won, *rest in query]


def touches_by_month(
    first: date, last: date, slot_of: Mapping[tuple[int, int], int], months: int
) -> dict[int, list[int]]:
    """Per client, the touches from `first` to `last` counted in the slot `slot_of` gives
    each (year, month); a list of `months` counts."""
    counts: dict[int, list[int]] = {}
    query = Interaction.select(Interaction.client, Interaction.day).where(
        (Interaction.day >= first)
        & (Interaction.day <= last)
        & (Interaction.kind != Kind.NOTE.value)
    )
    # Raw rows, not converted one by one: a year of touches is 100,000 rows in a big book.
    for client_id, day in database_proxy.execute(query):
        month = (int(day[:4]), int(day[5:7])) if isinstance(day, str) else (day.year, day.month)
        slot = slot_of.get(month)
        if slot is not None:
            counts.setdefault(client_id, [0] * months)[slot] += 1
    return counts
