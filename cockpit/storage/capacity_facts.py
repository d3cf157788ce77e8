"""What the capacity check weighs, read in a few queries: the minutes each client's touches
usually take (by kind too), the planned communications, and the open account-plan actions.
Notes are no touches and count nowhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median_low

from peewee import JOIN

from cockpit.storage.models import (
    Account,
    AccountPlan,
    Interaction,
    PlanAction,
    PlannedCommunication,
    database_proxy,
)
from cockpit.vocabulary import Kind


@dataclass(frozen=True)
class UsualMinutes:
    """The minutes a client's touches usually take (the median): over all their touches,
    and by kind."""

    by_client: dict[int, int]
    by_client_kind: dict[tuple[int, str], int]


@dataclass(frozen=True)
class PlanRow:
    client_id: int
    kind: str
    every: int
    unit: str


@dataclass(frozen=True)
class OpenAction:
    action_id: int
    client_id: int | None  # the person it is with, when named
    plan_client_id: int | None  # the client of a client's own plan
    account_owner: str | None  # the key account manager of the plan's account
    kind: str


def usual_minutes(start: date, end: date) -> UsualMinutes:
    """The median minutes of each client's touches from `start` to `end` (both included)."""
    query = (
        Interaction.select(Interaction.client, Interaction.kind, Interaction.duration_min)
        .where(
            (Interaction.day >= start)
            & (Interaction.day <= end)
            & (Interaction.kind != Kind.NOTE.value)
        )
        .order_by(Interaction.client)
    )
    sql, params = query.sql()
    per_client: dict[int, list[int]] = {}
    per_kind: dict[tuple[int, str], list[int]] = {}
    for client_id, kind, minutes in database_proxy.execute_sql(sql, params):
        per_client.setdefault(client_id, []).append(minutes)
        per_kind.setdefault((client_id, kind), []).append(minutes)
    return UsualMinutes(_medians(per_client), _medians(per_kind))


def _medians(lists: dict) -> dict:
    return {key: int(median_low(values)) for key, values in lists.items()}


def planned_communications() -> list[PlanRow]:
    rows = PlannedCommunication.select(
        PlannedCommunication.client,
        PlannedCommunication.kind,
        PlannedCommunication.every,
        PlannedCommunication.unit,
    ).tuples()
    return [PlanRow(*row) for row in rows]


def open_actions() -> list[OpenAction]:
    """The account-plan actions not done yet."""
    rows = (
        PlanAction.select(
            PlanAction.id,
            PlanAction.client,
            AccountPlan.client,
            Account.owner,
            PlanAction.kind,
        )
        .join(AccountPlan)
        .join(Account, JOIN.LEFT_OUTER, on=(Account.id == AccountPlan.account))
        .where(PlanAction.done_on.is_null())
        .tuples()
    )
    return [OpenAction(*row) for row in rows]
