"""The weekly review's agenda: whom to look after in the 7 days from a date.

Plain data, no Textual: `cockpit review` prints it, the review screen walks
through it, tests read it directly. Every item names its client and says
why in one line of plain words; sensitive profile answers never appear
(occasions come from birthdays, the anniversary and children's birthdays,
none of which is sensitive).

The parts are `items.PARTS`, in order; a client has one item per part at most, and
never two that advise opposite things (`items.OPPOSITES`). The review shows at most
REVIEW_BUDGET items, the most pressing of each part (`shown_counts`). The parts read from
the book besides the verdicts (follow-ups, occasions, plans, unkept promises) are `parts`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cockpit import health
from cockpit.health_cache import cached_compute
from cockpit.review import account_plans, replies
from cockpit.review.capacity import over_capacity
from cockpit.review.items import (  # noqa: F401  (the agenda's names, as they always were)
    CLIENT_PARTS,
    OCCASION_DAYS,
    OPPOSITES,
    PART_TITLES,
    PARTS,
    WEEK_DAYS,
    Agenda,
    AgendaItem,
    AgendaPart,
    Part,
)
from cockpit.review.parts import follow_ups, occasions, plans, unkept_promises
from cockpit.review.parts import occasion_window as _window  # noqa: F401  (tests read it here)
from cockpit.review.renewals import renewals_at_risk
from cockpit.storage import book, reviews
from cockpit.vocabulary import Lifecycle

REVIEW_BUDGET = 30  # items in a review at most: a quarter of an hour, every part included
PART_FLOOR = 2  # items each part keeps before the earlier parts take the rest of the budget
EATING_SHARE = 0.01  # a peripheral client eats time from 1% of your time on


@dataclass
class _Pending:
    """A part's candidates, the most pressing first, before the budget says how many show:
    verdicts or items (`word` makes an item of one), `count` in all when more exist than
    were read."""

    entries: list
    word: Callable[[object], AgendaItem]
    count: int | None = None

    @property
    def total(self) -> int:
        return len(self.entries) if self.count is None else self.count


def _as_is(item: AgendaItem) -> AgendaItem:
    return item


def _awake(verdict: health.ClientHealth, as_of: date) -> bool:
    return verdict.snoozed_until is None or verdict.snoozed_until <= as_of


def build_agenda(as_of: date, reps: Sequence[str] | None = None) -> Agenda:
    """The agenda of the 7 days starting on `as_of`: of the clients of `reps` (owners;
    "" takes in the clients nobody owns), or of the whole team when None. A team's
    drifting clients with much at stake are listed by rep.

    The words of an item are only put together for the items listed.
    """
    owners = book.owners() if reps is None else {}
    ours = None if reps is None else book.clients_of(reps)
    verdicts = [
        r for r in cached_compute(as_of) if not r.archived and (ours is None or r.id in ours)
    ]
    clients = client_candidates(verdicts, as_of)
    lapsed_listed = lapsed_this_week(as_of)
    capacity_lead, relaxable = over_capacity(as_of, reps, verdicts)
    pending = {
        "capacity": _Pending(relaxable, _as_is),
        "unkept": _Pending(_of(unkept_promises(as_of), ours), _as_is),
        "replies": _Pending(_of(_replies(as_of, named=reps is None), ours), _as_is),
        "follow-ups": _Pending(*_follow_ups(as_of, reps)),
        "plans": _Pending(_of(plans(as_of), ours), _as_is),
        "occasions": _Pending(_of(occasions(as_of), ours), _as_is),
        "renewals": _Pending(renewals_at_risk(as_of, ours), _as_is),
        "plan-actions": _Pending(account_plans.actions_due(as_of, reps), _as_is),
        "plan-reviews": _Pending(account_plans.reviews_due(as_of, reps), _as_is),
    }
    wording = {
        "drifting-high": lambda r: r.explanation,
        "drifting-other": lambda r: r.explanation,
        "give-ask": lambda r: r.give_explanation,
        "referrals": referral_text,
        "eating": lambda r: r.tier_explanation,  # the part's title says the rest
        "lapsed": lambda r: r.explanation,
    }
    for key, text in wording.items():
        if key == "lapsed" and not lapsed_listed:
            continue
        named = owners if key == "drifting-high" else {}
        pending[key] = _Pending(clients[key], _client_words(key, text, named))
    shown = shown_counts(PARTS, {key: each.total for key, each in pending.items()})
    parts = []
    for part in PARTS:
        if part.key == "capacity" and not capacity_lead:
            continue  # the plans fit: not a word about it
        lead = capacity_lead if part.key == "capacity" else ""
        agenda_part = AgendaPart(part.key, part.title, lead=lead)
        each = pending.get(part.key)
        if each is not None:
            agenda_part.items = [each.word(entry) for entry in each.entries[: shown[part.key]]]
            agenda_part.more = each.total - len(agenda_part.items)
        elif part.key == "lapsed":
            agenda_part.note = "listed in the first review of each month"
        parts.append(agenda_part)
    if reps is None:  # the manager's view: by rep, each rep's most pressing first
        high = next(part for part in parts if part.key == "drifting-high")
        high.items.sort(key=lambda item: item.owner)
    return Agenda(as_of, parts)


def _replies(as_of: date, *, named: bool) -> list[AgendaItem]:
    """The clients whose mail has waited `reply_within_days` for your answer (their rep
    `named` in a team's agenda)."""
    from cockpit.config import settings
    from cockpit.storage.heard_from import answered_item_keys, heard_since

    lines = heard_since(as_of - timedelta(days=replies.LOOKBACK_DAYS))
    heard = [
        replies.Heard(
            line.client_id,
            line.client,
            line.company,
            line.day,
            line.summary,
            line.owner if named else "",
        )
        for line in lines
    ]
    last_touch = {line.client_id: line.last_touch_on for line in lines}
    return replies.waiting_for_reply(
        heard,
        last_touch,
        as_of,
        settings().reply_within_days,
        answered_item_keys(replies.KEY_PREFIX),
    )


def client_candidates(
    verdicts: list[health.ClientHealth], as_of: date
) -> dict[str, list[health.ClientHealth]]:
    """The clients of each part judged from the verdicts, the most pressing first, each
    client in one part of each pair of OPPOSITES at most."""
    listed = [r for r in verdicts if r.lifecycle != Lifecycle.FORMER.value and _awake(r, as_of)]
    attention = sorted((r for r in verdicts if r.needs_attention), key=health.attention_order)
    lapsed = [r for r in listed if r.health is health.Health.LAPSED]
    eating = [
        r
        for r in listed
        if r.tier is health.Tier.PERIPHERAL
        and r.counted
        and not r.needs_attention
        and r.time_share >= EATING_SHARE
    ]
    candidates = {
        "drifting-high": [r for r in attention if r.stake is health.Stake.HIGH],
        "drifting-other": [r for r in attention if r.stake is not health.Stake.HIGH],
        # The most one-sided first; referrals and win-backs: the most at stake first.
        "give-ask": sorted((r for r in listed if r.mostly_asks and won(r)), key=_most_asked),
        "referrals": sorted((r for r in listed if r.referral_ask_due), key=_most_at_stake),
        "eating": sorted(eating, key=lambda r: (r.revenue_share - r.time_share, *_name(r))),
        "lapsed": sorted(lapsed, key=_most_at_stake),
    }
    for yields, holds in OPPOSITES:
        held = {r.id for r in candidates[holds]}
        candidates[yields] = [r for r in candidates[yields] if r.id not in held]
    return candidates


def referral_text(verdict: health.ClientHealth) -> str:
    """Why a referral ask is due, in the engine's terms (`referral_ask_due`)."""
    rules = verdict.rules
    return (
        f"Steady, and {verdict.recent_gives} of your {verdict.recent_touches} touches in the "
        f"last {rules.recent_days} days were gives; no referral asked in "
        f"{rules.referral_every_days} days."
    )


def won(verdict: health.ClientHealth) -> bool:
    """A client with a won deal: a prospect is still being sold to, and asks are what
    discovery is made of."""
    return verdict.health is not health.Health.PROSPECT


def _name(verdict: health.ClientHealth) -> tuple:
    return verdict.name.casefold(), verdict.id


def _most_asked(verdict: health.ClientHealth) -> tuple:
    return verdict.give_ratio, -verdict.recent_touches, *_name(verdict)


def _most_at_stake(verdict: health.ClientHealth) -> tuple:
    return not verdict.strategic, -verdict.stake_share, *_name(verdict)


def lapsed_this_week(as_of: date) -> bool:
    """Whether the review of the week from `as_of` lists the lapsed clients: it is the
    first of its calendar month, begun when no review of the user's began earlier that
    month; for a user without an earlier review, in the first 7 days of a month."""
    previous = reviews.latest_start_before(as_of)
    if previous is None:
        return as_of.day <= WEEK_DAYS
    return (previous.year, previous.month) != (as_of.year, as_of.month)


def shown_counts(parts: Sequence[Part], counts: Mapping[str, int]) -> dict[str, int]:
    """How many items each part shows of the `counts` it has: at most its cap, and at most
    REVIEW_BUDGET in all. Each part, in order, first keeps its PART_FLOOR most pressing
    while the budget lasts, so that no part is crowded out; then the parts, in order, take
    what is left up to their caps. What is left out is counted ("… and 3 more")."""
    wanted = {part.key: min(counts.get(part.key, 0), part.cap) for part in parts}
    left = REVIEW_BUDGET
    shown = {}
    for part in parts:
        shown[part.key] = min(wanted[part.key], PART_FLOOR, left)
        left -= shown[part.key]
    for part in parts:
        more = min(wanted[part.key] - shown[part.key], left)
        shown[part.key] += more
        left -= more
    return shown


def _follow_ups(as_of: date, reps: Sequence[str] | None) -> tuple:
    cap = next(part.cap for part in PARTS if part.key == "follow-ups")
    items, count = follow_ups(as_of, reps, cap)
    return items, _as_is, count


def _client_words(part: str, text, owners: Mapping[int, str]) -> Callable:
    """An item of `part` for a verdict, worded by `text(verdict)`, naming its rep where
    `owners` says."""

    def word(verdict: health.ClientHealth) -> AgendaItem:
        return AgendaItem(
            f"{part}:{verdict.id}",
            part,
            verdict.id,
            verdict.name,
            verdict.company,
            text(verdict),
            owner=owners.get(verdict.id, ""),
        )

    return word


def _of(items: list[AgendaItem], ours: set[int] | None) -> list[AgendaItem]:
    return items if ours is None else [item for item in items if item.client_id in ours]
