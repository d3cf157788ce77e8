"""What the exporters read from a book, as plain tuples and frozen rows.

Each read is one query over the whole book (or a few, in chunks of client ids), as the
exports always read it; values come as the database returns them (a day may be ISO text
from SQLite), for the exporters to read with `cockpit.date_limits`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from cockpit.fields import CLIENT_FIELD_NAMES, ClientFields, TouchFields
from cockpit.storage.models import (
    Client,
    ClientEmail,
    ClientPhone,
    Deal,
    Interaction,
    PlannedCommunication,
    ProfileValue,
)
from cockpit.storage.tags import tags_by_client

CHUNK = 500  # client ids in one query

# (client id, field key, row number, column key, text)
ProfileCell = tuple[int, str, int, str, str]


def client_names(*, archived: bool = True) -> dict[int, tuple[str, str]]:
    """Client id -> (name, company), by id; archived clients only when asked."""
    query = Client.select(Client.id, Client.name, Client.company)
    if not archived:
        query = query.where(Client.archived == False)  # noqa: E712 (SQL, not Python)
    return {
        client_id: (name, company)
        for client_id, name, company in query.order_by(Client.id).tuples()
    }


def profile_cells(
    field_keys: Iterable[str], client_ids: Sequence[int] | None = None
) -> Iterator[ProfileCell]:
    """The stored answers of these profile fields, of every client or of the clients given
    (read in chunks), in order of client, field and row."""
    keys = list(field_keys)
    chunks: Iterable[Sequence[int] | None] = (
        [None]
        if client_ids is None
        else (client_ids[start : start + CHUNK] for start in range(0, len(client_ids), CHUNK))
    )
    for chunk in chunks:
        where = ProfileValue.field_key.in_(keys)
        if chunk is not None:
            where = ProfileValue.client.in_(list(chunk)) & where
        yield from (
            ProfileValue.select(
                ProfileValue.client,
                ProfileValue.field_key,
                ProfileValue.row_no,
                ProfileValue.column_key,
                ProfileValue.text,
            )
            .where(where)
            .order_by(ProfileValue.client, ProfileValue.field_key, ProfileValue.row_no)
            .tuples()
        )


# --- The history export --------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryTouch:
    """A stored touch as the history export writes it: `fields.when` is the stored (naive
    UTC) moment."""

    id: int
    client_id: int
    day: date | str
    follow_up_done: bool
    fields: TouchFields


@dataclass(frozen=True)
class HistoryDeal:
    id: int
    client_id: int
    won_on: date | str
    amount_cents: int
    currency: str
    description: str


def history_touches() -> Iterator[HistoryTouch]:
    """Every touch of the book, in no particular order."""
    query = Interaction.select(
        Interaction.id,
        Interaction.client,
        Interaction.occurred_at,
        Interaction.day,
        Interaction.kind,
        Interaction.intent,
        Interaction.duration_min,
        Interaction.summary,
        Interaction.follow_up_on,
        Interaction.follow_up_done,
    ).tuples()
    for touch_id, client_id, occurred_at, day, kind, intent, minutes, summary, *follow in query:
        follow_up_on, done = follow
        fields = TouchFields(kind, intent, occurred_at, minutes, summary, follow_up_on)
        yield HistoryTouch(touch_id, client_id, day, done, fields)


def history_deals() -> Iterator[HistoryDeal]:
    """Every deal of the book, in no particular order."""
    query = Deal.select(
        Deal.id, Deal.client, Deal.won_on, Deal.amount_cents, Deal.currency, Deal.description
    ).tuples()
    for row in query:
        yield HistoryDeal(*row)


# --- The calendar export -------------------------------------------------------------------


@dataclass(frozen=True)
class OpenFollowUp:
    touch_id: int
    client_id: int
    kind: str
    day: date | str
    summary: str
    follow_up_on: date | str


@dataclass(frozen=True)
class PlanRow:
    id: int
    client_id: int
    what: str
    every: int
    unit: str
    next_due: date | str
    kind: str  # the kind of touch that keeps it


def open_follow_ups() -> Iterator[OpenFollowUp]:
    """The touches whose follow-up is not done, by follow-up day."""
    still_open = Interaction.follow_up_done == False  # noqa: E712 (SQL, not Python)
    query = (
        Interaction.select(
            Interaction.id,
            Interaction.client,
            Interaction.kind,
            Interaction.day,
            Interaction.summary,
            Interaction.follow_up_on,
        )
        .where(Interaction.follow_up_on.is_null(False) & still_open)
        .order_by(Interaction.follow_up_on, Interaction.id)
        .tuples()
    )
    for row in query:
        yield OpenFollowUp(*row)


def plans() -> Iterator[PlanRow]:
    """Every planned communication, by next day due."""
    query = PlannedCommunication.select().order_by(
        PlannedCommunication.next_due, PlannedCommunication.id
    )
    for plan in query:
        yield PlanRow(
            plan.id, plan.client_id, plan.what, plan.every, plan.unit, plan.next_due, plan.kind
        )


# --- The address book export ---------------------------------------------------------------


@dataclass(frozen=True)
class CardClient:
    """A client as the address book export writes it: its editable details, the labels
    of its emails and phones (in the same order), and when it last changed."""

    id: int
    fields: ClientFields
    email_labels: tuple[str, ...]
    phone_labels: tuple[str, ...]
    updated_at: datetime | str
    roles: str = ""  # at their account, as stored (`vocabulary.stored_roles`)
    role_note: str = ""


def card_clients(*, include_archived: bool) -> list[CardClient]:
    """The clients by name and company, each with its emails and phones in their order, and
    its tags."""
    query = Client.select().order_by(Client.name_key, Client.company_key, Client.id)
    if not include_archived:
        query = query.where(Client.archived == False)  # noqa: E712 (SQL, not Python)
    clients = list(query)
    emails = _by_client(
        ClientEmail.select(ClientEmail.client, ClientEmail.address, ClientEmail.label).order_by(
            ClientEmail.client, ClientEmail.position, ClientEmail.id
        )
    )
    phones = _by_client(
        ClientPhone.select(ClientPhone.client, ClientPhone.number, ClientPhone.label).order_by(
            ClientPhone.client, ClientPhone.position, ClientPhone.id
        )
    )
    tags = tags_by_client()
    return [
        _card_client(
            client, emails.get(client.id, []), phones.get(client.id, []), tags.get(client.id, [])
        )
        for client in clients
    ]


def _by_client(query) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for client_id, value, label in query.tuples():
        found.setdefault(client_id, []).append((value, label))
    return found


def _card_client(
    client: Client,
    emails: list[tuple[str, str]],
    phones: list[tuple[str, str]],
    tags: list[str],
) -> CardClient:
    listed = {
        "emails": [address for address, _ in emails],
        "phones": [number for number, _ in phones],
        "tags": tags,
    }
    fields = ClientFields(
        **{
            name: listed[name] if name in listed else getattr(client, name)
            for name in CLIENT_FIELD_NAMES
        }
    )
    return CardClient(
        client.id,
        fields,
        tuple(label for _, label in emails),
        tuple(label for _, label in phones),
        client.updated_at,
        client.roles,
        client.role_note,
    )
