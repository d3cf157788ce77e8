"""The rows of the bench's book, made as `storage.book` makes them: a client's row with its
emails and phones, touches, won deals, a partly filled Mackay 66 profile, a plan."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from cockpit import clock
from cockpit.bench.people import Person, ascii_name, days_between
from cockpit.demo.words import (
    CHILDREN,
    DEAL_WORDS,
    DURATIONS,
    HOBBIES,
    HOMETOWNS,
    KIND_WEIGHTS,
    SPOUSES,
    SUMMARIES,
    TITLES,
)
from cockpit.storage import book
from cockpit.vocabulary import KIND_INFO, Kind, PlanUnit


def client_row(rng: random.Random, person: Person, index: int, today: date) -> tuple:
    """The client's row as `book.add_client` would write it, and its emails and phones."""
    first, last = person.name.split(" ", 1)
    emails = []
    if rng.random() < 0.95:
        emails.append(f"{ascii_name(first)}.{ascii_name(last)}{index}@{person.domain}")
        if rng.random() < 0.1:
            emails.append(f"{ascii_name(first)}{index}@mail.example")
    phones = [f"+1 555 {index // 10000:02d} {index % 10000:04d}"] if rng.random() < 0.7 else []
    keep = rng.choice((14, 21, 30, 45, 60, 90)) if rng.random() < 0.15 else None
    snoozed = today + timedelta(days=rng.randint(1, 30)) if rng.random() < 0.02 else None
    columns, emails, phones = book.client_columns(
        person.name, person.company, rng.choice(TITLES), emails, phones, person.lifecycle, keep
    )
    since = person.won if person.won and rng.random() < 0.3 else None
    created = clock.to_utc(
        datetime.combine(person.start - timedelta(days=rng.randint(0, 30)), time(9))
    )
    row = {
        **columns,
        "client_since": since,
        "strategic": rng.random() < 0.03,
        "snoozed_until": snoozed,
        "archived": rng.random() < 0.02,
        "created_at": created,
        "updated_at": created,
    }
    return row, emails, phones


