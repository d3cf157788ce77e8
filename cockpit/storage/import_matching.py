"""What the importers read to match what comes in against what a book holds, and the few
writes of a merge that `book` has no other name for; plain tuples and frozen rows.

The match keys of every client and email are read once, in two queries, so that matching
thousands of contacts asks the database nothing more; a history file's stored touches and
deals are read for its clients in chunks of ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from peewee import fn

from cockpit.storage import notes_index
from cockpit.storage.models import (
    Client,
    ClientEmail,
    ClientPhone,
    Deal,
    Interaction,
    ProfileValue,
    database_proxy,
)
from cockpit.storage.reps import on_server
from cockpit.vocabulary import Kind

CHUNK = 500  # client ids in one query


def transaction() -> AbstractContextManager:
    """A transaction, or inside one a savepoint: what runs in it is written whole or not at
    all."""
    return database_proxy.atomic()


BULK_CACHE_KIB = 32_000  # SQLite's page cache while an import writes


@contextmanager
def pages_kept_in_memory() -> Iterator[None]:
    """An import keeps more of the book's pages in memory while it writes: its rows go
    into every index of their tables, all over them, and with the book's usual 2 MB
    (`database.SQLITE_PRAGMAS`) SQLite reads the same pages again and again (a history
    of 250,000 touches: its writing took 5.6-5.9 s, with 32 MB 4.3-4.7). Nothing on
    PostgreSQL."""
    if on_server():
        yield
        return
    (usual,) = database_proxy.execute_sql("PRAGMA cache_size").fetchone()
    database_proxy.execute_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        database_proxy.execute_sql(f"PRAGMA cache_size = {int(usual)}")


def touches_indexed_at_the_end() -> AbstractContextManager:
    """Inside `transaction()`: the touches added are taken into the notes' index in one
    pass at the end (see `notes_index.touches_indexed_at_the_end`)."""
    return notes_index.touches_indexed_at_the_end(database_proxy.obj)


# --- Address-book contacts -----------------------------------------------------------------


def client_match_keys() -> Iterator[tuple[int, str, str, bool]]:
    """Every client as (id, name key, company key, archived)."""
    clients = Client.select(Client.id, Client.name_key, Client.company_key, Client.archived)
    for client_id, name_key, company_key, archived in clients.tuples():
        yield client_id, name_key, company_key, bool(archived)


def email_match_keys() -> Iterator[tuple[int, str]]:
    """Every email as (client id, address key)."""
    yield from ClientEmail.select(ClientEmail.client, ClientEmail.address_key).tuples()


@dataclass(frozen=True)
class MatchedClient:
    """The columns of a client that a contact's merge compares and may fill."""

    id: int
    name: str
    company: str
    title: str
    name_key: str
    company_key: str


def matched_client(client_id: int) -> MatchedClient:
    client = Client.get_by_id(client_id)
    return MatchedClient(
        client.id, client.name, client.company, client.title, client.name_key, client.company_key
    )


def client_details() -> Iterator[MatchedClient]:
    """Every client as a merge compares it."""
    query = Client.select(
        Client.id, Client.name, Client.company, Client.title, Client.name_key, Client.company_key
    )
    for row in query.tuples():
        yield MatchedClient(*row)


def phone_numbers() -> Iterator[tuple[int, str]]:
    """Every phone number as (client id, number as stored)."""
    yield from ClientPhone.select(ClientPhone.client, ClientPhone.number).tuples()


def profile_values(field_keys: Iterable[str]) -> Iterator[tuple[int, str, int, str, str]]:
    """Every answer of these profile fields as (client id, field, row, column, text), in
    the order `book.profile_answers` reads a client's."""
    query = (
        ProfileValue.select(
            ProfileValue.client,
            ProfileValue.field_key,
            ProfileValue.row_no,
            ProfileValue.column_key,
            ProfileValue.text,
        )
        .where(ProfileValue.field_key.in_(list(field_keys)))
        .order_by(
            ProfileValue.client,
            ProfileValue.field_key,
            ProfileValue.row_no,
            ProfileValue.column_key,
        )
    )
    yield from query.tuples()


def notes_starting(prefix: str, client_id: int | None = None) -> Iterator[tuple[int, str]]:
    """Every internal note (of one client) whose summary starts with `prefix`, as (client
    id, summary)."""
    notes = Interaction.select(Interaction.client, Interaction.summary).where(
        (Interaction.kind == Kind.NOTE.value)
        & (fn.SUBSTR(Interaction.summary, 1, len(prefix)) == prefix)
    )
    if client_id is not None:
        notes = notes.where(Interaction.client == client_id)
    yield from notes.tuples()


