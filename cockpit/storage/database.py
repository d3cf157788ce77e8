"""Opening and setting up the database: the only module that connects (`server` for a book
on PostgreSQL; `location` says which book). SQLite is set up here and nowhere else: WAL
journal, foreign keys, a busy timeout, and transactions that take the write lock when
they begin (`BEGIN IMMEDIATE`), so two Cockpit processes on one file wait for each other
instead of failing with "database is locked". The book's file is made ready in
`book_file`; `peek` reads a book without opening it (its first page, what it holds).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cockpit.config import use_team_health
from cockpit.errors import DatabaseError
from cockpit.storage.book_file import FILE_MODE, prepare_file
from cockpit.storage.connecting import connect_book
from cockpit.storage.location import (  # noqa: F401 (named here by callers too)
    DB_VARIABLE,
    URL_VARIABLE,
    DatabaseLocation,
    resolve_location,
)
from cockpit.storage.peek import (  # noqa: F401 (named here by callers too)
    describe_book,
    peek_book_info,
    read_first_page,
)

# Peewee, the models and the migrations load when a book is first opened: the
# cockpit's first page is read without them (see `read_first_page`).
if TYPE_CHECKING:
    from peewee import SqliteDatabase

BUSY_TIMEOUT_SECONDS = 30
# Per-connection settings. The WAL journal is a setting of the file itself and
# is switched on only once the file is known to be a Cockpit book.
SQLITE_PRAGMAS = {
    "foreign_keys": 1,
    "secure_delete": 1,  # deleted text is overwritten, not left in free pages
    # SQLite's own default, 2 MB: the system keeps the file's pages in memory anyway, and
    # a bigger cache only added memory (32 MB: 21 MiB more at 50,000 clients, no faster).
    "cache_size": -2000,
    "synchronous": "full",
}


def explain_error(error: Exception, path: Path | str) -> DatabaseError:
    text = str(error)
    if "file is not a database" in text or "malformed" in text:
        return DatabaseError(
            f"{path} is not a readable Cockpit book (not SQLite, or damaged); "
            "it was left as it is. Open another file with --db, or restore a backup"
        )
    if "lock timeout" in text:
        return DatabaseError(
            f"{path}: another connection held a lock on the book for 30 s; try again"
        )
    if "locked" in text or "busy" in text:
        return DatabaseError(
            f"{path} stayed locked by another program for {BUSY_TIMEOUT_SECONDS} s; try again"
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseError(
            f"{path} is read-only; check the permissions of the file and its folder"
        )
    if "disk is full" in text or "disk I/O" in text:
        return DatabaseError(f"cannot write {path}: {text}; free some disk space and try again")
    if "row-level security" in text:
        return DatabaseError(
            f"{path}: that client is another rep's; only its owner or a manager may change it"
        )
    return DatabaseError(f"cannot use {path}: {text}")


def backup_copy(source: Path, destination: Path) -> Path:
    """Copy a live SQLite book to a new file (mode 0600) with SQLite's backup API.

    It reads through a connection of its own, so it works while another
    connection holds the write lock (in WAL mode readers are not blocked) and
    copies what was last committed.
    """
    os.close(os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    reader = sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)
    target = sqlite3.connect(destination)
    try:
        reader.backup(target)
    finally:
        target.close()
        reader.close()
    return destination


def _sqlite_upgrade(db: SqliteDatabase, path: Path):
    """The upgrade hooks of a SQLite book (the migrations module loads with the first open)."""
    from cockpit.storage.migrations import UpgradeHooks

    class _SqliteUpgrade(UpgradeHooks):
        def __init__(self, db: SqliteDatabase, path: Path) -> None:
            self.db, self.path = db, path

        @contextmanager
        def around(self) -> Iterator[None]:
            # Table rebuilds must not fire ON DELETE CASCADE; the pragma only
            # takes effect outside a transaction.
            self.db.pragma("foreign_keys", 0)
            try:
                yield
                problems = self.db.execute_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise DatabaseError(
                        f"upgrading {self.path} left broken references: {problems[:3]}"
                    )
            finally:
                self.db.pragma("foreign_keys", 1)

        def backup(self, version: int) -> str:
            stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
            for attempt in range(100):
                suffix = f"-{attempt}" if attempt else ""
                name = f"{self.path.name}.schema-v{version}-{stamp}{suffix}.bak"
                try:
                    return str(backup_copy(self.path, self.path.with_name(name)))
                except FileExistsError:
                    continue
            raise DatabaseError(f"cannot find a free name for a backup of {self.path}")

    return _SqliteUpgrade(db, path)


def _use_wal(db: SqliteDatabase) -> None:
    if db.execute_sql("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.execute_sql("PRAGMA journal_mode = wal")


def remove_book_files(path: Path) -> None:
    """Delete a SQLite book and the files SQLite keeps beside it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def open_database(location: DatabaseLocation) -> SqliteDatabase:
    """Open (creating or upgrading as needed) the book at `location`.

    The models are bound to it; raises DatabaseError with a message that
    names the path for anything that stands in the way.
    """
    from peewee import DatabaseError as PeeweeDatabaseError

    from cockpit.storage.book_database import BookDatabase
    from cockpit.storage.migrations import ensure_schema

    if location.is_server:
        from cockpit.storage.server import open_server_book

        return open_server_book(location)
    use_team_health(None)  # a SQLite book's [health] settings are the user's own
    prepare_file(location)
    path = location.path
    db = BookDatabase(
        str(path),
        pragmas=SQLITE_PRAGMAS,
        timeout=BUSY_TIMEOUT_SECONDS,
        lock_type="IMMEDIATE",
    )

    def set_up() -> None:
        ensure_schema(db, _sqlite_upgrade(db, path), accepted=lambda: _use_wal(db))
        from cockpit.storage.summaries import ensure_summaries

        ensure_summaries()

    def explain(error: Exception) -> DatabaseError:
        if isinstance(error, OSError):
            return DatabaseError(f"cannot use {path}: {error.strerror or error}")
        return explain_error(error, path)

    return connect_book(
        db,
        set_up,
        passed=(DatabaseError,),
        explained=(PeeweeDatabaseError, sqlite3.Error, OSError),
        explain=explain,
    )


