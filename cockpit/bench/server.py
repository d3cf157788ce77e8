"""The bench on a PostgreSQL server: a schema of its own, dropped at the end.

`cockpit bench --database-url postgresql://USER@HOST/DATABASE` builds its book
in a new schema `cockpit_bench_<random>` of that database and reaches it with
URLs whose `options=-csearch_path=<schema>` make it the only schema Cockpit
sees, so nothing else in the database is read or written. Every connection
the bench opens (its own, and those of the `cockpit` processes it starts)
carries the schema's name as its application_name: when the bench ends, even
on an error or Ctrl-C, those still open are ended and the schema is dropped.
"""

from __future__ import annotations

import secrets
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from cockpit.errors import DatabaseError, UsageError

SCHEMA_PREFIX = "cockpit_bench_"
CONNECT_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class BenchSchema:
    name: str
    url: str  # the database URL that sees only this schema


def check_url(url: str) -> str:
    """The URL if it names a PostgreSQL database; else a usage error."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise UsageError(
            "--database-url: the bench takes a PostgreSQL URL (postgresql://USER@HOST/DATABASE); "
            "without it, it builds a SQLite book in a temporary directory"
        )
    if not parts.path.strip("/"):
        raise UsageError(f"--database-url: the PostgreSQL URL {url!r} names no database")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise UsageError(
            "--database-url: the PostgreSQL driver is not installed: "
            "pip install 'cockpit[postgres]'"
        ) from None
    return url


def schema_url(url: str, schema: str) -> str:
    """`url` with `schema` as the only schema on its search path (libpq's `options`,
    which peewee's URL parser and psycopg pass on), and as its application_name."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)]
    options = " ".join(
        [value for key, value in query if key == "options"] + [f"-csearch_path={schema}"]
    )
    query = [(key, value) for key, value in query if key not in ("options", "application_name")]
    query += [("options", options), ("application_name", schema)]
    return parts._replace(query=urlencode(query)).geturl()


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS)


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


@contextmanager
def bench_schema(url: str) -> Iterator[BenchSchema]:
    """A new, empty schema in the database at `url`, dropped (with all it holds) on the
    way out, whatever happens in between."""
    import psycopg
    from psycopg import sql

    name = f"{SCHEMA_PREFIX}{secrets.token_hex(6)}"
    try:
        with _connect(url) as connection:
            connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise DatabaseError(f"the bench cannot create a schema: {_first_line(error)}") from None
    with _terminate_as_interrupt():
        try:
            yield BenchSchema(name, schema_url(url, name))
        finally:
            drop_schema(url, name)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI job's timeout, `kill`) stops the bench as Ctrl-C does, so the
    schema is dropped on the way out rather than left behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def drop_schema(url: str, name: str) -> None:
    """End the bench's connections still open on the schema and drop it; a second Ctrl-C
    (or SIGTERM) meanwhile is ignored, so the schema is not left behind half-way."""
    import psycopg
    from psycopg import sql

    main = threading.current_thread() is threading.main_thread()
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = [signal.signal(stop, signal.SIG_IGN) for stop in stops] if main else []
    try:
        with _connect(url) as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            connection.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name))
            )
    except psycopg.Error as error:
        raise DatabaseError(
            f"the bench could not drop its schema {name} ({_first_line(error)}); "
            f"drop it with: DROP SCHEMA {name} CASCADE"
        ) from None
    finally:
        for stop, handler in zip(stops, previous, strict=False):
            with suppress(ValueError, TypeError):
                signal.signal(stop, handler)


def schema_exists(url: str, name: str) -> bool:
    with _connect(url) as connection:
        row = connection.execute(
            "SELECT 1 FROM pg_namespace WHERE nspname = %s", (name,)
        ).fetchone()
    return row is not None
