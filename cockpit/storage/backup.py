"""Backing a whole book up to JSON and restoring it: a lossless, portable round trip.

Every table of `ALL_MODELS` is written generically, column by column, so a
book moves between databases (SQLite, PostgreSQL) and restoring a backup into
an empty book gives the same content, row for row, ids included:

    {
      "format": "cockpit-backup",
      "format_version": 1,
      "schema_version": 2,
      "cockpit_version": "0.1.0",
      "created_at": "2026-11-23T09:30:00Z",
      "tables": {
        "client": {
          "columns": ["id", "name", ...],
          "rows": [
            [1, "Ann Smith", ...],
            ...
          ]
        },
        ...
      }
    }

Values are JSON as their column needs them: whole numbers (ids, minutes,
cents of any size), true/false, text, null, and ISO text for days
("2026-11-23") and moments ("2026-11-23T09:30:00", naive UTC as stored).

A restore reads and checks the whole file before it touches the book (every
row with the rules of every other way in, see `backup_checks`), refuses a
backup from a newer schema and a book that already holds anything, and
writes every row in one transaction. A backup from an older schema restores
as long as its tables only lack columns that have a default; a schema step
that changes what existing columns mean must teach `_read_table` too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    Model,
    TextField,
    sort_models,
)

from cockpit import __version__, clock
from cockpit.errors import CockpitError, ValidationError
from cockpit.storage.backup_checks import check_row
from cockpit.storage.migrations import SCHEMA_VERSION, SCHEMA_VERSION_KEY
from cockpit.storage.models import (
    ALL_MODELS,
    BookInfo,
    Client,
    Deal,
    Interaction,
    PlannedCommunication,
    ProfileValue,
    Review,
    database_proxy,
)

FORMAT = "cockpit-backup"
FORMAT_VERSION = 1
# What the summary lines count, in this order.
COUNTED: tuple[tuple[type[Model], str], ...] = (
    (Client, "clients"),
    (Interaction, "interactions"),
    (Deal, "deals"),
    (ProfileValue, "profile answers"),
    (PlannedCommunication, "planned communications"),
    (Review, "weekly reviews"),
)


class BackupError(CockpitError):
    """A backup file that cannot be restored, or a book that cannot take it."""


@dataclass(frozen=True)
class Backup:
    """A backup read and checked: per table, its columns and rows as Python values."""

    path: Path
    schema_version: int
    created_at: str
    tables: dict[type[Model], tuple[list[Field], list[tuple]]]

    def counts(self) -> dict[type[Model], int]:
        return {model: len(rows) for model, (_, rows) in self.tables.items()}


def counts_line(counts: dict[type[Model], int]) -> str:
    return ", ".join(f"{counts.get(model, 0)} {label}" for model, label in COUNTED)


# --- Values ------------------------------------------------------------------------------------


def _kind(field: Field) -> str:
    """What a column holds: int, bool, date, datetime or text."""
    if isinstance(field, ForeignKeyField):
        return _kind(field.rel_field)
    if isinstance(field, BooleanField):
        return "bool"
    if isinstance(field, DateTimeField):
        return "datetime"
    if isinstance(field, DateField):
        return "date"
    if isinstance(field, (AutoField, IntegerField, BigIntegerField)):
        return "int"
    if isinstance(field, (CharField, TextField)):
        return "text"
    raise TypeError(f"backup: no rule for {type(field).__name__} {field.column_name!r}")


_WORDS = {
    "int": "a whole number",
    "bool": "true or false",
    "date": "a day (YYYY-MM-DD)",
    "datetime": "a date and time (YYYY-MM-DDTHH:MM:SS)",
    "text": "text",
}


def _to_json(kind: str, value: Any) -> Any:
    """A stored value as the backup writes it; ValueError if it is not what the column holds."""
    if value is None:
        return None
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "bool" and isinstance(value, (bool, int)):
        return bool(value)
    if kind == "datetime":
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if isinstance(value, datetime):
            return value.isoformat()
    if kind == "date":
        if isinstance(value, str):
            value = date.fromisoformat(value)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()
    if kind == "text" and isinstance(value, str):
        return value
    raise ValueError(f"{value!r} is not {_WORDS[kind]}")


def _from_json(kind: str, value: Any) -> Any:
    """A backup's value as the column stores it; ValueError naming what was expected."""
    if value is None:
        return None
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "text" and isinstance(value, str):
        return value
    if isinstance(value, str):
        try:
            if kind == "datetime" and len(value) > 10:
                moment = datetime.fromisoformat(value)
                if moment.tzinfo is None:
                    return moment
            if kind == "date" and len(value) == 10:
                return date.fromisoformat(value)
        except ValueError:
            pass
    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    raise ValueError(f"{shown} is not {_WORDS[kind]}")


