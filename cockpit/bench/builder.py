"""A large book for `cockpit bench`, the same for a given size, seed and "today".

Everything is decided first with one seeded `random.Random` (`people`), then
written in bulk through `storage.sample_books`: clients (with the columns
`book.add_client` sets), their emails and phones, touches and won deals
(validated by `book.interaction_row` and `book.deal_row`), then the client
summaries in one pass (`rows` makes each row). About half the clients get a
partly filled Mackay 66 profile (birthdays with and without a year, children,
hobbies, a spouse...), a few a planned communication.

`build_book` writes it to a SQLite file (prepared statements), `build_server_book`
the very same rows to PostgreSQL (COPY), a chunk at a time: 2,500,000 touches are
never all in memory at once. `vcards.write_vcards` writes an address book of other
people for the import figure.
"""

from __future__ import annotations

import random
import time as timer
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from cockpit import clock
from cockpit.bench.people import SEED, Person, plan_people
from cockpit.bench.rows import (
    Touches,
    check_touch_columns,
    client_row,
    deal_rows,
    plan_row,
    profile_answers,
)
from cockpit.config import settings
from cockpit.errors import DatabaseError
from cockpit.storage import account_people, accounts, book
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.models import database_proxy
from cockpit.storage.sample_books import (
    RowWriter,
    count_rows,
    has_clients,
    new_book_file,
    vacuum_analyze,
)
from cockpit.vocabulary import Lifecycle

CHUNK = 10_000  # rows converted and inserted at a time
SERVER_CHUNK = 100_000  # rows a COPY sends to PostgreSQL at a time


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


def _write_clients(writer: RowWriter, rng: random.Random, people: list[Person], today: date):
    """The clients with ids 1, 2, 3... (what a new table hands out), their won date and
    honeymoon end (the first deal falls on the won date), then their emails and phones."""
    honeymoon = timedelta(days=settings().health.honeymoon_days)
    contacts = []
    for index, person in enumerate(people, start=1):
        row, emails, phones = client_row(rng, person, index, today)
        won = person.won if person.deals else None
        row["id"] = index
        row["won_on"] = won
        row["honeymoon_end"] = won + honeymoon if won else None
        writer.add("client", [row])
        contacts.append((emails, phones))
    writer.flush("client")
    writer.ids_given("client")
    for client_id, (emails, phones) in enumerate(contacts, start=1):
        writer.add("client_email", book.email_rows(client_id, emails))
        writer.add("client_phone", book.phone_rows(client_id, phones))
    writer.flush("client_email", "client_phone")


def _write_book(rng: random.Random, people: list[Person], today: date, server: bool) -> dict:
    """Write every row of the book into the open, empty database; returns what it wrote.

    The clients come with their won dates, so refreshing the summaries only has the
    touches to count. Touches and deals are written as they are made, a chunk at a
    time, never all held at once.
    """
    writer = RowWriter(copy=server, chunk=SERVER_CHUNK if server else CHUNK)
    profiles = plans = 0
    with book.batch_writes():
        _write_clients(writer, rng, people, today)
        ids = range(1, len(people) + 1)
        touches_of = Touches(rng, today)
        checked = False
        for client_id, person in zip(ids, people, strict=True):
            touches = touches_of.of(person, client_id)
            if touches and not checked:
                check_touch_columns(touches[:1])
                checked = True
            writer.add("interaction", touches)
            if person.won is not None:
                writer.add("deal", deal_rows(rng, person, client_id, today))
        writer.flush("interaction", "deal")
        moment = clock.to_utc(datetime.combine(today, time(8)))
        for client_id, person in zip(ids, people, strict=True):
            if rng.random() < 0.5:
                answers = profile_answers(rng, person, today)
                writer.add("profile_value", book.profile_rows(client_id, answers, moment))
                profiles += 1
            if person.lifecycle is Lifecycle.ACTIVE and rng.random() < 0.03:
                writer.add("planned_communication", [plan_row(rng, client_id, today, moment)])
                plans += 1
        writer.flush()
        book.refresh_summaries()
        _accounts_and_roles(rng, len(people))
    counts = count_rows()
    return {
        "clients": counts.clients,
        "interactions": counts.interactions,
        "deals": counts.deals,
        "profiles": profiles,
        "profile_values": counts.profile_values,
        "plans": counts.plans,
    }


KEY_ROLE_SHARE = 0.1  # of the clients: a decision maker or champion at their account


def _accounts_and_roles(rng: random.Random, clients: int) -> None:
    """Every client at the account of their company (a company to five clients), and one
    in ten a decision maker or champion there."""
    accounts.link_companies(moment=clock.to_utc(datetime.combine(clock.today(), time(8))))
    for client_id in range(1, clients + 1):
        if rng.random() < KEY_ROLE_SHARE:
            account_people.set_roles(client_id, [rng.choice(("decision-maker", "champion"))])


def build_book(
    path: Path, *, clients: int, touches: int, today: date | None = None, seed: int = SEED
) -> BuiltBook:
    """Write a new book of `clients` clients, `touches` interactions and 3 deals per
    client to `path` (replacing any file there); built beside it, then moved."""
    started = timer.perf_counter()
    today = today or clock.today()
    rng = random.Random(seed)
    people = plan_people(rng, clients, touches, today)
    with new_book_file(path, "--db"):
        written = _write_book(rng, people, today, server=False)
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
    people = plan_people(rng, clients, touches, today)
    db = open_database(DatabaseLocation(None, "the bench", url=url))
    try:
        if has_clients():
            raise DatabaseError("the bench's book must be built in an empty schema")
        written = _write_book(rng, people, today, server=True)
        vacuum_analyze()
    finally:
        db.close()
        database_proxy.initialize(None)
    return BuiltBook(path=None, **written, seconds=timer.perf_counter() - started, url=url)
