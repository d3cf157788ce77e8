"""Clients: adding, changing, archiving and deleting them, their emails and phones, the
list's rows and the candidates a name is matched against, and who owns which."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from peewee import SQL, NodeList, Value, fn

from cockpit import clock
from cockpit.errors import ValidationError
from cockpit.fields import ClientFields
from cockpit.search import Candidate, fold
from cockpit.storage.accounts import link_companies, prune_accounts
from cockpit.storage.models import (
    Client,
    ClientEmail,
    ClientPhone,
    database_proxy,
)
from cockpit.storage.reps import current_rep
from cockpit.storage.summaries import summaries_changed
from cockpit.storage.tags import store_tags
from cockpit.validation import (
    as_date,
    check_encodable,
    checked_emails,
    checked_phones,
    clean_tags,
    client_columns,
    kept_days,
    match_key,
)


@dataclass(frozen=True)
class ClientRow:
    """What the client list shows for one client."""

    id: int
    name: str
    company: str
    lifecycle: str
    archived: bool
    last_touch: date | None


def _checked_fields(fields: ClientFields) -> tuple[dict, list[str], list[str], list[str]]:
    """The client's columns checked (the contacts apart), its emails, phones and tags."""
    columns, email_list, phone_list = client_columns(
        fields.name,
        fields.company,
        fields.title,
        fields.emails,
        fields.phones,
        fields.lifecycle,
        fields.keep_in_touch_days,
    )
    kept_days(fields.client_since, fields.snoozed_until)
    columns.update(
        client_since=fields.client_since,
        strategic=fields.strategic,
        snoozed_until=fields.snoozed_until,
    )
    return columns, email_list, phone_list, clean_tags(fields.tags)


def create_client(fields: ClientFields, *, created_at: datetime | None = None) -> Client:
    """Create a client with its emails, phones and tags."""
    columns, email_list, phone_list, tags = _checked_fields(fields)
    moment = created_at or clock.now_utc()
    with database_proxy.atomic():
        client = Client.create(**columns, owner=current_rep(), created_at=moment, updated_at=moment)
        if fields.client_since:
            summaries_changed(client.id, deals=True)
        store_contacts(client, email_list, phone_list)
        store_tags(client.id, tags)
        if link_companies([client.id], moment=moment):
            client = Client.get_by_id(client.id)  # its company as the account spells it
    return client


def add_client(
    name: str, company: str = "", *, created_at: datetime | None = None, **details
) -> Client:
    """Create a client; `details` are the other fields of `ClientFields`."""
    return create_client(ClientFields(name=name, company=company, **details), created_at=created_at)


def client_rows(include_archived: bool = False, limit: int | None = None) -> list[ClientRow]:
    """Every client with the day of its last touch, by name (the first `limit` of them)."""
    query = Client.select(
        Client.id,
        Client.name,
        Client.company,
        Client.lifecycle,
        Client.archived,
        Client.last_touch_on,
    ).order_by(Client.name_key, Client.company_key, Client.id)
    if not include_archived:
        query = query.where(Client.archived == False)  # noqa: E712 (SQL, not Python)
    if limit is not None:
        query = query.limit(limit)
    return [
        ClientRow(id_, name, company, lifecycle, bool(archived), as_date(last_touch))
        for id_, name, company, lifecycle, archived, last_touch in query.tuples()
    ]


_ESCAPE = "ESCAPE '\\'"  # in a LIKE pattern, \% and \_ stand for the characters


def client_candidates(holding: str = "") -> list[Candidate]:
    """Every client that is not archived, as searches see it.

    With `holding`, only those whose folded name or company holds every word of
    it, found in SQL through `search_key` (the candidates `search.matching` keeps).
    """
    check_encodable(holding, "the name to look for")
    query = Client.select(Client.id, Client.name, Client.company).where(
        Client.archived == False  # noqa: E712 (SQL, not Python)
    )
    for word in set(fold(holding).split()):
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = NodeList((Client.search_key, SQL("LIKE"), Value(f"%{escaped}%"), SQL(_ESCAPE)))
        query = query.where(like)
    rows = Client._meta.database.execute(query)
    return [Candidate(client_id, name, company) for client_id, name, company in rows]


def client_candidate(client_id: int) -> Candidate | None:
    """One client by id, archived or not."""
    row = (
        Client.select(Client.id, Client.name, Client.company)
        .where(Client.id == client_id)
        .tuples()
        .first()
    )
    return Candidate(*row) if row else None


def update_client(client_id: int, fields: ClientFields) -> Client:
    """Replace a client's details (emails, phones and tags included) in one transaction."""
    columns, email_list, phone_list, tags = _checked_fields(fields)
    with database_proxy.atomic():
        client = Client.get_or_none(Client.id == client_id)
        if client is None:
            raise ValidationError(f"there is no client #{client_id}")
        for column, value in columns.items():
            setattr(client, column, value)
        client.updated_at = clock.now_utc()
        client.save()  # refreshes the summary when "client since" moved
        ClientEmail.delete().where(ClientEmail.client == client_id).execute()
        ClientPhone.delete().where(ClientPhone.client == client_id).execute()
        store_contacts(client, email_list, phone_list)
        store_tags(client_id, tags)
        left = client.account_id
        if link_companies([client_id]):
            client = Client.get_by_id(client_id)  # its company as the account spells it
        prune_accounts([left])
    return client


def store_contacts(client: Client, emails: list[str], phones: list[str]) -> None:
    seen: set[str] = set()
    for position, email in enumerate(emails):
        if match_key(email) in seen:
            continue
        seen.add(match_key(email))
        ClientEmail.create(
            client=client, address=email, address_key=match_key(email), position=position
        )
    for position, phone in enumerate(phones):
        ClientPhone.create(client=client, number=phone, position=position)


def add_contacts(client_id: int, emails: Sequence[str], phones: Sequence[str]) -> None:
    """Add emails and phones after a client's existing ones (duplicates are the caller's)."""
    email_list, phone_list = checked_emails(emails), checked_phones(phones)
    with database_proxy.atomic():
        last_email = (
            ClientEmail.select(fn.MAX(ClientEmail.position))
            .where(ClientEmail.client == client_id)
            .scalar()
        )
        last_phone = (
            ClientPhone.select(fn.MAX(ClientPhone.position))
            .where(ClientPhone.client == client_id)
            .scalar()
        )
        for offset, email in enumerate(email_list, start=(last_email or 0) + 1):
            ClientEmail.create(
                client=client_id, address=email, address_key=match_key(email), position=offset
            )
        for offset, phone in enumerate(phone_list, start=(last_phone or 0) + 1):
            ClientPhone.create(client=client_id, number=phone, position=offset)


def set_archived(client_id: int, archived: bool) -> None:
    """Archive a client (kept, judged, never listed) or bring one back."""
    Client.update(archived=archived, updated_at=clock.now_utc()).where(
        Client.id == client_id
    ).execute()


def delete_client(client_id: int) -> None:
    """Delete a client and everything of theirs, for good (their review items too)."""
    from cockpit.storage import reviews  # it builds on this module

    with database_proxy.atomic():
        account_id = Client.select(Client.account).where(Client.id == client_id).scalar()
        Client.delete().where(Client.id == client_id).execute()  # the rest cascades
        reviews.forget_client(client_id)
        prune_accounts([account_id])


def owners() -> dict[int, str]:
    """Every client's rep ("" for a client nobody owns)."""
    return dict(database_proxy.execute(Client.select(Client.id, Client.owner)))