# --- Writing -----------------------------------------------------------------------------------


def _models() -> list[type[Model]]:
    """Every table, each after the tables it refers to."""
    return sort_models(ALL_MODELS)


def _fields(model: type[Model]) -> list[Field]:
    return list(model._meta.sorted_fields)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # readable: names stay as typed


def _table_lines(model: type[Model]) -> list[str]:
    fields = _fields(model)
    kinds = [_kind(field) for field in fields]
    key = model._meta.primary_key
    query = model.select(*fields).order_by(key).tuples()
    at_key = [field.name for field in fields].index(key.name)
    rows = []
    for values in query:
        try:
            cells = [_to_json(kind, value) for kind, value in zip(kinds, values, strict=True)]
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
    tables = [_table_lines(model) for model in _models()]
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


# --- Reading and checking ----------------------------------------------------------------------


def _refuse(path: Path, problem: str) -> BackupError:
    return BackupError(f"{path}: {problem}; nothing was restored")


LARGEST_BACKUP = 4 * 2**30  # bytes: far beyond any book a team keeps


def _load(path: Path) -> Any:
    if path.exists() and not path.is_dir() and not path.is_file():
        raise BackupError(f"{path} is not a regular file (a pipe or a device); give the backup")
    if path.is_file() and path.stat().st_size > LARGEST_BACKUP:
        raise BackupError(f"{path} is larger than any Cockpit backup; it was not read")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder; give the backup file") from None
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror or error}") from None
    if not raw.strip():
        raise _refuse(path, "the file is empty, not a Cockpit backup")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(path, "not a Cockpit backup (not UTF-8 text)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        # A string that never ends runs to the end of the file: cut short too.
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            raise _refuse(
                path, "the file ends before the backup does (cut short?); it is not valid JSON"
            ) from None
        raise _refuse(
            path,
            f"not valid JSON at line {error.lineno}, column {error.colno} ({error.msg}); "
            "is it a Cockpit backup?",
        ) from None
    except RecursionError:
        raise _refuse(path, "not a Cockpit backup (nested too deeply)") from None


def _whole_number(path: Path, document: dict, key: str) -> int:
    value = document.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _refuse(path, f'"{key}" must be a whole number from 1 up, not {value!r}')
    return value


def _read_table(
    path: Path, model: type[Model], table: Any, schema_version: int
) -> tuple[list[Field], list[tuple]]:
    name = model._meta.table_name
    if not isinstance(table, dict):
        raise _refuse(path, f'table {name} must be an object with "columns" and "rows"')
    columns, rows = table.get("columns"), table.get("rows")
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise _refuse(path, f'table {name}: "columns" must be a list of column names')
    if not isinstance(rows, list):
        raise _refuse(path, f'table {name}: "rows" must be a list of rows')
    known = model._meta.columns  # column name -> field
    for column in columns:
        if column not in known:
            raise _refuse(path, f"table {name} has a column {column!r} this Cockpit does not know")
    if len(set(columns)) != len(columns):
        twice = next(column for column in columns if columns.count(column) > 1)
        raise _refuse(path, f"table {name} lists the column {twice!r} twice")
    fields: list[Field] = [known[column] for column in columns]
    # (Fields compare into SQL expressions: compare their names, never the fields.)
    missing = [field for field in _fields(model) if field.column_name not in columns]
    for field in missing:
        if schema_version == SCHEMA_VERSION or field is model._meta.primary_key:
            raise _refuse(path, f"table {name} lacks the column {field.column_name!r}")
        if field.default is None and not field.null:
            raise _refuse(
                path, f"table {name} lacks the column {field.column_name!r}, which needs a value"
            )
    kinds = [_kind(field) for field in fields]
    values: list[tuple] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(fields):
            size = f"{len(row)} values" if isinstance(row, list) else "not a list of values"
            raise _refuse(path, f"table {name}, row {number}: {size} for {len(fields)} columns")
        cells = []
        for field, kind, value in zip(fields, kinds, row, strict=True):
            where = f"table {name}, row {number}, column {field.column_name}"
            if value is None and not field.null:
                raise _refuse(path, f"{where}: null, but the column needs a value")
            try:
                cells.append(_from_json(kind, value))
            except ValueError as error:
                raise _refuse(path, f"{where}: {error}") from None
        for field in missing:
            cells.append(field.default() if callable(field.default) else field.default)
        values.append(tuple(cells))
    everything = [*fields, *missing]
    for row in values:
        _check_row(path, model, everything, row)
    return everything, values


def _check_row(path: Path, model: type[Model], fields: list[Field], row: tuple) -> None:
    """Refuse a row the book would not let in any other way, naming it by its key."""
    named = {field.name: value for field, value in zip(fields, row, strict=True)}
    try:
        check_row(model, named)
    except ValidationError as error:
        key = model._meta.primary_key
        raise _refuse(
            path,
            f"table {model._meta.table_name}, row {key.name} {named[key.name]!r}: {error.message}",
        ) from None


def read_backup(path: Path) -> Backup:
    """Read and check a whole backup file; BackupError names the first problem found."""
    document = _load(path)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _refuse(path, f'not a Cockpit backup (it has no "format": "{FORMAT}")')
    format_version = _whole_number(path, document, "format_version")
    if format_version > FORMAT_VERSION:
        raise _refuse(
            path,
            f"written in backup format {format_version} by a newer Cockpit (this one reads "
            f"format {FORMAT_VERSION}); upgrade Cockpit to restore it",
        )
    schema_version = _whole_number(path, document, "schema_version")
    if schema_version > SCHEMA_VERSION:
        raise _refuse(
            path,
            f"written by a newer Cockpit (schema {schema_version}; this Cockpit knows up to "
            f"{SCHEMA_VERSION}); upgrade Cockpit to restore it",
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise _refuse(path, '"tables" must be an object holding each table')
    models = {model._meta.table_name: model for model in ALL_MODELS}
    for name in tables:
        if name not in models:
            raise _refuse(path, f"it has a table {name!r} this Cockpit does not know")
    read: dict[type[Model], tuple[list[Field], list[tuple]]] = {}
    for model in _models():
        name = model._meta.table_name
        if name not in tables:
            if schema_version == SCHEMA_VERSION:
                raise _refuse(path, f"the table {name} is missing")
            read[model] = (_fields(model), [])  # a table newer than the backup's schema
            continue
        read[model] = _read_table(path, model, tables[name], schema_version)
    created_at = document.get("created_at")
    return Backup(path, schema_version, created_at if isinstance(created_at, str) else "", read)


# --- Restoring ---------------------------------------------------------------------------------


def book_contents() -> dict[type[Model], int]:
    """The rows of the open book, table by table, leaving out its facts about itself."""
    return {model: model.select().count() for model in ALL_MODELS if model is not BookInfo}


def _refuse_non_empty(contents: dict[type[Model], int], where: str) -> None:
    held = {model: count for model, count in contents.items() if count}
    if not held:
        return
    named = [f"{held[model]} {label}" for model, label in COUNTED if model in held]
    others = sum(count for model, count in held.items() if model not in dict(COUNTED))
    if others:
        named.append(f"{others} other rows")
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
        raise _refuse(
            backup.path, f"its rows break the book's rules ({error}); is the file damaged?"
        ) from None
    return book_contents()
