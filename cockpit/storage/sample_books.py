"""The books Cockpit makes for itself, the demo book and the bench's large one: rows of
a new book written in bulk as they are made, and the rows counted once written.

The rows come made and checked by `cockpit.validation` (through `storage.book`);
here they only go in: with prepared statements on SQLite (`bulk.insert_rows`), with
COPY on PostgreSQL, a chunk at a time, so a large book is never all in memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cockpit.storage.bulk import ids_given, insert_rows
from cockpit.storage.database import (
    DatabaseLocation,
    checkpoint,
    open_database,
    remove_book_files,
)
from cockpit.storage.models import ALL_MODELS, Client, database_proxy

# The tables of a book, by name: those a new book's rows go to, and those counted.
TABLES = {model._meta.table_name: model for model in ALL_MODELS}


@contextmanager
def new_book_file(path: Path, label: str) -> Iterator[None]:
    """A new SQLite book for `path`, open while the block writes it: built beside the
    target (`.NAME.building`) and moved into place, replacing any file there, once
    complete, so a failure leaves nothing half-built."""
    building = path.with_name(f".{path.name}.building")
    remove_book_files(building)
    db = open_database(DatabaseLocation(building, label))
    try:
        yield
        checkpoint(db)
    finally:
        db.close()
        database_proxy.initialize(None)
    remove_book_files(path)
    os.replace(building, path)
    remove_book_files(building)


@dataclass(frozen=True)
class RowCounts:
    """How many rows a book holds, table by table."""

    clients: int
    interactions: int
    deals: int
    profile_values: int
    plans: int


def count_rows() -> RowCounts:
    """The rows of the open book, counted."""

    def count(table: str) -> int:
        return TABLES[table].select().count()

    return RowCounts(
        clients=count("client"),
        interactions=count("interaction"),
        deals=count("deal"),
        profile_values=count("profile_value"),
        plans=count("planned_communication"),
    )


def has_clients() -> bool:
    return Client.select().exists()


def copy_rows(model, rows: list[dict]) -> None:
    """Rows into a PostgreSQL table with one COPY (psycopg's `cursor.copy`): the values go
    through each field's `db_value` as with `Model.insert_many`, and a missing field takes
    its default. The rows all hold the same columns."""
    if not rows:
        return
    key = model._meta.primary_key
    fields = [
        field for field in model._meta.sorted_fields if field is not key or field.name in rows[0]
    ]
    defaults = {
        field.name: field.default() if callable(field.default) else field.default
        for field in fields
        if field.name not in rows[0]
    }
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    cursor = database_proxy.obj.cursor()
    with cursor.copy(f'COPY "{model._meta.table_name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(
                tuple(
                    field.db_value(row.get(field.name, defaults.get(field.name)))
                    for field in fields
                )
            )


class RowWriter:
    """Rows of each table (by its name, see `TABLES`) written as they come, in bulk, `chunk`
    rows at a time: prepared statements on SQLite, COPY on PostgreSQL (`copy`)."""

    def __init__(self, *, copy: bool, chunk: int) -> None:
        self.write = copy_rows if copy else insert_rows
        self.chunk = chunk
        self.pending: dict[str, list[dict]] = {}

    def add(self, table: str, rows: list[dict]) -> None:
        if table not in TABLES:
            raise KeyError(f"no table {table!r} takes a new book's rows")
        pending = self.pending.setdefault(table, [])
        pending += rows
        if len(pending) >= self.chunk:
            self.flush(table)

    def flush(self, *tables: str) -> None:
        """Write what waits for these tables (all, when none is named)."""
        for table in tables or list(self.pending):
            rows = self.pending.pop(table, [])
            self.write(TABLES[table], rows)

    def ids_given(self, table: str) -> None:
        """After rows went in with ids of their own: the table hands out ids past them."""
        ids_given(TABLES[table])


def vacuum_analyze() -> None:
    """PostgreSQL: vacuum and analyze every table of the book, as a book that has lived a
    while is (the planner needs the statistics; index-only scans need the visibility map)."""
    tables = ", ".join(f'"{model._meta.table_name}"' for model in ALL_MODELS)
    database_proxy.execute_sql(f"VACUUM (ANALYZE) {tables}")


def clients_not_archived() -> list[tuple[int, str, str]]:
    """The (id, name, lifecycle) of the clients not archived, by id."""
    return list(
        Client.select(Client.id, Client.name, Client.lifecycle)
        .where(~Client.archived)
        .order_by(Client.id)
        .tuples()
    )


def client_addresses(count: int) -> list[str]:
    """Up to `count` email addresses of clients not archived, by client."""
    from cockpit.storage.models import ClientEmail

    query = (
        ClientEmail.select(ClientEmail.address)
        .join(Client)
        .where(~Client.archived)
        .order_by(Client.id, ClientEmail.position)
        .limit(count)
    )
    return [address for (address,) in query.tuples()]


def first_emails(client_ids: list[int]) -> dict[int, str]:
    """The first email address of each of these clients that has one."""
    from cockpit.storage.models import ClientEmail

    found: dict[int, str] = {}
    query = (
        ClientEmail.select(ClientEmail.client, ClientEmail.address)
        .where(ClientEmail.client.in_(client_ids))
        .order_by(ClientEmail.position, ClientEmail.id)
    )
    for client_id, address in query.tuples():
        found.setdefault(client_id, address)
    return found
