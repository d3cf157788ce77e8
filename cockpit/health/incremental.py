"""Figures kept at one revision of the book, brought up to date after a few writes: the
clients changed since are read afresh, every other client's figures are kept. The
verdicts are then judged again over the whole book (`engine.judged`), as a deal on one
client can change another's tier and every share."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from cockpit.config import HealthSettings
from cockpit.health import engine
from cockpit.storage.health_facts import AT, HealthFacts, client_order, pinned

_ID = AT["id"]
MOST_CHANGED = 500  # more changed clients than this: every figure is read afresh


def brought_up_to_date(
    facts: HealthFacts, changed: set[int], as_of: date, rules: HealthSettings
) -> HealthFacts | None:
    """`facts` with the clients in `changed` read afresh (added, edited or gone); None
    when so many changed that reading everything costs less, or when the kept figures
    turn out not to be of this book."""
    if not changed:  # a change to the accounts alone, such as a pin
        return replace(facts, pinned=pinned())
    if len(changed) > MOST_CHANGED:
        return None
    fresh = engine.read_facts(as_of, rules, only=changed)
    by_id = {row[_ID]: row for row in facts.clients}
    for client_id in changed:
        by_id.pop(client_id, None)
    by_id.update((row[_ID], row) for row in fresh.clients)
    order = client_order()
    if len(order) != len(by_id):
        return None
    try:
        clients = [by_id[client_id] for client_id in order]
    except KeyError:
        return None
    return HealthFacts(
        clients,
        _patched(facts.revenue, fresh.revenue, changed),
        _patched(facts.stake, fresh.stake, changed),
        _patched(facts.minutes, fresh.minutes, changed),
        _patched(facts.recent, fresh.recent, changed),
        _patched(facts.referrals, fresh.referrals, changed),
        _patched(facts.moved, fresh.moved, changed),
        fresh.pinned,  # read whole every time: a few ids
    )


def _patched(kept: dict, fresh: dict, changed: set[int]) -> dict:
    figures = kept.copy()
    for client_id in changed:
        figures.pop(client_id, None)
    figures.update(fresh)
    return figures
