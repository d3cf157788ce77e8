"""What a backup's rows must hold to be restored: what every other way into a book lets in.

`read_backup` checks each row here before a restore writes anything. Every column
is checked by what it holds (a whole number the databases can store, text that is
UTF-8, one line and within its length for a short column, a day within the dates
Cockpit keeps); the tables a user writes to are then checked with the book's own
validators, so a restored book holds nothing that typing, importing or logging
would have refused. The days of the client summaries may be any: a restore
recomputes them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from peewee import CharField, Model

from cockpit.date_limits import check_day, check_stored_moment
from cockpit.errors import ValidationError
from cockpit.storage import book, models
from cockpit.vocabulary import ReviewStep

# SQLite's INTEGER and PostgreSQL's bigint: a larger number cannot be stored at all.
LARGEST_INTEGER = 2**63 - 1

Row = dict[str, Any]  # field name -> value, as the column stores it


def check_row(model: type[Model], row: Row) -> None:
    """Raise ValidationError naming what in one row of `model` the book would refuse."""
    ROW_RULES.get(model, _no_rule)(row)
    for field in model._meta.sorted_fields:
        value = row.get(field.name)
        if value is None:
            continue
        recomputed = model is models.Client and field.name in models.Client.SUMMARY_FIELDS
        try:
            _check_value(field, value, recomputed)
        except ValidationError as error:
            raise ValidationError(f"column {field.column_name}: {error.message}") from None


def _check_value(field, value: Any, recomputed: bool) -> None:
    """One value by what it is; the day of a summary the restore recomputes may be any."""
    if isinstance(value, bool):
        return
    if isinstance(value, int) and not -LARGEST_INTEGER - 1 <= value <= LARGEST_INTEGER:
        raise ValidationError(f"{value} is too large a number to store")
    if isinstance(value, datetime):
        check_stored_moment(value)
    elif isinstance(value, date) and not recomputed:
        check_day(value)
    if isinstance(value, str):
        if isinstance(field, CharField):
            book.clean_line(value, "the text", limit=field.max_length)
        else:
            book.check_encodable(value, "the text")


def _no_rule(row: Row) -> None:
    """A table the user does not write to directly: its columns' checks are enough."""


def _client(row: Row) -> None:
    book.check_client(
        row["name"], row["company"], row["title"], row["lifecycle"], row["keep_in_touch_days"]
    )


def _email(row: Row) -> None:
    book.check_contacts([row["address"]], [])


def _phone(row: Row) -> None:
    book.check_contacts([], [row["number"]])


def _tag(row: Row) -> None:
    if book.clean_tag(row["tag"]) != row["tag"]:
        raise ValidationError(f"the tag {row['tag']!r} is not as Cockpit keeps a tag")
    if row["tag_key"] != book.tag_key(row["tag"]):
        raise ValidationError(f"the key of the tag {row['tag']!r} is not the tag folded")


def _interaction(row: Row) -> None:
    book.check_stored_touch(row["kind"], row["intent"], row["duration_min"], row["summary"])


def _deal(row: Row) -> None:
    book.check_stored_deal(row["amount_cents"], row["currency"], row["description"])


def _profile_value(row: Row) -> None:
    book.check_profile_value(row["field_key"], row["column_key"], row["row_no"], row["text"])


def _plan(row: Row) -> None:
    book.check_plan(row["what"], row["every"], row["unit"], row["kind"])


def _review_action(row: Row) -> None:
    try:
        ReviewStep(row["step"])
    except ValueError:
        raise ValidationError(f"{row['step']!r} is not a step of a review") from None


def _review(row: Row) -> None:
    """The agenda as a review keeps it: its parts, each with its items, each naming its
    client; the summary, once finished, counts by name."""
    import json

    try:
        agenda = json.loads(row["agenda"])
        items = [item for part in agenda.get("parts", []) for item in part["items"]]
        if not all(isinstance(item["client_id"], int) for item in items):
            raise TypeError
        summary = json.loads(row["summary"]) if row.get("summary") else {}
        if not isinstance(summary, dict):
            raise TypeError
    except (ValueError, TypeError, KeyError, AttributeError):
        raise ValidationError("the review's agenda or summary is not as Cockpit keeps it") from None


ROW_RULES: dict[type[Model], Callable[[Row], None]] = {
    models.Review: _review,
    models.Client: _client,
    models.ClientEmail: _email,
    models.ClientPhone: _phone,
    models.ClientTag: _tag,
    models.Interaction: _interaction,
    models.Deal: _deal,
    models.ProfileValue: _profile_value,
    models.PlannedCommunication: _plan,
    models.SegmentCommunication: _plan,
    models.ReviewAction: _review_action,
}
