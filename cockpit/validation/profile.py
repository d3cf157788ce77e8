"""Mackay 66 profile answers: one row per answer (a cell of a list field), checked by the
field's type in `cockpit.profile.schema`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from cockpit import clock
from cockpit.date_limits import check_past_date
from cockpit.errors import ValidationError
from cockpit.partial_date import PartialDate
from cockpit.validation.text import clean_text


def profile_row(
    client: int,
    field_key: str,
    column_key: str,
    row_no: int,
    value: str | date,
    updated_at: datetime,
) -> dict:
    from cockpit.profile.schema import FIELDS, FieldType  # here: most commands never need it

    field = FIELDS.get(field_key)
    if field is None:
        raise ValidationError(f"{field_key!r} is not a field of the Mackay 66 profile")
    if field.type is FieldType.LIST:
        columns = {column.key: column for column in field.columns}
        if column_key not in columns:
            raise ValidationError(f"{field.label} has no column {column_key!r}")
        value_type = columns[column_key].type
    else:
        if column_key or row_no:
            raise ValidationError(f"{field.label} is a single value, not a list")
        value_type = field.type
    year = month = day = None
    if value_type is FieldType.DATE:
        try:
            parsed = profile_date(value)
        except ValidationError as error:
            raise ValidationError(f"{field.label}: {error.message}") from None
        text, year, month, day = parsed.iso(), parsed.year, parsed.month, parsed.day
    elif value_type is FieldType.YESNO:
        text = str(value).strip().lower()
        if text not in ("yes", "no"):
            raise ValidationError(f"{field.label}: answer yes or no")
    elif value_type is FieldType.CHOICE:
        text = str(value).strip()
        if text not in field.options:
            raise ValidationError(f"{field.label}: choose one of {', '.join(field.options)}")
    else:
        text = clean_text(value, field.label)
    return {
        "client": client,
        "field_key": field_key,
        "row_no": row_no,
        "column_key": column_key,
        "text": text,
        "date_year": year,
        "date_month": month,
        "date_day": day,
        "updated_at": updated_at,
        "sensitive": field.sensitive,
    }


def profile_date(value: str | date) -> PartialDate:
    """A birthday or an anniversary as the profile keeps it: a calendar date, never in the
    future, and within the dates Cockpit keeps when its year is known."""
    parsed = PartialDate.from_date(value) if isinstance(value, date) else PartialDate.parse(value)
    return check_past_date(parsed, clock.today())


def profile_rows(
    client_id: int, answers: dict[str, str | date | Iterable[dict]], updated_at: datetime
) -> list[dict]:
    """The rows of the given profile answers, checked: single fields as text (or a date),
    list fields as rows of column key to value; blank ones make no row."""
    rows = []
    for field_key, value in answers.items():
        if isinstance(value, (str, date)):
            if str(value).strip():
                rows.append(profile_row(client_id, field_key, "", 0, value, updated_at))
            continue
        for row_no, entry in enumerate(value):
            for column_key, cell in entry.items():
                if str(cell).strip():
                    rows.append(
                        profile_row(client_id, field_key, column_key, row_no, cell, updated_at)
                    )
    return rows


def check_profile_value(field_key: str, column_key: str, row_no: int, text: str) -> None:
    """Raise ValidationError if a profile answer cannot be stored (one of a field this
    version's schema no longer has is only checked as text)."""
    from cockpit.profile.schema import FIELDS

    if field_key in FIELDS:
        profile_row(0, field_key, column_key, row_no, text, clock.now_utc())
    else:
        clean_text(text, "a profile answer")
