"""The Mackay 66 profile, defined once.

Every other part of Cockpit (storage, the editor, completeness, exports and
the occasion reminders) reads this schema instead of knowing the items itself.
What a profile is made of is in `cockpit.profile.structure`, the 66 items in
`cockpit.profile.items`; here they are checked (a bad edit to the table fails at
import) and looked up.
"""

from __future__ import annotations

import re

from cockpit.profile.items import ITEMS
from cockpit.profile.structure import (  # noqa: F401 (named here by callers)
    SECTIONS,
    Column,
    Field,
    FieldType,
    Item,
    Reminder,
    section_of,
)

# --- Checks (a bad edit to the item table must fail at import) ----------------------------------

_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def _check_key(key: str, where: str) -> None:
    if not _SNAKE_CASE.fullmatch(key):
        raise ValueError(f"profile schema: {where} key {key!r} is not snake_case")


def _check_field(item: Item, f: Field) -> None:
    where = f"item {item.number} field {f.key!r}"
    _check_key(f.key, f"item {item.number} field")
    if not f.label or not f.help:
        raise ValueError(f"profile schema: {where} needs a label and help text")
    if (f.type is FieldType.LIST) != bool(f.columns):
        raise ValueError(f"profile schema: {where}: LIST fields, and only they, have columns")
    if (f.type is FieldType.CHOICE) != bool(f.options):
        raise ValueError(f"profile schema: {where}: CHOICE fields, and only they, have options")
    if f.reminder is not None and f.type is not FieldType.DATE:
        raise ValueError(f"profile schema: {where}: only DATE fields can feed reminders")
    column_keys: set[str] = set()
    for c in f.columns:
        _check_key(c.key, f"{where} column")
        if c.key in column_keys:
            raise ValueError(f"profile schema: {where}: duplicate column key {c.key!r}")
        column_keys.add(c.key)
        if c.type not in (FieldType.TEXT, FieldType.DATE):
            raise ValueError(f"profile schema: {where} column {c.key!r} must be TEXT or DATE")
        if c.reminder is not None and c.type is not FieldType.DATE:
            raise ValueError(
                f"profile schema: {where} column {c.key!r}: only DATE columns feed reminders"
            )


def _check(items: tuple[Item, ...]) -> None:
    numbers = [item.number for item in items]
    if numbers != list(range(1, len(items) + 1)) or len(items) != 66:
        raise ValueError(f"profile schema: items must be numbered 1..66 in order, got {numbers}")
    seen: dict[str, int] = {}
    for item in items:
        if item.section != section_of(item.number):
            raise ValueError(f"profile schema: item {item.number} is in the wrong section")
        if not item.title or not item.fields:
            raise ValueError(f"profile schema: item {item.number} needs a title and fields")
        for f in item.fields:
            if f.key in seen:
                raise ValueError(
                    f"profile schema: field key {f.key!r} is used by items "
                    f"{seen[f.key]} and {item.number}"
                )
            seen[f.key] = item.number
            _check_field(item, f)


_check(ITEMS)


# --- Lookups -----------------------------------------------------------------------------------

ITEMS_BY_NUMBER: dict[int, Item] = {item.number: item for item in ITEMS}
FIELDS: dict[str, Field] = {f.key: f for item in ITEMS for f in item.fields}
ITEM_OF_FIELD: dict[str, Item] = {f.key: item for item in ITEMS for f in item.fields}
SENSITIVE_FIELD_KEYS: frozenset[str] = frozenset(k for k, f in FIELDS.items() if f.sensitive)


def _reminder_dates() -> tuple[tuple[str, str | None, Reminder], ...]:
    found: list[tuple[str, str | None, Reminder]] = []
    for f in FIELDS.values():
        if f.reminder is not None:
            found.append((f.key, None, f.reminder))
        found.extend((f.key, c.key, c.reminder) for c in f.columns if c.reminder is not None)
    return tuple(found)


# Every date that feeds the weekly review's occasions, in item order:
# (field key, column key or None for a plain DATE field, kind of occasion).
REMINDER_FIELDS: tuple[tuple[str, str | None, Reminder], ...] = _reminder_dates()

_ITEMS_BY_SECTION: dict[str, tuple[Item, ...]] = {
    name: tuple(item for item in ITEMS if item.section == name) for name in SECTIONS
}


def items_in_section(section: str) -> tuple[Item, ...]:
    """The items of one section, in order; ValueError for an unknown section."""
    try:
        return _ITEMS_BY_SECTION[section]
    except KeyError:
        raise ValueError(
            f"unknown profile section {section!r}; expected one of {SECTIONS}"
        ) from None
