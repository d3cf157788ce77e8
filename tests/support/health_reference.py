"""A literal, slow reading of shared/domain/relationship-health.md, for tests only.

It walks every interaction in Python so that it can serve as an independent
check of the demo book now and of the health engine later.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from cockpit.config import settings
from cockpit.storage.models import Client, Deal, Interaction

HONEYMOON_DAYS = 90
CADENCE = {"core": 30, "other": 60, "peripheral": 90}
TOLERANCE = 1.25
LAPSED_DAYS = 365


@dataclass
class Verdict:
    client: Client
    status: str
    tier: str
    won: date | None
    baseline: float | None  # B
    current: float | None  # C
    gap: int | None  # G
    plan: float | None  # P
    recent_touches: int  # n_90
    touch_days: list[date]


def _won_dates(as_of: date) -> dict[int, date]:
    first_deal: dict[int, date] = {}
    for deal in Deal.select().where(Deal.won_on <= as_of):
        current = first_deal.get(deal.client_id)
        if current is None or deal.won_on < current:
            first_deal[deal.client_id] = deal.won_on
    return first_deal


def _tiers(clients, as_of: date, touch_minutes, revenue) -> dict[int, str]:
    won = _won_dates(as_of)
    active = [
        c
        for c in clients
        if c.lifecycle != "former"
        and not c.archived
        and (c.client_since or won.get(c.id)) is not None
        and (c.client_since or won[c.id]) <= as_of
        and (revenue[c.id] or touch_minutes[c.id])
    ]
    total_revenue = sum(revenue[c.id] for c in active)
    total_time = sum(touch_minutes[c.id] for c in active)
    tiers = {c.id: "other" for c in clients}
    if total_revenue:
        cumulative = Decimal(0)
        threshold = None
        for c in sorted(active, key=lambda c: revenue[c.id], reverse=True):
            if revenue[c.id] <= 0:
                break
            if cumulative / total_revenue < Decimal("0.8") or revenue[c.id] == threshold:
                tiers[c.id] = "core"
                threshold = revenue[c.id]
            cumulative += revenue[c.id]
    if not total_revenue or not total_time:
        return tiers

    def intensity(c) -> float:
        time_share = touch_minutes[c.id] / total_time
        if revenue[c.id] == 0:
            return float("inf") if time_share else 0.0
        return time_share / float(revenue[c.id] / total_revenue)

    median_revenue = statistics.median(revenue[c.id] for c in active)
    intensities = sorted(intensity(c) for c in active)
    # The top quarter by nearest rank, as README states.
    cut = 2.0 if len(active) < 12 else intensities[math.ceil(0.75 * len(intensities)) - 1]
    for c in active:
        if (
            tiers[c.id] != "core"
            and revenue[c.id] <= median_revenue
            and intensity(c) > 0
            and intensity(c) >= cut
        ):
            tiers[c.id] = "peripheral"
    return tiers


def verdicts(as_of: date) -> dict[int, Verdict]:
    clients = list(Client.select())
    days: dict[int, set[date]] = defaultdict(set)
    minutes: dict[int, int] = defaultdict(int)
    year_ago = as_of - timedelta(days=365)
    for touch in Interaction.select().where(
        (Interaction.kind != "note") & (Interaction.day <= as_of)
    ):
        days[touch.client_id].add(touch.day)
        if touch.day > year_ago:
            minutes[touch.client_id] += touch.duration_min
    revenue: dict[int, Decimal] = defaultdict(Decimal)
    for deal in Deal.select().where(
        (Deal.won_on > year_ago) & (Deal.won_on <= as_of) & (Deal.currency == settings().currency)
    ):
        revenue[deal.client_id] += deal.amount
    first_deal = _won_dates(as_of)
    tiers = _tiers(clients, as_of, minutes, revenue)
    result = {}
    for client in clients:
        touch_days = sorted(days[client.id])
        won = client.client_since or first_deal.get(client.id)
        if won is not None and won > as_of:
            won = None
        tier = "core" if client.strategic else tiers[client.id]
        verdict = Verdict(client, "prospect", tier, won, None, None, None, None, 0, touch_days)
        result[client.id] = verdict
        if won is None:
            continue
        honeymoon_end = won + timedelta(days=HONEYMOON_DAYS)
        in_honeymoon = [d for d in touch_days if won <= d < honeymoon_end]
        baseline = HONEYMOON_DAYS / len(in_honeymoon) if len(in_honeymoon) >= 3 else None
        recent = [d for d in touch_days if d > as_of - timedelta(days=90)]
        gap = (as_of - touch_days[-1]).days if touch_days else (as_of - won).days
        current = max(90 / max(len(recent), 1), gap)
        plan = float(client.keep_in_touch_days or CADENCE[tier])
        verdict.baseline, verdict.current, verdict.gap = baseline, current, gap
        verdict.plan, verdict.recent_touches = plan, len(recent)
        verdict.status = status_on(as_of, touch_days, won, plan)
        if verdict.status == "steady" and touch_days:
            last = touch_days[-1]
            before = status_on(last - timedelta(days=1), touch_days[:-1], won, plan)
            if before in ("drifting", "lapsed") and as_of < last + timedelta(days=plan):
                verdict.status = "recovering"
    return result


def status_on(day: date, touch_days: list[date], won: date, plan: float) -> str:
    """The status on `day` of a client won on `won`, with `touch_days` (those after `day`
    not counted), before the recovering rule."""
    if won > day:
        return "prospect"
    seen = [d for d in touch_days if d <= day]
    since_won = sorted({d for d in seen if d >= won})
    silence = (day - max([won, *seen])).days
    if silence >= LAPSED_DAYS:
        return "lapsed"
    if day < won + timedelta(days=HONEYMOON_DAYS):
        limit = 21.0
        if len(since_won) >= 3:
            gaps = [(b - a).days for a, b in pairwise(since_won)]
            limit = max(21.0, 3 * sum(gaps) / len(gaps))
        return "drifting" if silence > limit else "honeymoon"
    return "drifting" if silence > TOLERANCE * plan else "steady"


def had_a_lapse(verdict: Verdict) -> bool:
    """Whether contact ever lapsed for longer than the cadence allows after the honeymoon."""
    honeymoon_end = verdict.won + timedelta(days=HONEYMOON_DAYS)
    later = [d for d in verdict.touch_days if d >= honeymoon_end]
    return any((b - a).days > TOLERANCE * verdict.plan for a, b in pairwise(later))
