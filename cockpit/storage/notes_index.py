"""The index of what the notes say, for `notes_search`: on SQLite, two FTS5 tables over
the touches' summaries and the profile answers that are not sensitive, kept in step by
triggers (so imports, import undos and forgetting keep them right whatever writes).

They are external-content tables: they hold the words' index, never a copy of the text.
The tokenizer folds case and accents (`remove_diacritics 2`), as `search.fold` does. A
SQLite built without FTS5 gets no index; searches then read the notes themselves, slower.
A PostgreSQL book has no index of ours: its searches go through the tables its row-level
rules guard.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from peewee import Database

from cockpit.storage import revision

TOUCH_INDEX = "note_index_touch"
PROFILE_INDEX = "note_index_profile"
_TOKENIZER = "unicode61 remove_diacritics 2"

# (index, table, column, which rows are indexed: a condition on the row, as NEW or OLD)
_INDEXED = (
    (TOUCH_INDEX, "interaction", "summary", "1"),
    (PROFILE_INDEX, "profile_value", "text", "NOT {row}.sensitive"),
)


_EVENTS = ("insert", "delete", "update")


def _trigger(index: str, table: str, column: str, indexed: str, event: str, when: str = "") -> str:
    """The statement making the trigger that keeps `index` in step on `event`; `when`, a
    condition on OLD, narrows it to some rows."""
    add = (
        f"INSERT INTO {index} (rowid, {column}) SELECT NEW.id, NEW.{column} "
        f"WHERE {indexed.format(row='NEW')};"
    )
    # An external-content index is told the words a row had, to take them out.
    remove = (
        f"INSERT INTO {index} ({index}, rowid, {column}) SELECT 'delete', OLD.id, "
        f"OLD.{column} WHERE {indexed.format(row='OLD')};"
    )
    changed = f"{column}, sensitive" if table == "profile_value" else column
    on, body = {
        "insert": ("INSERT", add),
        "delete": ("DELETE", remove),
        "update": (f"UPDATE OF {changed}", remove + " " + add),
    }[event]
    narrowed = f" WHEN {when}" if when else ""
    return f"CREATE TRIGGER {table}_{event}_noted AFTER {on} ON {table}{narrowed} BEGIN {body} END"


def fts5_available(db: Database) -> bool:
    """Whether this SQLite can make FTS5 tables."""
    rows = db.execute_sql("PRAGMA compile_options").fetchall()
    return any(option == "ENABLE_FTS5" for (option,) in rows)


def has_index(db: Database) -> bool:
    """Whether this book searches its notes through the index."""
    if revision.is_postgres(db):
        return False
    found = db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TOUCH_INDEX,)
    ).fetchone()
    return found is not None


def install(db: Database) -> None:
    """Create the index and its triggers, and fill it from the notes there are (a new
    book, or the upgrade to schema 9). Nothing on PostgreSQL or without FTS5."""
    if revision.is_postgres(db) or not fts5_available(db):
        return
    for index, table, column, indexed in _INDEXED:
        db.execute_sql(
            f"CREATE VIRTUAL TABLE {index} USING fts5({column}, content='{table}', "
            f"content_rowid='id', tokenize='{_TOKENIZER}')"
        )
        for event in _EVENTS:
            db.execute_sql(_trigger(index, table, column, indexed, event))
        db.execute_sql(
            f"INSERT INTO {index} (rowid, {column}) SELECT id, {column} FROM {table} "
            f"WHERE {indexed.format(row=table)}"
        )


def drop_forgotten_words(db: Database) -> None:
    """Rewrite the profile index without the words of deleted answers: the index keeps
    them (marked deleted) until its parts are merged, so forgetting merges them now."""
    if has_index(db):
        db.execute_sql(f"INSERT INTO {PROFILE_INDEX} ({PROFILE_INDEX}) VALUES ('optimize')")


@contextmanager
def touches_indexed_at_the_end(db: Database) -> Iterator[None]:
    """Inside a transaction that adds many touches (an import): the index takes the new
    ones in one statement at the end rather than one trigger run a touch (250,000 touches:
    0.5 s instead of 6 to 7). Meanwhile the triggers keep only the touches there were in
    step; they are made again inside the transaction, so no other connection ever sees
    them changed, and a rollback brings them back as they were."""
    if not has_index(db):
        yield
        return
    index, table, column, indexed = _INDEXED[0]
    (before,) = db.execute_sql(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()
    for event in _EVENTS:
        db.execute_sql(f"DROP TRIGGER {table}_{event}_noted")
        if event != "insert":
            when = f"OLD.id <= {int(before)}"
            db.execute_sql(_trigger(index, table, column, indexed, event, when))
    try:
        yield
    finally:
        # New touches take ids after the largest there was (`bulk.reserve_ids`, SQLite's own).
        db.execute_sql(
            f"INSERT INTO {index} (rowid, {column}) SELECT id, {column} FROM {table} WHERE id > ?",
            (before,),
        )
        for event in _EVENTS:
            db.execute_sql(f"DROP TRIGGER IF EXISTS {table}_{event}_noted")
            db.execute_sql(_trigger(index, table, column, indexed, event))
