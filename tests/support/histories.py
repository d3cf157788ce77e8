"""Synthetic client histories for the health engine's tests, in days before TODAY."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from cockpit import health
from cockpit.storage import book

TODAY = date(2026, 11, 23)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def every(step: int, start: int, stop: int = 0) -> list[int]:
    """Days-ago values from `start` down to (not including) `stop`, every `step` days."""
    return list(range(start, stop, -step))


@dataclass
class History:
    """One client's history, in days before TODAY."""

    touches: list[int] = field(default_factory=list)
    deals: list[tuple[int, int]] = field(default_factory=list)  # (days ago, amount)
    notes: list[int] = field(default_factory=list)
    since: int | None = None
    lifecycle: str = "active"
    keep: int | None = None
    strategic: bool = False
    snoozed_for: int | None = None  # days from TODAY; negative: in the past
    sales: set[int] = field(default_factory=set)  # touches (days ago) that were asks
    minutes: int | None = None
    company: str = ""
    roles: tuple[str, ...] = ()  # at their account: "champion", "decision-maker"...


def make(name: str, h: History):
    client = book.add_client(
        name,
        h.company,
        lifecycle=h.lifecycle,
        client_since=ago(h.since) if h.since is not None else None,
        keep_in_touch_days=h.keep,
        strategic=h.strategic,
        snoozed_until=TODAY + timedelta(days=h.snoozed_for) if h.snoozed_for is not None else None,
    )
    if h.roles:
        from cockpit.storage import account_people

        account_people.set_roles(client.id, h.roles)
    for days, amount in h.deals:
        book.add_deal(client, amount, won_on=ago(days))
    for days in h.touches:
        book.add_interaction(
            client,
            "call",
            when=datetime.combine(ago(days), time(10)),
            intent="sales" if days in h.sales else "relationship",
            duration_min=h.minutes,
        )
    for days in h.notes:
        book.add_interaction(client, "note", when=datetime.combine(ago(days), time(11)))
    return client


def judge(histories: dict[str, History], as_of: date = TODAY) -> dict[str, health.ClientHealth]:
    for name, h in histories.items():
        make(name, h)
    return {r.name: r for r in health.compute(as_of)}
