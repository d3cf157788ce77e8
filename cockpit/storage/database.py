"""Opening and setting up the database: the only module that connects (`server` for a book
on PostgreSQL; `location` says which book). SQLite is set up here and nowhere else: WAL
journal, foreign keys, a busy timeout, and transactions that take the write lock when
they begin (`BEGIN IMMEDIATE`), so two Cockpit processes on one file wait for each other
instead of failing with "database is locked".
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cockpit.config import use_team_health
from cockpit.errors import DatabaseError
from cockpit.storage.location import (  # noqa: F401 (named here by callers too)
    DB_VARIABLE,
    URL_VARIABLE,
    DatabaseLocation,
    resolve_location,
)
from cockpit.storage.schema_version import HONEYMOON_DAYS_KEY, SCHEMA_VERSION, SCHEMA_VERSION_KEY

# Peewee, the models and the migrations load when a book is first opened: the
# cockpit's first page is read without them (see `read_first_page`).
if TYPE_CHECKING:
    from peewee import SqliteDatabase

BUSY_TIMEOUT_SECONDS = 30
FILE_MODE = 0o600
# Per-connection settings. The WAL journal is a setting of the file itself and
# is switched on only once the file is known to be a Cockpit book.
SQLITE_PRAGMAS = {
    "foreign_keys": 1,
    "secure_delete": 1,  # deleted text is overwritten, not left in free pages
    "cache_size": -32000,  # 32 MB
    "synchronous": "full",
}


def _prepare_file(location: DatabaseLocation) -> None:
    """Make sure the book's path is a regular file Cockpit may use, creating it (private)
    when nothing is there.

    Its kind is known before anything opens it: opening a FIFO would block, and a
    device, a folder or another user's file is refused and left as it is.
    """
    path = location.path
    if not os.path.lexists(path):
        _ensure_folder(location)
        _create_private(path)
    status = _book_file_status(path)
    if status.st_size == 0:
        _keep_new_book_private(path, status)


def _ensure_folder(location: DatabaseLocation) -> None:
    folder = location.path.parent
    if folder.is_dir():
        return
    if not location.is_default:
        raise DatabaseError(f"cannot create {location.path}: the folder {folder} does not exist")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)


def _create_private(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass  # another process created it in the meantime
    except OSError as error:
        raise DatabaseError(f"cannot create {path}: {error.strerror}") from None


def _book_file_status(path: Path) -> os.stat_result:
    """The status of the file at `path` (a symbolic link is followed), refused unless it
    is a regular file Cockpit may read and write."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise DatabaseError(
            f"{path} is a symbolic link to {os.readlink(path)}, which does not exist; "
            "give the path of a file"
        ) from None
    except OSError as error:
        raise DatabaseError(f"cannot use {path}: {error.strerror}") from None
    if stat.S_ISDIR(status.st_mode):
        raise DatabaseError(f"{path} is a directory, not a Cockpit book; give a file path")
    if not stat.S_ISREG(status.st_mode):
        raise DatabaseError(
            f"{path} is {_special_kind(status.st_mode)}, not a Cockpit book; "
            "it was left as it is. Give the path of a regular file"
        )
    if not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseError(f"cannot open {path} for reading and writing; check its permissions")
    return status


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _keep_new_book_private(path: Path, status: os.stat_result) -> None:
    """Make an empty file that is about to become a book private (mode 0600), as books are,
    but only when it is plainly the user's own: owned by them, named here directly (not
    through a symbolic link) and by no other hard link. Any other file keeps its mode."""
    if not hasattr(os, "O_NOFOLLOW") or not status.st_mode & 0o077:
        return  # not POSIX, or private already
    if status.st_uid != os.geteuid() or status.st_nlink != 1:
        return
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return  # a symbolic link (O_NOFOLLOW), or gone: leave it to SQLite to say more
    try:
        opened = os.fstat(descriptor)
        if (opened.st_dev, opened.st_ino) == (status.st_dev, status.st_ino) and (
            opened.st_size == 0
        ):
            os.fchmod(descriptor, FILE_MODE)
    except OSError:
        pass  # a file whose mode cannot change (in /proc, say): SQLite says what it is
    finally:
        os.close(descriptor)


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


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def peek_book_info(path: Path, key: str) -> str | None:
    """One fact about a book, read without opening it for writing; None if unreadable."""
    try:
        connection = _read_only(path)
        try:
            row = connection.execute(
                "SELECT value FROM cockpit_meta WHERE key = ?", (key,)
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def describe_book(path: Path) -> dict[str, str]:
    """What a book holds, read without creating, upgrading or locking anything."""
    if not path.exists():
        return {"state": "not created yet (Cockpit creates it when it first opens it)"}
    if not path.is_file():  # reading a FIFO would block
        return {"state": "not a regular file; Cockpit cannot use it as a book"}
    try:
        connection = _read_only(path)
        try:
            version = connection.execute(
                "SELECT value FROM cockpit_meta WHERE key = 'schema_version'"
            ).fetchone()
            counts = {
                f"{table}s": str(
                    connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                )
                for table in ("client", "interaction", "deal")
            }
        finally:
            connection.close()
    except sqlite3.Error:
        return {"state": "not a readable Cockpit book"}
    return {"schema version": version[0] if version else "unknown", **counts}


# The client list's order by name, as book.client_rows reads it.
_FIRST_PAGE_SQL = (
    "SELECT id, name, company, lifecycle, last_touch_on FROM client "
    "WHERE archived = 0 AND owner IN (?, '') ORDER BY name_key, company_key, id LIMIT ?"
)


def read_first_page(
    location: DatabaseLocation, limit: int, honeymoon_days: int, rep: str
) -> list[tuple[int, str, str, str, str | None]] | None:
    """The first `limit` listed clients of `rep` (and those nobody owns) by name, as
    (id, name, company, lifecycle, last touch as ISO text or None), read with the
    sqlite3 module alone.

    Only from a book that can be used as it is: an existing Cockpit book of this
    schema version in WAL mode, whose kept summaries follow `honeymoon_days`.
    Otherwise None, and `open_database` must create, upgrade or refresh the book, or
    say what stands in the way. It only reads.
    """
    path = location.path
    if path is None:
        return None  # a server book is opened the full way
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        if not os.access(path, os.R_OK | os.W_OK):
            return None
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=1.0)
    except (OSError, ValueError, sqlite3.Error):
        return None
    try:
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return None
        facts = dict(
            connection.execute(
                "SELECT key, value FROM cockpit_meta WHERE key IN (?, ?)",
                (SCHEMA_VERSION_KEY, HONEYMOON_DAYS_KEY),
            )
        )
        if facts.get(SCHEMA_VERSION_KEY) != str(SCHEMA_VERSION):
            return None
        if facts.get(HONEYMOON_DAYS_KEY) != str(honeymoon_days):
            return None
        return connection.execute(_FIRST_PAGE_SQL, (rep, limit)).fetchall()
    except sqlite3.Error:
        return None
    finally:
        connection.close()


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
    from cockpit.storage.models import database_proxy

    if location.is_server:
        from cockpit.storage.server import open_server_book

        return open_server_book(location)
    use_team_health(None)  # a SQLite book's [health] settings are the user's own
    _prepare_file(location)
    path = location.path
    db = BookDatabase(
        str(path),
        pragmas=SQLITE_PRAGMAS,
        timeout=BUSY_TIMEOUT_SECONDS,
        lock_type="IMMEDIATE",
    )
    try:
        db.connect()
        database_proxy.initialize(db)
        ensure_schema(db, _sqlite_upgrade(db, path), accepted=lambda: _use_wal(db))
        from cockpit.storage.summaries import ensure_summaries

        ensure_summaries()
    except DatabaseError:
        db.close()
        raise
    except (PeeweeDatabaseError, sqlite3.Error) as error:
        db.close()
        raise explain_error(error, path) from None
    except OSError as error:
        db.close()
        raise DatabaseError(f"cannot use {path}: {error.strerror or error}") from None
    return db


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
