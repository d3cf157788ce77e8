"""A verdict on one client: its kinds (`Health`, `Tier`), `ClientHealth` with the numbers
behind it and its explanations in plain words, its field list (`FIELDS`) and the order in
which verdicts need attention."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import NoneType
from typing import get_args, get_type_hints

from cockpit.config import HealthSettings
from cockpit.vocabulary import Lifecycle


class Health(StrEnum):
    PROSPECT = "prospect"  # no won deal yet
    HONEYMOON = "honeymoon"  # within the first days after winning
    STEADY = "steady"
    DRIFTING = "drifting"


class Tier(StrEnum):
    CORE = "core"  # the few clients that bring most of the revenue
    PERIPHERAL = "peripheral"  # much of your time for little of your revenue
    OTHER = "other"


@dataclass(slots=True)
class ClientHealth:
    """The verdict on one client and the numbers behind it."""

    id: int
    name: str
    company: str
    lifecycle: str
    archived: bool
    strategic: bool
    snoozed_until: date | None
    keep_in_touch_days: int | None  # the interval the user set, if any
    health: Health
    won_on: date | None
    honeymoon_end: date | None
    last_touch: date | None
    days_since_last_touch: int | None
    honeymoon_touch_days: int
    honeymoon_interval: float | None  # B: days between touch days in the honeymoon
    current_interval: float | None  # C
    plan_interval: float | None  # P
    plan_source: str | None  # "set", "derived" or "tier default"
    fell_behind: bool  # C >= drift_factor x B and C > P
    severity: float  # how far behind: 0 when not drifting
    tier: Tier
    revenue_cents: int
    revenue_share: float
    time_minutes: int
    time_share: float
    recent_touches: int
    recent_gives: int
    give_ratio: float | None
    referral_ask_due: bool
    needs_attention: bool
    counted: bool  # weighed in the 80/20 split: active, not archived
    as_of: date = field(repr=False)
    rules: HealthSettings = field(repr=False, compare=False)

    @property
    def drifting(self) -> bool:
        return self.health is Health.DRIFTING

    @property
    def counts_as_core(self) -> bool:
        """Core by revenue, or pinned as strategic by the user."""
        return self.tier is Tier.CORE or self.strategic

    @property
    def revenue(self) -> Decimal:
        return Decimal(self.revenue_cents).scaleb(-2)

    @property
    def explanation(self) -> str:
        """The verdict in one line of plain words."""
        gap = self.days_since_last_touch
        last = f"last touch {_ago(gap)}." if gap is not None else "never contacted."
        if self.health is Health.PROSPECT:
            return f"No won deal yet; {last}"
        if self.health is Health.HONEYMOON:
            return (
                f"In the honeymoon until {_short(self.honeymoon_end)} (won {_short(self.won_on)}); "
                f"{self.honeymoon_touch_days} touch days so far; {last}"
            )
        plan = _days(self.plan_interval)
        if self.health is Health.DRIFTING:
            if self.fell_behind:
                return (
                    f"Was {_days(self.honeymoon_interval)} in the first "
                    f"{self.rules.honeymoon_days} days after winning; "
                    f"{_days(self.current_interval)} now; {last}"
                )
            if gap is None:
                since = (self.as_of - self.won_on).days
                return (
                    f"No touch since winning {_short(self.won_on)}, {since} days ago; "
                    f"the plan is {plan}."
                )
            return f"No touch for {gap} days; the plan is {plan}."
        lately = _days(self.current_interval).capitalize()
        if self.current_interval > self.plan_interval:
            # Steady only because the lapse rule has not fired yet: say when it will.
            lapse = math.floor(self.rules.lapse_factor * self.plan_interval) + 1
            line = f"{lately} lately, behind the plan of {plan}; {last[:-1]}; drifting after "
            line += f"{lapse} days without a touch."
        else:
            line = f"{lately} lately, within the plan of {plan}; {last}"
        if self.plan_source == "tier default" and self.honeymoon_interval is None:
            line += " Too few touches in the honeymoon to compare with."
        return line

    @property
    def tier_explanation(self) -> str:
        if not self.counted:
            why = (
                "a former client"
                if self.lifecycle == Lifecycle.FORMER.value
                else ("archived" if self.archived else f"a {self.lifecycle}")
            )
            return f"Not weighed in the 80/20 split: {why}."
        revenue, time = _percent(self.revenue_share), _percent(self.time_share)
        shares = f"{revenue} of your revenue, {time} of your time"
        if self.tier is Tier.CORE:
            return f"Core: {revenue} of your revenue in the last year."
        if self.strategic:
            return f"Pinned as strategic; {shares}."
        return f"{shares[0].upper()}{shares[1:]}."

    @property
    def mostly_asks(self) -> bool:
        """Most recent touches were asks (fewer gives than the rules' floor)."""
        return self.give_ratio is not None and self.give_ratio < self.rules.give_ratio_floor

    @property
    def give_explanation(self) -> str | None:
        """Said only when most recent touches were asks."""
        if not self.mostly_asks:
            return None
        asks = self.recent_touches - self.recent_gives
        days = self.rules.recent_days
        if self.recent_touches == 1:
            return f"Your only touch in the last {days} days was an ask."
        return f"{asks} of your {self.recent_touches} touches in the last {days} days were asks."


def _typed_fields(verdict_class: type) -> tuple[tuple[str, object], ...]:
    hints = get_type_hints(verdict_class)
    return tuple((each.name, hints[each.name]) for each in fields(verdict_class))


# A verdict's fields in order, each with its type: the one layout that the engine builds
# verdicts in (positionally, in `judge.Judge`), the cache file keeps and the JSON output shows.
FIELDS = _typed_fields(ClientHealth)


def value_type(kind: object) -> object:
    """The type of a field's values besides None: `date` for `date | None`."""
    others = [each for each in get_args(kind) if each is not NoneType]
    return others[0] if len(others) == 1 else kind


def _percent(share: float) -> str:
    if 0 < share < 0.01:
        return "under 1%"
    return f"{share:.0%}"


def _days(value: float) -> str:
    count = max(1, math.floor(value + 0.5))
    return "every day" if count == 1 else f"every {count} days"


def _ago(days: int) -> str:
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


def _short(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def attention_order(result: ClientHealth) -> tuple:
    """Those needing attention first: drifting core clients, then the other drifting
    clients, worst first; then everyone else the same way."""
    return (
        not result.needs_attention,
        not result.drifting,
        not result.counts_as_core,
        -result.severity,
        result.name.casefold(),
        result.id,
    )


def needing_attention(results: list[ClientHealth]) -> list[ClientHealth]:
    """The clients to act on now, in the order to act on them."""
    return sorted((r for r in results if r.needs_attention), key=attention_order)
