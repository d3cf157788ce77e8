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
        for name, event, body in (
            ("insert", "INSERT", add),
            ("delete", "DELETE", remove),
            ("update", f"UPDATE OF {changed}", remove + " " + add),
        ):
            db.execute_sql(
                f"CREATE TRIGGER {table}_{name}_noted AFTER {event} ON {table} BEGIN {body} END"
            )
        db.execute_sql(
            f"INSERT INTO {index} (rowid, {column}) SELECT id, {column} FROM {table} "
            f"WHERE {indexed.format(row=table)}"
        )


def drop_forgotten_words(db: Database) -> None:
    """Rewrite the profile index without the words of deleted answers: the index keeps
    them (marked deleted) until its parts are merged, so forgetting merges them now."""
    if has_index(db):
        db.execute_sql(f"INSERT INTO {PROFILE_INDEX} ({PROFILE_INDEX}) VALUES ('optimize')")
