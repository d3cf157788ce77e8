"""Backing a whole book up to JSON and restoring it: a lossless, portable round trip.

Every table of `ALL_MODELS` is written generically, column by column (the format and
its values are in `backup_format`), so a book moves between databases (SQLite,
PostgreSQL) and restoring a backup into an empty book gives the same content, row for
row, ids included.

A restore reads and checks the whole file before it touches the book (`backup_reading`;
every row with the rules of every other way in, see `backup_checks`), refuses a
backup from a newer schema and a book that already holds anything, and
writes every row in one transaction. A backup from an older schema restores
as long as its tables only lack columns that have a default; a schema step
that changes what existing columns mean must teach `backup_reading._read_table` too.
"""

from __future__ import annotations

import json
from typing import Any

from peewee import AutoField, IntegrityError, Model

from cockpit import __version__, clock
from cockpit.storage.backup_format import (  # noqa: F401 (named here by callers)
    COUNTED,
    FORMAT,
    FORMAT_VERSION,
    Backup,
    BackupError,
    column_kind,
    counts_line,
    fields_of,
    tables_in_order,
    to_json,
)
from cockpit.storage.backup_reading import read_backup, refuse  # noqa: F401
from cockpit.storage.migrations import SCHEMA_VERSION, SCHEMA_VERSION_KEY
from cockpit.storage.models import ALL_MODELS, BookInfo, database_proxy
from cockpit.text import counted

# --- Writing -----------------------------------------------------------------------------------


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # readable: names stay as typed


def _table_lines(model: type[Model]) -> list[str]:
    fields = fields_of(model)
    kinds = [column_kind(field) for field in fields]
    key = model._meta.primary_key
    query = model.select(*fields).order_by(key).tuples()
    at_key = [field.name for field in fields].index(key.name)
    rows = []
    for values in query:
        try:
            cells = [to_json(kind, value) for kind, value in zip(kinds, values, strict=True)]
        except ValueError as error:
            raise BackupError(
                f"cannot back up table {model._meta.table_name}, row {key.name} "
                f"{values[at_key]!r}: {error}"
            ) from None
        rows.append(_json(cells))
    columns = _json([field.column_name for field in fields])
    body = ",\n".join(f"        {row}" for row in rows)
    return [
        f"    {_json(model._meta.table_name)}: {{",
        f'      "columns": {columns},',
        '      "rows": [' + (f"\n{body}\n      ]" if rows else "]"),
        "    }",
    ]


def _document() -> str:
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "cockpit_version": __version__,
        "created_at": clock.now_utc().replace(microsecond=0).isoformat() + "Z",
    }
    tables = [_table_lines(model) for model in tables_in_order()]
    lines = ["{"]
    lines += [f"  {_json(name)}: {_json(value)}," for name, value in header.items()]
    lines.append('  "tables": {')
    lines.append(",\n".join("\n".join(table) for table in tables))
    lines += ["  }", "}", ""]
    return "\n".join(lines)


def dump_book() -> tuple[bytes, dict[type[Model], int]]:
    """The open book as a backup document (UTF-8 JSON), and how many rows of what it holds.

    Read in one transaction, so the backup is one consistent state of the book.
    """
    with database_proxy.atomic():
        document = _document()
        counts = {model: model.select().count() for model, _ in COUNTED}
    data = document.encode("utf-8")  # SQLite only holds text that encodes
    return data, counts


# --- Restoring ---------------------------------------------------------------------------------


def book_contents() -> dict[type[Model], int]:
    """The rows of the open book, table by table, leaving out its facts about itself."""
    return {model: model.select().count() for model in ALL_MODELS if model is not BookInfo}


def _refuse_non_empty(contents: dict[type[Model], int], where: str) -> None:
    held = {model: count for model, count in contents.items() if count}
    if not held:
        return
    named = [counted(held[model], noun) for model, noun in COUNTED if model in held]
    others = sum(count for model, count in held.items() if model not in dict(COUNTED))
    if others:
        named.append(counted(others, "other row"))
    raise BackupError(
        f"{where} is not empty (it holds {', '.join(named)}); a backup is only restored into "
        "an empty book, so nothing was changed. Restore into a new file with --db PATH"
    )


def _reset_sequences() -> None:
    """After rows went in with their ids, PostgreSQL's id sequences must go past them."""
    from cockpit.storage import book

    for model in ALL_MODELS:
        if isinstance(model._meta.primary_key, AutoField):
            book.ids_given(model)


def restore(backup: Backup, where: str) -> dict[type[Model], int]:
    """Put every row of a checked backup into the open, empty book, in one transaction.

    `where` names the book in messages. The book keeps its own schema version;
    the client summaries are recomputed, as they depend on the honeymoon setting.
    """
    from cockpit.storage import book

    try:
        with database_proxy.atomic():
            _refuse_non_empty(book_contents(), where)
            BookInfo.delete().where(BookInfo.key != SCHEMA_VERSION_KEY).execute()
            for model, (fields, rows) in backup.tables.items():
                if model is BookInfo:
                    key = [field.name for field in fields].index(BookInfo.key.name)
                    rows = [row for row in rows if row[key] != SCHEMA_VERSION_KEY]
                size = max(1, 900 // max(1, len(fields)))  # within SQLite's variable limit
                for start in range(0, len(rows), size):
                    model.insert_many(rows[start : start + size], fields=fields).execute()
            _reset_sequences()
            if book.on_server():  # the team settings restored are the ones in force now
                from cockpit.storage import team_settings

                team_settings.put_in_force()
            book.refresh_summaries()
    except IntegrityError as error:
        raise refuse(
            backup.path, f"its rows break the book's rules ({error}); is the file damaged?"
        ) from None
    return book_contents()
