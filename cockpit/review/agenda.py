"""The weekly review's agenda: whom to look after in the 7 days from a date.

Plain data, no Textual: `cockpit review` prints it, the review screen walks
through it, tests read it directly. Every item names its client and says
why in one line of plain words; sensitive profile answers never appear
(occasions come from birthdays, the anniversary and children's birthdays,
none of which is sensitive).

The items and parts are `items`; the parts read from the book besides the verdicts
(follow-ups, occasions, plans, unkept promises) are `parts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from types import MappingProxyType

from cockpit import health
from cockpit.health_cache import cached_compute
from cockpit.review.items import (  # noqa: F401  (the agenda's names, as they always were)
    CLIENT_PARTS,
    OCCASION_DAYS,
    PART_TITLES,
    WEEK_DAYS,
    Agenda,
    AgendaItem,
    AgendaPart,
)
from cockpit.review.parts import follow_ups, occasions, plans, unkept_promises
from cockpit.review.parts import occasion_window as _window  # noqa: F401  (tests read it here)
from cockpit.storage import book

PART_LIMIT = 25  # items shown per part, most pressing first: a review is a quarter of an hour
EATING_SHARE = 0.01  # a peripheral client eats time from 1% of your time on


def _client_item(part: str, verdict: health.ClientHealth, text: str) -> AgendaItem:
    return AgendaItem(f"{part}:{verdict.id}", part, verdict.id, verdict.name, verdict.company, text)


def _awake(verdict: health.ClientHealth, as_of: date) -> bool:
    return verdict.snoozed_until is None or verdict.snoozed_until <= as_of


def build_agenda(as_of: date, reps: Sequence[str] | None = None) -> Agenda:
    """The agenda of the 7 days starting on `as_of`: of the clients of `reps` (owners;
    "" takes in the clients nobody owns), or of the whole team when None. A team's
    drifting core clients are listed by rep.

    Each part lists its PART_LIMIT most pressing items and counts the rest; the
    words of an item are only put together for the items listed.
    """
    owners = book.owners() if reps is None else {}
    ours = None if reps is None else book.clients_of(reps)
    verdicts = [
        r for r in cached_compute(as_of) if not r.archived and (ours is None or r.id in ours)
    ]
    listed = [r for r in verdicts if r.lifecycle != "former" and _awake(r, as_of)]
    attention = sorted((r for r in verdicts if r.needs_attention), key=health.attention_order)
    eating = [
        r
        for r in listed
        if r.tier is health.Tier.PERIPHERAL
        and r.counted
        and not r.needs_attention
        and r.time_share >= EATING_SHARE
    ]
    eating.sort(key=lambda r: (-(r.time_share - r.revenue_share), r.name.casefold(), r.id))
    by_name = sorted(
        (r for r in listed if r.referral_ask_due or r.mostly_asks),
        key=lambda r: (r.name.casefold(), r.id),
    )
    parts = {key: AgendaPart(key, title) for key, title in PART_TITLES.items()}
    core = [r for r in attention if r.counts_as_core]
    if reps is None:  # the manager's view: by rep, each rep's most pressing first
        core.sort(key=lambda r: owners.get(r.id, ""))
    _fill(parts["unkept"], _of(unkept_promises(as_of), ours))
    _fill_clients(parts["drifting-core"], core, lambda r: r.explanation, owners)
    _fill_clients(
        parts["drifting-other"],
        [r for r in attention if not r.counts_as_core] + eating,
        lambda r: r.explanation if r.needs_attention else f"{r.tier_explanation} {NOT_WORTH_IT}",
    )
    _fill(parts["follow-ups"], *follow_ups(as_of, reps, PART_LIMIT))
    _fill(parts["occasions"], _of(occasions(as_of), ours))
    _fill(parts["plans"], _of(plans(as_of), ours))
    _fill_clients(
        parts["referrals"], [r for r in by_name if r.referral_ask_due], lambda r: REFERRAL_TEXT
    )
    _fill_clients(
        parts["give-ask"], [r for r in by_name if r.mostly_asks], lambda r: r.give_explanation
    )
    return Agenda(as_of, list(parts.values()))


NOT_WORTH_IT = "Not every deal is worth saving."
REFERRAL_TEXT = "In good standing with a won deal, and not asked for a referral lately."


def _fill(part: AgendaPart, items: list[AgendaItem], count: int | None = None) -> None:
    """The first PART_LIMIT of `items` (of `count` in all, if more exist than were read)."""
    part.items = items[:PART_LIMIT]
    part.more = max(0, (len(items) if count is None else count) - PART_LIMIT)


def _fill_clients(
    part: AgendaPart,
    verdicts: list[health.ClientHealth],
    text,
    owners: Mapping[int, str] = MappingProxyType({}),
) -> None:
    """An item for each of the first PART_LIMIT verdicts, worded by `text(verdict)`,
    naming its rep where `owners` says."""
    shown = verdicts[:PART_LIMIT]
    part.items = [
        replace(_client_item(part.key, v, text(v)), owner=owners.get(v.id, "")) for v in shown
    ]
    part.more = len(verdicts) - len(shown)


def _of(items: list[AgendaItem], ours: set[int] | None) -> list[AgendaItem]:
    return items if ours is None else [item for item in items if item.client_id in ours]
