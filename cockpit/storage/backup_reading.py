"""Reading a backup file and checking all of it before anything is restored: the JSON,
the format and schema versions, every table, column and row (each row with the rules of
every other way in, see `backup_checks`). A backup from an older schema is read as long
as its tables only lack columns that have a default; a schema step that changes what
existing columns mean must teach `_read_table` too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from peewee import Field, Model

from cockpit.errors import ValidationError
from cockpit.storage.backup_checks import check_row
from cockpit.storage.backup_format import (
    FORMAT,
    FORMAT_VERSION,
    Backup,
    BackupError,
    column_kind,
    fields_of,
    from_json,
    tables_in_order,
)
from cockpit.storage.migrations import SCHEMA_VERSION
from cockpit.storage.models import ALL_MODELS


def refuse(path: Path, problem: str) -> BackupError:
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
        raise refuse(path, "the file is empty, not a Cockpit backup")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refuse(path, "not a Cockpit backup (not UTF-8 text)") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        # A string that never ends runs to the end of the file, and a file cut inside a
        # `null`, `true` or a number ends in a piece of it: cut short too.
        tail = text[error.pos :].strip()
        if _cut_inside_a_value(tail) or error.msg.startswith("Unterminated string"):
            raise refuse(
                path, "the file ends before the backup does (cut short?); it is not valid JSON"
            ) from None
        raise refuse(
            path,
            f"not valid JSON at line {error.lineno}, column {error.colno} ({error.msg}); "
            "is it a Cockpit backup?",
        ) from None
    except RecursionError:
        raise refuse(path, "not a Cockpit backup (nested too deeply)") from None


def _cut_inside_a_value(tail: str) -> bool:
    return (
        not tail
        or any(word.startswith(tail) for word in ("null", "true", "false"))
        or all(character in "-+.0123456789eE" for character in tail)
    )


def _whole_number(path: Path, document: dict, key: str) -> int:
    value = document.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise refuse(path, f'"{key}" must be a whole number from 1 up, not {value!r}')
    return value


def _read_table(
    path: Path, model: type[Model], table: Any, schema_version: int
) -> tuple[list[Field], list[tuple]]:
    name = model._meta.table_name
    if not isinstance(table, dict):
        raise refuse(path, f'table {name} must be an object with "columns" and "rows"')
    columns, rows = table.get("columns"), table.get("rows")
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise refuse(path, f'table {name}: "columns" must be a list of column names')
    if not isinstance(rows, list):
        raise refuse(path, f'table {name}: "rows" must be a list of rows')
    known = model._meta.columns  # column name -> field
    for column in columns:
        if column not in known:
            raise refuse(path, f"table {name} has a column {column!r} this Cockpit does not know")
    if len(set(columns)) != len(columns):
        twice = next(column for column in columns if columns.count(column) > 1)
        raise refuse(path, f"table {name} lists the column {twice!r} twice")
    fields: list[Field] = [known[column] for column in columns]
    # (Fields compare into SQL expressions: compare their names, never the fields.)
    missing = [field for field in fields_of(model) if field.column_name not in columns]
    for field in missing:
        if schema_version == SCHEMA_VERSION or field is model._meta.primary_key:
            raise refuse(path, f"table {name} lacks the column {field.column_name!r}")
        if field.default is None and not field.null:
            raise refuse(
                path, f"table {name} lacks the column {field.column_name!r}, which needs a value"
            )
    kinds = [column_kind(field) for field in fields]
    values: list[tuple] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(fields):
            size = f"{len(row)} values" if isinstance(row, list) else "not a list of values"
            raise refuse(path, f"table {name}, row {number}: {size} for {len(fields)} columns")
        cells = []
        for field, kind, value in zip(fields, kinds, row, strict=True):
            where = f"table {name}, row {number}, column {field.column_name}"
            if value is None and not field.null:
                raise refuse(path, f"{where}: null, but the column needs a value")
            try:
                cells.append(from_json(kind, value))
            except ValueError as error:
                raise refuse(path, f"{where}: {error}") from None
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
        raise refuse(
            path,
            f"table {model._meta.table_name}, row {key.name} {named[key.name]!r}: {error.message}",
        ) from None


# Per version a backup states: the newest this Cockpit reads, and what a newer one is.
_NEWER = {
    "format_version": (
        FORMAT_VERSION,
        "written in backup format {found} by a newer Cockpit (this one reads format {known})",
    ),
    "schema_version": (
        SCHEMA_VERSION,
        "written by a newer Cockpit (schema {found}; this Cockpit knows up to {known})",
    ),
}


def _version(path: Path, document: dict, key: str) -> int:
    """The backup's format or schema version; refused when this Cockpit is too old for it."""
    found = _whole_number(path, document, key)
    known, newer = _NEWER[key]
    if found > known:
        raise refuse(
            path, f"{newer.format(found=found, known=known)}; upgrade Cockpit to restore it"
        )
    return found


def read_backup(path: Path) -> Backup:
    """Read and check a whole backup file; BackupError names the first problem found."""
    document = _load(path)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise refuse(path, f'not a Cockpit backup (it has no "format": "{FORMAT}")')
    _version(path, document, "format_version")
    schema_version = _version(path, document, "schema_version")
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise refuse(path, '"tables" must be an object holding each table')
    models = {model._meta.table_name: model for model in ALL_MODELS}
    for name in tables:
        if name not in models:
            raise refuse(path, f"it has a table {name!r} this Cockpit does not know")
    read: dict[type[Model], tuple[list[Field], list[tuple]]] = {}
    for model in tables_in_order():
        name = model._meta.table_name
        if name not in tables:
            if schema_version == SCHEMA_VERSION:
                raise refuse(path, f"the table {name} is missing")
            read[model] = (fields_of(model), [])  # a table newer than the backup's schema
            continue
        read[model] = _read_table(path, model, tables[name], schema_version)
    created_at = document.get("created_at")
    return Backup(path, schema_version, created_at if isinstance(created_at, str) else "", read)
