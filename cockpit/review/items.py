"""The weekly review's agenda as data: its parts (`PARTS`, the one ordered list of them),
their items, and the agenda as `cockpit review --json` prints it and a review keeps it
(`snapshot`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

WEEK_DAYS = 7
OCCASION_DAYS = 14


@dataclass(frozen=True)
class Part:
    """One part of the review.

    `key` is its name in `cockpit review --json`, in the stored reviews and in each item's
    key: once released it never changes. `cap` is the most items it shows (the review as a
    whole shows at most `agenda.REVIEW_BUDGET`). Items of a part `about_client` are about
    the client as a whole: snoozing one snoozes the client.
    """

    key: str
    title: str
    cap: int
    about_client: bool = False


def insert_part(parts: tuple[Part, ...], part: Part, *, after: str) -> tuple[Part, ...]:
    """`parts` with `part` right after the part keyed `after` (a named place, see PARTS)."""
    keys = [each.key for each in parts]
    if part.key in keys:
        raise ValueError(f"the review already has a part {part.key!r}")
    if after not in keys:
        raise ValueError(f"the review has no part {after!r} to put {part.key!r} after")
    at = keys.index(after) + 1
    return (*parts[:at], part, *parts[at:])


# The review's parts, in the order they are shown, the most pressing first: when the review
# holds more than its budget, the earlier parts keep more of their items (see
# `agenda.shown_counts`). Later features put their parts in at a named place with
# `insert_part`, never by editing a key:
# - renewals (a contract up for renewal on a drifting account): after "drifting-high", the
#   drifting clients that hold the most at stake (issue 21);
# - account plans (their actions due, and the plans' own review dates): after "renewals"
#   (issue 22);
# - capacity (your plans need more hours a week than you said you have): first, before
#   everything else, and only when over (issue 23).
PARTS: tuple[Part, ...] = (
    Part("unkept", "Promises from the last review not kept", 10, about_client=True),
    # Much at stake: pinned as strategic, or a share of the revenue of `stake_high_share`
    # (10%) and more; the explanation says which.
    Part("drifting-high", "Drifting clients with much at stake", 10, about_client=True),
    Part("drifting-other", "Other drifting clients, the most at stake first", 5, about_client=True),
    Part("follow-ups", "Follow-ups due or overdue", 10),
    Part("plans", "Planned communications due", 6),
    Part("occasions", f"Occasions in the next {OCCASION_DAYS} days", 6),
    Part("give-ask", "Mostly asks lately: give before you ask", 5, about_client=True),
    Part("referrals", "Referral asks due", 3, about_client=True),
    Part(
        "eating",
        "Peripheral clients eating your time: not every deal is worth saving",
        3,
        about_client=True,
    ),
    # Listed in the first review of each month only (`agenda.lapsed_this_week`).
    Part("lapsed", "Lapsed: win back or let go", 5, about_client=True),
)
PARTS = insert_part(
    PARTS,
    Part("renewals", "Renewals at risk: up within 90 days, the relationship drifting", 5),
    after="drifting-high",
)
PARTS = insert_part(
    PARTS, Part("plan-actions", "Account plan actions due or overdue", 6), after="renewals"
)
PARTS = insert_part(PARTS, Part("plan-reviews", "Account plans to review", 3), after="plan-actions")
# - replies (clients whose mail has waited `reply_within_days` for an answer): after
#   "unkept", the promises you made (issue 25); its items are about a message, not the
#   client, so snoozing one does not snooze the client.
PARTS = insert_part(PARTS, Part("replies", "Clients waiting for your reply", 6), after="unkept")
PARTS = (
    Part("capacity", "Over capacity: relax a peripheral client's cadence", 5, about_client=True),
    *PARTS,
)
PART_TITLES = {part.key: part.title for part in PARTS}

# Pairs of parts that would give one client opposite advice, as (yields, holds): a client
# that belongs in both is listed in the second only (whether or not the budget shows it
# there). Applied in this order, so that a part is complete before another yields to it;
# both parts are judged from the verdicts (`agenda.client_candidates`). Follow-ups, plans
# and occasions are things you said you would do, or dates: they never yield.
OPPOSITES: tuple[tuple[str, str], ...] = (
    # A lapsed client is to be won back or let go, not nudged like a drifting one.
    ("drifting-high", "lapsed"),
    ("drifting-other", "lapsed"),
    ("give-ask", "lapsed"),
    ("eating", "lapsed"),
    ("referrals", "lapsed"),
    # Reach out to save it, or let it go: a drifting client is not "not worth saving".
    ("eating", "drifting-high"),
    ("eating", "drifting-other"),
    # Give more, or spend less time: spending less wins.
    ("give-ask", "eating"),
    # Ask for a referral only where nothing says the relationship needs care first.
    ("referrals", "drifting-high"),
    ("referrals", "drifting-other"),
    ("referrals", "eating"),
    ("referrals", "give-ask"),
)

# Parts whose items are about the client as a whole: snoozing one snoozes the client.
# "drifting-core" is the first part's key in reviews kept before it held the high stakes.
CLIENT_PARTS = frozenset({part.key for part in PARTS if part.about_client} | {"drifting-core"})


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
    # The client's other follow-ups (with interaction_id) or plans (with plan_id) in this
    # item: a client has one item per part at most.
    also_ids: tuple[int, ...] = ()
    account_plan_id: int | None = None  # the account plan of a plan's item
    action_ids: tuple[int, ...] = ()  # the plan's actions the item stands for
    cadence_days: int | None = None  # the cadence relaxing the client gives (capacity)

    def as_json(self) -> dict:
        data = asdict(self)
        data["due"] = self.due.isoformat() if self.due else None
        data["also_ids"] = list(self.also_ids)
        data["action_ids"] = list(self.action_ids)
        return data

    @classmethod
    def from_json(cls, data: dict) -> AgendaItem:
        values = dict(data)
        values["due"] = date.fromisoformat(data["due"]) if data.get("due") else None
        values["also_ids"] = tuple(data.get("also_ids") or ())
        values["action_ids"] = tuple(data.get("action_ids") or ())
        return cls(**values)


@dataclass
class AgendaPart:
    key: str
    title: str
    items: list[AgendaItem] = field(default_factory=list)
    more: int = 0  # items left out: beyond the part's cap, or the review's budget
    note: str = ""  # said instead of "nothing this week" when the part is not listed
    lead: str = ""  # said before the items (what the capacity part is about)

    @property
    def count(self) -> int:
        return len(self.items) + self.more

    @property
    def more_line(self) -> str:
        """What is said of the items left out ("" when none are)."""
        if not self.more:
            return ""
        where = " (cockpit drift --all lists every client)" if self.key in CLIENT_PARTS else ""
        if self.key == "capacity":
            where = ", each freeing less time"
        return f"… and {self.more} more, less pressing{where}"

    @property
    def empty_line(self) -> str:
        """What is said of a part without items."""
        return self.note or "nothing this week"


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

    @property
    def more(self) -> int:
        """The items left out of every part."""
        return sum(part.more for part in self.parts)

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
                    **({"note": part.note} if part.note else {}),
                    **({"lead": part.lead} if part.lead else {}),
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
                    "note": p.note,
                    "lead": p.lead,
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
                    part.get("note", ""),
                    part.get("lead", ""),
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