class Touches:
    """Interaction rows as `book.interaction_row` makes them, made faster: the local
    day is the day chosen, and the UTC offset is worked out once per day."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng, self.today = rng, today
        self.kinds, self.weights = zip(*KIND_WEIGHTS, strict=True)
        self.offsets: dict[date, timedelta] = {}

    def utc(self, when: datetime) -> datetime:
        offset = self.offsets.get(when.date())
        if offset is None:  # touches fall in office hours, far from a DST change at night
            noon = datetime.combine(when.date(), time(12))
            offset = self.offsets[when.date()] = clock.to_utc(noon) - noon
        return when + offset

    def row(self, client_id: int, day: date, won_on: date | None = None) -> dict:
        rng = self.rng
        when = datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
        kind = Kind.NOTE if rng.random() < 0.03 else rng.choices(self.kinds, self.weights)[0]
        intent = book.default_intent(kind, day, won_on).value
        minutes, follow_up, done = KIND_INFO[kind].minutes, None, False
        if kind is not Kind.NOTE:
            if kind in (Kind.CALL, Kind.EMAIL, Kind.MEETING) and rng.random() < 0.3:
                intent = rng.choice(("sales", "relationship"))
            minutes = rng.randint(*DURATIONS[kind])
            if day >= self.today - timedelta(days=45) and rng.random() < 0.2:
                follow_up = day + timedelta(days=rng.randint(3, 21))
                done = follow_up < self.today - timedelta(days=7) and rng.random() < 0.6
        occurred_at = self.utc(when)
        return {
            "client": client_id,
            "occurred_at": occurred_at,
            "day": day,
            "kind": kind.value,
            "intent": intent,
            "duration_min": minutes,
            "summary": rng.choice(SUMMARIES[kind]),
            "follow_up_on": follow_up,
            "follow_up_done": done,
            "created_at": occurred_at,
        }

    def of(self, person: Person, client_id: int) -> list[dict]:
        return [
            self.row(
                client_id,
                person.last if number == 0 else days_between(self.rng, person.start, person.last),
                person.won,
            )
            for number in range(person.touches)
        ]


def deal_rows(rng: random.Random, person: Person, client_id: int, today: date) -> list[dict]:
    rows = []
    big = rng.random() < 0.08  # the few large accounts that bring most of the revenue
    for number in range(person.deals):
        won_on = person.won if number == 0 else days_between(rng, person.won, today)
        cents = rng.randrange(80_000, 300_000, 500) if big else rng.randrange(1_000, 40_000, 100)
        rows.append(
            book.deal_row(
                client_id,
                cents,
                currency="EUR" if rng.random() < 0.05 else None,
                won_on=won_on,
                description=rng.choice(DEAL_WORDS),
                created_at=clock.to_utc(datetime.combine(won_on, time(17))),
            )
        )
    return rows


def partial_date(rng: random.Random, today: date, with_year: bool, age: tuple[int, int]) -> str:
    day = date(2000, 1, 1) + timedelta(days=rng.randint(0, 365))  # any day of a leap year
    if not with_year:
        return f"--{day.month:02d}-{day.day:02d}"
    year = today.year - rng.randint(*age)
    if day.month == 2 and day.day == 29 and year % 4:
        day = day.replace(day=28)
    return f"{year:04d}-{day.month:02d}-{day.day:02d}"


def profile_answers(rng: random.Random, person: Person, today: date) -> dict:
    """A partly filled Mackay 66 profile: some items, more for some clients."""
    answers: dict = {
        "nickname": person.name.split()[0],
        "birth_date": partial_date(rng, today, rng.random() < 0.6, (28, 64)),
        "hobbies": [{"value": hobby} for hobby in rng.sample(HOBBIES, k=rng.randint(1, 3))],
    }
    if rng.random() < 0.5:
        answers["hometown"] = rng.choice(HOMETOWNS)
    if rng.random() < 0.4:
        answers["spouse_name"] = rng.choice(SPOUSES)
        if rng.random() < 0.5:
            answers["wedding_anniversary"] = partial_date(rng, today, True, (3, 30))
    if rng.random() < 0.45:
        answers["children"] = [
            {"name": kid, "birthday": partial_date(rng, today, rng.random() < 0.8, (1, 20))}
            for kid in rng.sample(CHILDREN, k=rng.randint(1, 3))
        ]
    if rng.random() < 0.2:
        answers["business_goal_now"] = "Cut costs by 10% before the next budget round."
    if rng.random() < 0.04:
        answers["confidential_subjects"] = "A difficult year at home; do not bring it up."
    return answers


def check_touch_columns(sample: list[dict]) -> None:
    """The fast rows hold what `book.interaction_row` would, and pass its checks."""
    for row in sample:
        when = clock.to_local(row["occurred_at"])
        made = book.interaction_row(
            row["client"],
            row["kind"],
            when=when,
            summary=row["summary"],
            intent=row["intent"],
            duration_min=row["duration_min"],
            follow_up_on=row["follow_up_on"],
            created_at=row["created_at"],
        )
        made["follow_up_done"] = row["follow_up_done"]
        if made != row:
            raise AssertionError(f"bench touch row differs from interaction_row: {row} {made}")


def plan_row(rng: random.Random, client_id: int, today: date, moment: datetime) -> dict:
    """A planned communication as `book.add_plan` writes it."""
    what, every, unit = rng.choice(
        (
            ("Quarterly market update", 3, PlanUnit.MONTHS),
            ("Monthly usage report", 1, PlanUnit.MONTHS),
            ("Fortnightly check-in", 2, PlanUnit.WEEKS),
        )
    )
    due = today + timedelta(days=rng.randint(-10, 40))
    return {
        "client": client_id,
        **book.plan_values(what, every, unit),
        "next_due": due,
        "created_at": moment,
    }
