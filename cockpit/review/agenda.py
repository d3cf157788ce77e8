"""The weekly review's agenda: whom to look after in the 7 days from a date.

Plain data, no Textual: `cockpit review` prints it, the review screen walks
through it, tests read it directly. Every item names its client and says
why in one line of plain words; sensitive profile answers never appear
(occasions come from birthdays, the anniversary and children's birthdays,
none of which is sensitive).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import NamedTuple

from peewee import JOIN

from cockpit import client_view, clock, health
from cockpit.dates import ago, short_day
from cockpit.health_cache import cached_compute
from cockpit.profile.schema import FIELDS, REMINDER_FIELDS
from cockpit.storage import book
from cockpit.storage.models import (
    Client,
    Interaction,
    PlannedCommunication,
    ProfileValue,
    ReviewAction,
    ScheduledTouch,
)
from cockpit.vocabulary import Kind, ReviewStep, period

WEEK_DAYS = 7
OCCASION_DAYS = 14
PART_LIMIT = 25  # items shown per part, most pressing first: a review is a quarter of an hour
EATING_SHARE = 0.01  # a peripheral client eats time from 1% of your time on

PART_TITLES = {
    "unkept": "Promises from the last review not kept",
    "drifting-core": "Drifting core clients",
    "drifting-other": "Other drifting clients, and peripheral clients eating time",
    "follow-ups": "Follow-ups due or overdue",
    "occasions": f"Occasions in the next {OCCASION_DAYS} days",
    "plans": "Planned communications due",
    "referrals": "Referral asks due",
    "give-ask": "Mostly asks lately: give before you ask",
}
# Parts whose items are about the client as a whole: snoozing one snoozes the client.
CLIENT_PARTS = frozenset({"unkept", "drifting-core", "drifting-other", "referrals", "give-ask"})


@dataclass(frozen=True)
class AgendaItem:
    key: str  # stable across rebuilds: what a review's actions are recorded against
    part: str
    client_id: int
    client: str
    company: str
    text: str
    due: date | None = None
    interaction_id: int | None = None  # the touch holding a follow-up
    plan_id: int | None = None
    owner: str = ""  # the client's rep, named in a team's agenda

    def as_json(self) -> dict:
        data = asdict(self)
        data["due"] = self.due.isoformat() if self.due else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> AgendaItem:
        values = dict(data)
        values["due"] = date.fromisoformat(data["due"]) if data.get("due") else None
        return cls(**values)


@dataclass
class AgendaPart:
    key: str
    title: str
    items: list[AgendaItem] = field(default_factory=list)
    more: int = 0  # items left out beyond PART_LIMIT

    @property
    def count(self) -> int:
        return len(self.items) + self.more

    @property
    def more_line(self) -> str:
        """What is said of the items left out ("" when none are)."""
        if not self.more:
            return ""
        where = " (cockpit drift --all lists every client)" if self.key in CLIENT_PARTS else ""
        return f"… and {self.more} more, less pressing{where}"


@dataclass
class Agenda:
    as_of: date
    parts: list[AgendaPart]

    @property
    def week_end(self) -> date:
        return self.as_of + timedelta(days=WEEK_DAYS - 1)

    @property
    def items(self) -> list[AgendaItem]:
        return [item for part in self.parts for item in part.items]

    def as_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "week_end": self.week_end.isoformat(),
            "parts": [
                {
                    "key": part.key,
                    "title": part.title,
                    "count": part.count,
                    "more": part.more,
                    "items": [_public(item) for item in part.items],
                }
                for part in self.parts
            ],
        }

    def snapshot(self) -> dict:
        """Everything needed to show the same agenda again (kept with a review)."""
        return {
            "as_of": self.as_of.isoformat(),
            "parts": [
                {
                    "key": p.key,
                    "title": p.title,
                    "more": p.more,
                    "items": [i.as_json() for i in p.items],
                }
                for p in self.parts
            ],
        }

    @classmethod
    def from_snapshot(cls, data: dict) -> Agenda:
        return cls(
            date.fromisoformat(data["as_of"]),
            [
                AgendaPart(
                    part["key"],
                    part["title"],
                    [AgendaItem.from_json(i) for i in part["items"]],
                    part.get("more", 0),
                )
                for part in data["parts"]
            ],
        )


def _public(item: AgendaItem) -> dict:
    """An item as `cockpit review --json` prints it: `id` is the client's."""
    return {
        "key": item.key,
        "id": item.client_id,
        "client": item.client,
        "company": item.company,
        "text": item.text,
        "due": item.due.isoformat() if item.due else None,
        **({"rep": item.owner} if item.owner else {}),
    }


