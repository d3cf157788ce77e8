"""`cockpit drift --json` writes its records with the C encoder, laid out exactly as
`json.dumps(..., indent=2)` would, from records or straight from columns."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.cli.render.flat_json import flat_columns_json, flat_records_json

_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(),
)


@given(st.lists(st.dictionaries(st.text(), _VALUES, min_size=1), max_size=5))
def test_the_layout_is_json_dumps_indent_2(records):
    assert flat_records_json(records) == json.dumps(records, ensure_ascii=False, indent=2)


def test_braces_quotes_and_controls_inside_values_stay_inside_their_strings():
    records = [{"name": '}{ "x", [bold]é🎉\x1b', "share": math.inf, "n": None}, {"name": ""}]
    written = flat_records_json(records)
    assert json.loads(written) == records
    assert written == json.dumps(records, ensure_ascii=False, indent=2)


def test_a_nested_value_is_refused():
    with pytest.raises(TypeError):
        flat_records_json([{"when": object()}])


@given(
    st.lists(st.text(), min_size=1, max_size=6, unique=True).flatmap(
        lambda keys: st.tuples(
            st.just(keys),
            st.lists(st.tuples(*[_VALUES for _ in keys]), max_size=5),
        )
    )
)
def test_columns_are_written_as_their_records_would_be(keys_and_rows):
    keys, rows = keys_and_rows
    records = [dict(zip(keys, row, strict=True)) for row in rows]
    columns = [[row[at] for row in rows] for at in range(len(keys))]
    expected = json.dumps(records, ensure_ascii=False, indent=2)
    assert flat_columns_json(keys, columns) == expected
    assert flat_columns_json(keys, (iter(column) for column in columns)) == expected


def test_a_unit_separator_or_a_percent_sign_in_a_value_or_a_key_stays_where_it_is():
    keys = ["a%s", "b\x1f"]
    columns = [["x\x1fy", "%s%%"], [None, "\x1f"]]
    records = [{"a%s": "x\x1fy", "b\x1f": None}, {"a%s": "%s%%", "b\x1f": "\x1f"}]
    written = flat_columns_json(keys, columns)
    assert json.loads(written) == records
    assert written == json.dumps(records, ensure_ascii=False, indent=2)
