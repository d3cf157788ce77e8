"""Running a change on an open book from a screen's worker: what goes wrong in the
database comes out as a CockpitError, so the screens need not know Peewee or SQLite."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from typing import TypeVar

from cockpit.errors import CockpitError, DatabaseError
from cockpit.storage.database import explain_error

Result = TypeVar("Result")


def is_database_error(error: BaseException) -> bool:
    """Whether the error comes from the database (SQLite, or Peewee once it is loaded)."""
    peewee = sys.modules.get("peewee")
    return isinstance(error, sqlite3.Error) or (
        peewee is not None and isinstance(error, peewee.DatabaseError)
    )


def failure_message(error: BaseException, book_label: str) -> str:
    """What to say when reading the book failed with this error."""
    if is_database_error(error):
        return explain_error(error, book_label).message
    return error.message if isinstance(error, CockpitError) else str(error)


def run_explained(database, book_label: str, change: Callable[[], Result]) -> Result:
    """Run `change` in a connection to the book; a database error comes out as a
    DatabaseError that names the book."""
    try:
        with database.connection_context():
            return change()
    except Exception as error:
        if is_database_error(error):
            raise explain_error(error, book_label) from None
        raise


def run_plainly(database, change: Callable[[], Result]) -> Result:
    """Run `change` in a connection to the book; a database error comes out as a
    DatabaseError with the database's own words."""
    try:
        with database.connection_context():
            return change()
    except Exception as error:
        if is_database_error(error):
            raise DatabaseError(str(error)) from None
        raise


def database_failure(error: Exception, where: Callable[[], str]) -> DatabaseError | None:
    """`error` explained, naming the book `where()` gives; None when it is not the
    database's (a command's failure mid-way: disk full, a lock held too long)."""
    if not is_database_error(error):
        return None
    return explain_error(error, where())
