"""The rules, applied to one client's figures: its verdict (README, "How Cockpit judges a
relationship"; the thresholds are `HealthSettings`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from cockpit.config import HealthSettings
from cockpit.health.verdict import ClientHealth, Health, Stake, Tier
from cockpit.storage.health_facts import AT
from cockpit.vocabulary import Lifecycle

# Positions in a client's row of `HealthFacts.clients`.
_ID, _NAME, _COMPANY, _LIFECYCLE = AT["id"], AT["name"], AT["company"], AT["lifecycle"]
_ARCHIVED, _STRATEGIC, _SNOOZED = AT["archived"], AT["strategic"], AT["snoozed_until"]
_KEEP, _WON, _END = AT["keep_in_touch_days"], AT["won_on"], AT["honeymoon_end"]
_LAST, _HONEYMOON_DAYS = AT["last_touch"], AT["honeymoon_touch_days"]
_PREVIOUS, _FIRST = AT["previous_touch"], AT["first_since_won"]
_NO_RECENT = (0, 0, 0)
_DAY = timedelta(days=1)
_made = tuple.__new__  # a verdict from its values, without a call to ClientHealth.__new__

_FORMER = Lifecycle.FORMER.value
_PROSPECT, _HONEYMOON, _STEADY, _RECOVERING, _DRIFTING, _LAPSED = Health  # read once
_CORE, _PERIPHERAL = Tier.CORE, Tier.PERIPHERAL
_HIGH, _SOME, _LOW = Stake


def weighed_ids(rows: list[tuple], as_of: date) -> set[int]:
    """The clients that count in the 80/20 split and the stakes: won by `as_of`, neither
    former nor archived (a prospect never does, whatever its lifecycle says)."""
    return {
        row[_ID]
        for row in rows
        if (won := row[_WON]) is not None
        and won <= as_of
        and row[_LIFECYCLE] != _FORMER
        and not row[_ARCHIVED]
    }


@dataclass
class Judge:
    """Turns one client's figures into its verdict.

    It runs once per client (10,000 times for a big book), so the rules are read
    into plain attributes once and the verdict is built positionally.
    """

    as_of: date
    rules: HealthSettings
    revenue: dict[int, int]
    stake: dict[int, int]
    minutes: dict[int, int]
    recent: dict[int, tuple[int, int, int]]
    referrals: dict[int, date | None]
    total_revenue: int
    total_stake: int
    total_minutes: int
    weighed: set[int]  # the clients weighed in the 80/20 split and the stakes (`weighed_ids`)
    # The people with a key role at a key or core account (`health.accounts`): core cadence.
    core_cadence: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        rules = self.rules
        self.cadence = {tier: rules.cadence_days(tier.value) for tier in Tier}
        self.ask_again_before = self.as_of - timedelta(days=rules.referral_every_days)
        # The rules read per client, as plain attributes.
        self.min_touches = rules.min_honeymoon_touches
        self.min_gaps = max(2, rules.min_honeymoon_touches)  # touch days to have a usual gap
        self.tolerance = rules.cadence_tolerance
        self.lapsed_days = rules.lapsed_days
        self.stake_high, self.stake_some = rules.stake_high_share, rules.stake_some_share
        self.mostly_gives = max(rules.give_ratio_floor, 0.5)  # and more than half

    def silence_limit(
        self, day: date, last: date | None, won: date, end: date, touch_days: int, first
    ) -> tuple[float, bool]:
        """How many days without a touch make the client drifting on `day`, and whether
        the honeymoon's rule sets it: in the honeymoon, max(21 days, 3 x the mean gap
        between its touch days since the win, when there are enough of them); after it,
        the tolerance times the cadence (which the caller applies: here 0)."""
        if day >= end:
            return 0.0, False
        rules = self.rules
        limit = float(rules.honeymoon_silence_days)
        if touch_days >= self.min_gaps and first is not None and last is not None:
            usual = (last - first).days / (touch_days - 1)
            limit = max(limit, rules.honeymoon_silence_factor * usual)
        return limit, True

    def __call__(self, row: tuple, tier: Tier) -> ClientHealth:
        as_of, rules, tolerance, lapsed_days = (
            self.as_of,
            self.rules,
            self.tolerance,
            self.lapsed_days,
        )
        client_id = row[_ID]
        strategic = row[_STRATEGIC]
        won = row[_WON]
        if won is not None and won > as_of:
            won = None
        honeymoon_end = row[_END] if won is not None else None
        last_touch, previous_touch = row[_LAST], row[_PREVIOUS]
        gap = (as_of - last_touch).days if last_touch is not None else None
        honeymoon_touch_days = row[_HONEYMOON_DAYS] or 0
        recent_days, recent, gives = self.recent.get(client_id, _NO_RECENT)
        baseline = current = plan = plan_source = limit = None
        in_honeymoon = fell_behind = False
        severity = 0.0
        if row[_KEEP]:
            plan, plan_source = float(row[_KEEP]), "set"
        elif not strategic and tier is not _CORE and client_id in self.core_cadence:
            plan, plan_source = float(self.cadence[_CORE]), "key role"
        else:
            plan, plan_source = float(self.cadence[_CORE if strategic else tier]), "tier default"
        if won is None:
            health = _PROSPECT
            plan = plan_source = None
        else:
            if honeymoon_touch_days >= self.min_touches:
                baseline = rules.honeymoon_days / honeymoon_touch_days
            since = last_touch if last_touch is not None and last_touch > won else won
            silence = (as_of - since).days
            current = rules.recent_days / (recent_days or 1)
            if silence > current:
                current = silence
            if as_of < honeymoon_end:
                limit, in_honeymoon = self.silence_limit(
                    as_of, last_touch, won, honeymoon_end, honeymoon_touch_days, row[_FIRST]
                )
            else:
                limit = tolerance * plan
            if silence >= lapsed_days:
                health, in_honeymoon = _LAPSED, False
            elif silence > limit:
                health = _DRIFTING
                severity = silence / limit
                fell_behind = not in_honeymoon and baseline is not None
            elif in_honeymoon:
                health = _HONEYMOON
            elif (
                gap is not None
                and gap < plan  # the last touch is less than a cadence ago
                and self._drifting_before(row, won, honeymoon_end, plan)
            ):
                health = _RECOVERING
            else:
                health = _STEADY
        revenue_cents = self.revenue.get(client_id, 0)
        minutes = self.minutes.get(client_id, 0)
        lifecycle, archived = row[_LIFECYCLE], row[_ARCHIVED]
        listable = lifecycle != _FORMER and not archived
        counted = client_id in self.weighed
        snoozed_until = row[_SNOOZED]
        awake = snoozed_until is None or snoozed_until <= as_of
        if counted:
            revenue_share = revenue_cents / self.total_revenue if self.total_revenue else 0.0
            time_share = minutes / self.total_minutes if self.total_minutes else 0.0
            staked = self.stake.get(client_id, 0)
            stake_share = staked / self.total_stake if self.total_stake else 0.0
        else:
            revenue_share = time_share = stake_share = 0.0
        if strategic or stake_share >= self.stake_high:
            stake = _HIGH
        elif stake_share >= self.stake_some:
            stake = _SOME
        else:
            stake = _LOW
        give_ratio = gives / recent if recent else None
        # Ask a steady relationship that mostly received gives, never a drifting one.
        referral_ask_due = False
        if (
            health is _STEADY
            and listable
            and awake
            and tier is not _PERIPHERAL
            and give_ratio is not None
            and give_ratio >= self.mostly_gives
            and give_ratio > 0.5
        ):
            last_ask = self.referrals.get(client_id)
            referral_ask_due = last_ask is None or last_ask <= self.ask_again_before
        # In the order of FIELDS.
        return _made(
            ClientHealth,
            (
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
                previous_touch,
                honeymoon_touch_days,
                baseline,
                current,
                plan,
                plan_source,
                in_honeymoon,
                limit,
                fell_behind,
                severity,
                stake,
                stake_share,
                tier,
                revenue_cents,
                revenue_share,
                minutes,
                time_share,
                recent,
                gives,
                give_ratio,
                referral_ask_due,
                health is _DRIFTING and listable and awake,
                counted,
                as_of,
                rules,
            ),
        )

    def _drifting_before(self, row: tuple, won: date, end: date, plan: float) -> bool:
        """Whether the client was drifting (or lapsed) the day before its last touch."""
        last, previous = row[_LAST], row[_PREVIOUS]
        if last <= won:
            return False
        since = previous if previous is not None and previous > won else won
        silence = (last - since).days - 1  # on the day before the last touch
        day = last - _DAY
        touch_days = row[_HONEYMOON_DAYS] or 0
        if won <= last < end:
            touch_days -= 1  # the last touch came after that day
        limit, in_honeymoon = self.silence_limit(day, previous, won, end, touch_days, row[_FIRST])
        if not in_honeymoon:
            limit = self.tolerance * plan
        return silence >= self.lapsed_days or silence > limit
