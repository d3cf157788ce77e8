"""Relationship health: honeymoon drift, core vs peripheral, give vs ask.

For every client, as of a given day (touches after it are ignored), this
module says whether the relationship is in its honeymoon, steady or
drifting, which tier the client is in by revenue and time, whether the user
gives more than they ask, and whether a referral ask is due, each with the
numbers behind it and one line of plain words. README ("How Cockpit judges
a relationship") states the rules; the thresholds are `HealthSettings`.

The work is a handful of aggregate queries (one correlated subquery per
figure over the covering index of interactions, one GROUP BY over deals)
that run the same on SQLite and PostgreSQL; Python only combines the
per-client figures.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from operator import itemgetter
from types import NoneType
from typing import get_args, get_type_hints

from peewee import SQL, Case, PostgresqlDatabase, fn

from cockpit.config import HealthSettings, settings
from cockpit.storage import book
from cockpit.storage.models import Client, Deal, Interaction, database_proxy
from cockpit.vocabulary import Intent, Kind, Lifecycle

_TOUCH = Interaction.alias("touch")
# The client list's order, which the (name_key, company_key) index gives without a sort.
BY_NAME = (Client.name_key, Client.company_key, Client.id)


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
# verdicts in (positionally, in `_Judge`), the cache file keeps and the JSON output shows.
FIELDS = _typed_fields(ClientHealth)


def value_type(kind: object) -> object:
    """The type of a field's values besides None: `date` for `date | None`."""
    others = [each for each in get_args(kind) if each is not NoneType]
    return others[0] if len(others) == 1 else kind


def _as_date(value: object) -> date | None:
    """A day as the database returns it: a date (PostgreSQL) or ISO text (SQLite)."""
    if value.__class__ is str:
        return date.fromisoformat(value[:10])
    return value


def _client_query(as_of: date):
    """Every client with what its row keeps: the last touch and the honeymoon's touch days.

    Those two are kept on the row for every touch; for the few clients where
    the stored value may count touches after `as_of` a subquery recounts
    (CASE evaluates it only then), so a past `as_of` stays exact. When no touch
    is dated after `as_of` (the usual case: as of today) the stored values are
    exact as they are.
    """
    columns = (
        Client.id,
        Client.name,
        Client.company,
        Client.lifecycle,
        Client.archived,
        Client.strategic,
        Client.snoozed_until,
        Client.keep_in_touch_days,
        Client.won_on,
        Client.honeymoon_end,
    )
    latest = Interaction.select(fn.MAX(Interaction.day)).scalar()
    if latest is None or _as_date(latest) <= as_of:
        stored = (Client.last_touch_on, Client.honeymoon_touch_days)
        return Client.select(*columns, *stored).order_by(*BY_NAME)
    touch = _TOUCH
    counted = (touch.client == Client.id) & (touch.kind != Kind.NOTE.value) & (touch.day <= as_of)
    last_touch = Case(
        None,
        [
            (
                (Client.last_touch_on.is_null()) | (Client.last_touch_on <= as_of),
                Client.last_touch_on,
            )
        ],
        touch.select(fn.MAX(touch.day)).where(counted),
    )
    honeymoon_days = Case(
        None,
        [
            (
                (Client.honeymoon_end.is_null()) | (Client.honeymoon_end <= as_of),
                Client.honeymoon_touch_days,
            )
        ],
        touch.select(fn.COUNT(touch.day.distinct())).where(
            counted & (touch.day >= Client.won_on) & (touch.day < Client.honeymoon_end)
        ),
    )
    return Client.select(*columns, last_touch, honeymoon_days).order_by(*BY_NAME)


def _touches_between(after: date, until: date):
    return (
        (Interaction.kind != Kind.NOTE.value)
        & (Interaction.day > after)
        & (Interaction.day <= until)
    )


def _recent_query(as_of: date, rules: HealthSettings):
    """Per client over the recent days: touch days, touches, and gives."""
    gives = Case(None, [(Interaction.intent == Intent.RELATIONSHIP.value, 1)], 0)
    return (
        Interaction.select(
            Interaction.client,
            fn.COUNT(Interaction.day.distinct()),
            fn.COUNT(Interaction.id),
            fn.SUM(gives),
        )
        .where(_touches_between(as_of - timedelta(days=rules.recent_days), as_of))
        .group_by(Interaction.client)
    )


