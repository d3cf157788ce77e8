"""Peewee's SQLite database as a book uses it.

When a write fails because the disk is full (or on an I/O error), SQLite rolls the
whole transaction back by itself. Peewee then sends its own ROLLBACK (or ROLLBACK TO
SAVEPOINT), which fails with "no transaction is active", and that second error is
what the user would see instead of "database or disk is full". Here a rollback with
nothing left to roll back does nothing, so the first error is the one reported.
"""

from __future__ import annotations

from peewee import SqliteDatabase, _savepoint


class BookDatabase(SqliteDatabase):
    def _still_in_transaction(self) -> bool:
        return not self.is_closed() and self.connection().in_transaction

    def rollback(self) -> None:
        if self._still_in_transaction():
            super().rollback()

    def savepoint(self, sid: str | None = None) -> _savepoint:
        return _BookSavepoint(self, sid)


class _BookSavepoint(_savepoint):
    def rollback(self, begin: bool = True) -> None:
        if self.db._still_in_transaction():
            super().rollback(begin)
