"""Bulk writes for the importers and the bench: a new client and all that comes with it
are checked in full first, then written with the others in a few statements, with ids
given (an import records them in its ledger, `import_ledger`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from cockpit.storage.accounts import link_companies
from cockpit.storage.models import (
    Client,
    ClientEmail,
    ClientPhone,
    ClientTag,
    Interaction,
    ProfileValue,
    database_proxy,
)
from cockpit.storage.reps import on_server
from cockpit.storage.revision import TABLE as REVISION_TABLE
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
    tags: list[dict] = field(default_factory=list)  # made by `tag_rows`


def next_client_id() -> int:
    """The id the next client gets: one more than the highest. A PostgreSQL book's client
    table stays locked against other writers until the import's transaction ends, so no
    one else takes the ids it hands out."""
    if on_server() and database_proxy.in_transaction():
        database_proxy.execute_sql('LOCK TABLE "client" IN SHARE ROW EXCLUSIVE MODE')
    return (Client.select(fn.MAX(Client.id)).scalar() or 0) + 1


def reserve_ids(model, count: int) -> list[int]:
    """`count` ids for new rows of `model`, which no other writer will take: on SQLite the
    ones after the largest (the transaction holds the write lock), on PostgreSQL drawn from
    the table's id sequence. Rows inserted with them need no `ids_given`."""
    if count <= 0:
        return []
    table, column = model._meta.table_name, model._meta.primary_key.column_name
    if on_server():
        cursor = database_proxy.execute_sql(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            (f'"{table}"', column, count),
        )
        return sorted(row[0] for row in cursor.fetchall())
    largest = model.select(fn.MAX(model._meta.primary_key)).scalar() or 0
    return list(range(largest + 1, largest + 1 + count))


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
    """A client as `add_client` makes it, with the same checks, given its id; no profile,
    notes or tags yet."""
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


def insert_new_clients(
    batch: Sequence[NewClientRows], insert: Callable[[type, list[dict]], None] | None = None
) -> None:
    """Store new clients made by `new_client_rows` with ids from `reserve_ids`, and their
    rows, in one transaction; `insert(model, rows)` writes the rows that go with them (an
    import's records them)."""
    insert = insert or insert_rows
    with batch_writes():
        insert_rows(Client, [new.client for new in batch])
        insert(ClientEmail, [row for new in batch for row in new.emails])
        insert(ClientPhone, [row for new in batch for row in new.phones])
        insert(ProfileValue, [row for new in batch for row in new.profile])
        insert(ClientTag, [row for new in batch for row in new.tags])
        notes = [row for new in batch for row in new.notes]
        insert(Interaction, notes)
        for row in notes:
            summaries_changed(row["client"], deals=False)
        link_companies(
            [new.client["id"] for new in batch if new.client.get("company")],
            moment=batch[0].client["created_at"] if batch else None,
        )


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
    defaults = defaults_of(fields, rows[0])
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join(database_proxy.param for _ in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    database_proxy.cursor().executemany(sql, _values(fields, defaults, rows))


def _values(fields, defaults: dict, rows: list[dict]):
    """The rows' values in the fields' order, as the database takes them. Values of the
    very type a column holds (text, whole numbers, days, moments, yes/no) are passed as
    they are, as `db_value` would pass them: a large import is not slowed by a Python
    call per value."""
    if not defaults:
        getter = itemgetter(*(field.name for field in fields))
        values = [getter(row) for row in rows]
        if len(fields) == 1:
            values = [(value,) for value in values]
        if all(
            {type(row[at]) for row in values} <= _native(field) for at, field in enumerate(fields)
        ):
            return values
    return (
        tuple(field.db_value(row.get(field.name, defaults.get(field.name))) for field in fields)
        for row in rows
    )


def _native(field) -> set[type]:
    """The types of value `field.db_value` passes on unchanged (and None)."""
    if isinstance(field, ForeignKeyField):
        return _native(field.rel_field)
    for kind, types in (
        (BooleanField, {bool}),
        (IntegerField, {int}),
        (AutoField, {int}),
        (DateTimeField, {datetime}),
        (DateField, {date}),
        (CharField, {str}),
        (TextField, {str}),
    ):
        if isinstance(field, kind):
            return {*types, type(None)}
    return set()


def defaults_of(fields, row: dict) -> dict:
    """The values `insert_rows` gives the fields a row leaves out: their defaults."""
    return {
        field.name: field.default() if callable(field.default) else field.default
        for field in fields
        if field.name not in row
    }


_TRIGGER_ON = {
    event: re.compile(rf"\b(?:BEFORE|AFTER|INSTEAD\s+OF)\s+{event}\s+ON\b", re.IGNORECASE)
    for event in ("INSERT", "DELETE")
}
COUNTED_ONCE = 1000  # rows from which a SQLite write counts its changes once per client


@contextmanager
def changes_counted_per_client(
    models, client_ids: Iterable[int], *, count: int, event: str = "INSERT"
) -> Iterator[None]:
    """Insert (or delete) many rows of counted tables (touches, deals) in a SQLite book with
    the revision counted once per client instead of once per row.

    The triggers that count every row (`revision`) cost a SQLite book more than the write
    itself: for `count` rows or more, those of these tables for this event are set aside
    within the transaction, and put back as they were (their own SQL) once the rows are
    written; then each client in `client_ids` is counted as changed, through its own
    triggers (a no-op update of its row; a client deleted meanwhile was counted by its
    own delete). Whatever happens, the transaction holds it all: another connection never
    sees a table without its triggers. A PostgreSQL book counts per statement already.
    """
    if on_server() or count < COUNTED_ONCE:
        yield
        return
    names = [model._meta.table_name for model in models]
    marks = ", ".join("?" for _ in names)
    triggers = [
        (name, sql)
        for name, sql in database_proxy.execute_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
            names,
        ).fetchall()
        if _TRIGGER_ON[event].search(sql) and REVISION_TABLE in sql
    ]
    for name, _ in triggers:
        database_proxy.execute_sql(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        for _, sql in triggers:
            database_proxy.execute_sql(sql)
    if triggers:
        ids = sorted(set(client_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            database_proxy.execute_sql(
                f'UPDATE "client" SET "id" = "id" WHERE "id" IN ({marks})', chunk
            )
