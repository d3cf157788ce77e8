"""Capacity: the hours a week your promises need, against the hours you said you have
(`capacity_hours_per_week` in config.toml).

What a week needs, per client, each touch taking the minutes the client's touches usually
take (the median over the rules' window, by kind where it has touches of that kind; else
the kind's own default, a call's for a cadence):
- its planned communications, each as often as it is planned, and those to a segment it is
  in (a tier, its account, a tag);
- its keep-in-touch cadence, for the touches the plans do not already make (a monthly
  call keeps a cadence of 30 days on its own);
- the open actions of the account plans, each spread over the next quarter (13 weeks).
An action naming nobody counts with the other clients. Each client counts in the tier the
engine gives it today.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cockpit import segments
from cockpit.config import settings
from cockpit.health import Tier
from cockpit.health_cache import cached_compute, keep_values, kept_beside, kept_values
from cockpit.storage import capacity_facts
from cockpit.vocabulary import KIND_INFO, Kind, Lifecycle

TIERS = (Tier.CORE.value, Tier.OTHER.value, Tier.PERIPHERAL.value)
SOURCES = ("cadences", "planned", "actions")
SOURCE_TITLES = {
    "cadences": "keep-in-touch cadences",
    "planned": "planned communications",
    "actions": "account plan actions",
}
ACTION_WEEKS = 13  # an open action's minutes are spread over a quarter
CADENCE_KIND = Kind.CALL  # what a cadence's touch is taken to be without a usual length
DAYS_IN = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12}
RELAXED_FACTOR = 2  # relaxing a cadence doubles it...
RELAXED_MOST_DAYS = 365  # ...up to a year
PERIPHERAL_LISTED = 10  # the peripheral clients offered for relaxing, the most demanding first
_KEPT = ".usual-minutes"
_LAYOUT = ("usual minutes", 1)


@dataclass(frozen=True)
class ClientDemand:
    """What one client's promises need each week, in minutes, by source (SOURCES order)."""

    client_id: int
    tier: str
    cadence_days: float | None
    cadence_source: str | None  # "set", "tier default" or "key role" (the engine's words)
    touch_minutes: int  # what one of their touches usually takes
    minutes: tuple[float, float, float]

    @property
    def total(self) -> float:
        return sum(self.minutes)

    @property
    def relaxed_days(self) -> int | None:
        """The cadence relaxing it gives (None: no cadence to relax, or already a year)."""
        if self.cadence_days is None or self.cadence_days >= RELAXED_MOST_DAYS:
            return None
        return min(RELAXED_MOST_DAYS, round(self.cadence_days * RELAXED_FACTOR))

    def saved_by_relaxing(self) -> float:
        """The minutes a week relaxing the cadence frees (0 when it frees none)."""
        relaxed = self.relaxed_days
        if relaxed is None or self.cadence_days is None or not self.minutes[0]:
            return 0.0
        return self.minutes[0] * (1 - self.cadence_days / relaxed)


@dataclass(frozen=True)
class Demand:
    by_tier: dict[str, tuple[float, float, float]]  # minutes a week, by source
    peripheral: list[ClientDemand]  # the peripheral clients with a cadence to relax

    @property
    def minutes(self) -> float:
        return sum(sum(each) for each in self.by_tier.values())

    def tier_minutes(self, tier: str) -> float:
        return sum(self.by_tier[tier])

    def source_minutes(self, source: str) -> float:
        at = SOURCES.index(source)
        return sum(each[at] for each in self.by_tier.values())

    def over(self, capacity: float | None) -> bool:
        return capacity is not None and self.minutes > capacity * 60 + 0.5


def hours(minutes: float) -> str:
    """Time as a person says it: "14.5 h", "10 h", under an hour "25 min"."""
    if minutes < 59.5:
        return "under 1 min" if 0 < minutes < 0.5 else f"{round(minutes)} min"
    text = f"{minutes / 60:.1f}".removesuffix(".0")
    return f"{text} h"


def capacity_hours() -> float | None:
    """The hours a week the user said they have (None when not said)."""
    return settings().capacity_hours_per_week


def sentence(found: Demand, capacity: float | None, *, team: bool = False) -> str:
    """What the plans need against the capacity, in one or two sentences."""
    whose = "The team's plans" if team else "Your plans"
    need = f"{whose} need {hours(found.minutes)} a week"
    if team or capacity is None:
        return need + "."
    said = hours(capacity * 60)
    if not found.over(capacity):
        return f"{need} of the {said} you said you have."
    peripheral = found.tier_minutes(Tier.PERIPHERAL.value)
    text = f"{need}; you said {said}."
    if peripheral >= 3:
        text += f" Peripheral clients take {hours(peripheral)} of it."
    return text


def demand(as_of: date, reps: Sequence[str] | None = None) -> Demand:
    """What the promises to the clients of `reps` (owners; "" takes in those nobody owns),
    or of the whole book, need each week. The minutes each client's touches usually take
    are kept beside the verdicts (they change with the touches); the plans and actions,
    few and changed apart from the touches, are read each time."""
    return _worked_out(as_of, reps, _usual_minutes(as_of))


