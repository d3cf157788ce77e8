"""Planned communications: the recurring touches a user promised a client."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

from cockpit import clock
from cockpit.date_limits import check_day
from cockpit.errors import ValidationError
from cockpit.storage.models import (
    Client,
    Interaction,
    PlannedCommunication,
    database_proxy,
)
from cockpit.storage.reps import client_id_of
from cockpit.storage.touches import LoggedTouch, PlanMoved
from cockpit.text import printable
from cockpit.validation import as_date, interaction_row, next_plan_date, plan_values
from cockpit.validation.plans import DEFAULT_PLAN_KIND
from cockpit.vocabulary import Intent, Kind, PlanUnit


def add_plan(
    client: Client | int,
    what: str,
    every: int,
    unit: PlanUnit | str,
    next_due: date,
    *,
    kind: Kind | str = DEFAULT_PLAN_KIND,
    created_at: datetime | None = None,
) -> PlannedCommunication:
    """Promise a recurring communication, e.g. a quarterly update by email."""
    return PlannedCommunication.create(
        client=client,
        **plan_values(what, every, unit, kind),
        next_due=check_day(next_due),
        created_at=created_at or clock.now_utc(),
    )


def plans_of(client: Client | int) -> list[PlannedCommunication]:
    return list(
        PlannedCommunication.select()
        .where(PlannedCommunication.client == client_id_of(client))
        .order_by(PlannedCommunication.next_due, PlannedCommunication.id)
    )


def update_plan(
    plan_id: int,
    what: str,
    every: int,
    unit: PlanUnit | str,
    next_due: date,
    kind: Kind | str | None = None,
) -> PlannedCommunication:
    """Change a plan (its kind too, unless `kind` is None)."""
    check_day(next_due)
    with database_proxy.atomic():
        plan = PlannedCommunication.get_or_none(PlannedCommunication.id == plan_id)
        if plan is None:
            raise ValidationError("that plan no longer exists")
        values = plan_values(what, every, unit, kind or plan.kind)
        for key, value in {**values, "next_due": next_due}.items():
            setattr(plan, key, value)
        plan.save()
    return plan


def delete_plan(plan_id: int) -> None:
    PlannedCommunication.delete().where(PlannedCommunication.id == plan_id).execute()


def plan_done(plan_id: int, done_on: date) -> PlannedCommunication:
    """The plan was carried out on `done_on`: it is next due one period later."""
    with database_proxy.atomic():
        plan = PlannedCommunication.get_or_none(PlannedCommunication.id == plan_id)
        if plan is None:
            raise ValidationError("that plan no longer exists")
        plan.next_due = next_plan_date(plan.every, plan.unit, done_on)
        plan.save()
    return plan


def log_plan_touch(plan_id: int, done_on: date) -> LoggedTouch | None:
    """Log the touch that carried a plan out on `done_on`: of the plan's kind, a give,
    its summary what the plan promised (None: the plan is gone, nothing is logged).
    The plan itself does not move: see `keep_plan`."""
    with database_proxy.atomic():
        plan = PlannedCommunication.get_or_none(PlannedCommunication.id == plan_id)
        if plan is None:
            return None
        when = None if done_on == clock.today() else datetime.combine(done_on, time(12))
        # What was promised, its control characters (a plan stored before they were
        # refused) made visible, as a note may not hold them.
        summary = printable(plan.what)
        # A give, but a referral asked is always an ask.
        intent = Intent.SALES if plan.kind == Kind.REFERRAL_ASKED.value else Intent.RELATIONSHIP
        row = interaction_row(plan.client_id, plan.kind, when=when, summary=summary, intent=intent)
        touch = Interaction.create(**row)  # saving refreshes the client's summary
    return LoggedTouch(touch, plan.client_id, None, False)


def keep_plan(plan_id: int, done_on: date) -> LoggedTouch:
    """Mark a plan done on `done_on`, in one transaction: the touch that kept it is
    logged (see `log_plan_touch`) and the plan moves on one period. `undo_log` takes
    both back."""
    with database_proxy.atomic():
        plan = PlannedCommunication.get_or_none(PlannedCommunication.id == plan_id)
        if plan is None:
            raise ValidationError("that plan no longer exists")
        logged = log_plan_touch(plan_id, done_on)
        due_before = as_date(plan.next_due)
        plan.next_due = next_plan_date(plan.every, plan.unit, done_on)
        plan.save()
    return replace(logged, plan=PlanMoved(plan.id, plan.what, due_before, plan.next_due))
