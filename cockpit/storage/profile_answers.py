"""A client's Mackay 66 answers: storing, reading and forgetting them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from cockpit import clock
from cockpit.errors import ValidationError
from cockpit.storage.models import (
    Client,
    ProfileValue,
    database_proxy,
)
from cockpit.storage.reps import client_id_of, current_rep, rep_on_team_book
from cockpit.validation import profile_rows


def set_profile(
    client: Client | int,
    answers: dict[str, str | date | Iterable[dict]],
    *,
    updated_at: datetime | None = None,
) -> None:
    """Replace the given profile fields of a client in one transaction.

    Single fields take a string (or a date); list fields take rows, each a
    dict of column key to value. An empty string or list clears the field.
    """
    rows = profile_rows(client_id_of(client), answers, updated_at or clock.now_utc())
    with database_proxy.atomic():
        if answers:
            ProfileValue.delete().where(
                (ProfileValue.client == client) & ProfileValue.field_key.in_(list(answers))
            ).execute()
        if rows:
            ProfileValue.insert_many(rows).execute()


def profile_answers(client: Client | int) -> dict[str, str | list[dict[str, str]]]:
    """A client's stored profile: single fields as text, list fields as rows."""
    from cockpit.profile.schema import FIELDS, FieldType

    answers: dict[str, str | list[dict[str, str]]] = {}
    query = (
        ProfileValue.select()
        .where(ProfileValue.client == client)
        .order_by(ProfileValue.field_key, ProfileValue.row_no, ProfileValue.column_key)
    )
    for value in query:
        field = FIELDS.get(value.field_key)
        if field is None:
            continue  # a field this version's schema no longer has
        if field.type is FieldType.LIST:
            rows = answers.setdefault(value.field_key, [])
            while len(rows) <= value.row_no:
                rows.append({})
            rows[value.row_no][value.column_key] = value.text
        else:
            answers[value.field_key] = value.text
    return answers


def forget_profile(client_id: int) -> int:
    """Delete every profile answer of a client, and the occasions quoted from them in
    stored reviews; returns how many values went."""
    from cockpit.storage import reviews  # it builds on this module

    if rep_on_team_book() and Client.get_by_id(client_id).owner != current_rep():
        # The server would delete none of the answers: say why instead of "0 erased".
        raise ValidationError(
            "that client is another rep's; only its owner or a manager may erase its profile"
        )
    with database_proxy.atomic():
        erased = ProfileValue.delete().where(ProfileValue.client == client_id).execute()
        reviews.forget_client(client_id, occasions_only=True)
    return erased
