"""The health of every client on a day: the book's figures (`storage.health_facts`, a
handful of set-based queries), the 80/20 split (`tiers`) and a verdict per client
(`judge`). Python only combines the per-client figures."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from cockpit.config import HealthSettings, settings
from cockpit.health.judge import Judge, weighed_ids
from cockpit.health.tiers import tiers
from cockpit.health.verdict import ClientHealth, Tier
from cockpit.storage import book
from cockpit.storage.health_facts import AT, health_facts

_ID = AT["id"]


@contextmanager
def _no_collector_pauses() -> Iterator[None]:
    """Making 10,000 verdicts would set off the cyclic garbage collector several times,
    each walking every object of the process; nothing here makes cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compute(as_of: date, rules: HealthSettings | None = None) -> list[ClientHealth]:
    """The health of every client (archived and former ones included) on `as_of`, by name."""
    with _no_collector_pauses():
        return _compute(as_of, rules or settings().health)


def _compute(as_of: date, rules: HealthSettings) -> list[ClientHealth]:
    book.ensure_summaries()
    facts = health_facts(
        as_of,
        window_days=rules.window_days,
        recent_days=rules.recent_days,
        stake_days=rules.stake_days,
        currency=settings().currency,
    )
    rows, revenue, minutes = facts.clients, facts.revenue, facts.minutes
    weighed = weighed_ids(rows, as_of)
    found, total_revenue, total_minutes = tiers(rows, revenue, minutes, rules, weighed)
    total_stake = sum(cents for client_id, cents in facts.stake.items() if client_id in weighed)
    judge = Judge(
        as_of,
        rules,
        revenue,
        facts.stake,
        minutes,
        facts.recent,
        facts.referrals,
        total_revenue,
        total_stake,
        total_minutes,
        weighed,
    )
    other = Tier.OTHER
    return [judge(row, found.get(row[_ID], other)) for row in rows]
