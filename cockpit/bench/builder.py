"""A large book for `cockpit bench`, the same for a given size, seed and "today".

Everything is decided first with one seeded `random.Random`, then written in
bulk: clients (with the columns `book.add_client` sets), their emails and
phones, touches and won deals (validated by `book.interaction_row` and
`book.deal_row`), then the client summaries in one pass. About half the
clients get a partly filled Mackay 66 profile (birthdays with and without a
year, children, hobbies, a spouse...), a few a planned communication.

`build_book` writes it to a SQLite file (prepared statements), `build_server_book`
the very same rows to PostgreSQL (COPY), a chunk at a time: 2,500,000 touches are
never all in memory at once.

`write_vcards` writes an address book of other people for the import figure.
"""

from __future__ import annotations

import os
import random
import time as timer
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from cockpit import clock
from cockpit.config import settings
from cockpit.demo import DURATIONS, KIND_WEIGHTS, SUMMARIES, TITLES
from cockpit.errors import DatabaseError
from cockpit.storage import book
from cockpit.storage.database import (
    DatabaseLocation,
    checkpoint,
    open_database,
    remove_book_files,
)
from cockpit.storage.models import (
    ALL_MODELS,
    Client,
    ClientEmail,
    ClientPhone,
    Deal,
    Interaction,
    PlannedCommunication,
    ProfileValue,
    database_proxy,
)
from cockpit.vocabulary import KIND_INFO, Kind, Lifecycle, PlanUnit

SEED = 66_000
CHUNK = 10_000  # rows converted and inserted at a time
SERVER_CHUNK = 100_000  # rows a COPY sends to PostgreSQL at a time


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Aaron Abigail Adrian Aisha Alba Alejandro Amara Amelia Anders Andrea Anika Arjun Astrid "
    "Beatriz Ben Bianca Björn Camille Carla Carmen Chiara Chloé Cyril Dana Daniel Dario Dmitri "
    "Elena Elif Emil Emma Erik Esther Fatima Farid Felix Fiona Gabriel Grace Gregor Hana Hannah "
    "Hugo Ines Ingrid Isaac Ivan Jana Javier Jonas José Julia Kai Karim Keiko Kofi Lars Laura "
    "Lena Liam Lucía Luca Łukasz Maja Marco Maria Mateo Maya Mei Mika Nadia Niamh Nils Noah "
    "Olivia Omar Oscar Paula Pedro Priya Quinn Rafael Rania Rosa Ruth Samir Sara Sean Sofia "
    "Søren Tara Teodor Theo Umar Valentina Vera Viktor Wei William Ximena Yara Yusuf Zara Zoë"
)
LAST_NAMES = _words(
    "Abbott Adler Afolabi Almeida Andersson Bauer Becker Bianchi Brennan Brown Castillo Chen "
    "Costa Dąbrowski Delgado Dubois Dupont Eriksen Engel Fernández Ferreira Fischer Gallagher "
    "García Gonzalez Haddad Hansen Hoffmann Horvat Ito Ivanova Jensen Johansson Kaya Kim "
    "Kowalski Kumar Larsen Lefèvre Lindqvist Lopez Mahmoud Martin Meyer Moreau Müller Murphy "
    "Nakamura Nguyen Novak Nowak O'Brien O'Neill Okafor Olsen Papadopoulos Park Patel Pereira "
    "Petrov Popescu Quint Ramos Rossi Russo Sánchez Sato Schmidt Schneider Silva Smith Suzuki "
    "Svensson Tanaka Taylor Thompson Ueda Varga Vasquez Virtanen Wagner Walsh Weber Whitaker "
    "Wilson Wójcik Xu Yamamoto Yilmaz Young Zhang Zimmermann Żukowski"
)
COMPANY_WORDS = _words(
    "Northwind Brightline Crescent Atlas Harbor Pinecrest Lumen Solace Ridgeway Meridian "
    "Bluewater Oakfield Silverline Summit Keystone Evergreen Redwood Ironbridge Clearwater "
    "Granite Horizon Lighthouse Maple Nimbus Orchard Pioneer Quarry Riverside Sterling Tidewater "
    "Upland Vanguard Westbrook Yellowpine Zenith Beacon Cobalt Driftwood Ember Falcon"
)
COMPANY_KINDS = _words(
    "Logistics Health Foods Engineering Capital Retail Hotels Construction Software Marine "
    "Schools Pharma Energy Insurance Media Textiles Robotics Aviation Analytics Partners"
)
HOMETOWNS = ("Lyon", "Leeds", "Porto", "Denver", "Osaka", "Kraków", "Cork", "Malmö", "Austin")
HOBBIES = (
    "sailing",
    "golf",
    "trail running",
    "jazz piano",
    "woodworking",
    "chess",
    "cycling",
    "birdwatching",
    "pottery",
    "climbing",
)
CHILDREN = ("Mia", "Noah", "Ella", "Leo", "Ava", "Finn", "Lily", "Oscar", "Nora", "Elias")
SPOUSES = ("Chris", "Sam", "Alex", "Robin", "Kim", "Jordan", "Charlie")
DEAL_WORDS = ("Annual contract", "Upgrade", "Renewal", "New site rollout", "Pilot")


