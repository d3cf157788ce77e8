"""The portfolio: where the time went against where the revenue came from, over the last
months. Plain data, no Textual: `cockpit portfolio` prints it, the portfolio screen draws
it, tests read it.

Each client counts in the tier the engine gives it today (core, other, peripheral); a
month's figures are sums over the touches and deals of that calendar month (the last one
up to today). The drifting count at each month's end is the engine's verdict as of that
day (`cockpit drift --as-of`), kept beside the verdicts while the book stays the same.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from cockpit import capacity, health
from cockpit.capacity import Demand
from cockpit.config import settings
from cockpit.health import Health, Tier
from cockpit.health_cache import cached_compute, keep_values, kept_beside, kept_values
from cockpit.phrases import add_months
from cockpit.storage import portfolio_facts

TIERS = (Tier.CORE.value, Tier.OTHER.value, Tier.PERIPHERAL.value)
TOP_SINKS = 10
WEEKS = 52
_KEPT = ".portfolio"
_LAYOUT = ("portfolio drifting", 1)
_VIEW = ".portfolio-view"
_VIEW_LAYOUT = ("portfolio", 1)


@dataclass(frozen=True)
class Month:
    start: date  # its first day
    minutes: dict[str, int]  # by tier
    revenue_cents: dict[str, int]  # by tier
    gives: int
    asks: int
    # Clients drifting at the month's end (or today, for this month); None while the
    # history is not worked out yet (the portfolio screen fills it in after its first frame).
    drifting: int | None

    @property
    def label(self) -> str:
        return f"{self.start:%b %Y}"

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes.values())

    @property
    def total_revenue_cents(self) -> int:
        return sum(self.revenue_cents.values())


@dataclass(frozen=True)
class TimeSink:
    client_id: int
    name: str
    company: str
    tier: str
    minutes: int
    revenue_cents: int


@dataclass(frozen=True)
class Share:
    """What a group of clients (or accounts) brings and takes over the portfolio's months."""

    who: str  # "Core clients", "Key and core accounts"
    revenue_share: float
    time_share: float

    @property
    def text(self) -> str:
        revenue, time = _percent(self.revenue_share), _percent(self.time_share)
        return f"{self.who}: {revenue} of revenue, {time} of your time"


@dataclass
class Portfolio:
    as_of: date
    currency: str
    months: list[Month]
    weeks: list[tuple[date, int]]  # each week's Monday and its touches
    sinks: list[TimeSink]
    shares: list[Share] = field(default_factory=list)
    demand: Demand | None = None  # what the plans need each week (`capacity`)
    team: bool = False  # the whole team's, on a team book
    capacity_hours: float | None = None  # the hours a week the user said they have

    @property
    def capacity_line(self) -> str:
        """What the plans need against the hours the user has ("" before it is known)."""
        if self.demand is None:
            return ""
        return capacity.sentence(self.demand, self.capacity_hours, team=self.team)

    @property
    def headline(self) -> str:
        return "; ".join(share.text for share in self.shares) or "No time or revenue logged yet"


def _percent(share: float) -> str:
    if 0 < share < 0.01:
        return "under 1%"
    return f"{round(share * 100)}%"


def month_starts(as_of: date, months: int) -> list[date]:
    first = as_of.replace(day=1)
    return [add_months(first, -back) for back in range(months - 1, -1, -1)]


def portfolio(
    as_of: date, months: int = 12, reps: Sequence[str] | None = None, *, history: bool = True
) -> Portfolio:
    """The portfolio of the `months` calendar months up to `as_of` (this one included), of
    the clients of `reps` (owners; "" takes in those nobody owns), or of the whole book;
    kept beside the verdicts while the book, the day and the rules stay the same (names
    are read from the book each time: the cache's files hold none). Without `history`, the
    drifting counts are left out (None) unless kept: they take most of the time."""
    file, key = kept_beside(_VIEW, as_of)
    wanted = (key, months, None if reps is None else tuple(reps))
    if file is not None:
        kept = _read_view(file, wanted, as_of)
        if kept is not None and (not history or _complete(kept)):
            return _with_demand(kept, reps)
    found = _worked_out(as_of, months, reps, history)
    if file is not None and kept_beside(_VIEW, as_of)[1] == key:
        keep_values(file, [_VIEW_LAYOUT, wanted, _view_values(found)])
    return _with_demand(found, reps)