_in_memory: dict[tuple, capacity_facts.UsualMinutes] = {}  # the last ones read, by key


def _usual_minutes(as_of: date) -> capacity_facts.UsualMinutes:
    file, key = kept_beside(_KEPT, as_of)
    if file is not None:
        memory_key = (str(file), key)
        if memory_key in _in_memory:
            return _in_memory[memory_key]
        kept = _read(file, key)
        if kept is not None:
            _in_memory.clear()
            _in_memory[memory_key] = kept
            return kept
    window = settings().health.window_days
    found = capacity_facts.usual_minutes(as_of - timedelta(days=window - 1), as_of)
    if file is not None and kept_beside(_KEPT, as_of)[1] == key:
        by_kind = [
            (client, kind, minutes) for (client, kind), minutes in found.by_client_kind.items()
        ]
        keep_values(file, [_LAYOUT, key, list(found.by_client.items()), by_kind])
    return found


def _read(file, key: tuple) -> capacity_facts.UsualMinutes | None:
    try:
        values = kept_values(file)
        if next(values) != _LAYOUT or next(values) != key:
            return None
        by_client, by_kind = next(values), next(values)
        return capacity_facts.UsualMinutes(
            dict(by_client), {(client, kind): minutes for client, kind, minutes in by_kind}
        )
    except (OSError, EOFError, ValueError, TypeError, StopIteration):
        return None


def _worked_out(
    as_of: date, reps: Sequence[str] | None, usual: capacity_facts.UsualMinutes
) -> Demand:
    verdicts = [v for v in cached_compute(as_of) if not v.archived]
    if reps is not None:
        from cockpit.storage import book

        owned = book.clients_of(list(reps))
        verdicts = [v for v in verdicts if v.id in owned]
    tier_of = {v.id: v.tier.value for v in verdicts}

    def minutes_of(client_id: int | None, kind: str) -> int:
        found = usual.by_client_kind.get((client_id, kind)) if client_id is not None else None
        if found is not None:
            return found
        known = {each.value: each for each in Kind}
        return KIND_INFO[known.get(kind, CADENCE_KIND)].minutes

    plan_touches: dict[int, float] = {}  # touches a week the plans make
    plan_minutes: dict[int, float] = {}
    for plan in capacity_facts.planned_communications():
        if plan.client_id not in tier_of or plan.kind == Kind.NOTE.value:
            continue
        a_week = 7 / (plan.every * DAYS_IN.get(plan.unit, DAYS_IN["months"]))
        plan_touches[plan.client_id] = plan_touches.get(plan.client_id, 0) + a_week
        plan_minutes[plan.client_id] = plan_minutes.get(plan.client_id, 0) + a_week * minutes_of(
            plan.client_id, plan.kind
        )
    by_id = {v.id: v for v in verdicts}
    for communication in segments.communications_of(reps):
        a_week = 7 / (communication.every * DAYS_IN.get(communication.unit, DAYS_IN["months"]))
        for client_id in segments.recipient_ids(communication.segment, by_id, None):
            plan_touches[client_id] = plan_touches.get(client_id, 0) + a_week
            plan_minutes[client_id] = plan_minutes.get(client_id, 0) + a_week * minutes_of(
                client_id, communication.kind
            )
    action_minutes: dict[int | None, float] = {}
    ours = None if reps is None else set(reps)
    for action in capacity_facts.open_actions():
        client_id = action.client_id or action.plan_client_id
        if client_id is not None and client_id not in tier_of:
            continue  # another rep's client, or archived
        if client_id is None and ours is not None and (action.account_owner or "") not in ours:
            continue
        spread = minutes_of(client_id, action.kind) / ACTION_WEEKS
        action_minutes[client_id] = action_minutes.get(client_id, 0) + spread
    by_tier = {tier: [0.0, 0.0, 0.0] for tier in TIERS}
    peripheral = []
    former, peripheral_tier = Lifecycle.FORMER.value, Tier.PERIPHERAL.value
    usual_touch, default_touch = usual.by_client, KIND_INFO[CADENCE_KIND].minutes
    for verdict in verdicts:  # 10,000 clients and more: lookups kept out of the loop
        client_id, tier = verdict.id, tier_of[verdict.id]
        cadence = None if verdict.lifecycle == former else verdict.plan_interval
        touch = usual_touch.get(client_id, default_touch)
        extra = 0.0
        if cadence is not None:
            extra = max(0.0, 7 / cadence - plan_touches.get(client_id, 0)) * touch
        planned, actions = plan_minutes.get(client_id, 0.0), action_minutes.get(client_id, 0.0)
        sums = by_tier[tier]
        sums[0] += extra
        sums[1] += planned
        sums[2] += actions
        if tier == peripheral_tier and extra > 0:
            peripheral.append(
                ClientDemand(
                    client_id, tier, cadence, verdict.plan_source, touch, (extra, planned, actions)
                )
            )
    by_tier[Tier.OTHER.value][2] += action_minutes.get(None, 0.0)
    peripheral.sort(key=lambda each: (-each.saved_by_relaxing(), -each.total, each.client_id))
    return Demand({tier: tuple(values) for tier, values in by_tier.items()}, peripheral)
