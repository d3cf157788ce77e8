"""What the importers read to match what comes in against what a book holds, and the few
writes of a merge that `book` has no other name for; plain tuples and frozen rows.

The match keys of every client and email are read once, in two queries, so that matching
thousands of contacts asks the database nothing more; a history file's stored touches and
deals are read for its clients in chunks of ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime

from cockpit.storage.models import (
    Client,
    ClientEmail,
    ClientPhone,
    Deal,
    Interaction,
    database_proxy,
)
from cockpit.validation import match_key
from cockpit.vocabulary import Kind

CHUNK = 500  # client ids in one query


def transaction() -> AbstractContextManager:
    """A transaction, or inside one a savepoint: what runs in it is written whole or not at
    all."""
    return database_proxy.atomic()


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


def set_client_columns(client_id: int, columns: dict[str, str], updated_at: datetime) -> None:
    """Set a client's name, company or title (checked already), with their match keys."""
    client = Client.get_by_id(client_id)
    for column, value in columns.items():
        setattr(client, column, value)
        if column in ("name", "company"):
            setattr(client, f"{column}_key", match_key(value))
    client.updated_at = updated_at
    client.save()


def contact_keys(client_id: int) -> tuple[set[str], list[str]]:
    """A client's email address keys, and its phone numbers as stored."""
    emails = {e.address_key for e in ClientEmail.select().where(ClientEmail.client == client_id)}
    phones = [p.number for p in ClientPhone.select().where(ClientPhone.client == client_id)]
    return emails, phones


def has_note(client_id: int, summary: str) -> bool:
    """Whether the client's timeline holds an internal note with this very summary."""
    return (
        Interaction.select()
        .where(
            (Interaction.client == client_id)
            & (Interaction.kind == Kind.NOTE.value)
            & (Interaction.summary == summary)
        )
        .exists()
    )


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