def _when_due(day: date, as_of: date) -> str:
    if day < as_of:
        return f"overdue since {short_day(day)} ({ago(day, as_of)})"
    if day == as_of:
        return "due today"
    return f"due {short_day(day)}"


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
    _fill(parts["follow-ups"], *_follow_ups(as_of, reps))
    _fill(parts["occasions"], _of(_occasions(as_of), ours))
    _fill(parts["plans"], _of(_plans(as_of), ours))
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


def _follow_ups(as_of: date, reps: Sequence[str] | None = None) -> tuple[list[AgendaItem], int]:
    """The PART_LIMIT most overdue open follow-ups due by the week's end (of the clients
    of `reps`, if given), and how many there are in all."""
    week_end = as_of + timedelta(days=WEEK_DAYS - 1)
    due = (
        Interaction.follow_up_on.is_null(False)
        & (Interaction.follow_up_done == False)  # noqa: E712
        & (Interaction.follow_up_on <= week_end)
        & (Client.archived == False)  # noqa: E712
    )
    if reps is not None:
        due &= Client.owner.in_(list(reps))
    count = Interaction.select().join(Client).where(due).count()
    query = (
        Interaction.select(
            Interaction.id,
            Interaction.follow_up_on,
            Interaction.summary,
            Interaction.kind,
            Interaction.day,
            Client.id,
            Client.name,
            Client.company,
        )
        .join(Client)
        .where(due)
        .order_by(Interaction.follow_up_on, Interaction.id)
        .limit(PART_LIMIT)
        .tuples()
    )
    items = []
    for touch_id, due, summary, kind, day, client_id, name, company in query:
        due, day = book.as_date(due), book.as_date(day)
        about = (summary.strip().splitlines() or [""])[0]
        what = f"{kind.replace('-', ' ')} of {short_day(day)}" + (f": {about}" if about else "")
        when = _when_due(due, as_of)
        text = f"{when[0].upper()}{when[1:]}; from the {what}"
        items.append(
            AgendaItem(
                f"follow-up:{touch_id}",
                "follow-ups",
                client_id,
                name,
                company,
                text,
                due=due,
                interaction_id=touch_id,
            )
        )
    return items, count


def _window(as_of: date) -> dict[int, list[int]]:
    """The (month, days) of the occasion window; a 29 February falls on the 28th in other
    years, so it is looked for whenever the 28th is in the window."""
    days: dict[int, list[int]] = {}
    for offset in range(OCCASION_DAYS):
        day = as_of + timedelta(days=offset)
        days.setdefault(day.month, []).append(day.day)
    if 28 in days.get(2, []) and 29 not in days[2]:
        days[2].append(29)
    return days


class _Answer(NamedTuple):
    """What `client_view.occasions` reads of a profile value (a model object costs more)."""

    field_key: str
    row_no: int
    column_key: str
    text: str


_ANSWER_COLUMNS = (
    ProfileValue.client,
    ProfileValue.field_key,
    ProfileValue.row_no,
    ProfileValue.column_key,
    ProfileValue.text,
)


