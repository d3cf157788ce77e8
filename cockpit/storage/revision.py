"""The book's revision: which book this is, and a count of its changes.

Triggers count every insert, update and delete of the tables the health
engine reads, whichever connection or process makes them (the cockpit, a
`cockpit log` in a shell, the sqlite3 shell), so a verdict computed at one
revision holds for as long as the revision stays the same. The book's random
identity tells two books at the same path apart (a demo rebuilt, a restore);
it is not part of a backup, so a restored book is a new one.

On SQLite the same triggers note which client each change was about
(`client_change`), so verdicts kept at one count are brought up to date by
judging again the clients changed since (`changed_clients`).
"""

from __future__ import annotations

import secrets
from typing import NamedTuple

from peewee import Database

TABLE = "book_revision"
CHANGES_TABLE = "client_change"  # SQLite: which client each change was about
COUNTED_TABLES = ("client", "interaction", "deal")  # what health verdicts are computed from
ACCOUNT_TABLE = "account"  # counted too (a pin changes verdicts), about no one client


class Revision(NamedTuple):
    book: str
    changes: int


def install(db: Database) -> None:
    """Create the revision row and its triggers (a new book, or the upgrade to schema 3)."""
    db.execute_sql(
        f"CREATE TABLE {TABLE} ("
        "id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), "
        "book TEXT NOT NULL, "
        "changes INTEGER NOT NULL)"
    )
    db.execute_sql(
        f"INSERT INTO {TABLE} (id, book, changes) VALUES (1, {db.param}, 0)",
        (secrets.token_hex(16),),
    )
    if is_postgres(db):
        _install_postgres_triggers(db)
        return
    install_client_changes(db)


def install_client_changes(db: Database) -> None:
    """SQLite: the triggers counting every change, each also noting which client it was
    about (its id, and the count the change brought) in `client_change`, so the verdicts
    kept at one count can be brought up to date by judging again just those clients."""
    db.execute_sql(
        f"CREATE TABLE IF NOT EXISTS {CHANGES_TABLE} ("
        "client_id INTEGER NOT NULL PRIMARY KEY, changes INTEGER NOT NULL)"
    )
    for table in COUNTED_TABLES:
        client = "id" if table == "client" else "client_id"
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"{table}_{event.lower()}_counted"
            rows = {"INSERT": ("NEW",), "UPDATE": ("OLD", "NEW"), "DELETE": ("OLD",)}[event]
            noted = "".join(
                f"INSERT OR REPLACE INTO {CHANGES_TABLE} (client_id, changes) "
                f"SELECT {row}.{client}, changes FROM {TABLE}; "
                for row in rows
            )
            db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
            db.execute_sql(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"BEGIN UPDATE {TABLE} SET changes = changes + 1; {noted}END"
            )
    count_account_changes(db)


def count_account_changes(db: Database) -> None:
    """The triggers counting every change to the accounts (a new book, or the upgrade to
    schema 10): on SQLite a row at a time, noting no client; on PostgreSQL a statement."""
    if is_postgres(db):
        schema = quoted_schema(db)
        db.execute_sql(f'DROP TRIGGER IF EXISTS {ACCOUNT_TABLE}_counted ON "{ACCOUNT_TABLE}"')
        db.execute_sql(
            f"CREATE TRIGGER {ACCOUNT_TABLE}_counted AFTER INSERT OR UPDATE OR DELETE ON "
            f'"{ACCOUNT_TABLE}" FOR EACH STATEMENT EXECUTE FUNCTION {schema}.cockpit_count_change()'
        )
        return
    if not db.table_exists(ACCOUNT_TABLE):
        return  # an upgrade before schema 10: its step counts them
    for event in ("INSERT", "UPDATE", "DELETE"):
        name = f"{ACCOUNT_TABLE}_{event.lower()}_counted"
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
        db.execute_sql(
            f"CREATE TRIGGER {name} AFTER {event} ON {ACCOUNT_TABLE} "
            f"BEGIN UPDATE {TABLE} SET changes = changes + 1; END"
        )


def new_identity(db: Database) -> None:
    """Make the book another as far as kept verdicts go (`Revision.book`)."""
    db.execute_sql(f"UPDATE {TABLE} SET book = {db.param}", (secrets.token_hex(16),))


def changed_clients(db: Database, since: int) -> set[int] | None:
    """The ids of the clients changed after the count `since` (added, edited, deleted, or
    with a touch or deal that was); None when the book does not note them (a server
    book: a rep would learn which of other reps' clients changed)."""
    if is_postgres(db):
        return None
    rows = db.execute_sql(
        f"SELECT client_id FROM {CHANGES_TABLE} WHERE changes > {db.param}", (since,)
    ).fetchall()
    return {client_id for (client_id,) in rows}


def is_postgres(db: Database) -> bool:
    from peewee import PostgresqlDatabase

    return isinstance(db, PostgresqlDatabase)


def quoted_schema(db: Database) -> str:
    """The schema a PostgreSQL book's tables are in, quoted for SQL text."""
    name = db.execute_sql("SELECT pg_catalog.current_schema()").fetchone()[0]
    return '"' + name.replace('"', '""') + '"'


def _install_postgres_triggers(db: Database) -> None:
    """One count per statement (PostgreSQL can; SQLite counts rows)."""
    schema = quoted_schema(db)
    db.execute_sql(count_function_sql(schema))
    db.execute_sql(f"REVOKE ALL ON FUNCTION {schema}.cockpit_count_change() FROM PUBLIC")
    for table in COUNTED_TABLES:
        db.execute_sql(
            f'CREATE TRIGGER {table}_counted AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {schema}.cockpit_count_change()"
        )
    if db.table_exists(ACCOUNT_TABLE):
        count_account_changes(db)


def count_function_sql(schema: str) -> str:
    """The trigger function counting changes. It runs as the tables' owner (a definer
    function), as reps may read the revision but not write it, with a search_path of its
    own, so a rep's temporary `book_revision` cannot take the count."""
    return (
        f"CREATE OR REPLACE FUNCTION {schema}.cockpit_count_change() RETURNS trigger "
        "LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS "
        f'$$ BEGIN UPDATE {schema}."{TABLE}" SET "changes" = "changes" + 1; RETURN NULL; END $$'
    )


def current(db: Database) -> Revision:
    book, changes = db.execute_sql(f"SELECT book, changes FROM {TABLE}").fetchone()
    return Revision(book, changes)
