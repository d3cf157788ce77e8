"""Queries read on a second connection to a SQLite book, in a thread of their own, while
the caller reads others: SQLite runs a query without holding Python's GIL, so on a big
book two of them take little more than the longer one.

The second connection reads the book in a transaction of its own and notes the book's
revision there; the caller compares it with the revision it read in its own transaction.
The same revision is the same book (`storage.revision` counts every change), so the rows
of both go together; when a write came in between, the caller reads the rows itself.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date
from pathlib import Path
from urllib.parse import quote

from peewee import Database

from cockpit.storage.revision import TABLE as REVISION_TABLE
from cockpit.storage.revision import Revision, is_postgres

# Below this many clients (by the highest id) a book is read on one connection: opening
# a second and starting a thread would cost more than it saves.
FROM_CLIENTS = 5000
_BUSY_SECONDS = 0.5  # a book busy longer than this is read by the caller instead


def book_file(db: Database) -> Path | None:
    """The file of a SQLite book worth reading on two connections (a big book, outside a
    transaction, whose uncommitted rows a second connection would not see); else None."""
    if is_postgres(db) or db.in_transaction() or db.is_closed() or db.connection().in_transaction:
        return None
    path = getattr(db, "database", None)
    if not isinstance(path, str) or path in ("", ":memory:") or path.startswith("file:"):
        return None
    (highest,) = db.execute_sql("SELECT max(id) FROM client").fetchone()
    if (highest or 0) < FROM_CLIENTS:
        return None
    # Outside WAL a reader waits for a writer, and a writer for the caller's read lock held
    # meanwhile: one connection reads it all, each query taking its lock briefly.
    (journal,) = db.execute_sql("PRAGMA journal_mode").fetchone()
    return Path(path) if str(journal).lower() == "wal" else None


class Alongside(threading.Thread):
    """Read `queries` (Peewee queries) on a connection of this thread's own."""

    def __init__(self, path: Path, queries: list) -> None:
        super().__init__(name="cockpit-read-alongside", daemon=True)
        self._uri = f"file:{quote(str(path))}?mode=ro"
        self._statements = [_statement(query) for query in queries]
        self._revision: Revision | None = None
        self._rows: list[list] | None = None

    def run(self) -> None:
        try:
            connection = sqlite3.connect(
                self._uri, uri=True, timeout=_BUSY_SECONDS, isolation_level=None
            )
        except sqlite3.Error:
            return  # read by the caller instead
        try:
            connection.execute("BEGIN")
            book, changes = connection.execute(
                f"SELECT book, changes FROM {REVISION_TABLE}"
            ).fetchone()
            rows = [_rows(connection, sql, params) for sql, params in self._statements]
            self._revision, self._rows = Revision(book, changes), rows
        except sqlite3.Error:
            pass  # read by the caller instead
        finally:
            connection.close()

    def rows_at(self, revision: Revision) -> list[list] | None:
        """Each query's rows, once read, if they were read at `revision`; else None."""
        self.join()
        return self._rows if self._revision == revision else None


def _rows(connection: sqlite3.Connection, sql: str, params: list) -> list[list]:
    """The query's rows (as lists), handed over by SQLite as one JSON text: row by row,
    this thread would take Python's lock for each row, and wait for it each time while
    the caller holds it (up to 5 ms a row)."""
    (text,) = connection.execute(sql, params).fetchone()
    return json.loads(text)


def _statement(query) -> tuple[str, list]:
    """The query's SQL, as one row of JSON text (`_rows`), and its parameters."""
    sql, params = query.sql()
    names = [f"c{at}" for at in range(len(query._returning))]
    listed = ", ".join(names)
    sql = f"WITH q({listed}) AS ({sql}) SELECT json_group_array(json_array({listed})) FROM q"
    return sql, [value.isoformat() if type(value) is date else value for value in params]
