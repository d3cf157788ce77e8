"""The Mackay 66 editor's checks: each value typed in its stored form, or what is wrong."""

from __future__ import annotations

from datetime import date

from cockpit.date_limits import check_past_date
from cockpit.errors import ValidationError
from cockpit.partial_date import PartialDate
from cockpit.profile.schema import Field, FieldType
from cockpit.ui.screens.profile_form import field_id


def profile_date(text: str, today: date) -> str:
    """A date typed into the profile, in stored form: a calendar date, not in the future."""
    return check_past_date(PartialDate.parse(text), today).iso()


def checked_rows(field: Field, rows: list[dict], today: date):
    """A list field's rows with dates in stored form, and errors by cell widget id."""
    date_columns = {c.key: c.label for c in field.columns if c.type is FieldType.DATE}
    checked, errors = [], []
    for number, row in enumerate(rows, start=1):
        cells = {}
        for key, text in row.items():
            if key == "_row":
                continue
            if key in date_columns:
                try:
                    text = profile_date(text, today)
                except ValidationError as error:
                    where = f"{field.label}, row {number}, {date_columns[key]}: "
                    cell = field_id(field.key, row["_row"], key)
                    errors.append((cell, where + error.message))
            cells[key] = text
        checked.append(cells)
    return checked, errors


def checked(field: Field, value, today: date):
    """A field's value as it is stored; raises ValidationError with what is wrong."""
    if field.type is FieldType.LIST:
        date_columns = {c.key for c in field.columns if c.type is FieldType.DATE}
        return [
            {
                key: profile_date(text, today) if key in date_columns else text
                for key, text in row.items()
            }
            for row in value
        ]
    if field.type is FieldType.DATE and value:
        return profile_date(value, today)
    return value