def change_watcher(location: DatabaseLocation):
    """What tells the cockpit that another program wrote to its book."""
    if location.is_server:
        from cockpit.storage.server import RevisionWatcher

        return RevisionWatcher(location)
    return ChangeWatcher(location.path)


class ChangeWatcher:
    """Tells whether another connection (another Cockpit, `cockpit log` in a shell)
    committed to the book since the last look; a read of SQLite's data_version,
    which costs no I/O beyond the WAL index."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(str(path), timeout=1.0, check_same_thread=False)
        self._seen = self._version()

    def _version(self) -> int:
        return self._connection.execute("PRAGMA data_version").fetchone()[0]

    def changed(self) -> bool:
        with self._lock:
            version = self._version()
            changed, self._seen = version != self._seen, version
            return changed

    def close(self) -> None:
        with self._lock:
            self._connection.close()


def checkpoint(db: SqliteDatabase) -> None:
    """Fold the write-ahead log into the book file, e.g. before it is moved or copied."""
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def erase_free_pages(db: SqliteDatabase) -> None:
    """Make deleted text unreadable from the file: zero and drop free pages, empty the log.

    Call it after the rows are deleted, outside any transaction.
    """
    from peewee import DatabaseError as PeeweeDatabaseError

    # A reader elsewhere keeps the log from being emptied: wait for it briefly, not
    # for the full busy timeout, and say so if it stays.
    db.execute_sql("PRAGMA busy_timeout = 500")
    try:
        db.execute_sql("VACUUM")
        for _attempt in range(6):
            busy, log, _done = db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy and log in (0, -1):
                return
            time.sleep(0.25)
    except (PeeweeDatabaseError, sqlite3.Error) as error:
        if "locked" not in str(error) and "busy" not in str(error):
            raise
    finally:
        db.execute_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
    raise DatabaseError(
        f"the deleted text may still be in {db.database}-wal, because another program is "
        "reading the book: close other Cockpit windows and run the command again"
    )


def close_database() -> None:
    from cockpit.storage.models import database_proxy

    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()


@contextmanager
def opened(location: DatabaseLocation) -> Iterator[SqliteDatabase]:
    db = open_database(location)
    try:
        yield db
    finally:
        db.close()
