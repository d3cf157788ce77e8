"""Clients: their checked columns, lifecycle, email addresses and phone numbers, and the
rows of those."""

from __future__ import annotations

from collections.abc import Sequence

from cockpit.errors import ValidationError
from cockpit.search import search_key
from cockpit.validation.days import positive_days
from cockpit.validation.text import clean_line, match_key
from cockpit.vocabulary import Lifecycle

MAX_EMAIL = 320  # characters, as RFC 5321 allows
MAX_PHONE = 64


def client_columns(
    name: str,
    company: str,
    title: str,
    emails: Sequence[str],
    phones: Sequence[str],
    lifecycle: Lifecycle | str,
    keep_in_touch_days: int | None,
) -> tuple[dict, list[str], list[str]]:
    """The client columns that need checking, checked; and the emails and phones."""
    name = clean_line(name, "a client's name", required=True)
    company = clean_line(company, "the company")
    columns = {
        "name": name,
        "name_key": match_key(name),
        "company": company,
        "company_key": match_key(company),
        "search_key": search_key(name, company),
        "title": clean_line(title, "the title"),
        "lifecycle": lifecycle_of(lifecycle).value,
        "keep_in_touch_days": positive_days(keep_in_touch_days, "the keep-in-touch interval"),
    }
    return columns, checked_emails(emails), checked_phones(phones)


def lifecycle_of(value: Lifecycle | str) -> Lifecycle:
    try:
        return Lifecycle(value)
    except ValueError:
        known = ", ".join(item.value for item in Lifecycle)
        raise ValidationError(f"{value!r} is not a lifecycle; use one of {known}") from None


def checked_emails(emails: Sequence[str]) -> list[str]:
    email_list = [
        clean_line(email, "an email address", required=True, limit=MAX_EMAIL) for email in emails
    ]
    for email in email_list:
        if "@" not in email or any(char.isspace() for char in email):  # a no-break space too
            raise ValidationError(f"{email!r} is not an email address")
    return email_list


def checked_phones(phones: Sequence[str]) -> list[str]:
    numbers = [
        clean_line(phone, "a phone number", required=True, limit=MAX_PHONE) for phone in phones
    ]
    for number in numbers:
        if not any(char.isdigit() for char in number):
            raise ValidationError(f"{number!r} is not a phone number: it has no digits")
    return numbers


def check_contacts(emails: Sequence[str], phones: Sequence[str]) -> None:
    """Raise ValidationError if an email or phone cannot be stored."""
    checked_emails(emails)
    checked_phones(phones)


def check_client(
    name: str, company: str, title: str, lifecycle: str, keep_in_touch_days: int | None
) -> None:
    """Raise ValidationError if a client with these details cannot be stored."""
    client_columns(name, company, title, (), (), lifecycle, keep_in_touch_days)


def email_rows(client_id: int, emails: list[str]) -> list[dict]:
    """The rows `add_client` stores: each address once, at its place in the list."""
    rows: dict[str, dict] = {}
    for position, email in enumerate(emails):
        key = match_key(email)
        if key not in rows:
            rows[key] = {
                "client": client_id,
                "address": email,
                "address_key": key,
                "position": position,
            }
    return list(rows.values())


def phone_rows(client_id: int, phones: list[str]) -> list[dict]:
    return [
        {"client": client_id, "number": phone, "position": position}
        for position, phone in enumerate(phones)
    ]
