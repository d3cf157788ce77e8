"""`cockpit drift --json` writes its records with the C encoder, laid out exactly as
`json.dumps(..., indent=2)` would."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.cli.render.flat_json import flat_records_json

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
