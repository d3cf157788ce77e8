"""A list of flat records as JSON, laid out as `json.dumps(..., indent=2)` lays it out,
but written by the json module's C encoder: the pure-Python one that `indent` selects
spends most of `cockpit drift --json`'s time on a big book (50,000 clients)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from json import encoder as json_encoder

_RECORD_ITEMS = ",\n    "  # between the fields of a record, at the record's depth
# Between the values of a column: the encoder writes a control character in a string as
# an escape (\u001f), so this one appears only between values.
_BETWEEN = "\x1f"


def flat_records_json(records: Sequence[Mapping[str, object]]) -> str:
    """`json.dumps(records, ensure_ascii=False, indent=2)`, for records whose values are
    all strings, numbers, booleans or None."""
    make = json_encoder.c_make_encoder
    if make is None or not records:
        return json.dumps(records, ensure_ascii=False, indent=2)
    encode = make(
        None,  # no check for circular references: flat records have none
        _refuse,
        json_encoder.encode_basestring,  # ensure_ascii=False
        None,
        ": ",
        _RECORD_ITEMS,
        False,  # sort_keys
        False,  # skipkeys
        True,  # allow_nan, as json.dumps
    )
    # Each record comes out as {"a": 1,\n    "b": 2}: its braces open and close it alone,
    # as no value is a container, so they take the lines indent=2 gives them.
    written = ["{\n    " + "".join(encode(record, 0))[1:-1] + "\n  }" for record in records]
    return "[\n  " + ",\n  ".join(written) + "\n]"


def _refuse(value: object) -> object:
    raise TypeError(f"not a flat JSON value: {type(value).__name__}")


def flat_columns_json(keys: Sequence[str], columns: Iterable[Iterable[object]]) -> str:
    """`flat_records_json` of the records whose values under `keys` are the `columns`
    (one value of each record in each, in order), without making the records: each
    column is written by the C encoder in one call and split at its values, and each
    record is laid out with one `%` of a template made once."""
    make = json_encoder.c_make_encoder
    if make is None:
        rows = zip(*columns, strict=True)
        return flat_records_json([dict(zip(keys, row, strict=True)) for row in rows])
    encode = make(
        None, _refuse, json_encoder.encode_basestring, None, ": ", _BETWEEN, False, False, True
    )
    written = []
    for column in columns:
        text = "".join(encode(list(column), 0))  # [a<US>b<US>c]
        written.append(text[1:-1].split(_BETWEEN) if text != "[]" else [])
    rows = list(zip(*written, strict=True))
    if not rows:
        return "[]"
    template = (
        "{\n    "
        + _RECORD_ITEMS.join(
            json_encoder.encode_basestring(key).replace("%", "%%") + ": %s" for key in keys
        )
        + "\n  }"
    )
    return "[\n  " + ",\n  ".join([template % row for row in rows]) + "\n]"