def _with_demand(found: Portfolio, reps: Sequence[str] | None) -> Portfolio:
    from cockpit.storage import book

    found.demand = capacity.demand(found.as_of, reps)
    found.team = reps is None and book.on_server()
    found.capacity_hours = capacity.capacity_hours()
    return found


def _complete(found: Portfolio) -> bool:
    return all(month.drifting is not None for month in found.months)


def _worked_out(as_of: date, months: int, reps: Sequence[str] | None, history: bool) -> Portfolio:
    currency = settings().currency
    verdicts = cached_compute(as_of)
    if reps is not None:
        ours = set(reps)
        from cockpit.storage import book

        owned = book.clients_of(list(ours))
        verdicts = [v for v in verdicts if v.id in owned]
    tier_of = {verdict.id: verdict.tier.value for verdict in verdicts}
    starts = month_starts(as_of, months)
    keys = [f"{start:%Y-%m}" for start in starts]
    minutes = {key: dict.fromkeys(TIERS, 0) for key in keys}
    revenue = {key: dict.fromkeys(TIERS, 0) for key in keys}
    per_client: dict[int, list[int]] = {}
    for row in portfolio_facts.client_months(starts[0], as_of, currency):
        tier = tier_of.get(row.client_id)
        if tier is None or row.month not in minutes:
            continue  # another rep's client, or one archived since (no verdict)
        minutes[row.month][tier] += row.minutes
        revenue[row.month][tier] += row.revenue_cents
        kept = per_client.setdefault(row.client_id, [0, 0])
        kept[0] += row.minutes
        kept[1] += row.revenue_cents
    days = portfolio_facts.day_touches(
        min(starts[0], as_of - timedelta(days=7 * WEEKS)), as_of, list(reps) if reps else None
    )
    gives = {key: 0 for key in keys}
    asks = {key: 0 for key in keys}
    for day in days:
        key = f"{day.day:%Y-%m}"
        if key in gives:
            gives[key] += day.gives
            asks[key] += day.asks
    if history:
        drifting = drifting_at_month_ends(as_of, starts, set(tier_of))
    else:
        drifting = dict.fromkeys(keys)
    month_list = [
        Month(start, minutes[key], revenue[key], gives[key], asks[key], drifting[key])
        for start, key in zip(starts, keys, strict=True)
    ]
    return Portfolio(
        as_of,
        currency,
        month_list,
        _weeks(days, as_of),
        _sinks(per_client, tier_of),
        _shares(month_list, per_client, as_of),
    )


def _weeks(days: list[portfolio_facts.DayTouches], as_of: date) -> list[tuple[date, int]]:
    this_monday = as_of - timedelta(days=as_of.weekday())
    mondays = [this_monday - timedelta(weeks=back) for back in range(WEEKS - 1, -1, -1)]
    counts = dict.fromkeys(mondays, 0)
    for day in days:
        monday = day.day - timedelta(days=day.day.weekday())
        if monday in counts:
            counts[monday] += day.touches
    return list(counts.items())


