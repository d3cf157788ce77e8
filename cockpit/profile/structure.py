"""What the Mackay 66 profile is made of: field types, occasion reminders, columns,
fields and items, and the sections the items fall in. The items themselves are in
`cockpit.profile.items`; `cockpit.profile.schema` checks them and looks them up."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FieldType(StrEnum):
    TEXT = "text"  # one line
    MULTILINE = "multiline"
    DATE = "date"  # the year may be unknown ("--04-15")
    LIST = "list"  # rows of one or more columns
    YESNO = "yesno"  # "yes" or "no"; a note goes in a field of its own
    CHOICE = "choice"  # one of `options`


class Reminder(StrEnum):
    """Dates the weekly review turns into occasions."""

    BIRTHDAY = "birthday"
    ANNIVERSARY = "anniversary"
    CHILD_BIRTHDAY = "child_birthday"


@dataclass(frozen=True)
class Column:
    """One column of a LIST field; TEXT or DATE."""

    key: str
    label: str
    type: FieldType = FieldType.TEXT
    reminder: Reminder | None = None


@dataclass(frozen=True)
class Field:
    key: str  # unique across the whole profile, snake_case
    label: str
    type: FieldType
    sensitive: bool = False
    help: str = ""
    options: tuple[str, ...] = ()  # CHOICE only
    columns: tuple[Column, ...] = ()  # LIST only
    reminder: Reminder | None = None  # DATE only


@dataclass(frozen=True)
class Item:
    number: int
    section: str
    title: str
    fields: tuple[Field, ...] = field(default_factory=tuple)

    @property
    def sensitive(self) -> bool:
        return any(f.sensitive for f in self.fields)


# --- Sections ----------------------------------------------------------------------------------

# (section, first item, last item). The published copies disagree on where "Lifestyle" ends, so
# this grouping is ours; the item numbers themselves are the contract.
_SECTION_RANGES: tuple[tuple[str, int, int], ...] = (
    ("Customer", 1, 6),
    ("Education", 7, 13),
    ("Family", 14, 20),
    ("Business background", 21, 34),
    ("Special interests", 35, 40),
    ("Lifestyle", 41, 58),
    ("The customer and you", 59, 66),
)

SECTIONS: tuple[str, ...] = tuple(name for name, _, _ in _SECTION_RANGES)


def section_of(number: int) -> str:
    for name, first, last in _SECTION_RANGES:
        if first <= number <= last:
            return name
    raise ValueError(f"profile item {number} falls outside every section")
