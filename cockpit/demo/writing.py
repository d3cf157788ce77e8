"""Writing the demo's clients through `storage.book`, as the app would: each client with
its touches and deals, some with a Mackay 66 profile or planned communications."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta

from cockpit import clock
from cockpit.demo.history import DemoClient, DemoGenerator
from cockpit.demo.words import (
    CHILDREN,
    DEAL_WORDS,
    DURATIONS,
    HOBBIES,
    HOMETOWNS,
    SPOUSES,
    SUMMARIES,
    TITLES,
)
from cockpit.storage import book
from cockpit.vocabulary import Intent, Kind, Lifecycle, PlanUnit


def _moment(gen: DemoGenerator, day: date) -> datetime:
    if day.weekday() == 5:
        day -= timedelta(days=1)
    elif day.weekday() == 6:
        day += timedelta(days=1)
    day = min(day, gen.today)
    return datetime.combine(day, time(gen.rng.randint(8, 17), gen.rng.choice((0, 15, 30, 45))))


def write_client(gen: DemoGenerator, person: DemoClient, index: int):
    """Write one client with its touches and deals; returns the client `book.add_client` made."""
    rng, today = gen.rng, gen.today
    first, last = person.name.split(" ", 1)
    ascii_name = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore")
    local_part = ascii_name.decode().lower().replace("'", "")
    lifecycle = {
        "prospect": Lifecycle.PROSPECT,
        "former": Lifecycle.FORMER,
    }.get(person.pattern, Lifecycle.ACTIVE)
    since = person.won if person.won and rng.random() < 0.5 else None
    keep_in_touch = None
    if person.pattern == "steady" and index % 3 == 0:
        keep_in_touch = rng.choice((21, 30, 45))
    elif person.pattern == "peripheral" and index % 2 == 0:
        keep_in_touch = 90
    created_on = (person.won or today - timedelta(days=130)) - timedelta(days=rng.randint(10, 60))
    client = book.add_client(
        person.name,
        person.company,
        title=rng.choice(TITLES),
        emails=[f"{local_part}@{person.domain}"],
        phones=[f"+1 555 01{index:02d}"],
        lifecycle=lifecycle,
        client_since=since,
        keep_in_touch_days=keep_in_touch,
        strategic=person.pattern == "drifting-long" and index % 4 == 0,
        snoozed_until=today + timedelta(days=21)
        if person.pattern == "drifting-long" and index % 5 == 1
        else None,
        created_at=clock.to_utc(datetime.combine(created_on, time(9))),
    )
    for day, kind in person.touches:
        when = _moment(gen, day)
        low, high = DURATIONS[kind]
        intent = None
        if person.pattern == "ask-heavy" and day > today - timedelta(days=120):
            intent = Intent.SALES
        elif kind in (Kind.CALL, Kind.EMAIL, Kind.MEETING) and rng.random() < 0.45:
            intent = Intent.SALES if kind is Kind.CALL else Intent.RELATIONSHIP
        if intent is None:  # as the book would choose once the deals below are in
            intent = book.default_intent(kind, when.date(), person.won)
        follow_up = None
        if today - timedelta(days=30) <= day and rng.random() < 0.25:
            follow_up = day + timedelta(days=rng.randint(3, 21))
        interaction = book.add_interaction(
            client,
            kind,
            when=when,
            summary=rng.choice(SUMMARIES[kind]),
            intent=intent,
            duration_min=rng.randint(low, high),
            follow_up_on=follow_up,
            created_at=clock.to_utc(when),
        )
        if follow_up and follow_up < today - timedelta(days=7) and rng.random() < 0.5:
            book.set_follow_up_done(interaction.id)
        if rng.random() < 0.04:
            book.add_interaction(
                client,
                Kind.NOTE,
                when=when + timedelta(minutes=30),
                summary=rng.choice(SUMMARIES[Kind.NOTE]),
                created_at=clock.to_utc(when),
            )
    for won_on, amount in person.deals:
        book.add_deal(
            client,
            amount,
            won_on=won_on,
            description=rng.choice(DEAL_WORDS[:4]),
            created_at=clock.to_utc(datetime.combine(won_on, time(17))),
        )
    return client


def _birthday_soon(gen: DemoGenerator, within: int, born: int | None) -> str:
    day = gen.today + timedelta(days=gen.rng.randint(1, within))
    return (
        f"{born:04d}-{day.month:02d}-{day.day:02d}" if born else f"--{day.month:02d}-{day.day:02d}"
    )


def write_profile(gen: DemoGenerator, client, depth: int) -> None:
    """Fill a profile: depth 0 is the fullest, higher depths fill less."""
    rng, year = gen.rng, gen.today.year
    kids = rng.sample(CHILDREN[:8], k=rng.randint(1, 3))
    answers: dict = {
        "nickname": client.name.split()[0],
        "job_title": client.title,
        "birth_date": _birthday_soon(
            gen, 12, year - rng.randint(35, 58) if depth % 2 == 0 else None
        ),
        "hometown": rng.choice(HOMETOWNS[:6]),
        "hobbies": [{"value": hobby} for hobby in rng.sample(HOBBIES[:7], k=2)],
        "spectator_sports": [
            {"value": rng.choice(("football", "ice hockey", "tennis", "cricket"))}
        ],
    }
    if depth <= 3:
        answers |= {
            "marital_status": "married",
            "spouse_name": rng.choice(SPOUSES[:5]),
            "wedding_anniversary": _birthday_soon(gen, 30, year - rng.randint(5, 25)),
            "children": [
                {"name": kid, "birthday": _birthday_soon(gen, 60, year - rng.randint(3, 17))}
                for kid in kids
            ],
            "college": rng.choice(("University of Leeds", "TU Munich", "Boston University")),
            "favourite_restaurants": [{"value": "Chez Marcel"}, {"value": "The Old Mill"}],
            "favourite_dishes": [{"value": "risotto"}],
            "business_goal_now": "Cut logistics costs by 10% before the next budget round.",
            "key_problems": "A new ERP system is eating the team's time this year.",
        }
    if depth == 0:
        answers |= {
            "earlier_employers": [
                {"company": "Globex", "place": "Chicago", "dates": "2009-2014", "title": "Buyer"},
                {
                    "company": "Initech",
                    "place": "Austin",
                    "dates": "2014-2018",
                    "title": "Lead buyer",
                },
            ],
            "confidential_subjects": (
                "Went through a difficult divorce; never bring up family holidays."
            ),
            "children_custody": "Shared custody; the children are with them every other week.",
            "health": "Recovering from knee surgery.",
            "proudest_achievement": "Built the purchasing team from two to twelve people.",
            "conversation_topics": [{"value": "sailing"}, {"value": "the local football club"}],
        }
    book.set_profile(client, answers, updated_at=clock.to_utc(datetime.combine(gen.today, time(8))))


def write_plans(gen: DemoGenerator, client, index: int) -> None:
    today = gen.today
    what, every, unit = (
        ("Quarterly market update", 3, PlanUnit.MONTHS),
        ("Annual account review", 12, PlanUnit.MONTHS),
        ("Monthly usage report", 1, PlanUnit.MONTHS),
        ("Fortnightly project check-in", 2, PlanUnit.WEEKS),
    )[index % 4]
    book.add_plan(
        client,
        what,
        every,
        unit,
        today + timedelta(days=gen.rng.randint(-6, 40)),
        created_at=clock.to_utc(datetime.combine(today - timedelta(days=200), time(9))),
    )
