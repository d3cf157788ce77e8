"""Bulk writes for the address-book importer and the bench: a new client and all that
comes with it are checked in full first, then written with the others in a few
statements, with ids given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from peewee import fn

from cockpit.storage.models import (
    Client,
    ClientEmail,
    ClientPhone,
    Interaction,
    ProfileValue,
    database_proxy,
)
from cockpit.storage.reps import on_server
from cockpit.storage.summaries import batch_writes, summaries_changed
from cockpit.validation import client_columns, email_rows, phone_rows
from cockpit.vocabulary import Lifecycle


@dataclass
class NewClientRows:
    """A new client's row and the rows that go with it, checked, ready to insert."""

    client: dict
    emails: list[dict]
    phones: list[dict]
    profile: list[dict]
    notes: list[dict]  # made by `interaction_row`


def next_client_id() -> int:
    """The id the next client gets: one more than the highest. A PostgreSQL book's client
    table stays locked against other writers until the import's transaction ends, so no
    one else takes the ids it hands out."""
    if on_server() and database_proxy.in_transaction():
        database_proxy.execute_sql('LOCK TABLE "client" IN SHARE ROW EXCLUSIVE MODE')
    return (Client.select(fn.MAX(Client.id)).scalar() or 0) + 1


def ids_given(model) -> None:
    """After rows went in with ids of their own, PostgreSQL's id sequence must go past
    them (SQLite goes on from the largest id by itself)."""
    if not on_server():
        return
    table, column = model._meta.table_name, model._meta.primary_key.column_name
    database_proxy.execute_sql(
        f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX("{column}"), 1), '
        f'MAX("{column}") IS NOT NULL) FROM "{table}"',
        (f'"{table}"', column),
    )


def new_client_rows(
    client_id: int,
    name: str,
    company: str,
    *,
    title: str,
    emails: Sequence[str],
    phones: Sequence[str],
    owner: str,
    created_at: datetime,
) -> NewClientRows:
    """A client as `add_client` makes it, with the same checks, given its id; no profile
    or notes yet."""
    columns, email_list, phone_list = client_columns(
        name, company, title, emails, phones, Lifecycle.ACTIVE, None
    )
    client = {
        "id": client_id,
        **columns,
        "owner": owner,
        "created_at": created_at,
        "updated_at": created_at,
    }
    return NewClientRows(
        client, email_rows(client_id, email_list), phone_rows(client_id, phone_list), [], []
    )


def insert_new_clients(batch: Sequence[NewClientRows]) -> None:
    """Store new clients made by `new_client_rows` and their rows, in one transaction."""
    with batch_writes():
        insert_rows(Client, [new.client for new in batch])
        ids_given(Client)
        insert_rows(ClientEmail, [row for new in batch for row in new.emails])
        insert_rows(ClientPhone, [row for new in batch for row in new.phones])
        insert_rows(ProfileValue, [row for new in batch for row in new.profile])
        notes = [row for new in batch for row in new.notes]
        insert_rows(Interaction, notes)
        for row in notes:
            summaries_changed(row["client"], deals=False)


def insert_rows(model, rows: list[dict]) -> None:
    """Insert rows of one table with one prepared statement: the values go through each
    field's `db_value` as with `Model.insert_many`, and a missing field takes its default,
    without building the SQL text of every row. The rows all hold the same columns."""
    if not rows:
        return
    fields = [
        field
        for field in model._meta.sorted_fields
        if field.name in rows[0] or field is not model._meta.primary_key
    ]
    defaults = {
        field.name: field.default() if callable(field.default) else field.default
        for field in fields
        if field.name not in rows[0]
    }
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join(database_proxy.param for _ in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    values = (
        tuple(field.db_value(row.get(field.name, defaults.get(field.name))) for field in fields)
        for row in rows
    )
    database_proxy.cursor().executemany(sql, values)
