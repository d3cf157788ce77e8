"""The health of every client on a day: the book's figures (`storage.health_facts`, a
handful of set-based queries), the 80/20 split (`tiers`) and a verdict per client
(`judge`). Python only combines the per-client figures.

`read_facts` and `judged` are the two halves of `compute`, apart so the figures can
be kept and brought up to date (`health.incremental`) instead of read afresh."""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import date

from cockpit.config import HealthSettings, settings
from cockpit.health import accounts
from cockpit.health.judge import Judge, weighed_ids
from cockpit.health.tiers import tiers
from cockpit.health.verdict import ClientHealth, Tier
from cockpit.storage.health_facts import AT, HealthFacts, health_facts
from cockpit.storage.summaries import ensure_summaries

_ID, _KEY_ROLE = AT["id"], AT["key_role"]


@contextmanager
def no_collector_pauses() -> Iterator[None]:
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
    rules = rules or settings().health
    with no_collector_pauses():
        return judged(read_facts(as_of, rules), as_of, rules)


def read_facts(
    as_of: date, rules: HealthSettings, only: Collection[int] | None = None
) -> HealthFacts:
    """What the verdicts on `as_of` are made of: every client's figures (or those of the
    clients in `only`)."""
    ensure_summaries()
    return health_facts(
        as_of,
        window_days=rules.window_days,
        recent_days=rules.recent_days,
        stake_days=rules.stake_days,
        currency=settings().currency,
        only=only,
    )


def judged(
    facts: HealthFacts,
    as_of: date,
    rules: HealthSettings,
    only: Collection[int] | None = None,
) -> list[ClientHealth]:
    """The verdict on every client of `facts` (or on those in `only`), by name: the tiers
    and the shares are weighed over the whole book whatever `only` says."""
    rows, revenue, minutes = facts.clients, facts.revenue, facts.minutes
    weighed = weighed_ids(rows, as_of)
    found, total_revenue, total_minutes = tiers(revenue, minutes, rules, weighed)
    total_stake = sum(cents for client_id, cents in facts.stake.items() if client_id in weighed)
    core_cadence = set()
    if any(row[_KEY_ROLE] for row in rows):
        core_cadence = accounts.split(facts, weighed, rules)[2]
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
        core_cadence,
    )
    other = Tier.OTHER
    if only is not None:
        wanted = only if isinstance(only, (set, frozenset)) else set(only)
        rows = [row for row in rows if row[_ID] in wanted]
    return [judge(row, found.get(row[_ID], other)) for row in rows]
