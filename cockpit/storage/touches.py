"""Touches (and notes) and won deals: logging, undoing, changing and deleting them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cockpit.errors import ValidationError
from cockpit.fields import TouchFields
from cockpit.storage.models import (
    Client,
    Deal,
    Interaction,
    database_proxy,
)
from cockpit.storage.reps import client_id_of
from cockpit.storage.summaries import batch_writes, summaries_changed
from cockpit.validation import deal_row, interaction_row, positive_days
from cockpit.vocabulary import Kind


def add_interaction(client: Client | int, kind: Kind | str, **details) -> Interaction:
    """Log a touch (or a note); `details` as for `interaction_row`."""
    row = interaction_row(client_id_of(client), kind, **details)
    with database_proxy.atomic():
        return Interaction.create(**row)  # saving refreshes the client's summary


@dataclass(frozen=True)
class LoggedTouch:
    """A touch just logged, and what undoing it must put back."""

    interaction: Interaction
    client_id: int
    previous_interval: int | None
    interval_changed: bool


def log_touch(
    client: Client | int, kind: Kind | str, *, keep_in_touch_days: int | None = None, **details
) -> LoggedTouch:
    """Log a touch and, when given, the client's new keep-in-touch interval, in one
    transaction; `details` as for `interaction_row`."""
    client_id = client_id_of(client)
    row = interaction_row(client_id, kind, **details)
    interval = positive_days(keep_in_touch_days, "the keep-in-touch interval")
    with database_proxy.atomic():
        current = Client.get_or_none(Client.id == client_id)
        if current is None:
            raise ValidationError("that client no longer exists")
        previous = current.keep_in_touch_days
        changed = interval is not None and interval != previous
        if changed:
            Client.update(keep_in_touch_days=interval).where(Client.id == client_id).execute()
        interaction = Interaction.create(**row)  # saving refreshes the client's summary
    return LoggedTouch(interaction, client_id, previous, changed)


def undo_log(logged: LoggedTouch) -> None:
    """Remove a touch just logged and put the interval it changed back; refused when
    that touch was changed or removed meanwhile (its id may now be another's)."""
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
        current.delete_instance()  # refreshes the client's summary
        if logged.interval_changed:
            Client.update(keep_in_touch_days=logged.previous_interval).where(
                Client.id == logged.client_id
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


def add_deal(client: Client | int, amount: str | int | Decimal, **details) -> Deal:
    """Record a won deal; `details` as for `deal_row`."""
    row = deal_row(client_id_of(client), amount, **details)
    with database_proxy.atomic():
        return Deal.create(**row)  # saving refreshes the client's summary


def insert_many(interactions: Sequence[dict], deals: Sequence[dict]) -> None:
    """Store rows made by `interaction_row` and `deal_row` in bulk, in one transaction."""
    with batch_writes():
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