def _minutes_query(as_of: date, rules: HealthSettings):
    """Per client: the minutes spent over the trailing window.

    A correlated subquery per client seeks its own touches in the (client, day)
    index; one GROUP BY over the window's rows would sort them all first, which
    takes longer once most touches fall in the window.
    """
    touch = _TOUCH
    window = (
        (touch.client == Client.id)
        & (touch.kind != Kind.NOTE.value)
        & (touch.day > as_of - timedelta(days=rules.window_days))
        & (touch.day <= as_of)
    )
    return Client.select(Client.id, touch.select(fn.SUM(touch.duration_min)).where(window))


def _revenue_query(as_of: date, rules: HealthSettings, currency: str):
    """Per client: revenue in cents over the trailing window, in the home currency."""
    return (
        Deal.select(Deal.client, fn.SUM(Deal.amount_cents))
        .where(
            (Deal.won_on > as_of - timedelta(days=rules.window_days))
            & (Deal.won_on <= as_of)
            & (Deal.currency == currency)
        )
        .group_by(Deal.client)
    )


def _activity_query(as_of: date, rules: HealthSettings):
    """PostgreSQL: per client, the minutes over the trailing window and the recent
    touch days, touches and gives, in one GROUP BY over the (client, day, ...) covering
    index, which hands the touches over in client order (no sort, one pass).

    On PostgreSQL a correlated subquery per client (`_minutes_query`) costs an index
    descent for each of 100,000 clients, and `_recent_query` sorts its rows by client
    for the distinct days; this reads each touch of the window once instead.
    """
    recent_start = as_of - timedelta(days=rules.recent_days)
    window_start = as_of - timedelta(days=rules.window_days)
    recent = Interaction.day > recent_start
    return (
        Interaction.select(
            Interaction.client,
            fn.SUM(Interaction.duration_min).filter(Interaction.day > window_start),
            fn.COUNT(Interaction.day.distinct()).filter(recent),
            fn.COUNT(SQL("*")).filter(recent),
            fn.COUNT(SQL("*")).filter(recent & (Interaction.intent == Intent.RELATIONSHIP.value)),
        )
        .where(_touches_between(min(recent_start, window_start), as_of))
        .group_by(Interaction.client)
        .order_by(Interaction.client)
    )


def _referral_query(as_of: date):
    # The kind is a literal, not a parameter, so SQLite can use the partial index.
    return (
        Interaction.select(Interaction.client, fn.MAX(Interaction.day))
        .where((Interaction.kind == SQL("'referral-asked'")) & (Interaction.day <= as_of))
        .group_by(Interaction.client)
    )


# Positions in a row of `_client_query`.
_ID, _NAME, _COMPANY, _LIFECYCLE, _ARCHIVED, _STRATEGIC, _SNOOZED, _KEEP, _WON, _END = range(10)
_LAST, _HONEYMOON_DAYS = 10, 11
_NO_RECENT = (0, 0, 0)


def _nearest_rank(sorted_values: list[float], fraction: float) -> float:
    """The value at a fraction of a sorted list, by nearest rank (no interpolation)."""
    index = max(0, math.ceil(fraction * len(sorted_values)) - 1)
    return sorted_values[index]


_ACTIVE, _FORMER = Lifecycle.ACTIVE.value, Lifecycle.FORMER.value
_PROSPECT, _HONEYMOON, _STEADY, _DRIFTING = Health  # read once: the judge runs per client
_CORE = Tier.CORE


def _weighed(lifecycle: str, archived: bool) -> bool:
    """Whether a client takes part in the 80/20 split (and so has shares)."""
    return lifecycle == _ACTIVE and not archived


def _listable(lifecycle: str, archived: bool) -> bool:
    """Whether a client may be listed as needing attention (former and archived never are)."""
    return lifecycle != _FORMER and not archived


