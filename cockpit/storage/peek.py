"""Reading a SQLite book without opening it for writing: one fact about it, what it
holds, and the first page of the client list, with the sqlite3 module alone (Peewee, the
models and the migrations are not loaded for it). Nothing here creates, upgrades or locks
a book."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from cockpit.storage.location import DatabaseLocation
from cockpit.storage.schema_version import HONEYMOON_DAYS_KEY, SCHEMA_VERSION, SCHEMA_VERSION_KEY


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