@dataclass
class _Person:
    name: str
    company: str
    domain: str
    lifecycle: Lifecycle
    start: date  # first touch possible
    last: date  # the last touch, when it has any
    won: date | None = None
    touches: int = 0
    deals: int = 0


@dataclass(frozen=True)
class BuiltBook:
    """What was written (to a file, or to a PostgreSQL database at `url`), and how long
    it took."""

    path: Path | None
    clients: int
    interactions: int
    deals: int
    profiles: int
    profile_values: int
    plans: int
    seconds: float
    url: str | None = None


def _ascii(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in bare.lower() if char.isalnum() or char == ".")


COMPANY_ENDINGS = ("", " Group", " Ltd", " & Co", " International", " Partners", " Holdings")


def _companies(rng: random.Random, count: int) -> list[tuple[str, str]]:
    pairs = [(word, kind) for word in COMPANY_WORDS for kind in COMPANY_KINDS]
    rng.shuffle(pairs)
    chosen = []
    for index in range(count):
        word, kind = pairs[index % len(pairs)]
        round_ = index // len(pairs)
        ending = COMPANY_ENDINGS[round_] if round_ < len(COMPANY_ENDINGS) else f" {round_}"
        domain = f"{_ascii(word + kind + ending.replace('&', 'and'))}.example"
        chosen.append((f"{word} {kind}{ending}", domain))
    return chosen


