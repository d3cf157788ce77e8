"""The book's revision: which book this is, and a count of its changes.

Triggers count every insert, update and delete of the tables the health
engine reads, whichever connection or process makes them (the cockpit, a
`cockpit log` in a shell, the sqlite3 shell), so a verdict computed at one
revision holds for as long as the revision stays the same. The book's random
identity tells two books at the same path apart (a demo rebuilt, a restore);
it is not part of a backup, so a restored book is a new one.
"""

from __future__ import annotations

import secrets
from typing import NamedTuple

from peewee import Database

TABLE = "book_revision"
COUNTED_TABLES = ("client", "interaction", "deal")  # what health verdicts are computed from


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
    for table in COUNTED_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute_sql(
                f"CREATE TRIGGER {table}_{event.lower()}_counted AFTER {event} ON {table} "
                f"BEGIN UPDATE {TABLE} SET changes = changes + 1; END"
            )


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
