"""The 80/20 split over accounts, and who gets the core cadence for it.

An account's revenue and time are its people's, each touch and deal counted where the
person worked when it happened (a person who moved keeps their history with the account
they left: `HealthFacts.moved`). The tier of an account is `key` when the user pinned it,
else core, other or peripheral by the same rule as clients' (`tiers.tiers`), weighed over
the accounts. A person holding a key role (decision maker, champion) at a key or core
account gets the core cadence, whatever their own tier.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cockpit.config import HealthSettings
from cockpit.health.tiers import tiers
from cockpit.storage.health_facts import AT, HealthFacts

_ID, _ACCOUNT, _KEY_ROLE = AT["id"], AT["account_id"], AT["key_role"]


class AccountTier(StrEnum):
    KEY = "key"  # pinned by the user
    CORE = "core"
    OTHER = "other"
    PERIPHERAL = "peripheral"


@dataclass(slots=True)
class AccountFigures:
    """What an account's people brought and took, counted where they were at the time."""

    revenue_cents: int = 0  # over the trailing window (a year)
    stake_cents: int = 0  # over the stake's window (two years)
    minutes: int = 0  # over the trailing window
    weighed: bool = False  # some of it from a won client, neither former nor archived


def account_figures(facts: HealthFacts, weighed: set[int]) -> dict[int, AccountFigures]:
    """Every account's figures, from its people's (the clients in `weighed` alone count
    towards the split, as for clients). It runs in every full judgement (50,000 rows on a
    big book): plain lookups, no object but one per account."""
    figures: dict[int, AccountFigures] = {}
    revenue, stake, minutes, moved = facts.revenue, facts.stake, facts.minutes, facts.moved
    get = figures.get
    for row in facts.clients:
        account = row[_ACCOUNT]
        client_id = row[_ID]
        if client_id in moved:
            for at, cents, staked, spent, _recent in moved[client_id]:
                if at is not None:
                    _add(figures, at, cents, staked, spent, client_id in weighed)
            continue
        if account is None:
            continue
        kept = get(account)
        if kept is None:
            kept = figures[account] = AccountFigures()
        if client_id in weighed:
            kept.revenue_cents += revenue.get(client_id, 0)
            kept.stake_cents += stake.get(client_id, 0)
            kept.minutes += minutes.get(client_id, 0)
            kept.weighed = True
    return figures


def _add(figures: dict, account: int, cents: int, staked: int, spent: int, counted: bool) -> None:
    kept = figures.get(account)
    if kept is None:
        kept = figures[account] = AccountFigures()
    if counted:
        kept.revenue_cents += cents
        kept.stake_cents += staked
        kept.minutes += spent
        kept.weighed = True


def account_tiers(
    figures: dict[int, AccountFigures], pinned: frozenset[int], rules: HealthSettings
) -> tuple[dict[int, AccountTier], int, int]:
    """Each account's tier (`key` for the pinned ones), with the revenue (cents) and
    minutes of all the accounts weighed."""
    weighed = {account for account, kept in figures.items() if kept.weighed}
    found, total_revenue, total_minutes = tiers(
        {account: kept.revenue_cents for account, kept in figures.items() if kept.revenue_cents},
        {account: kept.minutes for account, kept in figures.items() if kept.minutes},
        rules,
        weighed,
    )
    tiered = {account: AccountTier.OTHER for account in figures}
    tiered.update({account: AccountTier(tier.value) for account, tier in found.items()})
    for account in pinned:
        tiered[account] = AccountTier.KEY
    return tiered, total_revenue, total_minutes


CORE_CADENCE_TIERS = frozenset({AccountTier.KEY, AccountTier.CORE})


def core_cadence_people(facts: HealthFacts, tiered: dict[int, AccountTier]) -> set[int]:
    """The people holding a key role at a key or core account (the one they are at now)."""
    return {
        row[_ID]
        for row in facts.clients
        if row[_KEY_ROLE] and tiered.get(row[_ACCOUNT]) in CORE_CADENCE_TIERS
    }


def split(facts: HealthFacts, weighed: set[int], rules: HealthSettings):
    """The accounts' figures and tiers, and the people who get the core cadence."""
    figures = account_figures(facts, weighed)
    tiered, _revenue, _minutes = account_tiers(figures, facts.pinned, rules)
    return figures, tiered, core_cadence_people(facts, tiered)