def _days_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _people(rng: random.Random, count: int, today: date) -> list[_Person]:
    companies = _companies(rng, max(12, count // 5))
    people = []
    for _ in range(count):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        company, domain = rng.choice(companies)
        roll = rng.random()
        if roll < 0.13:
            start = today - timedelta(days=rng.randint(30, 400))
            person = _Person(name, company, domain, Lifecycle.PROSPECT, start, today)
            person.last = _days_between(rng, start, today)
        elif roll < 0.21:
            won = today - timedelta(days=rng.randint(800, 2500))
            start = won - timedelta(days=rng.randint(0, 60))
            last = _days_between(rng, won + timedelta(days=30), today - timedelta(days=400))
            person = _Person(name, company, domain, Lifecycle.FORMER, start, last, won)
        else:
            won = today - timedelta(days=rng.randint(20, 1500))
            start = won - timedelta(days=rng.randint(0, 90))
            if rng.random() < 0.22:  # drifting: quiet for months
                last = today - timedelta(days=rng.randint(60, 500))
                last = max(last, won + timedelta(days=10))
            else:
                last = today - timedelta(days=rng.randint(0, 25))
            person = _Person(name, company, domain, Lifecycle.ACTIVE, start, min(last, today), won)
        people.append(person)
    return people


def _share(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """`total` items spread over len(weights) buckets, by weight (a multinomial draw)."""
    counts = [0] * len(weights)
    if total and weights and sum(weights) > 0:
        for index in rng.choices(range(len(weights)), weights=weights, k=total):
            counts[index] += 1
    return counts


def _client_row(rng: random.Random, person: _Person, index: int, today: date) -> tuple:
    """The client's row as `book.add_client` would write it, and its emails and phones."""
    first, last = person.name.split(" ", 1)
    emails = []
    if rng.random() < 0.95:
        emails.append(f"{_ascii(first)}.{_ascii(last)}{index}@{person.domain}")
        if rng.random() < 0.1:
            emails.append(f"{_ascii(first)}{index}@mail.example")
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


class _Touches:
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

    def row(self, client_id: int, day: date) -> dict:
        rng = self.rng
        when = datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
        kind = Kind.NOTE if rng.random() < 0.03 else rng.choices(self.kinds, self.weights)[0]
        info = KIND_INFO[kind]
        intent, minutes, follow_up, done = info.intent.value, info.minutes, None, False
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

    def of(self, person: _Person, client_id: int) -> list[dict]:
        return [
            self.row(
                client_id,
                person.last if number == 0 else _days_between(self.rng, person.start, person.last),
            )
            for number in range(person.touches)
        ]


def _deal_rows(rng: random.Random, person: _Person, client_id: int, today: date) -> list[dict]:
    rows = []
    big = rng.random() < 0.08  # the few large accounts that bring most of the revenue
    for number in range(person.deals):
        won_on = person.won if number == 0 else _days_between(rng, person.won, today)
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


def _partial_date(rng: random.Random, today: date, with_year: bool, age: tuple[int, int]) -> str:
    day = date(2000, 1, 1) + timedelta(days=rng.randint(0, 365))  # any day of a leap year
    if not with_year:
        return f"--{day.month:02d}-{day.day:02d}"
    year = today.year - rng.randint(*age)
    if day.month == 2 and day.day == 29 and year % 4:
        day = day.replace(day=28)
    return f"{year:04d}-{day.month:02d}-{day.day:02d}"


def _profile(rng: random.Random, person: _Person, today: date) -> dict:
    """A partly filled Mackay 66 profile: some items, more for some clients."""
    answers: dict = {
        "nickname": person.name.split()[0],
        "birth_date": _partial_date(rng, today, rng.random() < 0.6, (28, 64)),
        "hobbies": [{"value": hobby} for hobby in rng.sample(HOBBIES, k=rng.randint(1, 3))],
    }
    if rng.random() < 0.5:
        answers["hometown"] = rng.choice(HOMETOWNS)
    if rng.random() < 0.4:
        answers["spouse_name"] = rng.choice(SPOUSES)
        if rng.random() < 0.5:
            answers["wedding_anniversary"] = _partial_date(rng, today, True, (3, 30))
    if rng.random() < 0.45:
        answers["children"] = [
            {"name": kid, "birthday": _partial_date(rng, today, rng.random() < 0.8, (1, 20))}
            for kid in rng.sample(CHILDREN, k=rng.randint(1, 3))
        ]
    if rng.random() < 0.2:
        answers["business_goal_now"] = "Cut costs by 10% before the next budget round."
    if rng.random() < 0.04:
        answers["confidential_subjects"] = "A difficult year at home; do not bring it up."
    return answers


def _check_columns(sample: list[dict]) -> None:
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


def _columns(model, row: dict) -> tuple[list, list]:
    """The fields a row of `model` fills (its id only when the row gives it), and each
    field's name with its `db_value`, as `Model.insert_many` would convert it."""
    key = model._meta.primary_key
    fields = [f for f in model._meta.sorted_fields if f is not key or f.name in row]
    return fields, [(f.name, f.db_value) for f in fields]


def _values(fields: list, converters: list, rows: list[dict]) -> Iterator[tuple]:
    """Each row's values in field order: a missing field takes its default."""
    defaults = {}
    for f in fields:
        if f.name not in rows[0]:
            defaults[f.name] = f.default() if callable(f.default) else f.default
    for row in rows:
        yield tuple(
            convert(row[name] if name in row else defaults[name]) for name, convert in converters
        )


def _insert(model, rows: list[dict]) -> None:
    """Insert rows of one table with one prepared statement: the values go through each
    field's `db_value` as with `Model.insert_many`, and a missing field takes its default,
    but without building the SQL text of every row (10 times faster at this size)."""
    if not rows:
        return
    fields, converters = _columns(model, rows[0])
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join("?" for _ in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    cursor = database_proxy.obj.cursor()
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        cursor.executemany(sql, list(_values(fields, converters, chunk)))


def _copy(model, rows: list[dict]) -> None:
    """The same rows into a PostgreSQL table with one COPY (psycopg's `cursor.copy`)."""
    if not rows:
        return
    fields, converters = _columns(model, rows[0])
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    cursor = database_proxy.obj.cursor()
    with cursor.copy(f'COPY "{model._meta.table_name}" ({columns}) FROM STDIN') as copy:
        for values in _values(fields, converters, rows):
            copy.write_row(values)


class _Writer:
    """Rows of each table written as they come, in bulk, a chunk at a time: prepared
    statements on SQLite, COPY on PostgreSQL."""

    def __init__(self, server: bool) -> None:
        self.write = _copy if server else _insert
        self.chunk = SERVER_CHUNK if server else CHUNK
        self.pending: dict[type, list[dict]] = {}

    def add(self, model, rows: list[dict]) -> None:
        pending = self.pending.setdefault(model, [])
        pending += rows
        if len(pending) >= self.chunk:
            self.flush(model)

    def flush(self, *models) -> None:
        for model in models or list(self.pending):
            rows = self.pending.pop(model, [])
            self.write(model, rows)


def _profile_rows(client_id: int, answers: dict, updated_at: datetime) -> list[dict]:
    """The rows `book.set_profile` writes for these answers (into a client with none)."""
    rows = []
    for field_key, value in answers.items():
        if isinstance(value, (str, date)):
            if str(value).strip():
                rows.append(book.profile_row(client_id, field_key, "", 0, value, updated_at))
            continue
        for row_no, entry in enumerate(value):
            for column_key, cell in entry.items():
                if str(cell).strip():
                    rows.append(
                        book.profile_row(client_id, field_key, column_key, row_no, cell, updated_at)
                    )
    return rows


def _plan_row(rng: random.Random, client_id: int, today: date, moment: datetime) -> dict:
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


def _plan_people(rng: random.Random, clients: int, touches: int, today: date) -> list[_Person]:
    """Who the clients are, and how many touches and deals each gets."""
    people = _people(rng, clients, today)
    factor = {Lifecycle.PROSPECT: 0.5, Lifecycle.FORMER: 0.6, Lifecycle.ACTIVE: 1.0}
    touch_weights = [rng.lognormvariate(0, 0.8) * factor[p.lifecycle] for p in people]
    for person, count in zip(people, _share(rng, touches, touch_weights), strict=True):
        person.touches = count
    won = [p for p in people if p.won is not None]
    deals = 3 * clients
    firsts = min(len(won), deals)  # the first deal of a client falls on its won date
    for person in won[:firsts]:
        person.deals = 1
    extra = _share(rng, deals - firsts, [rng.lognormvariate(0, 0.7) for _ in won])
    for person, count in zip(won, extra, strict=True):
        person.deals += count
    return people


def _write_book(rng: random.Random, people: list[_Person], today: date, server: bool) -> dict:
    """Write every row of the book into the open, empty database; returns what it wrote.

    Clients get ids 1, 2, 3... (what a new table hands out) and their won date
    and honeymoon end (the first deal falls on the won date), so refreshing the
    summaries only has the touches to count. Touches and deals are written as
    they are made, a chunk at a time, never all held at once.
    """
    writer = _Writer(server)
    honeymoon = timedelta(days=settings().health.honeymoon_days)
    profiles = plans = 0
    with database_proxy.atomic():
        contacts = []
        for index, person in enumerate(people, start=1):
            row, emails, phones = _client_row(rng, person, index, today)
            won = person.won if person.deals else None
            row["id"] = index
            row["won_on"] = won
            row["honeymoon_end"] = won + honeymoon if won else None
            writer.add(Client, [row])
            contacts.append((emails, phones))
        writer.flush(Client)
        book.ids_given(Client)
        ids = range(1, len(people) + 1)
        for client_id, (emails, phones) in zip(ids, contacts, strict=True):
            writer.add(
                ClientEmail,
                [
                    {
                        "client": client_id,
                        "address": email,
                        "address_key": book.match_key(email),
                        "position": position,
                    }
                    for position, email in enumerate(dict.fromkeys(emails))
                ],
            )
            writer.add(
                ClientPhone,
                [
                    {"client": client_id, "number": phone, "position": position}
                    for position, phone in enumerate(phones)
                ],
            )
        writer.flush(ClientEmail, ClientPhone)
        touches_of = _Touches(rng, today)
        checked = False
        for client_id, person in zip(ids, people, strict=True):
            touches = touches_of.of(person, client_id)
            if touches and not checked:
                _check_columns(touches[:1])
                checked = True
            writer.add(Interaction, touches)
            if person.won is not None:
                writer.add(Deal, _deal_rows(rng, person, client_id, today))
        writer.flush(Interaction, Deal)
        moment = clock.to_utc(datetime.combine(today, time(8)))
        for client_id, person in zip(ids, people, strict=True):
            if rng.random() < 0.5:
                writer.add(
                    ProfileValue, _profile_rows(client_id, _profile(rng, person, today), moment)
                )
                profiles += 1
            if person.lifecycle is Lifecycle.ACTIVE and rng.random() < 0.03:
                writer.add(PlannedCommunication, [_plan_row(rng, client_id, today, moment)])
                plans += 1
        writer.flush()
        book.refresh_summaries()
    counts = {
        model: model.select().count()
        for model in (Client, Interaction, Deal, ProfileValue, PlannedCommunication)
    }
    return {
        "clients": counts[Client],
        "interactions": counts[Interaction],
        "deals": counts[Deal],
        "profiles": profiles,
        "profile_values": counts[ProfileValue],
        "plans": counts[PlannedCommunication],
    }


def build_book(
    path: Path, *, clients: int, touches: int, today: date | None = None, seed: int = SEED
) -> BuiltBook:
    """Write a new book of `clients` clients, `touches` interactions and 3 deals per
    client to `path` (replacing any file there); built beside it, then moved."""
    started = timer.perf_counter()
    today = today or clock.today()
    rng = random.Random(seed)
    people = _plan_people(rng, clients, touches, today)
    building = path.with_name(f".{path.name}.building")
    remove_book_files(building)
    db = open_database(DatabaseLocation(building, "--db"))
    try:
        written = _write_book(rng, people, today, server=False)
        checkpoint(db)
    finally:
        db.close()
        database_proxy.initialize(None)
    remove_book_files(path)
    os.replace(building, path)
    remove_book_files(building)
    return BuiltBook(path=path, **written, seconds=timer.perf_counter() - started)


def build_server_book(
    url: str, *, clients: int, touches: int, today: date | None = None, seed: int = SEED
) -> BuiltBook:
    """Write the same book as `build_book` into the PostgreSQL database (or schema: the
    URL's `options=-csearch_path=...`) at `url`, which must hold no book yet: created
    with Cockpit's own schema, loaded with COPY, then vacuumed and analyzed, as a book
    that has lived a while is (the planner needs the statistics; index-only scans need
    the visibility map)."""
    started = timer.perf_counter()
    today = today or clock.today()
    rng = random.Random(seed)
    people = _plan_people(rng, clients, touches, today)
    db = open_database(DatabaseLocation(None, "the bench", url=url))
    try:
        if Client.select().exists():
            raise DatabaseError("the bench's book must be built in an empty schema")
        written = _write_book(rng, people, today, server=True)
        tables = ", ".join(f'"{model._meta.table_name}"' for model in ALL_MODELS)
        db.execute_sql(f"VACUUM (ANALYZE) {tables}")
    finally:
        db.close()
        database_proxy.initialize(None)
    return BuiltBook(path=None, **written, seconds=timer.perf_counter() - started, url=url)


def write_vcards(path: Path, count: int, *, today: date | None = None, seed: int = SEED + 1) -> int:
    """An address book of `count` vCard 3.0 cards (other people than the book's);
    returns its size in bytes."""
    today = today or clock.today()
    rng = random.Random(seed)
    companies = _companies(rng, max(12, count // 5))
    cards = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        company, domain = rng.choice(companies)
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"N:{last};{first};;;",
            f"FN:{first} {last}",
            f"ORG:{company}",
            f"TITLE:{rng.choice(TITLES)}",
            f"EMAIL;TYPE=INTERNET,WORK:{_ascii(first)}.{_ascii(last)}.{index}@{domain}",
        ]
        if rng.random() < 0.7:
            lines.append(f"TEL;TYPE=CELL:+44 7700 {index:06d}")
        if rng.random() < 0.4:
            lines.append(f"BDAY:{_partial_date(rng, today, rng.random() < 0.6, (25, 65))}")
        if rng.random() < 0.2:
            lines.append(f"X-SPOUSE:{rng.choice(SPOUSES)}")
        if rng.random() < 0.15:
            lines.append(f"NOTE:Met at the {rng.choice(COMPANY_KINDS).lower()} fair.")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines))
    data = ("\r\n".join(cards) + "\r\n").encode("utf-8")
    path.write_bytes(data)
    return len(data)
