"""What a client, a touch, a deal, a plan and a profile answer may hold: the checks every
way in shares (forms, commands, imports, restore) and the rows they make, ready to store.

Plain Python: no database, so a form can check what it will save without loading Peewee.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from cockpit import clock
from cockpit.config import settings
from cockpit.date_limits import check_day, check_past_date
from cockpit.errors import ValidationError
from cockpit.partial_date import PartialDate
from cockpit.phrases import add_months
from cockpit.search import search_key
from cockpit.vocabulary import KIND_INFO, Intent, Kind, Lifecycle, PlanUnit

MAX_SHORT_TEXT = 200
MAX_EMAIL = 320  # characters, as RFC 5321 allows
MAX_PHONE = 64


MAX_AMOUNT = Decimal("999999999999.99")


THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 12,500.50


def match_key(text: str) -> str:
    """The form used to match names, companies and emails: case and spacing folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


# Characters that make a terminal show the text around them in another order
# (right-to-left text itself needs none of them).
_DIRECTION_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


MAX_LONG_TEXT = 1_000_000  # characters: a note of a few hundred pages


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(char) == "Cc" or char in _DIRECTION_OVERRIDES for char in text)


def check_encodable(text: str, what: str) -> None:
    """Text holding a byte that was not UTF-8 (a lone surrogate, as Python reads such a
    command-line argument) cannot be stored: refused here, not by the database."""
    if any("\ud800" <= char <= "\udfff" for char in text):
        raise ValidationError(f"{what} holds a character that is not valid text (not UTF-8)")


def clean_line(
    value: str, what: str, *, required: bool = False, limit: int = MAX_SHORT_TEXT
) -> str:
    """A one-line text field: trimmed, no control characters, at most `limit` characters."""
    text = str(value).strip()
    if required and not text:
        raise ValidationError(f"{what} cannot be empty")
    if _has_control_characters(text):
        raise ValidationError(
            f"{what} cannot contain control characters (tabs, newlines, escapes, "
            "direction overrides)"
        )
    check_encodable(text, what)
    if len(text) > limit:
        raise ValidationError(f"{what} is longer than {limit} characters")
    return text


def clean_text(value: str, what: str) -> str:
    """Free text (summaries, notes): any printable text, line breaks and tabs."""
    text = str(value).replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise ValidationError(f"{what} cannot contain NUL characters")
    if any(
        (char not in "\n\t" and unicodedata.category(char) == "Cc") or char in _DIRECTION_OVERRIDES
        for char in text
    ):
        raise ValidationError(
            f"{what} cannot contain control characters such as escapes or direction overrides"
        )
    if len(text) > MAX_LONG_TEXT:
        raise ValidationError(f"{what} is longer than {MAX_LONG_TEXT:,} characters")
    check_encodable(text, what)
    return text


def parse_amount(value: str | int | Decimal) -> Decimal:
    """A positive amount of money with at most two decimals."""
    text = shown = str(value).strip()  # shown in messages: one line, as typed
    if "," in text:
        if not THOUSANDS.match(text):
            raise ValidationError(
                f"{value!r} is not an amount; write decimals with a point, like 1200.50"
            )
        text = text.replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            f"{value!r} is not an amount; write it like 1200 or 1200.50"
        ) from None
    if not amount.is_finite():
        raise ValidationError(f"{value!r} is not an amount; write it like 1200 or 1200.50")
    if amount <= 0:
        raise ValidationError("a won deal's amount must be more than zero")
    if amount > MAX_AMOUNT:
        raise ValidationError(f"{shown} is larger than Cockpit can store ({MAX_AMOUNT:,})")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"{shown} has more than two decimals")
    return amount.quantize(Decimal("0.01"))


def currency_code(code: str | None) -> str:
    value = (code or settings().currency).strip().upper()
    if len(value) != 3 or not value.isascii() or not value.isalpha():
        raise ValidationError(f"{code!r} is not a currency code; use three letters such as EUR")
    return value