def _tiers(
    rows: list[tuple], revenue: dict[int, int], minutes: dict[int, int], rules: HealthSettings
) -> tuple[dict[int, Tier], int, int]:
    """Core and peripheral clients, among the active ones with revenue or time.

    Returns the tiers of the clients that have one besides "other", and the
    revenue (cents) and minutes of all counted clients.
    """
    counted = [
        (client_id, revenue.get(client_id, 0), minutes.get(client_id, 0))
        for row in rows
        if (client_id := row[_ID]) in revenue or client_id in minutes
        if row[_LIFECYCLE] == _ACTIVE and not row[_ARCHIVED]  # as _weighed, inline: 10,000 rows
    ]
    cents_of_each = [cents for _, cents, _ in counted]
    total_revenue = sum(cents_of_each)
    total_minutes = sum(minutes for _, _, minutes in counted)
    tiers: dict[int, Tier] = {}
    if total_revenue > 0:
        cut = rules.core_share * total_revenue
        before = 0
        crossing = None
        for client_id, cents, _ in sorted(counted, key=itemgetter(1), reverse=True):
            # A client is core while the revenue before it is under the cut, so the
            # one that crosses it is core too, and so is any client tied with it.
            if cents <= 0 or not (before < cut or cents == crossing):
                break
            tiers[client_id] = Tier.CORE
            crossing = cents
            before += cents
    if total_revenue == 0 or total_minutes == 0:
        # Without revenue (or logged time) in the window there is nothing to weigh.
        return tiers, total_revenue, total_minutes

    # A client's share of the time over its share of the revenue.
    scale = total_revenue / total_minutes
    intensities = {
        client_id: scale * minutes / cents if cents > 0 else (math.inf if minutes > 0 else 0.0)
        for client_id, cents, minutes in counted
    }
    median_revenue = _median(sorted(cents_of_each))
    if len(counted) < rules.small_book:
        threshold = rules.small_book_intensity
    else:
        threshold = _nearest_rank(sorted(intensities.values()), 0.75)
    for client_id, cents, _ in counted:
        value = intensities[client_id]
        if client_id not in tiers and cents <= median_revenue and value > 0 and value >= threshold:
            tiers[client_id] = Tier.PERIPHERAL
    return tiers, total_revenue, total_minutes


def _median(sorted_values: list[float]) -> float:
    middle = len(sorted_values) // 2
    if len(sorted_values) % 2:
        return sorted_values[middle]
    return (sorted_values[middle - 1] + sorted_values[middle]) / 2


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


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
    db = Client._meta.database
    # Rows come straight from cursors, all at once (fetchall converts them in one call,
    # which psycopg does far faster than row by row): 10,000 model objects would cost
    # more than the queries themselves.
    revenue = {
        client_id: int(cents)
        for client_id, cents in _fetch(db, _revenue_query(as_of, rules, settings().currency))
        if cents
    }
    if isinstance(database_proxy.obj, PostgresqlDatabase):
        minutes, recent = {}, {}
        for client_id, total, days, touches, gives in _fetch(db, _activity_query(as_of, rules)):
            if total:
                minutes[client_id] = int(total)
            if touches:
                recent[client_id] = (days, touches, gives)
    else:
        minutes = {
            client_id: int(total)
            for client_id, total in _fetch(db, _minutes_query(as_of, rules))
            if total
        }
        recent = {row[0]: row[1:] for row in _fetch(db, _recent_query(as_of, rules))}
    referrals = {client_id: _as_date(day) for client_id, day in _fetch(db, _referral_query(as_of))}
    rows = _fetch(db, _client_query(as_of))
    tiers, total_revenue, total_minutes = _tiers(rows, revenue, minutes, rules)
    judge = _Judge(as_of, rules, revenue, minutes, recent, referrals, total_revenue, total_minutes)
    return [judge(row, tiers.get(row[_ID], Tier.OTHER)) for row in rows]


def _fetch(db, query) -> list[tuple]:
    return db.execute(query).fetchall()


class _Days(dict):
    """Days as the database returns them, each parsed once: 10,000 clients share a few
    hundred distinct days."""

    def __missing__(self, value: object) -> date:
        day = self[value] = _as_date(value)
        return day


@dataclass
class _Judge:
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
        self.days = _Days()

    def __call__(self, row: tuple, tier: Tier) -> ClientHealth:
        as_of, rules = self.as_of, self.rules
        client_id = row[_ID]
        strategic = bool(row[_STRATEGIC])
        days = self.days
        won = row[_WON]
        if won is not None:
            won = days[won]
            if won > as_of:
                won = None
        honeymoon_end = days[row[_END]] if won is not None else None
        last_touch = row[_LAST]
        if last_touch is not None:
            last_touch = days[last_touch]
            gap = (as_of - last_touch).days
        else:
            gap = None
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
        lifecycle, archived = row[_LIFECYCLE], bool(row[_ARCHIVED])
        listable = lifecycle != _FORMER and not archived
        weighed = lifecycle == _ACTIVE and not archived
        snoozed_until = row[_SNOOZED]
        if snoozed_until is not None:
            snoozed_until = days[snoozed_until]
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
