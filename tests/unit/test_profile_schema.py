"""Behaviour of the Mackay 66 profile schema (cockpit/profile/schema.py)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from cockpit.profile import schema
from cockpit.profile.schema import (
    FIELDS,
    ITEM_OF_FIELD,
    ITEMS,
    ITEMS_BY_NUMBER,
    REMINDER_FIELDS,
    SECTIONS,
    SENSITIVE_FIELD_KEYS,
    Column,
    FieldType,
    Reminder,
    items_in_section,
)

SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")

EXPECTED_SECTIONS = (
    ("Customer", 1, 6),
    ("Education", 7, 13),
    ("Family", 14, 20),
    ("Business background", 21, 34),
    ("Special interests", 35, 40),
    ("Lifestyle", 41, 58),
    ("The customer and you", 59, 66),
)

ALL_FIELDS = [f for item in ITEMS for f in item.fields]


def test_exactly_66_items_numbered_in_order() -> None:
    assert len(ITEMS) == 66
    assert [item.number for item in ITEMS] == list(range(1, 67))
    assert sorted(ITEMS_BY_NUMBER) == list(range(1, 67))
    assert all(ITEMS_BY_NUMBER[item.number] is item for item in ITEMS)


def test_every_item_has_a_title_and_fields() -> None:
    for item in ITEMS:
        assert item.title.strip(), item.number
        assert item.fields, item.number


def test_seven_sections_in_order() -> None:
    assert tuple(name for name, _, _ in EXPECTED_SECTIONS) == SECTIONS


@pytest.mark.parametrize(("section", "first", "last"), EXPECTED_SECTIONS)
def test_section_item_ranges(section: str, first: int, last: int) -> None:
    numbers = [item.number for item in items_in_section(section)]
    assert numbers == list(range(first, last + 1))
    assert all(ITEMS_BY_NUMBER[n].section == section for n in numbers)


def test_sections_cover_every_item_once() -> None:
    covered = [item for section in SECTIONS for item in items_in_section(section)]
    assert covered == list(ITEMS)


def test_unknown_section_is_an_error() -> None:
    with pytest.raises(ValueError, match="Hobbies"):
        items_in_section("Hobbies")


def test_field_keys_unique_and_snake_case() -> None:
    keys = [f.key for f in ALL_FIELDS]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert SNAKE_CASE.fullmatch(key), key


def test_column_keys_unique_within_field_and_snake_case() -> None:
    for f in ALL_FIELDS:
        keys = [c.key for c in f.columns]
        assert len(keys) == len(set(keys)), f.key
        for key in keys:
            assert SNAKE_CASE.fullmatch(key), (f.key, key)


def test_every_field_has_label_and_help() -> None:
    for f in ALL_FIELDS:
        assert f.label.strip(), f.key
        assert f.help.strip(), f.key
        for c in f.columns:
            assert c.label.strip(), (f.key, c.key)


def test_field_and_column_types_are_valid() -> None:
    for f in ALL_FIELDS:
        assert isinstance(f.type, FieldType), f.key
        for c in f.columns:
            assert c.type in (FieldType.TEXT, FieldType.DATE), (f.key, c.key)


def test_only_lists_have_columns_and_lists_always_do() -> None:
    for f in ALL_FIELDS:
        if f.type is FieldType.LIST:
            assert len(f.columns) >= 1, f.key
        else:
            assert f.columns == (), f.key


def test_only_choices_have_options_and_choices_always_do() -> None:
    for f in ALL_FIELDS:
        if f.type is FieldType.CHOICE:
            assert len(f.options) >= 2, f.key
            assert len(set(f.options)) == len(f.options), f.key
            assert all(o.strip() for o in f.options), f.key
        else:
            assert f.options == (), f.key


def test_reminders_only_on_dates() -> None:
    for f in ALL_FIELDS:
        if f.reminder is not None:
            assert f.type is FieldType.DATE, f.key
        for c in f.columns:
            if c.reminder is not None:
                assert c.type is FieldType.DATE, (f.key, c.key)


def test_simple_lists_have_a_single_value_column() -> None:
    hobbies = FIELDS["hobbies"]
    assert hobbies.type is FieldType.LIST
    assert [c.key for c in hobbies.columns] == ["value"]
    for f in ALL_FIELDS:
        if f.type is FieldType.LIST and any(c.key == "value" for c in f.columns):
            assert len(f.columns) == 1, f.key


def test_lookups_match_items() -> None:
    assert [f.key for f in ALL_FIELDS] == list(FIELDS)
    for item in ITEMS:
        for f in item.fields:
            assert FIELDS[f.key] is f
            assert ITEM_OF_FIELD[f.key] is item
    assert {f.key for f in ALL_FIELDS if f.sensitive} == SENSITIVE_FIELD_KEYS


def test_item_sensitive_property_follows_its_fields() -> None:
    for item in ITEMS:
        assert item.sensitive == any(f.key in SENSITIVE_FIELD_KEYS for f in item.fields)


def test_item_1_name_and_role() -> None:
    keys = {f.key for f in ITEMS_BY_NUMBER[1].fields}
    assert {"nickname", "job_title"} <= keys


def test_item_4_phones() -> None:
    phones = FIELDS["phones"]
    assert ITEM_OF_FIELD["phones"].number == 4
    assert phones.type is FieldType.LIST
    assert [c.key for c in phones.columns] == ["label", "number"]


def test_item_5_birth_date_and_places() -> None:
    birth = FIELDS["birth_date"]
    assert ITEM_OF_FIELD["birth_date"].number == 5
    assert birth.type is FieldType.DATE
    assert birth.reminder is Reminder.BIRTHDAY
    for key in ("birthplace", "hometown"):
        assert FIELDS[key].type is FieldType.TEXT
        assert ITEM_OF_FIELD[key].number == 5


def test_item_14_marital_status_and_spouse() -> None:
    status = FIELDS["marital_status"]
    assert ITEM_OF_FIELD["marital_status"].number == 14
    assert status.type is FieldType.CHOICE
    assert {"single", "married", "divorced", "widowed"} <= set(status.options)
    assert status.sensitive
    spouse = FIELDS["spouse_name"]
    assert ITEM_OF_FIELD["spouse_name"].number == 14
    assert spouse.type is FieldType.TEXT
    assert spouse.sensitive


def test_item_17_wedding_anniversary() -> None:
    anniversary = FIELDS["wedding_anniversary"]
    assert ITEM_OF_FIELD["wedding_anniversary"].number == 17
    assert anniversary.type is FieldType.DATE
    assert anniversary.reminder is Reminder.ANNIVERSARY


def test_item_18_children() -> None:
    item = ITEMS_BY_NUMBER[18]
    children = FIELDS["children"]
    custody = FIELDS["children_custody"]
    assert ITEM_OF_FIELD["children"] is item
    assert ITEM_OF_FIELD["children_custody"] is item
    assert children.type is FieldType.LIST
    assert not children.sensitive
    assert children.columns == (
        Column("name", "Name"),
        Column("birthday", "Birthday", FieldType.DATE, reminder=Reminder.CHILD_BIRTHDAY),
    )
    assert custody.type is FieldType.MULTILINE
    assert custody.sensitive
    assert item.sensitive  # the item is sensitive because one of its fields is


def test_item_21_earlier_employers() -> None:
    employers = FIELDS["earlier_employers"]
    assert ITEM_OF_FIELD["earlier_employers"].number == 21
    assert employers.type is FieldType.LIST
    assert [c.key for c in employers.columns] == ["company", "place", "dates", "title"]
    assert all(c.type is FieldType.TEXT for c in employers.columns)


def test_item_39_confidential_subjects_sensitive() -> None:
    subjects = FIELDS["confidential_subjects"]
    assert ITEM_OF_FIELD["confidential_subjects"].number == 39
    assert subjects.type is FieldType.MULTILINE
    assert subjects.sensitive
    assert "confidential_subjects" in SENSITIVE_FIELD_KEYS


def test_item_48_hobbies() -> None:
    assert ITEM_OF_FIELD["hobbies"].number == 48


@pytest.mark.parametrize(
    "key",
    ["physical_traits", "health", "religion", "political_party", "ethical_issues"],
)
def test_reference_sensitive_topics_are_sensitive(key: str) -> None:
    assert key in SENSITIVE_FIELD_KEYS


def test_reminder_fields() -> None:
    assert set(REMINDER_FIELDS) == {
        ("birth_date", None, Reminder.BIRTHDAY),
        ("wedding_anniversary", None, Reminder.ANNIVERSARY),
        ("children", "birthday", Reminder.CHILD_BIRTHDAY),
    }
    assert len(REMINDER_FIELDS) == len(set(REMINDER_FIELDS))


def test_reminder_fields_list_every_reminder_date() -> None:
    expected = set()
    for f in ALL_FIELDS:
        if f.reminder is not None:
            expected.add((f.key, None, f.reminder))
        for c in f.columns:
            if c.reminder is not None:
                expected.add((f.key, c.key, c.reminder))
    assert set(REMINDER_FIELDS) == expected


def test_yes_no_items_with_a_note_have_a_separate_note_field() -> None:
    for number in (12, 37, 61, 65, 66):
        types = [f.type for f in ITEMS_BY_NUMBER[number].fields]
        assert FieldType.YESNO in types, number
        assert FieldType.MULTILINE in types or FieldType.TEXT in types, number


def test_schema_objects_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        FIELDS["birth_date"].sensitive = True  # type: ignore[misc]


def _replace_item(number: int, /, **changes: object) -> tuple[schema.Item, ...]:
    return tuple(
        dataclasses.replace(item, **changes) if item.number == number else item for item in ITEMS
    )


def test_check_rejects_duplicate_keys() -> None:
    dup = dataclasses.replace(ITEMS_BY_NUMBER[3].fields[0], key="nickname")
    with pytest.raises(ValueError, match="nickname"):
        schema._check(_replace_item(3, fields=(dup,)))


def test_check_rejects_gaps_in_numbering() -> None:
    with pytest.raises(ValueError, match=re.escape("1..66")):
        schema._check(ITEMS[:10] + ITEMS[11:])
    with pytest.raises(ValueError, match=re.escape("1..66")):
        schema._check(_replace_item(66, number=67))


def test_check_rejects_a_list_without_columns() -> None:
    bare = dataclasses.replace(FIELDS["hobbies"], columns=())
    with pytest.raises(ValueError, match="columns"):
        schema._check(_replace_item(48, fields=(bare,)))


def test_check_accepts_the_real_table() -> None:
    schema._check(ITEMS)