def _occasions(as_of: date) -> list[AgendaItem]:
    # Only the dates that fall in the window are read, through the (field, month, day)
    # index; then the names of the children whose birthdays those are.
    keys = sorted({key for key, _, _ in REMINDER_FIELDS if not FIELDS[key].sensitive})
    in_window = None
    for month, days in _window(as_of).items():
        this_month = (ProfileValue.date_month == month) & ProfileValue.date_day.in_(days)
        in_window = this_month if in_window is None else in_window | this_month
    query = (
        ProfileValue.select(*_ANSWER_COLUMNS, Client.name, Client.company)
        .join(Client)
        .where(
            ProfileValue.field_key.in_(keys) & in_window & (Client.archived == False)  # noqa: E712
        )
    )
    db = ProfileValue._meta.database
    values: dict[int, list[_Answer]] = {}
    names: dict[int, tuple[str, str]] = {}
    for client_id, *answer, name, company in db.execute(query):
        values.setdefault(client_id, []).append(_Answer(*answer))
        names[client_id] = (name, company)
    if values and not FIELDS["children"].sensitive:
        children = ProfileValue.select(*_ANSWER_COLUMNS).where(
            (ProfileValue.field_key == "children")
            & (ProfileValue.column_key == "name")
            & ProfileValue.client.in_(sorted(values))
        )
        for client_id, *answer in db.execute(children):
            values[client_id].append(_Answer(*answer))
    last_day = as_of + timedelta(days=OCCASION_DAYS - 1)
    items = []
    for client_id, client_values in values.items():
        for occasion in client_view.occasions(client_values, as_of):
            if occasion.day > last_day:
                continue
            what = occasion.what
            if occasion.age and what.endswith("'s birthday"):
                what = f"{what.removesuffix(' birthday')} {_ordinal(occasion.age)} birthday"
            elif occasion.age:
                what = f"{_ordinal(occasion.age)} {what.lower()}"
            when = (
                "today"
                if occasion.day == as_of
                else f"on {short_day(occasion.day)} ({ago(occasion.day, as_of)})"
            )
            checksum = zlib.crc32(occasion.what.encode())
            name, company = names[client_id]
            items.append(
                AgendaItem(
                    f"occasion:{client_id}:{occasion.day.isoformat()}:{checksum}",
                    "occasions",
                    client_id,
                    name,
                    company,
                    f"{what} {when}",
                    due=occasion.day,
                )
            )
    return sorted(items, key=lambda i: (i.due, i.client.casefold(), i.key))


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _plans(as_of: date) -> list[AgendaItem]:
    week_end = as_of + timedelta(days=WEEK_DAYS - 1)
    query = (
        PlannedCommunication.select(PlannedCommunication, Client.id, Client.name, Client.company)
        .join(Client)
        .where((PlannedCommunication.next_due <= week_end) & (Client.archived == False))  # noqa: E712
        .order_by(PlannedCommunication.next_due, PlannedCommunication.id)
    )
    items = []
    for plan in query:
        due = book.as_date(plan.next_due)
        text = f"{plan.what} ({period(plan.every, plan.unit)}), {_when_due(due, as_of)}"
        items.append(
            AgendaItem(
                f"plan:{plan.id}:{due.isoformat()}",
                "plans",
                plan.client.id,
                plan.client.name,
                plan.client.company,
                text,
                due=due,
                plan_id=plan.id,
            )
        )
    return items


def unkept_promises(as_of: date) -> list[AgendaItem]:
    """Touches promised at any review whose day passed with no touch between the day
    they were promised and that day, and which no review has answered since."""
    answered = (
        ReviewAction.select(ReviewAction.item_key)
        .where(ReviewAction.step != ReviewStep.SKIPPED.value)
        .tuples()
    )
    handled = {key for (key,) in answered if key.startswith("unkept:")}
    query = (
        ScheduledTouch.select(ScheduledTouch, Client.id, Client.name, Client.company)
        .join(Client, JOIN.INNER)
        .where((ScheduledTouch.due_on < as_of) & (Client.archived == False))  # noqa: E712
        .order_by(ScheduledTouch.due_on, ScheduledTouch.id)
    )
    items = []
    for promise in query:
        key = f"unkept:{promise.id}"
        due = book.as_date(promise.due_on)
        if key in handled or _kept(promise.client.id, promise.created_at, due):
            continue
        items.append(
            AgendaItem(
                key,
                "unkept",
                promise.client.id,
                promise.client.name,
                promise.client.company,
                f"You planned a touch by {short_day(due)}; none was logged.",
                due=due,
            )
        )
    return items


def _kept(client_id: int, promised_at, due: date) -> bool:
    """A touch on a day from the promise to its due day keeps it."""
    return (
        Interaction.select(Interaction.id)
        .where(
            (Interaction.client == client_id)
            & (Interaction.kind != Kind.NOTE.value)
            & (Interaction.day >= clock.local_day(promised_at))
            & (Interaction.day <= due)
        )
        .exists()
    )
