"""What the weekly review's agenda reads of the book, as plain data: open follow-ups,
birthdays and anniversaries in a window, plans due, promises made at earlier reviews.
`review.agenda` words the items."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import NamedTuple

from peewee import JOIN, fn

from cockpit.storage.client_facts import ProfileEntry
from cockpit.storage.models import (
    Client,
    Interaction,
    PlannedCommunication,
    ProfileValue,
    ReviewAction,
    ScheduledTouch,
)
from cockpit.validation import as_date
from cockpit.vocabulary import Kind, Lifecycle, ReviewStep


class FollowUpDue(NamedTuple):
    touch_id: int
    due: date
    summary: str
    kind: str
    day: date  # the day of the touch holding it
    client_id: int
    name: str
    company: str


class PlanDue(NamedTuple):
    plan_id: int
    client_id: int
    name: str
    company: str
    what: str
    every: int
    unit: str
    next_due: date
    kind: str = Kind.EMAIL.value  # the kind of touch that keeps it


class Promise(NamedTuple):
    """A touch promised at a review (a scheduled touch)."""

    id: int
    client_id: int
    name: str
    company: str
    created_at: datetime  # UTC
    due_on: date


# The clients a review speaks of: neither archived nor former (a client let go with `g`
# leaves the reviews, its plans, occasions and follow-ups with it).
_in_review = (Client.archived == False) & (Client.lifecycle != Lifecycle.FORMER.value)  # noqa: E712


def follow_ups_due(
    by: date, reps: Sequence[str] | None, limit: int | None
) -> tuple[list[FollowUpDue], int]:
    """The open follow-ups due by `by` of the `limit` clients (None: of all) whose
    follow-ups are the most overdue (clients neither archived nor former; of `reps`, if
    given), the most overdue first, and how many clients have any."""
    due = (
        Interaction.follow_up_on.is_null(False)
        & (Interaction.follow_up_done == False)  # noqa: E712
        & (Interaction.follow_up_on <= by)
        & _in_review
    )
    if reps is not None:
        due &= Client.owner.in_(list(reps))
    clients = (
        Interaction.select(Interaction.client)
        .join(Client)
        .where(due)
        .group_by(Interaction.client)
        .order_by(fn.MIN(Interaction.follow_up_on), Interaction.client)
        .tuples()
    )
    clients = [client_id for (client_id,) in clients]
    query = (
        Interaction.select(
            Interaction.id,
            Interaction.follow_up_on,
            Interaction.summary,
            Interaction.kind,
            Interaction.day,
            Client.id,
            Client.name,
            Client.company,
        )
        .join(Client)
        .where(due & Interaction.client.in_(clients[:limit]))
        .order_by(Interaction.follow_up_on, Interaction.id)
        .tuples()
    )
    rows = [
        FollowUpDue(touch_id, as_date(due), summary, kind, as_date(day), client_id, name, company)
        for touch_id, due, summary, kind, day, client_id, name, company in query
    ]
    return rows, len(clients)


_ANSWER_COLUMNS = (
    ProfileValue.client,
    ProfileValue.field_key,
    ProfileValue.row_no,
    ProfileValue.column_key,
    ProfileValue.text,
)


def dated_answers(
    field_keys: Iterable[str], window: Mapping[int, Sequence[int]], *, children: bool
) -> tuple[dict[int, list[ProfileEntry]], dict[int, tuple[str, str]]]:
    """The answers to `field_keys` dated on a day of `window` ({month: [days]}), of clients
    neither archived nor former, by client (and, with `children`, the names of those
    clients' children), and each such client's (name, company)."""
    # Only the dates that fall in the window are read, through the (field, month, day)
    # index; then the names of the children whose birthdays those are.
    in_window = None
    for month, days in window.items():
        this_month = (ProfileValue.date_month == month) & ProfileValue.date_day.in_(days)
        in_window = this_month if in_window is None else in_window | this_month
    query = (
        ProfileValue.select(*_ANSWER_COLUMNS, Client.name, Client.company)
        .join(Client)
        .where(ProfileValue.field_key.in_(list(field_keys)) & in_window & _in_review)
    )
    db = ProfileValue._meta.database
    values: dict[int, list[ProfileEntry]] = {}
    names: dict[int, tuple[str, str]] = {}
    for client_id, *answer, name, company in db.execute(query):
        values.setdefault(client_id, []).append(ProfileEntry(*answer))
        names[client_id] = (name, company)
    if values and children:
        named = ProfileValue.select(*_ANSWER_COLUMNS).where(
            (ProfileValue.field_key == "children")
            & (ProfileValue.column_key == "name")
            & ProfileValue.client.in_(sorted(values))
        )
        for client_id, *answer in db.execute(named):
            values[client_id].append(ProfileEntry(*answer))
    return values, names


def plans_due(by: date) -> list[PlanDue]:
    """The planned communications due by `by`, of clients neither archived nor former,
    soonest first."""
    query = (
        PlannedCommunication.select(PlannedCommunication, Client.id, Client.name, Client.company)
        .join(Client)
        .where((PlannedCommunication.next_due <= by) & _in_review)
        .order_by(PlannedCommunication.next_due, PlannedCommunication.id)
    )
    return [
        PlanDue(
            plan.id,
            plan.client.id,
            plan.client.name,
            plan.client.company,
            plan.what,
            plan.every,
            plan.unit,
            as_date(plan.next_due),
            plan.kind,
        )
        for plan in query
    ]


def answered_item_keys() -> set[str]:
    """The keys of the agenda items any review answered (skipping answers nothing)."""
    answered = (
        ReviewAction.select(ReviewAction.item_key)
        .where(ReviewAction.step != ReviewStep.SKIPPED.value)
        .tuples()
    )
    return {key for (key,) in answered}


def promises_due_before(day: date) -> list[Promise]:
    """The touches promised at reviews for a day before `day`, of clients neither archived
    nor former, the earliest first."""
    return _promises(ScheduledTouch.due_on < day)


def promises_due_between(first: date, last: date) -> list[Promise]:
    """The touches promised at reviews for a day from `first` to `last`, of clients neither
    archived nor former."""
    return _promises(ScheduledTouch.due_on.between(first, last))


def _promises(when) -> list[Promise]:
    query = (
        ScheduledTouch.select(ScheduledTouch, Client.id, Client.name, Client.company)
        .join(Client, JOIN.INNER)
        .where(when & _in_review)
        .order_by(ScheduledTouch.due_on, ScheduledTouch.id)
    )
    return [
        Promise(
            promise.id,
            promise.client.id,
            promise.client.name,
            promise.client.company,
            promise.created_at,
            as_date(promise.due_on),
        )
        for promise in query
    ]


def touched_between(client_id: int, first: date, last: date) -> bool:
    """Whether the client had a touch (not a note) on a day from `first` to `last`."""
    return (
        Interaction.select(Interaction.id)
        .where(
            (Interaction.client == client_id)
            & (Interaction.kind != Kind.NOTE.value)
            & (Interaction.day >= first)
            & (Interaction.day <= last)
        )
        .exists()
    )
