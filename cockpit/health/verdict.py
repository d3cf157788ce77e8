"""A verdict on one client: its kinds (`Health`, `Tier`), `ClientHealth` with the numbers
behind it and its explanations in plain words, its field list (`FIELDS`) and the order in
which verdicts need attention."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from operator import itemgetter
from types import NoneType
from typing import get_args, get_type_hints

from cockpit.config import HealthSettings
from cockpit.vocabulary import Lifecycle


class Health(StrEnum):
    PROSPECT = "prospect"  # no won deal yet
    HONEYMOON = "honeymoon"  # within the first days after winning
    STEADY = "steady"
    RECOVERING = "recovering"  # touched again after drifting, for one cadence
    DRIFTING = "drifting"  # silent for longer than its cadence allows
    LAPSED = "lapsed"  # no touch for a year: win back or let go


class Stake(StrEnum):
    """What is at stake with a client: its share of the revenue (or a strategic pin)."""

    HIGH = "high"
    SOME = "some"
    LOW = "low"


class Tier(StrEnum):
    CORE = "core"  # the few clients that bring most of the revenue
    PERIPHERAL = "peripheral"  # much of your time for little of your revenue
    OTHER = "other"


class ClientHealth(tuple):
    """The verdict on one client and the numbers behind it.

    A tuple, its fields read by position (`FIELDS` names them): the engine makes one per
    client, 50,000 on a big book, and a tuple is made in one step where an object with
    38 attributes takes 38 (a third of the engine's judging time)."""

    __slots__ = ()

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
    previous_touch: date | None  # the touch day before the last one
    honeymoon_touch_days: int
    honeymoon_interval: float | None  # B: days between touch days in the honeymoon
    current_interval: float | None  # how often lately
    plan_interval: float | None  # P: the keep-in-touch cadence
    plan_source: str | None  # "set" (the client's own), "tier default" or "key role" (core's)
    in_honeymoon: bool  # judged by the honeymoon's rule (a drift in it is still drifting)
    silence_limit: float | None  # the days without a touch that make it drifting
    fell_behind: bool  # drifting, with the honeymoon's pace to compare with
    severity: float  # how far behind: the silence over its limit; 0 when not drifting
    stake: Stake
    stake_share: float  # its share of the revenue of the stake's window
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
    as_of: date
    rules: HealthSettings

    def __new__(cls, *values: object) -> ClientHealth:
        return tuple.__new__(cls, values)

    def __getnewargs__(self) -> tuple:
        return tuple(self)

    def __repr__(self) -> str:
        shown = (f"{name}={value!r}" for (name, _), value in zip(FIELDS[:-2], self, strict=False))
        return f"ClientHealth({', '.join(shown)})"

    @property
    def drifting(self) -> bool:
        return self.health is Health.DRIFTING

    @property
    def still_a_client(self) -> bool:
        """Neither a former client nor archived: in the lists, the reviews, the agendas."""
        return not self.archived and self.lifecycle != Lifecycle.FORMER.value

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
        health = self.health
        if health is Health.PROSPECT:
            return f"No won deal yet; {last}"
        silence = self._silence
        if health is Health.LAPSED:
            if self.last_touch is None or self.last_touch < self.won_on:
                return (
                    f"No touch since winning {_short(self.won_on)}, {silence} days ago: "
                    "win back or let go."
                )
            return f"No touch for {silence} days: win back or let go."
        if health is Health.HONEYMOON:
            return (
                f"In the honeymoon until {_short(self.honeymoon_end)} (won {_short(self.won_on)}); "
                f"{self.honeymoon_touch_days} touch days so far; {last}"
            )
        cadence = f"the cadence is {_days(self.plan_interval)}"
        if self.plan_source == "key role":
            cadence += ", a key person's at a key or core account"
        if health is Health.DRIFTING:
            stake = self.stake_phrase
            if self.in_honeymoon:
                return (
                    f"{stake}Won {_short(self.won_on)}; no touch for {silence} days of the "
                    f"honeymoon (drifting after {math.floor(self.silence_limit)})."
                )
            line = f"{stake}No touch for {silence} days; {cadence}"
            if self.last_touch is None or self.last_touch < self.won_on:
                line = (
                    f"{stake}No touch since winning {_short(self.won_on)}, {silence} days ago; "
                    f"{cadence}"
                )
            elif self.fell_behind:
                line = (
                    f"{stake}Was {_days(self.honeymoon_interval)} in the first "
                    f"{self.rules.honeymoon_days} days after winning; no touch for {silence} "
                    f"days now; {cadence}"
                )
            return line + "."
        if health is Health.RECOVERING:
            since = self.previous_touch
            if since is None or since < self.won_on:
                since = self.won_on  # the silence that made it drift was counted from the win
            before = (self.last_touch - since).days
            after = f" after {before} days without one" if before > 0 else ""
            return (
                f"Back in touch {_ago(gap)}{after}; recovering until "
                f"{_short(self.recovered_on)}, then judged afresh."
            )
        lately = _days(self.current_interval).capitalize()
        line = f"{lately} lately; {cadence}; {last}"
        if self.plan_source == "tier default" and self.honeymoon_interval is None:
            line += " Too few touches in the honeymoon to compare with."
        return line

    @property
    def _silence(self) -> int:
        """Days without a touch: since the last touch, or the win when it came later."""
        since = self.last_touch
        if since is None or (self.won_on is not None and self.won_on > since):
            since = self.won_on
        return (self.as_of - since).days

    @property
    def drifts_on(self) -> date | None:
        """The first day the engine judges the client drifting if no touch comes: `as_of`
        when it is drifting now, else the day its silence first passes the limit of that
        day (the honeymoon's while it lasts, then the cadence times the tolerance). None
        for a prospect, a lapsed client, and one whose silence would reach the lapsed
        days first. Snoozing and the tier the client may take later are not foreseen."""
        health = self.health
        if health is Health.DRIFTING:
            return self.as_of
        if health in (Health.PROSPECT, Health.LAPSED) or self.plan_interval is None:
            return None
        since = self.as_of - timedelta(days=self._silence)
        day = None
        if self.in_honeymoon:  # the honeymoon's limit, while the honeymoon lasts
            day = since + timedelta(days=math.floor(self.silence_limit) + 1)
            if day >= self.honeymoon_end:
                day = None
        if day is None:
            limit = self.rules.cadence_tolerance * self.plan_interval
            day = since + timedelta(days=math.floor(limit) + 1)
            if self.honeymoon_end is not None and day < self.honeymoon_end:
                day = self.honeymoon_end
        if (day - since).days >= self.rules.lapsed_days:
            return None
        return day

    @property
    def recovered_on(self) -> date | None:
        """The day a recovering client is judged afresh: one cadence after its last touch."""
        if self.last_touch is None or self.plan_interval is None:
            return None
        return self.last_touch + timedelta(days=math.ceil(self.plan_interval))

    @property
    def stake_phrase(self) -> str:
        """What is at stake, to lead an explanation ("18% of your revenue. "); "" when little
        is (under the `stake_some_share` of the revenue)."""
        if self.strategic:
            return "Pinned as strategic. "
        if self.stake is Stake.LOW:
            return ""
        share = _percent(self.stake_share)
        return f"{share[0].upper()}{share[1:]} of your revenue. "

    @property
    def tier_explanation(self) -> str:
        if not self.counted:
            if self.lifecycle == Lifecycle.FORMER.value:
                why = "a former client"
            elif self.archived:
                why = "archived"
            else:
                why = "no won deal yet"

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
    def mostly_gives(self) -> bool:
        """More of the recent touches were gives than asks."""
        return self.give_ratio is not None and self.give_ratio > 0.5 and not self.mostly_asks

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


# A verdict's fields in order, each with its type: the one layout that the engine builds
# verdicts in (positionally, in `judge.Judge`), the cache file keeps and the JSON output shows.
FIELDS: tuple[tuple[str, object], ...] = tuple(get_type_hints(ClientHealth).items())
for _at, (_name, _kind) in enumerate(FIELDS):
    setattr(ClientHealth, _name, property(itemgetter(_at)))


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


_STAKE_ORDER = {Stake.HIGH: 0, Stake.SOME: 1, Stake.LOW: 2}


def attention_order(result: ClientHealth) -> tuple:
    """Those needing attention first: drifting clients by what is at stake (a strategic
    pin or 10% of the revenue, then 2%, then the rest), each band the furthest behind
    first; then everyone else the same way."""
    return (
        not result.needs_attention,
        not result.drifting,
        _STAKE_ORDER[result.stake],
        -result.severity,
        result.name.casefold(),
        result.id,
    )


def needing_attention(results: list[ClientHealth]) -> list[ClientHealth]:
    """The clients to act on now, in the order to act on them."""
    return sorted((r for r in results if r.needs_attention), key=attention_order)
