"""A book on a PostgreSQL server (`--database-url postgresql://USER@HOST/DATABASE`).

Needs the `postgres` extra (`pip install 'cockpit[postgres]'`, psycopg 3). The
schema is created, or upgraded in one transaction (PostgreSQL's DDL is
transactional), by the role Cockpit connects as; back the database up with
pg_dump before an upgrade, as README says.
"""

from __future__ import annotations

from cockpit.config import HealthSettings, use_team_health
from cockpit.errors import CockpitError, DatabaseError, UsageError
from cockpit.storage.connecting import connect_book
from cockpit.storage.location import DatabaseLocation

CONNECT_TIMEOUT_SECONDS = 10
LOCK_TIMEOUT = "30s"  # as long as a SQLite book waits for another writer
# The schemas of the connection's search_path, less those owned by another member of the
# team (a rep may create a schema named like a colleague, which PostgreSQL's default
# path, "$user", public, would put first for that colleague), then pg_temp, last.
_TRUSTED_PATH = """
SELECT pg_catalog.concat_ws(', ', pg_catalog.string_agg(
           pg_catalog.quote_ident(kept.name), ', ' ORDER BY kept.position), 'pg_temp')
FROM pg_catalog.unnest(pg_catalog.current_schemas(false)) WITH ORDINALITY AS kept(name, position)
JOIN pg_catalog.pg_namespace AS schema ON schema.nspname = kept.name
JOIN pg_catalog.pg_roles AS owner ON owner.oid = schema.nspowner
WHERE owner.rolname = CURRENT_USER OR owner.rolsuper
   OR NOT coalesce(pg_catalog.pg_has_role(
          owner.oid, pg_catalog.to_regrole('cockpit_rep'), 'MEMBER'), false)
"""


def open_server_book(location: DatabaseLocation):
    """Open (creating or upgrading as needed) the book in the PostgreSQL database at
    `location.url`; the models are bound to it."""
    from peewee import DatabaseError as PeeweeDatabaseError
    from peewee import PostgresqlDatabase
    from playhouse.db_url import parse

    from cockpit.storage.migrations import ensure_schema

    try:
        import psycopg
    except ImportError:
        raise DatabaseError(
            f"{location.label} is a PostgreSQL book, and the PostgreSQL driver is not "
            "installed: pip install 'cockpit[postgres]'"
        ) from None
    try:
        settings = parse(location.url)
    except ValueError as error:  # a port out of range, a broken IPv6 address
        raise UsageError(f"{location.label} is not a usable PostgreSQL URL: {error}") from None
    database = settings.pop("database")

    class TeamBookDatabase(PostgresqlDatabase):
        def _initialize_connection(self, connection) -> None:
            settle_connection(connection)

    db = TeamBookDatabase(
        database, prefer_psycopg3=True, connect_timeout=CONNECT_TIMEOUT_SECONDS, **settings
    )

    def set_up() -> None:
        use_team_health(HealthSettings())  # a new book is made with the team's defaults
        ensure_schema(db)
        from cockpit.storage import team_settings
        from cockpit.storage.summaries import ensure_summaries

        team_settings.put_in_force()
        ensure_summaries()

    return connect_book(
        db,
        set_up,
        passed=(CockpitError,),
        explained=(PeeweeDatabaseError, psycopg.Error),
        explain=lambda error: DatabaseError(f"cannot use {location.label}: {_first_line(error)}"),
    )


def settle_connection(connection) -> None:
    """Set up a new connection to a team book: a search_path no other member chose, and a
    limit on how long a statement waits for a lock another connection holds."""
    path = connection.execute(_TRUSTED_PATH).fetchone()[0]
    connection.execute("SELECT pg_catalog.set_config('search_path', %s, false)", (path,))
    connection.execute("SELECT pg_catalog.set_config('lock_timeout', %s, false)", (LOCK_TIMEOUT,))
    connection.commit()


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class RevisionWatcher:
    """Tells whether the book changed since the last look (any writer, this one too),
    from its revision, on a connection of its own."""

    def __init__(self, location: DatabaseLocation) -> None:
        import threading

        import psycopg

        self._lock = threading.Lock()
        self._connection = psycopg.connect(location.url, connect_timeout=CONNECT_TIMEOUT_SECONDS)
        settle_connection(self._connection)
        self._connection.autocommit = True
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
