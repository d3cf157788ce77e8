"""Touches (and notes) and won deals: logging, undoing, changing and deleting them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from peewee import fn

from cockpit import clock
from cockpit.errors import ValidationError
from cockpit.fields import TouchFields
from cockpit.storage.models import (
    Client,
    Deal,
    Interaction,
    PlanAction,
    PlannedCommunication,
    database_proxy,
)
from cockpit.storage.reps import client_id_of
from cockpit.storage.summaries import batch_writes, id_chunks, summaries_changed
from cockpit.validation import as_date, deal_row, interaction_row, positive_days
from cockpit.vocabulary import Kind, Lifecycle


def won_dates(
    client_ids: Iterable[int], more_deals: Mapping[int, date] | None = None
) -> dict[int, date | None]:
    """Each client's won date, also in the middle of a batch: "client since" when set,
    else the first won deal (None: not won yet). `more_deals` adds a first won deal per
    client that is not stored yet (an import's)."""
    more = more_deals or {}
    found: dict[int, date | None] = {}
    for chunk in id_chunks(sorted(set(client_ids))):
        first_deals = (
            Deal.select(Deal.client, fn.MIN(Deal.won_on))
            .where(Deal.client.in_(chunk))
            .group_by(Deal.client)
            .tuples()
        )
        first = {client_id: as_date(won) for client_id, won in first_deals}
        for client_id, since in (
            Client.select(Client.id, Client.client_since).where(Client.id.in_(chunk)).tuples()
        ):
            deals = [day for day in (first.get(client_id), more.get(client_id)) if day]
            found[client_id] = as_date(since) if since else min(deals, default=None)
    return found


def _touch_row(client_id: int, kind: Kind | str, details: dict) -> dict:
    """`interaction_row` with the client's won date for the default intent, when the
    intent is not given (call it within the transaction that stores the row)."""
    if details.get("intent") is None and "won_on" not in details:
        details = {**details, "won_on": won_dates([client_id]).get(client_id)}
    return interaction_row(client_id, kind, **details)


def add_interaction(client: Client | int, kind: Kind | str, **details) -> Interaction:
    """Log a touch (or a note); `details` as for `interaction_row`."""
    client_id = client_id_of(client)
    with database_proxy.atomic():
        row = _touch_row(client_id, kind, details)
        return Interaction.create(**row)  # saving refreshes the client's summary


@dataclass(frozen=True)
class PlanMoved:
    """A planned communication marked done with the touch that kept it."""

    plan_id: int
    what: str
    due_before: date
    due_after: date


@dataclass(frozen=True)
class LoggedTouch:
    """A touch just logged, and what undoing it must put back."""

    interaction: Interaction
    client_id: int
    previous_interval: int | None
    interval_changed: bool
    plan: PlanMoved | None = None  # the plan it kept, moved on to its next due date
    closed_follow_ups: tuple[int, ...] = ()  # the client's follow-ups it closed
    plan_action: int | None = None  # the account plan's action it carried out


def log_touch(
    client: Client | int,
    kind: Kind | str,
    *,
    keep_in_touch_days: int | None = None,
    close_follow_ups: Sequence[int] = (),
    **details,
) -> LoggedTouch:
    """Log a touch and, when given, the client's new keep-in-touch interval and the
    client's open follow-ups it closes (touch ids), in one transaction; `details` as for
    `interaction_row`."""
    client_id = client_id_of(client)
    interval = positive_days(keep_in_touch_days, "the keep-in-touch interval")
    with database_proxy.atomic():
        row = _touch_row(client_id, kind, details)
        current = Client.get_or_none(Client.id == client_id)
        if current is None:
            raise ValidationError("that client no longer exists")
        previous = current.keep_in_touch_days
        changed = interval is not None and interval != previous
        if changed:
            Client.update(keep_in_touch_days=interval).where(Client.id == client_id).execute()
        interaction = Interaction.create(**row)  # saving refreshes the client's summary
        closed = _close_follow_ups(client_id, close_follow_ups)
    return LoggedTouch(interaction, client_id, previous, changed, closed_follow_ups=closed)


def _close_follow_ups(client_id: int, touch_ids: Sequence[int]) -> tuple[int, ...]:
    """Mark these open follow-ups of the client done; refused when one is not open (or
    not the client's) any more."""
    wanted = sorted(set(touch_ids))
    if not wanted:
        return ()
    closed = (
        Interaction.update(follow_up_done=True)
        .where(
            Interaction.id.in_(wanted)
            & (Interaction.client == client_id)
            & Interaction.follow_up_on.is_null(False)
            & (Interaction.follow_up_done == False)  # noqa: E712 (SQL, not Python)
        )
        .execute()
    )
    if closed != len(wanted):
        raise ValidationError("a follow-up to close was closed or changed meanwhile")
    return tuple(wanted)


def undo_log(logged: LoggedTouch) -> None:
    """Remove a touch just logged and put back the interval it changed, or the due date
    of the plan it kept (unless the plan was changed since); refused when that touch was
    changed or removed meanwhile (its id may now be another's)."""
    touch = logged.interaction
    with database_proxy.atomic():
        current = Interaction.get_or_none(Interaction.id == touch.id)
        if current is None or (
            current.client_id,
            current.created_at,
            current.kind,
            current.occurred_at,
            current.summary,
        ) != (logged.client_id, touch.created_at, touch.kind, touch.occurred_at, touch.summary):
            raise ValidationError("the touch just logged was changed or removed meanwhile")
        if logged.plan_action is not None:  # before the touch goes, which unlinks it
            PlanAction.update(done_on=None, touch=None).where(
                (PlanAction.id == logged.plan_action) & (PlanAction.touch == touch.id)
            ).execute()
        current.delete_instance()  # refreshes the client's summary
        if logged.interval_changed:
            Client.update(keep_in_touch_days=logged.previous_interval).where(
                Client.id == logged.client_id
            ).execute()
        if logged.closed_follow_ups:
            Interaction.update(follow_up_done=False).where(
                Interaction.id.in_(list(logged.closed_follow_ups))
            ).execute()
        if logged.plan is not None:
            PlannedCommunication.update(next_due=logged.plan.due_before).where(
                (PlannedCommunication.id == logged.plan.plan_id)
                & (PlannedCommunication.next_due == logged.plan.due_after)
            ).execute()


def set_follow_up_done(interaction_id: int, done: bool = True) -> Interaction:
    """Mark an interaction's follow-up as done (or open again)."""
    with database_proxy.atomic():
        interaction = Interaction.get_or_none(Interaction.id == interaction_id)
        if interaction is None:
            raise ValidationError("that interaction no longer exists")
        if interaction.follow_up_on is None:
            raise ValidationError("that touch has no follow-up")
        Interaction.update(follow_up_done=done).where(Interaction.id == interaction_id).execute()
        interaction.follow_up_done = done
    return interaction


@dataclass(frozen=True)
class RecordedDeal:
    deal: Deal
    made_active: bool  # the client's first won deal turned a prospect into an active client


def record_deal(client: Client | int, amount: str | int | Decimal, **details) -> RecordedDeal:
    """Record a won deal; `details` as for `deal_row`. The first won deal of a prospect
    makes it an active client."""
    row = deal_row(client_id_of(client), amount, **details)
    with database_proxy.atomic():
        activated = _activate_prospects([row["client"]])
        return RecordedDeal(Deal.create(**row), bool(activated))  # refreshes the summary


def set_renewal(deal_id: int, renews_on: date | None, term_months: int | None) -> Deal:
    """When a won deal renews: on a day, and every `term_months` after it (None, None: it
    does not renew)."""
    with database_proxy.atomic():
        deal = Deal.get_or_none(Deal.id == deal_id)
        if deal is None:
            raise ValidationError("that deal no longer exists")
        row = deal_row(
            deal.client_id,
            deal.amount,
            currency=deal.currency,
            won_on=deal.won_on,
            renews_on=renews_on,
            term_months=term_months,
        )
        Deal.update(renews_on=row.get("renews_on"), term_months=row.get("term_months")).where(
            Deal.id == deal_id
        ).execute()
        return Deal.get_by_id(deal_id)


def add_deal(client: Client | int, amount: str | int | Decimal, **details) -> Deal:
    """Record a won deal (see `record_deal`)."""
    return record_deal(client, amount, **details).deal


def _activate_prospects(client_ids: Iterable[int]) -> set[int]:
    """Make active the prospects among these clients that have no won deal yet (call it
    before storing their first); returns the ids of those it made active."""
    activated: set[int] = set()
    for chunk in id_chunks(sorted(set(client_ids))):
        has_a_deal = Deal.select(Deal.id).where(Deal.client == Client.id)
        prospects = Client.select(Client.id).where(
            Client.id.in_(chunk)
            & (Client.lifecycle == Lifecycle.PROSPECT.value)
            & ~fn.EXISTS(has_a_deal)
        )
        found = [client_id for (client_id,) in prospects.tuples()]
        if found:
            Client.update(lifecycle=Lifecycle.ACTIVE.value, updated_at=clock.now_utc()).where(
                Client.id.in_(found)
            ).execute()
        activated.update(found)
    return activated


def insert_many(interactions: Sequence[dict], deals: Sequence[dict]) -> None:
    """Store rows made by `interaction_row` and `deal_row` in bulk, in one transaction;
    a prospect's first won deal makes it an active client."""
    with batch_writes():
        _activate_prospects(row["client"] for row in deals)
        for start in range(0, len(interactions), 500):
            Interaction.insert_many(interactions[start : start + 500]).execute()
        for start in range(0, len(deals), 500):
            Deal.insert_many(deals[start : start + 500]).execute()
        for row in (*interactions, *deals):
            summaries_changed(row["client"], deals=True)


def delete_interaction(interaction_id: int) -> None:
    """Remove one interaction from its client's timeline."""
    with database_proxy.atomic():
        interaction = Interaction.get_or_none(Interaction.id == interaction_id)
        if interaction is not None:
            interaction.delete_instance()  # refreshes the client's summary


def update_interaction(interaction_id: int, fields: TouchFields) -> Interaction:
    """Change one interaction; the same checks as logging a new one."""
    with database_proxy.atomic():
        interaction = Interaction.get_or_none(Interaction.id == interaction_id)
        if interaction is None:
            raise ValidationError("that interaction no longer exists")
        row = interaction_row(
            interaction.client_id, created_at=interaction.created_at, **fields.as_keywords()
        )
        # A new follow-up date is a new promise: it is open again.
        row["follow_up_done"] = (
            interaction.follow_up_done and fields.follow_up_on == interaction.follow_up_on
        )
        for key, value in row.items():
            setattr(interaction, key, value)
        interaction.save()
    return interaction
