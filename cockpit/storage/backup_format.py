"""The backup format: a whole book as JSON, a lossless, portable round trip.

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

`backup` writes and restores it, `backup_reading` reads and checks a file.
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
    Model,
    TextField,
    sort_models,
)

from cockpit.errors import CockpitError
from cockpit.storage.models import (
    ALL_MODELS,
    Account,
    Client,
    ClientTag,
    Deal,
    Interaction,
    PlannedCommunication,
    ProfileValue,
    Review,
)
from cockpit.text import counted

FORMAT = "cockpit-backup"
FORMAT_VERSION = 1
# What the summary lines count, in this order.
COUNTED: tuple[tuple[type[Model], str], ...] = (
    (Client, "client"),
    (Account, "account"),
    (Interaction, "interaction"),
    (Deal, "deal"),
    (ProfileValue, "profile answer"),
    (ClientTag, "tag"),
    (PlannedCommunication, "planned communication"),
    (Review, "weekly review"),
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
    return ", ".join(counted(counts.get(model, 0), noun) for model, noun in COUNTED)


# --- Values ------------------------------------------------------------------------------------


def column_kind(field: Field) -> str:
    """What a column holds: int, bool, date, datetime or text."""
    if isinstance(field, ForeignKeyField):
        return column_kind(field.rel_field)
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


def to_json(kind: str, value: Any) -> Any:
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


def from_json(kind: str, value: Any) -> Any:
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


# --- Tables ------------------------------------------------------------------------------------


def tables_in_order() -> list[type[Model]]:
    """Every table, each after the tables it refers to."""
    return sort_models(ALL_MODELS)


def fields_of(model: type[Model]) -> list[Field]:
    return list(model._meta.sorted_fields)