def positive_days(value: int | None, what: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValidationError(f"{what} must be a whole number of days above zero")
    return value


def interaction_row(
    client_id: int,
    kind: Kind | str,
    *,
    when: datetime | None = None,
    summary: str = "",
    intent: Intent | str | None = None,
    duration_min: int | None = None,
    follow_up_on: date | None = None,
    created_at: datetime | None = None,
) -> dict:
    """A validated interaction, ready to insert; `when` is local time if naive."""
    kind, intent, duration_min = touch_kind(kind, intent, duration_min)
    kept_days(when, follow_up_on)  # before time zones move a day at the calendar's edge
    occurred_at = clock.to_utc(when) if when is not None else clock.now_utc()
    day = check_day(clock.local_day(occurred_at))
    if day > clock.today():
        raise ValidationError(
            f"{day.isoformat()} is in the future; log a touch once it happened "
            "(a follow-up date plans one)"
        )
    return {
        "client": client_id,
        "occurred_at": occurred_at,
        "day": day,
        "kind": kind.value,
        "intent": intent.value,
        "duration_min": duration_min,
        "summary": clean_text(summary, "the summary"),
        "follow_up_on": follow_up_on,
        "follow_up_done": False,
        "created_at": created_at or clock.now_utc(),
    }


def touch_kind(
    kind: Kind | str, intent: Intent | str | None, duration_min: int | None
) -> tuple[Kind, Intent, int]:
    """A touch's kind, intent and minutes, checked; the kind's defaults for those not given."""
    try:
        kind = Kind(kind)
    except ValueError:
        known = ", ".join(item.value for item in Kind)
        raise ValidationError(
            f"{kind!r} is not a kind of interaction; use one of {known}"
        ) from None
    try:
        intent = Intent(intent) if intent is not None else KIND_INFO[kind].intent
    except ValueError:
        raise ValidationError(f"{intent!r} is not an intent; use sales or relationship") from None
    if duration_min is None:
        duration_min = KIND_INFO[kind].minutes
    if isinstance(duration_min, bool) or not isinstance(duration_min, int) or duration_min < 0:
        raise ValidationError("a duration must be a whole number of minutes, zero or more")
    if duration_min > 24 * 60:
        raise ValidationError("a duration cannot be longer than a day (1440 minutes)")
    return kind, intent, duration_min


def kept_days(*days: date | None) -> None:
    """Refuse a day (or moment) outside the dates Cockpit keeps; None is no day."""
    for day in days:
        if day is not None:
            check_day(day)


def deal_row(
    client_id: int,
    amount: str | int | Decimal,
    *,
    currency: str | None = None,
    won_on: date | None = None,
    description: str = "",
    created_at: datetime | None = None,
) -> dict:
    """A validated won deal, ready to insert (in the home currency unless another is given)."""
    won_on = check_day(won_on or clock.today())
    if won_on > clock.today():
        raise ValidationError(
            f"{won_on.isoformat()} is in the future; record a deal once it is won"
        )
    return {
        "client": client_id,
        "amount_cents": int(parse_amount(amount) * 100),
        "currency": currency_code(currency),
        "won_on": won_on,
        "description": clean_text(description, "the description"),
        "created_at": created_at or clock.now_utc(),
    }


def plan_values(what: str, every: int, unit: PlanUnit | str) -> dict:
    try:
        unit = PlanUnit(unit)
    except ValueError:
        raise ValidationError(f"{unit!r} is not a unit; use days, weeks or months") from None
    if isinstance(every, bool) or not isinstance(every, int) or not 0 < every <= 1000:
        raise ValidationError("a plan repeats every 1 to 1000 days, weeks or months")
    return {
        "what": clean_line(what, "what is planned", required=True),
        "every": every,
        "unit": unit.value,
    }


def check_plan(what: str, every: int, unit: PlanUnit | str) -> None:
    """Raise ValidationError if a plan with these values cannot be stored."""
    plan_values(what, every, unit)


def next_plan_date(every: int, unit: PlanUnit | str, done_on: date) -> date:
    """When a plan is due again: one period after the day it was done."""
    if PlanUnit(unit) is PlanUnit.MONTHS:
        return check_day(add_months(done_on, every))
    days = every * (7 if PlanUnit(unit) is PlanUnit.WEEKS else 1)
    return check_day(done_on + timedelta(days=days))


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


def as_date(value: date | str | None) -> date | None:
    """A day as a raw query returns it: a date (PostgreSQL) or ISO text (SQLite)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


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


def check_stored_touch(kind: str, intent: str, duration_min: int, summary: str) -> None:
    """Raise ValidationError if a stored interaction holds what logging one refuses."""
    touch_kind(kind, intent, duration_min)
    clean_text(summary, "the summary")


def check_stored_deal(amount_cents: int, currency: str, description: str) -> None:
    """Raise ValidationError if a stored deal holds what recording one refuses."""
    sign, cents = ("-" if amount_cents < 0 else ""), abs(amount_cents)
    parse_amount(f"{sign}{cents // 100}.{cents % 100:02d}")
    if not currency or currency_code(currency) != currency:
        raise ValidationError(f"{currency!r} is not a currency code; use three letters such as EUR")
    clean_text(description, "the description")


def check_profile_value(field_key: str, column_key: str, row_no: int, text: str) -> None:
    """Raise ValidationError if a profile answer cannot be stored (one of a field this
    version's schema no longer has is only checked as text)."""
    from cockpit.profile.schema import FIELDS

    if field_key in FIELDS:
        profile_row(0, field_key, column_key, row_no, text, clock.now_utc())
    else:
        clean_text(text, "a profile answer")


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