def _sinks(per_client: dict[int, list[int]], tier_of: dict[int, str]) -> list[TimeSink]:
    top = sorted(per_client.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    top = [(client_id, figures) for client_id, figures in top if figures[0] > 0][:TOP_SINKS]
    names = portfolio_facts.client_names([client_id for client_id, _ in top])
    return [
        TimeSink(client_id, *names[client_id], tier_of[client_id], spent, cents)
        for client_id, (spent, cents) in top
    ]


def _shares(months: list[Month], per_client: dict[int, list[int]], as_of: date) -> list[Share]:
    total_minutes = sum(month.total_minutes for month in months)
    total_revenue = sum(month.total_revenue_cents for month in months)
    if not total_minutes and not total_revenue:
        return []

    def share(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    core_minutes = sum(month.minutes[Tier.CORE.value] for month in months)
    core_revenue = sum(month.revenue_cents[Tier.CORE.value] for month in months)
    shares = [
        Share(
            "Core clients",
            share(core_revenue, total_revenue),
            share(core_minutes, total_minutes),
        )
    ]
    account_tier = _account_tiers(as_of)
    if account_tier:
        at = portfolio_facts.accounts_of_clients()
        chosen = {"key", "core"}
        minutes = sum(f[0] for c, f in per_client.items() if account_tier.get(at.get(c)) in chosen)
        cents = sum(f[1] for c, f in per_client.items() if account_tier.get(at.get(c)) in chosen)
        shares.append(
            Share(
                "Key and core accounts",
                share(cents, total_revenue),
                share(minutes, total_minutes),
            )
        )
    return shares


def _account_tiers(as_of: date) -> dict[int, str]:
    from cockpit.account_view import account_tiers_now

    return {account: tier.value for account, tier in account_tiers_now(as_of).items()}


def drifting_at_month_ends(as_of: date, starts: list[date], ours: set[int]) -> dict[str, int]:
    """How many of `ours` were drifting at the end of each month starting on `starts` (the
    last one: as of today), as the engine judges on that day; kept beside the verdicts
    while the book and the rules stay the same."""
    ends = [min(add_months(start, 1) - timedelta(days=1), as_of) for start in starts]
    with _judging:  # two screens opened one after the other judge each day once
        return _drifting_at(as_of, starts, ends, ours)


_judging = threading.Lock()


def _drifting_at(as_of: date, starts: list[date], ends: list[date], ours: set[int]) -> dict:
    file, key = kept_beside(_KEPT, as_of)
    kept = _read_kept(file, key) if file is not None else {}
    rules = settings().health
    missing = [end for end in ends if end.toordinal() not in kept]
    for end, drifting in zip(missing, _judged(missing, as_of, rules), strict=True):
        kept[end.toordinal()] = drifting
    found = {end.toordinal(): kept[end.toordinal()] for end in ends}
    if file is not None and kept_beside(_KEPT, as_of)[1] == key:
        keep_values(file, [_LAYOUT, key, found])
    return {
        f"{start:%Y-%m}": len(ours.intersection(found[end.toordinal()]))
        for start, end in zip(starts, ends, strict=True)
    }


def _judged(ends: list[date], as_of: date, rules) -> list[list[int]]:
    """The ids of the clients drifting on each of these days, as the engine judges then
    (today's: the kept verdicts). Judging them four at a time on connections of their own
    took longer (3.1 s against 2.4 s at 10,000 clients): the engine's Python holds the GIL."""

    def drifting(end: date) -> list[int]:
        judged = cached_compute(end) if end == as_of else health.compute(end, rules)
        return sorted(v.id for v in judged if v.health is Health.DRIFTING)

    return [drifting(end) for end in ends]


def _read_kept(file, key: tuple) -> dict[int, list[int]]:
    """The drifting clients kept at each month's end (by the day's ordinal), when kept
    under `key`."""
    try:
        values = kept_values(file)
        if next(values) != _LAYOUT or next(values) != key:
            return {}
        kept = next(values)
        return dict(kept) if isinstance(kept, dict) else {}
    except (OSError, EOFError, ValueError, TypeError, StopIteration):
        return {}


def _view_values(found: Portfolio) -> list:
    return [
        [
            (
                m.start.toordinal(),
                [m.minutes[t] for t in TIERS],
                [m.revenue_cents[t] for t in TIERS],
                m.gives,
                m.asks,
                m.drifting,
            )
            for m in found.months
        ],
        [(monday.toordinal(), count) for monday, count in found.weeks],
        [(s.client_id, s.tier, s.minutes, s.revenue_cents) for s in found.sinks],
        [(s.who, s.revenue_share, s.time_share) for s in found.shares],
    ]


def _read_view(file, wanted: tuple, as_of: date) -> Portfolio | None:
    try:
        values = kept_values(file)
        if next(values) != _VIEW_LAYOUT or next(values) != wanted:
            return None
        months, weeks, sinks, shares = next(values)
        names = portfolio_facts.client_names([row[0] for row in sinks])
        return Portfolio(
            as_of,
            settings().currency,
            [
                Month(
                    date.fromordinal(start),
                    dict(zip(TIERS, minutes, strict=True)),
                    dict(zip(TIERS, cents, strict=True)),
                    gives,
                    asks,
                    drifting,
                )
                for start, minutes, cents, gives, asks, drifting in months
            ],
            [(date.fromordinal(monday), count) for monday, count in weeks],
            [
                TimeSink(client_id, *names[client_id], tier, minutes, cents)
                for client_id, tier, minutes, cents in sinks
            ],
            [Share(*share) for share in shares],
        )
    except (OSError, EOFError, ValueError, TypeError, KeyError, StopIteration):
        return None  # unreadable, or not what this version writes: worked out afresh
