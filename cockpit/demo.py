"""A realistic demo book, the same for a given "today" and dated relative to it.

About 60 clients at a dozen companies, two to three years of touches and
deals, several filled-in Mackay 66 profiles and planned communications. Each
client follows one relationship pattern (see `PATTERNS`) so that every status
Cockpit knows appears in the demo: new clients in their honeymoon, steady
ones, clients drifting long after their honeymoon or right after it ended,
one that drifted and recovered, peripheral clients that are quiet by design,
and prospects.
"""

from __future__ import annotations

import os
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from cockpit import clock
from cockpit.errors import DatabaseError
from cockpit.storage import book
from cockpit.storage.database import (
    DatabaseLocation,
    checkpoint,
    open_database,
    peek_book_info,
    remove_book_files,
)
from cockpit.storage.models import (
    Client,
    Deal,
    Interaction,
    PlannedCommunication,
    database_proxy,
    set_info,
)
from cockpit.vocabulary import Intent, Kind, Lifecycle, PlanUnit

DEMO_MARKER_KEY = "demo"
SEED = 66

COMPANIES = (
    ("Northwind Logistics", "northwind.example"),
    ("Brightline Health", "brightline.example"),
    ("Crescent Foods", "crescentfoods.example"),
    ("Atlas Engineering", "atlas-eng.example"),
    ("Harbor & Vale", "harborvale.example"),
    ("Pinecrest Capital", "pinecrest.example"),
    ("Lumen Retail", "lumen.example"),
    ("Solace Hotels", "solacehotels.example"),
    ("Ridgeway Construction", "ridgeway.example"),
    ("Meridian Software", "meridian.example"),
    ("Bluewater Marine", "bluewater.example"),
    ("Oakfield Schools", "oakfield.example"),
)

FIRST_NAMES = (
    "Amelia",
    "Ben",
    "Carla",
    "Daniel",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Keiko",
    "Liam",
    "Maya",
    "Nils",
    "Olivia",
    "Pedro",
    "Quinn",
    "Rosa",
    "Samir",
    "Tara",
    "Umar",
    "Vera",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Aaron",
    "Bianca",
    "Cyril",
    "Dana",
    "Emil",
    "Fatima",
    "Gregor",
    "Hana",
    "Ivan",
    "Julia",
    "Kofi",
    "Lena",
    "Marco",
    "Nadia",
)
LAST_NAMES = (
    "Adler",
    "Brennan",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Gallagher",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Novak",
    "O'Neill",
    "Petrov",
    "Quint",
    "Rossi",
    "Sato",
    "Tanaka",
    "Ueda",
    "Varga",
    "Whitaker",
    "Xu",
    "Yilmaz",
    "Zimmermann",
    "Abbott",
    "Bauer",
    "Costa",
    "Delgado",
    "Engel",
    "Ferreira",
    "García",
    "Hoffmann",
)
TITLES = (
    "Head of Procurement",
    "Operations Director",
    "CFO",
    "IT Manager",
    "Managing Partner",
    "VP Sales",
    "Facilities Manager",
    "Purchasing Lead",
    "COO",
    "Finance Director",
)

SUMMARIES: dict[Kind, tuple[str, ...]] = {
    Kind.CALL: (
        "Checked in on the rollout; all fine.",
        "Talked through next quarter's volumes.",
        "Quick call about the invoice question.",
        "Called to congratulate on the new office.",
        "Discussed renewal terms.",
        "Walked through the new pricing.",
    ),
    Kind.MEETING: (
        "Quarterly business review at their office.",
        "Demo of the new module for the team.",
        "Lunch meeting; talked about their expansion plans.",
        "Workshop on next year's requirements.",
        "Renewal negotiation.",
    ),
    Kind.EMAIL: (
        "Sent the proposal for the upgrade.",
        "Shared an article on their industry.",
        "Followed up on the open quote.",
        "Sent the meeting notes and next steps.",
        "Introduced our new support lead.",
    ),
    Kind.MESSAGE: (
        "Texted good luck for the trade fair.",
        "Quick message about the delivery date.",
        "Sent a photo from the conference.",
    ),
    Kind.HANDWRITTEN_NOTE: (
        "Thank-you card after the renewal.",
        "Birthday card.",
        "Note of congratulations on the promotion.",
    ),
    Kind.GIFT: (
        "Sent a book on negotiation they mentioned.",
        "Holiday hamper.",
        "Tickets to the match.",
    ),
    Kind.EVENT: (
        "Golf day with the team.",
        "Invited to our customer evening.",
        "Industry dinner together.",
    ),
    Kind.REFERRAL_ASKED: ("Asked whether a peer at another firm could use us.",),
    Kind.REFERRAL_RECEIVED: ("Introduced us to a contact at a partner firm.",),
    Kind.REFERRAL_GIVEN: (
        "Introduced them to a recruiter they needed.",
        "Passed on a lead for their business.",
    ),
    Kind.NOTE: (
        "Internal: budget decision expected in spring.",
        "Internal: prefers calls before 10am.",
        "Internal: new decision maker joining next month.",
    ),
}

KIND_WEIGHTS: tuple[tuple[Kind, int], ...] = (
    (Kind.CALL, 30),
    (Kind.EMAIL, 24),
    (Kind.MEETING, 15),
    (Kind.MESSAGE, 10),
    (Kind.HANDWRITTEN_NOTE, 5),
    (Kind.GIFT, 3),
    (Kind.EVENT, 4),
    (Kind.REFERRAL_ASKED, 3),
    (Kind.REFERRAL_RECEIVED, 2),
    (Kind.REFERRAL_GIVEN, 4),
)

