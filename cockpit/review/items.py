"""The weekly review's agenda as data: its parts, their items, and the agenda as
`cockpit review --json` prints it and a review keeps it (`snapshot`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

WEEK_DAYS = 7
OCCASION_DAYS = 14

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
