"""A book on a PostgreSQL server (`--database-url postgresql://USER@HOST/DATABASE`).

Needs the `postgres` extra (`pip install 'cockpit[postgres]'`, psycopg 3). The
schema is created, or upgraded in one transaction (PostgreSQL's DDL is
transactional), by the role Cockpit connects as; back the database up with
pg_dump before an upgrade, as README says.
"""

from __future__ import annotations

from cockpit.config import HealthSettings, use_team_health
from cockpit.errors import CockpitError, DatabaseError
from cockpit.storage.database import DatabaseLocation

CONNECT_TIMEOUT_SECONDS = 10


def open_server_book(location: DatabaseLocation):
    """Open (creating or upgrading as needed) the book in the PostgreSQL database at
    `location.url`; the models are bound to it."""
    from peewee import DatabaseError as PeeweeDatabaseError
    from peewee import PostgresqlDatabase
    from playhouse.db_url import parse

    from cockpit.storage.migrations import ensure_schema
    from cockpit.storage.models import database_proxy

    try:
        import psycopg
    except ImportError:
        raise DatabaseError(
            f"{location.label} is a PostgreSQL book, and the PostgreSQL driver is not "
            "installed: pip install 'cockpit[postgres]'"
        ) from None
    settings = parse(location.url)
    database = settings.pop("database")
    db = PostgresqlDatabase(
        database, prefer_psycopg3=True, connect_timeout=CONNECT_TIMEOUT_SECONDS, **settings
    )
    try:
        db.connect()
        database_proxy.initialize(db)
        use_team_health(HealthSettings())  # a new book is made with the team's defaults
        ensure_schema(db)
        from cockpit.storage import team_settings
        from cockpit.storage.summaries import ensure_summaries

        team_settings.put_in_force()
        ensure_summaries()
    except CockpitError:
        db.close()
        raise
    except (PeeweeDatabaseError, psycopg.Error) as error:
        db.close()
        raise DatabaseError(f"cannot use {location.label}: {_first_line(error)}") from None
    return db


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class RevisionWatcher:
    """Tells whether the book changed since the last look (any writer, this one too),
    from its revision, on a connection of its own."""

    def __init__(self, location: DatabaseLocation) -> None:
        import threading

        import psycopg

        self._lock = threading.Lock()
        self._connection = psycopg.connect(
            location.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
        )
        self._seen = self._changes()

    def _changes(self) -> int:
        return self._connection.execute("SELECT changes FROM book_revision").fetchone()[0]

    def changed(self) -> bool:
        import psycopg

        with self._lock:
            try:
                changes = self._changes()
            except psycopg.Error:
                return False  # the server is away: the next read of the book says so
            changed, self._seen = changes != self._seen, changes
            return changed

    def close(self) -> None:
        with self._lock:
            self._connection.close()
