"""Planned communications: the recurring touches a user promised a client."""

from __future__ import annotations

from datetime import date, datetime

from cockpit import clock
from cockpit.date_limits import check_day
from cockpit.errors import ValidationError
from cockpit.storage.models import (
    Client,
    PlannedCommunication,
    database_proxy,
)
from cockpit.storage.reps import client_id_of
from cockpit.validation import next_plan_date, plan_values
from cockpit.vocabulary import PlanUnit


def add_plan(
    client: Client | int,
    what: str,
    every: int,
    unit: PlanUnit | str,
    next_due: date,
    *,
    created_at: datetime | None = None,
) -> PlannedCommunication:
    """Promise a recurring communication, e.g. a quarterly update."""
    return PlannedCommunication.create(
        client=client,
        **plan_values(what, every, unit),
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
    plan_id: int, what: str, every: int, unit: PlanUnit | str, next_due: date
) -> PlannedCommunication:
    values = plan_values(what, every, unit)
    check_day(next_due)
    with database_proxy.atomic():
        plan = PlannedCommunication.get_or_none(PlannedCommunication.id == plan_id)
        if plan is None:
            raise ValidationError("that plan no longer exists")
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
