"""A client's Mackay 66 answers: storing, reading and forgetting them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from cockpit import clock
from cockpit.errors import ValidationError
from cockpit.storage.accounts import link_companies, prune_accounts
from cockpit.storage.models import (
    Client,
    ProfileValue,
    database_proxy,
)
from cockpit.storage.reps import client_id_of, current_rep, rep_on_team_book
from cockpit.validation import profile_rows
from cockpit.validation.text import clean_line, match_key


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
    from cockpit.profile.items import RECORD_FIELDS

    client_id = client_id_of(client)
    moment = updated_at or clock.now_utc()
    columns = _record_columns({k: v for k, v in answers.items() if k in RECORD_FIELDS})
    answers = {key: value for key, value in answers.items() if key not in RECORD_FIELDS}
    rows = profile_rows(client_id, answers, moment)
    with database_proxy.atomic():
        if columns:
            _set_record(client_id, columns, moment)
            # A value kept with the answers before the record held these fields goes.
            ProfileValue.delete().where(
                (ProfileValue.client == client_id)
                & ProfileValue.field_key.in_([k for k, c in RECORD_FIELDS.items() if c in columns])
            ).execute()
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


def profile_shown(client: Client | int) -> dict[str, str | list[dict[str, str]]]:
    """A client's profile as the editor and `cockpit profile` show it: the stored answers
    with the name, company and title of the client's record (an answer stored for one of
    them before shows while the record has none)."""
    return {**profile_answers(client), **record_answers(client)}


def record_answers(client: Client | int) -> dict[str, str]:
    """The profile fields kept in the client's record (name, company, title) that hold
    something."""
    from cockpit.profile.items import RECORD_FIELDS

    record = Client.get_or_none(Client.id == client_id_of(client))
    if record is None:
        return {}
    found = {key: getattr(record, column) for key, column in RECORD_FIELDS.items()}
    return {key: value for key, value in found.items() if value}


def _record_columns(answers: dict) -> dict[str, str]:
    """The record's columns of these answers, checked as the client form checks them."""
    from cockpit.profile.items import RECORD_FIELDS

    columns = {}
    for key, value in answers.items():
        text = value.isoformat() if isinstance(value, date) else str(value)
        column = RECORD_FIELDS[key]
        if column == "name":
            columns["name"] = clean_line(text, "a client's name", required=True)
            columns["name_key"] = match_key(columns["name"])
        elif column == "company":
            columns["company"] = clean_line(text, "the company")
            columns["company_key"] = match_key(columns["company"])
        else:
            columns[column] = clean_line(text, "the title")
    return columns


def _set_record(client_id: int, columns: dict[str, str], moment: datetime) -> None:
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise ValidationError(f"there is no client #{client_id}")
    left = client.account_id
    for column, value in columns.items():
        setattr(client, column, value)
    client.updated_at = moment
    client.save()
    if "company" in columns:
        link_companies([client_id], moment=moment)
        prune_accounts([left])


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