DURATIONS: dict[Kind, tuple[int, int]] = {
    Kind.CALL: (5, 45),
    Kind.MEETING: (30, 120),
    Kind.EMAIL: (5, 20),
    Kind.MESSAGE: (1, 5),
    Kind.HANDWRITTEN_NOTE: (10, 15),
    Kind.GIFT: (15, 40),
    Kind.EVENT: (120, 240),
    Kind.REFERRAL_ASKED: (5, 15),
    Kind.REFERRAL_RECEIVED: (5, 10),
    Kind.REFERRAL_GIVEN: (10, 30),
}

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


@dataclass(frozen=True)
class DemoSummary:
    path: Path
    clients: int
    companies: int
    interactions: int
    deals: int
    profiles: int
    plans: int


class _Generator:
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


def _people(gen: _Generator) -> list[DemoClient]:
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


def _moment(gen: _Generator, day: date) -> datetime:
    if day.weekday() == 5:
        day -= timedelta(days=1)
    elif day.weekday() == 6:
        day += timedelta(days=1)
    day = min(day, gen.today)
    return datetime.combine(day, time(gen.rng.randint(8, 17), gen.rng.choice((0, 15, 30, 45))))


def _write_client(gen: _Generator, person: DemoClient, index: int) -> Client:
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
            interaction.follow_up_done = True
            interaction.save()
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
            description=rng.choice(("Annual contract", "Upgrade", "Renewal", "New site rollout")),
            created_at=clock.to_utc(datetime.combine(won_on, time(17))),
        )
    return client


def _birthday_soon(gen: _Generator, within: int, born: int | None) -> str:
    day = gen.today + timedelta(days=gen.rng.randint(1, within))
    return (
        f"{born:04d}-{day.month:02d}-{day.day:02d}" if born else f"--{day.month:02d}-{day.day:02d}"
    )


def _write_profile(gen: _Generator, client: Client, depth: int) -> None:
    """Fill a profile: depth 0 is the fullest, higher depths fill less."""
    rng, year = gen.rng, gen.today.year
    kids = rng.sample(
        ("Mia", "Noah", "Ella", "Leo", "Ava", "Finn", "Lily", "Oscar"), k=rng.randint(1, 3)
    )
    answers: dict = {
        "nickname": client.name.split()[0],
        "job_title": client.title,
        "birth_date": _birthday_soon(
            gen, 12, year - rng.randint(35, 58) if depth % 2 == 0 else None
        ),
        "hometown": rng.choice(("Lyon", "Leeds", "Porto", "Denver", "Osaka", "Kraków")),
        "hobbies": [
            {"value": hobby}
            for hobby in rng.sample(
                (
                    "sailing",
                    "golf",
                    "trail running",
                    "jazz piano",
                    "woodworking",
                    "chess",
                    "cycling",
                ),
                k=2,
            )
        ],
        "spectator_sports": [
            {"value": rng.choice(("football", "ice hockey", "tennis", "cricket"))}
        ],
    }
    if depth <= 3:
        answers |= {
            "marital_status": "married",
            "spouse_name": rng.choice(("Chris", "Sam", "Alex", "Robin", "Kim")),
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


def _write_plans(gen: _Generator, client: Client, index: int) -> None:
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


_COUNTED = (Client, Interaction, Deal, PlannedCommunication)


def is_demo_book(path: Path) -> bool:
    """Whether an existing file is a demo book that `cockpit demo` may rebuild."""
    return peek_book_info(path, DEMO_MARKER_KEY) == "1"


def build_demo(path: Path, today: date) -> DemoSummary:
    """Write the demo book to `path`, replacing an earlier demo book there.

    Refuses to replace any other file. The book is built beside the target
    and moved into place when complete, so a failure leaves nothing half-built.
    """
    if path.exists() and not is_demo_book(path):
        raise DatabaseError(
            f"{path} exists and is not a Cockpit demo book; the demo never replaces other "
            "files. Choose another path with --db"
        )
    building = path.with_name(f".{path.name}.building")
    remove_book_files(building)
    gen = _Generator(today)
    people = _people(gen)
    for person in people:
        gen.history(person)
    db = open_database(DatabaseLocation(building, "demo"))
    try:
        with book.batch_writes():
            set_info(DEMO_MARKER_KEY, "1")
            profiles = plans = 0
            for index, person in enumerate(people):
                client = _write_client(gen, person, index)
                if person.pattern not in ("prospect", "former") and index % 5 == 0:
                    _write_profile(gen, client, depth=profiles)
                    profiles += 1
                if person.pattern in ("steady", "ask-heavy", "drifting-long") and index % 3 == 1:
                    _write_plans(gen, client, plans)
                    plans += 1
        counts = {model: model.select().count() for model in _COUNTED}
        checkpoint(db)
    finally:
        db.close()
        database_proxy.initialize(None)
    remove_book_files(path)
    os.replace(building, path)
    remove_book_files(building)
    return DemoSummary(
        path=path,
        clients=counts[Client],
        companies=len({person.company for person in people}),
        interactions=counts[Interaction],
        deals=counts[Deal],
        profiles=profiles,
        plans=counts[PlannedCommunication],
    )
