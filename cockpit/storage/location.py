"""Which book to open: a SQLite file or a PostgreSQL database, and which setting chose it.

Precedence of the ways to name a book: `--database-url`, `--db`, `COCKPIT_DATABASE_URL`,
`COCKPIT_DB`, then the default file in the user's data directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cockpit.errors import UsageError
from cockpit.locations import default_database_path

DB_VARIABLE = "COCKPIT_DB"
URL_VARIABLE = "COCKPIT_DATABASE_URL"


@dataclass(frozen=True)
class DatabaseLocation:
    """Where a book lives and which setting chose it: a SQLite file, or a PostgreSQL
    database named by `url` (then `path` is None)."""

    path: Path | None
    source: str  # "--database-url", "--db", COCKPIT_DATABASE_URL, COCKPIT_DB or "default"
    url: str | None = None

    @property
    def is_default(self) -> bool:
        return self.source == "default"

    @property
    def is_server(self) -> bool:
        return self.url is not None

    @property
    def short_name(self) -> str:
        """The book's file name, or a server book's database name (a window's title)."""
        return self.path.name if self.url is None else urlsplit(self.url).path.strip("/")

    @property
    def label(self) -> str:
        """The book as messages name it (a server URL without its password)."""
        return str(self.path) if self.url is None else _without_password(self.url)


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def _file_path(text: str, source: str) -> Path:
    if not text.strip():
        raise UsageError(f"{source}: give the path of a book file")
    if text.strip() == ":memory:":
        raise UsageError(f"{source}: an in-memory book would be lost on exit; give a file path")
    return Path(text).expanduser()


def _location_from_url(url: str, source: str) -> DatabaseLocation:
    try:
        parts = urlsplit(url)
    except ValueError as error:  # a broken IPv6 address
        raise UsageError(f"{source}: {url!r} is not a usable PostgreSQL URL: {error}") from None
    if parts.scheme in ("postgres", "postgresql"):
        if not parts.path.strip("/"):
            raise UsageError(f"{source}: the PostgreSQL URL {url!r} names no database")
        return DatabaseLocation(None, source, url=url)
    return DatabaseLocation(_path_from_url(url, source), source)


def _path_from_url(url: str, source: str) -> Path:
    parts = urlsplit(url)
    if parts.scheme in ("sqlite", "sqlite3"):
        if parts.query or parts.fragment:
            raise UsageError(f"{source}: options in a SQLite URL are not supported ({url!r})")
        path = unquote(parts.netloc + parts.path)
        if path.startswith("/") and not parts.netloc:
            path = path[1:]  # sqlite:///relative.db; sqlite:////absolute.db
        if not path:
            raise UsageError(f"{source}: the SQLite URL {url!r} names no file")
        return _file_path(path, source)
    raise UsageError(
        f"{source}: unsupported database URL {url!r}; use sqlite:///PATH or "
        "postgresql://USER@HOST/DATABASE"
    )


def resolve_location(
    db: str | None = None,
    database_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> DatabaseLocation:
    """The book to open, following the documented precedence."""
    environ = os.environ if environ is None else environ
    if database_url:
        return _location_from_url(database_url, "--database-url")
    if db is not None:
        return DatabaseLocation(_file_path(db, "--db"), "--db")
    if environ.get(URL_VARIABLE):
        return _location_from_url(environ[URL_VARIABLE], URL_VARIABLE)
    if environ.get(DB_VARIABLE):
        return DatabaseLocation(_file_path(environ[DB_VARIABLE], DB_VARIABLE), DB_VARIABLE)
    return DatabaseLocation(default_database_path(), "default")