def contact_keys(client_id: int) -> tuple[set[str], list[str]]:
    """A client's email address keys, and its phone numbers as stored."""
    emails = {e.address_key for e in ClientEmail.select().where(ClientEmail.client == client_id)}
    phones = [p.number for p in ClientPhone.select().where(ClientPhone.client == client_id)]
    return emails, phones


# --- The history CSV ------------------------------------------------------------------------


def clients_with_keys(name_key: str, company_key: str, *, limit: int) -> list[int]:
    """The ids of up to `limit` clients with this name and company key."""
    query = (
        Client.select(Client.id)
        .where((Client.name_key == name_key) & (Client.company_key == company_key))
        .limit(limit)
    )
    return [client.id for client in query]


def stored_touches(client_ids: Iterable[int]) -> Iterator[tuple[int, str, str, date, datetime]]:
    """The touches of these clients as (client id, kind, summary, day, moment)."""
    for chunk in _chunks(client_ids):
        touches = Interaction.select(
            Interaction.client,
            Interaction.kind,
            Interaction.summary,
            Interaction.day,
            Interaction.occurred_at,
        ).where(Interaction.client.in_(chunk))
        for client, kind, summary, day, moment in touches.tuples():
            yield client, kind, summary, _as_date(day), _as_datetime(moment)


def stored_deals(client_ids: Iterable[int]) -> Iterator[tuple[int, date, int, str]]:
    """The deals of these clients as (client id, day won, cents, description)."""
    for chunk in _chunks(client_ids):
        deals = Deal.select(Deal.client, Deal.won_on, Deal.amount_cents, Deal.description).where(
            Deal.client.in_(chunk)
        )
        for client, won_on, cents, description in deals.tuples():
            yield client, _as_date(won_on), cents, description


def _chunks(client_ids: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(client_ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _as_datetime(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


# --- Calendars (and mail): people known by their addresses -----------------------------------


@dataclass(frozen=True)
class Correspondent:
    """A client as an address of theirs finds them: whose they are, and since when won."""

    id: int
    name: str
    company: str
    owner: str
    won_on: date | None


def clients_by_address() -> dict[str, list[Correspondent]]:
    """Every client by each of its email address keys (case and spacing folded), read in
    one query."""
    query = ClientEmail.select(
        ClientEmail.address_key,
        Client.id,
        Client.name,
        Client.company,
        Client.owner,
        Client.won_on,
    ).join(Client)
    found: dict[str, list[Correspondent]] = {}
    for key, client_id, name, company, owner, won_on in query.tuples():
        won = _as_date(won_on) if won_on is not None else None
        found.setdefault(key, []).append(Correspondent(client_id, name, company, owner, won))
    return found


def writes_every_client() -> bool:
    """Whether the user may write to every client of the book: on SQLite, and for a
    manager or the owner role of a team book; a rep writes to their own clients only."""
    from cockpit.storage.reps import rep_on_team_book

    return not rep_on_team_book()


def free_mail_domains() -> frozenset[str]:
    """The domains everyone has addresses at (gmail.com...): no one company's."""
    from cockpit.storage.accounts import FREE_MAIL

    return FREE_MAIL


def meeting_days_not_imported(client_ids: Iterable[int]) -> set[tuple[int, date]]:
    """(client id, day) of the meetings logged with these clients that no import wrote from
    a source (typed in Cockpit, or from a history file): a calendar's meeting on such a day
    is one the user logged already."""
    from cockpit.storage.models import ImportSource

    found: set[tuple[int, date]] = set()
    for chunk in _chunks(client_ids):
        sourced = {
            row_id
            for (row_id,) in ImportSource.select(ImportSource.row_id)
            .where(
                ImportSource.client.in_(chunk)
                & (ImportSource.table_name == Interaction._meta.table_name)
            )
            .tuples()
        }
        query = Interaction.select(Interaction.id, Interaction.client, Interaction.day).where(
            Interaction.client.in_(chunk) & (Interaction.kind == Kind.MEETING.value)
        )
        found.update(
            (client, _as_date(day))
            for row_id, client, day in query.tuples()
            if row_id not in sourced
        )
    return found


def companies_by_domain() -> dict[str, str]:
    """The account each email domain belongs to (its name), for the domains of one account
    only."""
    from cockpit.storage.models import Account

    seen: dict[str, set[str]] = {}
    query = Account.select(Account.name, Account.domains).where(
        Account.merged_into.is_null() & (Account.domains != "")
    )
    for name, domains in query.tuples():
        for domain in domains.split():
            seen.setdefault(domain.lower(), set()).add(name)
    return {domain: next(iter(names)) for domain, names in seen.items() if len(names) == 1}


def names_and_owners(client_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """The name and owner of each of these clients, by id."""
    found: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(client_ids):
        query = Client.select(Client.id, Client.name, Client.owner).where(Client.id.in_(chunk))
        found.update((client_id, (name, owner)) for client_id, name, owner in query.tuples())
    return found
