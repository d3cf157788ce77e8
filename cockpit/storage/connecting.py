"""The last steps of opening any book, SQLite or PostgreSQL: connect, bind the models to
the connection, set the book up; and on any failure close the connection again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from cockpit.errors import DatabaseError

Connection = TypeVar("Connection")


def connect_book(
    db: Connection,
    set_up: Callable[[], None],
    *,
    passed: tuple[type[Exception], ...],
    explained: tuple[type[Exception], ...],
    explain: Callable[[Exception], DatabaseError],
) -> Connection:
    """Connect `db` (a Peewee database), bind the models to it and run `set_up`; the
    connection is closed again if anything fails. An error of `passed` goes on as it is,
    one of `explained` (the driver's) as the DatabaseError `explain` makes of it."""
    from cockpit.storage.models import database_proxy

    try:
        db.connect()
        database_proxy.initialize(db)
        set_up()
    except passed:
        db.close()
        raise
    except explained as error:
        db.close()
        raise explain(error) from None
    return db
