"""The demo's clients and their histories, decided before anything is written.

Each client follows one relationship pattern (see `PATTERNS`), which decides its
touch days, the kinds of its touches and its won deals; one seeded
`random.Random` makes the same demo for the same "today".
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from cockpit.demo.words import COMPANIES, FIRST_NAMES, KIND_WEIGHTS, LAST_NAMES
from cockpit.vocabulary import Kind

SEED = 66

# Relationship patterns and how many clients follow each (60 in all).
PATTERNS: tuple[tuple[str, int], ...] = (
    ("new", 6),  # won in the last 10 weeks: in the honeymoon
    ("steady", 18),
    ("ask-heavy", 3),  # steady cadence, but nearly every touch is an ask
    ("drifting-long", 8),  # drifting long after the honeymoon
    ("drifting-early", 5),  # drifting right after the honeymoon ended
    ("recovered", 4),  # drifted, then regular contact again
    ("peripheral", 7),  # much time, little business; quiet by design
    ("prospect", 6),
    ("former", 3),
)


@dataclass
class DemoClient:
    """What the generator decided about one client before writing it."""

    pattern: str
    name: str
    company: str
    domain: str
    won: date | None = None  # the start of the honeymoon
    touches: list[tuple[date, Kind]] = field(default_factory=list)
    deals: list[tuple[date, int]] = field(default_factory=list)


class DemoGenerator:
    """Decides every client's history with one seeded `random.Random`."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.rng = random.Random(SEED)

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def cadence(self, start: date, end: date, low: int, high: int) -> list[date]:
        """Touch days from start to end (exclusive), every low..high days."""
        days, day = [], start
        while day < end:
            days.append(day)
            day += timedelta(days=self.rng.randint(low, high))
        return days

    def kind(self) -> Kind:
        kinds, weights = zip(*KIND_WEIGHTS, strict=True)
        return self.rng.choices(kinds, weights)[0]

    def history(self, client: DemoClient) -> None:
        """Decide the touch days and deals of one client by its pattern."""
        rng, today = self.rng, self.today
        pattern = client.pattern
        honeymoon_step = (4, 8)
        if pattern == "new":
            client.won = self.days_ago(15, 70)
            days = self.cadence(client.won, today - timedelta(days=1), *honeymoon_step)
            client.deals = [(client.won, rng.randrange(8_000, 60_000, 500))]
        elif pattern == "prospect":
            days = self.cadence(self.days_ago(40, 120), today - timedelta(days=3), 10, 25)
        elif pattern == "drifting-early":
            client.won = self.days_ago(130, 170)
            honeymoon_end = client.won + timedelta(days=90)
            days = self.cadence(client.won, honeymoon_end, *honeymoon_step)
            days.append(honeymoon_end + timedelta(days=rng.randint(2, 6)))
            client.deals = [(client.won, rng.randrange(10_000, 80_000, 500))]
        else:
            client.won = self.days_ago(700, 1050)
            honeymoon_end = client.won + timedelta(days=90)
            if pattern == "peripheral":
                # Never courted closely: judged by the plan alone, not by a honeymoon cadence.
                days = [client.won, client.won + timedelta(days=rng.randint(20, 60))]
            else:
                days = self.cadence(client.won, honeymoon_end, *honeymoon_step)
            if pattern in ("steady", "ask-heavy"):
                days += self.cadence(
                    honeymoon_end, today - timedelta(days=rng.randint(1, 8)), 7, 14
                )
                if days[-1] < today - timedelta(days=10):
                    days.append(today - timedelta(days=rng.randint(1, 6)))
            elif pattern == "drifting-long":
                quiet_since = today - timedelta(days=rng.randint(75, 130))
                days += self.cadence(honeymoon_end, quiet_since, 10, 24)
            elif pattern == "recovered":
                gap_start = today - timedelta(days=rng.randint(170, 220))
                days += self.cadence(honeymoon_end, gap_start, 10, 20)
                days += self.cadence(today - timedelta(days=80), today - timedelta(days=2), 8, 12)
            elif pattern == "peripheral":
                days += self.cadence(
                    honeymoon_end, today - timedelta(days=rng.randint(10, 40)), 45, 70
                )
            elif pattern == "former":
                days += self.cadence(honeymoon_end, today - timedelta(days=400), 20, 40)
            client.deals = self.deals_for(client)
        client.touches = [(day, self.touch_kind(pattern)) for day in days]

    def touch_kind(self, pattern: str) -> Kind:
        if pattern == "peripheral":
            return self.rng.choice((Kind.MEETING, Kind.EVENT, Kind.MEETING, Kind.CALL))
        if pattern == "prospect":
            return self.rng.choice((Kind.CALL, Kind.EMAIL, Kind.MEETING))
        return self.kind()

    def deals_for(self, client: DemoClient) -> list[tuple[date, int]]:
        rng = self.rng
        if client.pattern == "peripheral":
            sizes = (600, 2_500)
        elif rng.random() < (0.4 if client.pattern == "drifting-long" else 0.15):
            sizes = (90_000, 260_000)  # the few big accounts that make up most of the revenue
        else:
            sizes = (3_000, 14_000)
        deals = [(client.won, rng.randrange(*sizes, 100))]
        last_day = self.today - timedelta(days=400 if client.pattern == "former" else 1)
        renewal = client.won + timedelta(days=365)
        while renewal < last_day:
            deals.append((renewal, rng.randrange(*sizes, 100)))
            renewal += timedelta(days=rng.randint(330, 360))
        return deals


def choose_people(gen: DemoGenerator) -> list[DemoClient]:
    rng = gen.rng
    first_names, last_names = list(FIRST_NAMES), list(LAST_NAMES)
    rng.shuffle(first_names)
    rng.shuffle(last_names)
    patterns = [pattern for pattern, count in PATTERNS for _ in range(count)]
    rng.shuffle(patterns)
    people = []
    for index, pattern in enumerate(patterns):
        company, domain = COMPANIES[index % len(COMPANIES)]
        first = first_names[index % len(first_names)]
        last = last_names[(index * 7) % len(last_names)]
        people.append(DemoClient(pattern, f"{first} {last}", company, domain))
    return people
