"""The rules, applied to one client's figures: its verdict (README, "How Cockpit judges a
relationship"; the thresholds are `HealthSettings`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from cockpit.config import HealthSettings
from cockpit.health.verdict import ClientHealth, Health, Tier
from cockpit.storage.health_facts import AT
from cockpit.vocabulary import Lifecycle

# Positions in a client's row of `HealthFacts.clients`.
_ID, _NAME, _COMPANY, _LIFECYCLE = AT["id"], AT["name"], AT["company"], AT["lifecycle"]
_ARCHIVED, _STRATEGIC, _SNOOZED = AT["archived"], AT["strategic"], AT["snoozed_until"]
_KEEP, _WON, _END = AT["keep_in_touch_days"], AT["won_on"], AT["honeymoon_end"]
_LAST, _HONEYMOON_DAYS = AT["last_touch"], AT["honeymoon_touch_days"]
_NO_RECENT = (0, 0, 0)

_ACTIVE, _FORMER = Lifecycle.ACTIVE.value, Lifecycle.FORMER.value
_PROSPECT, _HONEYMOON, _STEADY, _DRIFTING = Health  # read once: the judge runs per client
_CORE = Tier.CORE


@dataclass
class Judge:
    """Turns one client's figures into its verdict.

    It runs once per client (10,000 times for a big book), so the rules are read
    into plain attributes once and the verdict is built positionally.
    """

    as_of: date
    rules: HealthSettings
    revenue: dict[int, int]
    minutes: dict[int, int]
    recent: dict[int, tuple[int, int, int]]
    referrals: dict[int, date | None]
    total_revenue: int
    total_minutes: int

    def __post_init__(self) -> None:
        rules = self.rules
        self.tier_plan = {tier: rules.tier_plan_days(tier.value) for tier in Tier}
        self.ask_again_before = self.as_of - timedelta(days=rules.referral_every_days)

    def __call__(self, row: tuple, tier: Tier) -> ClientHealth:
        as_of, rules = self.as_of, self.rules
        client_id = row[_ID]
        strategic = row[_STRATEGIC]
        won = row[_WON]
        if won is not None and won > as_of:
            won = None
        honeymoon_end = row[_END] if won is not None else None
        last_touch = row[_LAST]
        gap = (as_of - last_touch).days if last_touch is not None else None
        honeymoon_touch_days = row[_HONEYMOON_DAYS] or 0
        recent_days, recent, gives = self.recent.get(client_id, _NO_RECENT)
        baseline = current = plan = plan_source = None
        fell_behind = False
        severity = 0.0
        if won is None:
            health = _PROSPECT
        else:
            if honeymoon_touch_days >= rules.min_honeymoon_touches:
                baseline = rules.honeymoon_days / honeymoon_touch_days
            since_contact = gap if gap is not None else (as_of - won).days
            current = rules.recent_days / (recent_days or 1)
            if since_contact > current:
                current = since_contact
            tier_plan = self.tier_plan[_CORE if strategic else tier]
            if row[_KEEP]:
                plan, plan_source = float(row[_KEEP]), "set"
            elif baseline is not None:
                plan = min(max(rules.plan_factor * baseline, rules.plan_min_days), tier_plan)
                plan_source = "derived"
            else:
                plan, plan_source = float(tier_plan), "tier default"
            if as_of < honeymoon_end:
                health = _HONEYMOON
            else:
                fell_behind = (
                    baseline is not None
                    and current >= rules.drift_factor * baseline
                    and current > plan
                )
                if fell_behind or since_contact > rules.lapse_factor * plan:
                    health = _DRIFTING
                    severity = max(current / baseline if baseline else 0.0, since_contact / plan)
                else:
                    health = _STEADY
        revenue_cents = self.revenue.get(client_id, 0)
        minutes = self.minutes.get(client_id, 0)
        lifecycle, archived = row[_LIFECYCLE], row[_ARCHIVED]
        listable = lifecycle != _FORMER and not archived
        weighed = lifecycle == _ACTIVE and not archived
        snoozed_until = row[_SNOOZED]
        awake = snoozed_until is None or snoozed_until <= as_of
        if weighed:
            revenue_share = revenue_cents / self.total_revenue if self.total_revenue else 0.0
            time_share = minutes / self.total_minutes if self.total_minutes else 0.0
        else:
            revenue_share = time_share = 0.0
        # Ask a healthy relationship for a referral, never a drifting one.
        referral_ask_due = False
        healthy = health is _STEADY or (health is _HONEYMOON and (tier is _CORE or strategic))
        if listable and awake and healthy:
            last_ask = self.referrals.get(client_id)
            referral_ask_due = last_ask is None or last_ask <= self.ask_again_before
        # In the order of FIELDS: by keyword each verdict would cost a microsecond more.
        return ClientHealth(
            client_id,
            row[_NAME],
            row[_COMPANY],
            lifecycle,
            archived,
            strategic,
            snoozed_until,
            row[_KEEP] or None,
            health,
            won,
            honeymoon_end,
            last_touch,
            gap,
            honeymoon_touch_days,
            baseline,
            current,
            plan,
            plan_source,
            fell_behind,
            severity,
            tier,
            revenue_cents,
            revenue_share,
            minutes,
            time_share,
            recent,
            gives,
            gives / recent if recent else None,
            referral_ask_due,
            health is _DRIFTING and listable and awake,
            weighed,
            as_of,
            rules,
        )
