"""Reading and writing a book: the API the UI, the commands and the demo use.

Every write validates its input first (a ValidationError names the problem
and nothing is written) and runs in one transaction.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from peewee import SQL, NodeList, Value, fn

from cockpit import clock
from cockpit.config import local_rep, settings
from cockpit.date_limits import check_day, check_past_date
from cockpit.errors import ValidationError
from cockpit.partial_date import PartialDate
from cockpit.phrases import add_months
from cockpit.search import Candidate, fold, search_key
from cockpit.storage.migrations import HONEYMOON_DAYS_KEY, set_info
from cockpit.storage.models import (
    BookInfo,
    Client,
    ClientEmail,
    ClientPhone,
    Deal,
    Interaction,
    PlannedCommunication,
    ProfileValue,
    database_proxy,
)
from cockpit.storage.revision import is_postgres
from cockpit.vocabulary import KIND_INFO, Intent, Kind, Lifecycle, PlanUnit

MAX_SHORT_TEXT = 200
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


def _currency(code: str | None) -> str:
    value = (code or settings().currency).strip().upper()
    if len(value) != 3 or not value.isascii() or not value.isalpha():
        raise ValidationError(f"{code!r} is not a currency code; use three letters such as EUR")
    return value


def _positive_days(value: int | None, what: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValidationError(f"{what} must be a whole number of days above zero")
    return value


@dataclass(frozen=True)
class ClientRow:
    """What the client list shows for one client."""

    id: int
    name: str
    company: str
    lifecycle: str
    archived: bool
    last_touch: date | None


def add_client(
    name: str,
    company: str = "",
    *,
    title: str = "",
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    lifecycle: Lifecycle | str = Lifecycle.ACTIVE,
    client_since: date | None = None,
    keep_in_touch_days: int | None = None,
    strategic: bool = False,
    snoozed_until: date | None = None,
    created_at: datetime | None = None,
) -> Client:
    """Create a client with its emails and phones."""
    columns, email_list, phone_list = _client_columns(
        name, company, title, emails, phones, lifecycle, keep_in_touch_days
    )
    _kept_days(client_since, snoozed_until)
    moment = created_at or clock.now_utc()
    with database_proxy.atomic():
        client = Client.create(
            **columns,
            owner=current_rep(),
            client_since=client_since,
            strategic=strategic,
            snoozed_until=snoozed_until,
            created_at=moment,
            updated_at=moment,
        )
        if client_since:
            summaries_changed(client.id, deals=True)
        _store_contacts(client, email_list, phone_list)
    return client


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
    kind, intent, duration_min = _touch_kind(kind, intent, duration_min)
    _kept_days(when, follow_up_on)  # before time zones move a day at the calendar's edge
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


def _touch_kind(
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


def _kept_days(*days: date | None) -> None:
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
        "currency": _currency(currency),
        "won_on": won_on,
        "description": clean_text(description, "the description"),
        "created_at": created_at or clock.now_utc(),
    }


def _client_id(client: Client | int) -> int:
    return client.id if isinstance(client, Client) else int(client)


def add_interaction(client: Client | int, kind: Kind | str, **details) -> Interaction:
    """Log a touch (or a note); `details` as for `interaction_row`."""
    row = interaction_row(_client_id(client), kind, **details)
    with database_proxy.atomic():
        return Interaction.create(**row)  # saving refreshes the client's summary


@dataclass(frozen=True)
class LoggedTouch:
    """A touch just logged, and what undoing it must put back."""

    interaction: Interaction
    client_id: int
    previous_interval: int | None
    interval_changed: bool


def log_touch(
    client: Client | int, kind: Kind | str, *, keep_in_touch_days: int | None = None, **details
) -> LoggedTouch:
    """Log a touch and, when given, the client's new keep-in-touch interval, in one
    transaction; `details` as for `interaction_row`."""
    client_id = _client_id(client)
    row = interaction_row(client_id, kind, **details)
    interval = _positive_days(keep_in_touch_days, "the keep-in-touch interval")
    with database_proxy.atomic():
        current = Client.get_or_none(Client.id == client_id)
        if current is None:
            raise ValidationError("that client no longer exists")
        previous = current.keep_in_touch_days
        changed = interval is not None and interval != previous
        if changed:
            Client.update(keep_in_touch_days=interval).where(Client.id == client_id).execute()
        interaction = Interaction.create(**row)  # saving refreshes the client's summary
    return LoggedTouch(interaction, client_id, previous, changed)


def undo_log(logged: LoggedTouch) -> None:
    """Remove a touch just logged and put the interval it changed back; refused when
    that touch was changed or removed meanwhile (its id may now be another's)."""
    touch = logged.interaction
    with database_proxy.atomic():
        current = Interaction.get_or_none(Interaction.id == touch.id)
        if current is None or (
            current.client_id,
            current.created_at,
            current.kind,
            current.occurred_at,
            current.summary,
        ) != (logged.client_id, touch.created_at, touch.kind, touch.occurred_at, touch.summary):
            raise ValidationError("the touch just logged was changed or removed meanwhile")
        current.delete_instance()  # refreshes the client's summary
        if logged.interval_changed:
            Client.update(keep_in_touch_days=logged.previous_interval).where(
                Client.id == logged.client_id
            ).execute()


def set_follow_up_done(interaction_id: int, done: bool = True) -> Interaction:
    """Mark an interaction's follow-up as done (or open again)."""
    with database_proxy.atomic():
        interaction = Interaction.get_or_none(Interaction.id == interaction_id)
        if interaction is None:
            raise ValidationError("that interaction no longer exists")
        if interaction.follow_up_on is None:
            raise ValidationError("that touch has no follow-up")
        Interaction.update(follow_up_done=done).where(Interaction.id == interaction_id).execute()
        interaction.follow_up_done = done
    return interaction


def add_deal(client: Client | int, amount: str | int | Decimal, **details) -> Deal:
    """Record a won deal; `details` as for `deal_row`."""
    row = deal_row(_client_id(client), amount, **details)
    with database_proxy.atomic():
        return Deal.create(**row)  # saving refreshes the client's summary


def insert_many(interactions: Sequence[dict], deals: Sequence[dict]) -> None:
    """Store rows made by `interaction_row` and `deal_row` in bulk, in one transaction."""
    with batch_writes():
        for start in range(0, len(interactions), 500):
            Interaction.insert_many(interactions[start : start + 500]).execute()
        for start in range(0, len(deals), 500):
            Deal.insert_many(deals[start : start + 500]).execute()
        for row in (*interactions, *deals):
            summaries_changed(row["client"], deals=True)


def refresh_summaries(client_ids: Iterable[int] | None = None) -> None:
    """Recompute what the client row keeps about its touches and deals (None: all clients).

    The won date and honeymoon end, the last touch, and the touch days in the
    honeymoon. Every write that adds, moves or removes a deal, or changes
    "client since", calls it for the clients concerned; a write that only
    touches interactions calls `refresh_touch_summaries`.
    """
    if client_ids is not None:
        with database_proxy.atomic():
            for chunk in _chunks(sorted(set(client_ids))):
                _refresh_won_dates(chunk)
                refresh_touch_summaries(chunk)
        return
    with database_proxy.atomic():
        _refresh_won_dates(None)
        refresh_touch_summaries(None)
        set_info(HONEYMOON_DAYS_KEY, str(settings().health.honeymoon_days))


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    """Id lists short enough for an IN (...) on every database."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _refresh_won_dates(ids: list[int] | None) -> None:
    honeymoon = timedelta(days=settings().health.honeymoon_days)
    clients = Client.select(Client.id, Client.client_since, Client.won_on, Client.honeymoon_end)
    first_deals = Deal.select(Deal.client, fn.MIN(Deal.won_on)).group_by(Deal.client)
    if ids is not None:
        clients = clients.where(Client.id.in_(ids))
        first_deals = first_deals.where(Deal.client.in_(ids))
    first_deal = {client_id: as_date(won) for client_id, won in first_deals.tuples()}
    for client in clients:
        won = client.client_since or first_deal.get(client.id)
        end = won + honeymoon if won else None
        if (won, end) != (client.won_on, client.honeymoon_end):
            Client.update(won_on=won, honeymoon_end=end).where(Client.id == client.id).execute()


_TOUCH = Interaction.alias("touch")
_batch = threading.local()


@contextmanager
def batch_writes() -> Iterator[None]:
    """One transaction for many writes, with the client summaries refreshed once
    at the end for every client written (imports, the demo), not after each write."""
    if getattr(_batch, "clients", None) is not None:
        yield
        return
    _batch.clients = set()
    try:
        with database_proxy.atomic():
            yield
            if _batch.clients:
                refresh_summaries(_batch.clients)
    finally:
        _batch.clients = None


def summaries_changed(client_id: int, *, deals: bool) -> None:
    """Refresh a client's summary after a write (at the end of a batch, within one)."""
    batched = getattr(_batch, "clients", None)
    if batched is not None:
        batched.add(client_id)
    elif deals:
        refresh_summaries([client_id])
    else:
        refresh_touch_summaries([client_id])


def refresh_touch_summaries(client_ids: list[int] | None = None) -> None:
    """Recompute the last touch and the honeymoon's touch days (None: all clients;
    at most a few hundred ids at a time)."""
    touch = _TOUCH
    is_touch = (touch.client == Client.id) & (touch.kind != Kind.NOTE.value)
    last_touch = touch.select(fn.MAX(touch.day)).where(is_touch)
    honeymoon_days = touch.select(fn.COUNT(touch.day.distinct())).where(
        is_touch & (touch.day >= Client.won_on) & (touch.day < Client.honeymoon_end)
    )
    update = Client.update(
        last_touch_on=last_touch, honeymoon_touch_days=fn.COALESCE(honeymoon_days, 0)
    )
    if client_ids is not None:
        update = update.where(Client.id.in_(list(client_ids)))
    update.execute()


def ensure_summaries() -> None:
    """Recompute every client's summary when it was kept with another honeymoon
    length (the setting changed) or not at all (a book just upgraded)."""
    configured = str(settings().health.honeymoon_days)
    stored = BookInfo.select(BookInfo.value).where(BookInfo.key == HONEYMOON_DAYS_KEY).scalar()
    if stored != configured and not _rep_on_team_book():
        refresh_summaries()


def _rep_on_team_book() -> bool:
    """A rep of a team book never rewrites the team's kept summaries (a manager's
    `cockpit settings set` does, with the team's honeymoon)."""
    if not on_server():
        return False
    from cockpit.storage.team import Powers, powers

    return powers(database_proxy.obj) is Powers.REP


def add_plan(
    client: Client | int,
    what: str,
    every: int,
    unit: PlanUnit | str,
    next_due: date,
    *,
    created_at: datetime | None = None,
) -> PlannedCommunication:
    """Promise a recurring communication, e.g. a quarterly update."""
    return PlannedCommunication.create(
        client=client,
        **_plan_values(what, every, unit),
        next_due=check_day(next_due),
        created_at=created_at or clock.now_utc(),
    )


def _plan_values(what: str, every: int, unit: PlanUnit | str) -> dict:
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
    _plan_values(what, every, unit)


def plans_of(client: Client | int) -> list[PlannedCommunication]:
    return list(
        PlannedCommunication.select()
        .where(PlannedCommunication.client == _client_id(client))
        .order_by(PlannedCommunication.next_due, PlannedCommunication.id)
    )


def update_plan(
    plan_id: int, what: str, every: int, unit: PlanUnit | str, next_due: date
) -> PlannedCommunication:
    values = _plan_values(what, every, unit)
    check_day(next_due)
    with database_proxy.atomic():
        plan = PlannedCommunication.get_or_none(PlannedCommunication.id == plan_id)
        if plan is None:
            raise ValidationError("that plan no longer exists")
        for key, value in {**values, "next_due": next_due}.items():
            setattr(plan, key, value)
        plan.save()
    return plan


def delete_plan(plan_id: int) -> None:
    PlannedCommunication.delete().where(PlannedCommunication.id == plan_id).execute()


def next_plan_date(every: int, unit: PlanUnit | str, done_on: date) -> date:
    """When a plan is due again: one period after the day it was done."""
    if PlanUnit(unit) is PlanUnit.MONTHS:
        return check_day(add_months(done_on, every))
    days = every * (7 if PlanUnit(unit) is PlanUnit.WEEKS else 1)
    return check_day(done_on + timedelta(days=days))


def plan_done(plan_id: int, done_on: date) -> PlannedCommunication:
    """The plan was carried out on `done_on`: it is next due one period later."""
    with database_proxy.atomic():
        plan = PlannedCommunication.get_or_none(PlannedCommunication.id == plan_id)
        if plan is None:
            raise ValidationError("that plan no longer exists")
        plan.next_due = next_plan_date(plan.every, plan.unit, done_on)
        plan.save()
    return plan


def _profile_row(
    client: Client | int,
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
    updated_at = updated_at or clock.now_utc()
    rows = []
    for field_key, value in answers.items():
        if isinstance(value, (str, date)):
            if str(value).strip():
                rows.append(_profile_row(client, field_key, "", 0, value, updated_at))
            continue
        for row_no, entry in enumerate(value):
            for column_key, cell in entry.items():
                if str(cell).strip():
                    rows.append(
                        _profile_row(client, field_key, column_key, row_no, cell, updated_at)
                    )
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


def client_rows(include_archived: bool = False, limit: int | None = None) -> list[ClientRow]:
    """Every client with the day of its last touch, by name (the first `limit` of them)."""
    query = Client.select(
        Client.id,
        Client.name,
        Client.company,
        Client.lifecycle,
        Client.archived,
        Client.last_touch_on,
    ).order_by(Client.name_key, Client.company_key, Client.id)
    if not include_archived:
        query = query.where(Client.archived == False)  # noqa: E712 (SQL, not Python)
    if limit is not None:
        query = query.limit(limit)
    return [
        ClientRow(id_, name, company, lifecycle, bool(archived), as_date(last_touch))
        for id_, name, company, lifecycle, archived, last_touch in query.tuples()
    ]


def as_date(value: date | str | None) -> date | None:
    """A day as a raw query returns it: a date (PostgreSQL) or ISO text (SQLite)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


_ESCAPE = "ESCAPE '\\'"  # in a LIKE pattern, \% and \_ stand for the characters


def client_candidates(holding: str = "") -> list[Candidate]:
    """Every client that is not archived, as searches see it.

    With `holding`, only those whose folded name or company holds every word of
    it, found in SQL through `search_key` (the candidates `search.matching` keeps).
    """
    query = Client.select(Client.id, Client.name, Client.company).where(
        Client.archived == False  # noqa: E712 (SQL, not Python)
    )
    for word in set(fold(holding).split()):
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = NodeList((Client.search_key, SQL("LIKE"), Value(f"%{escaped}%"), SQL(_ESCAPE)))
        query = query.where(like)
    rows = Client._meta.database.execute(query)
    return [Candidate(client_id, name, company) for client_id, name, company in rows]


def client_candidate(client_id: int) -> Candidate | None:
    """One client by id, archived or not."""
    row = (
        Client.select(Client.id, Client.name, Client.company)
        .where(Client.id == client_id)
        .tuples()
        .first()
    )
    return Candidate(*row) if row else None


def _client_columns(
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
        "lifecycle": _lifecycle(lifecycle).value,
        "keep_in_touch_days": _positive_days(keep_in_touch_days, "the keep-in-touch interval"),
    }
    return columns, _emails(emails), _phones(phones)


def _lifecycle(value: Lifecycle | str) -> Lifecycle:
    try:
        return Lifecycle(value)
    except ValueError:
        known = ", ".join(item.value for item in Lifecycle)
        raise ValidationError(f"{value!r} is not a lifecycle; use one of {known}") from None


def update_client(
    client_id: int,
    *,
    name: str,
    company: str = "",
    title: str = "",
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    lifecycle: Lifecycle | str = Lifecycle.ACTIVE,
    client_since: date | None = None,
    keep_in_touch_days: int | None = None,
    strategic: bool = False,
    snoozed_until: date | None = None,
) -> Client:
    """Replace a client's details (emails and phones included) in one transaction."""
    columns, email_list, phone_list = _client_columns(
        name, company, title, emails, phones, lifecycle, keep_in_touch_days
    )
    _kept_days(client_since, snoozed_until)
    with database_proxy.atomic():
        client = Client.get_or_none(Client.id == client_id)
        if client is None:
            raise ValidationError(f"there is no client #{client_id}")
        for column, value in columns.items():
            setattr(client, column, value)
        client.client_since = client_since
        client.strategic = strategic
        client.snoozed_until = snoozed_until
        client.updated_at = clock.now_utc()
        client.save()  # refreshes the summary when "client since" moved
        ClientEmail.delete().where(ClientEmail.client == client_id).execute()
        ClientPhone.delete().where(ClientPhone.client == client_id).execute()
        _store_contacts(client, email_list, phone_list)
    return client


def _emails(emails: Sequence[str]) -> list[str]:
    email_list = [
        clean_line(email, "an email address", required=True, limit=ClientEmail.address.max_length)
        for email in emails
    ]
    for email in email_list:
        if "@" not in email or any(char.isspace() for char in email):  # a no-break space too
            raise ValidationError(f"{email!r} is not an email address")
    return email_list


def _phones(phones: Sequence[str]) -> list[str]:
    numbers = [
        clean_line(phone, "a phone number", required=True, limit=ClientPhone.number.max_length)
        for phone in phones
    ]
    for number in numbers:
        if not any(char.isdigit() for char in number):
            raise ValidationError(f"{number!r} is not a phone number: it has no digits")
    return numbers


def _store_contacts(client: Client, emails: list[str], phones: list[str]) -> None:
    seen: set[str] = set()
    for position, email in enumerate(emails):
        if match_key(email) in seen:
            continue
        seen.add(match_key(email))
        ClientEmail.create(
            client=client, address=email, address_key=match_key(email), position=position
        )
    for position, phone in enumerate(phones):
        ClientPhone.create(client=client, number=phone, position=position)


def add_contacts(client_id: int, emails: Sequence[str], phones: Sequence[str]) -> None:
    """Add emails and phones after a client's existing ones (duplicates are the caller's)."""
    email_list, phone_list = _emails(emails), _phones(phones)
    with database_proxy.atomic():
        last_email = (
            ClientEmail.select(fn.MAX(ClientEmail.position))
            .where(ClientEmail.client == client_id)
            .scalar()
        )
        last_phone = (
            ClientPhone.select(fn.MAX(ClientPhone.position))
            .where(ClientPhone.client == client_id)
            .scalar()
        )
        for offset, email in enumerate(email_list, start=(last_email or 0) + 1):
            ClientEmail.create(
                client=client_id, address=email, address_key=match_key(email), position=offset
            )
        for offset, phone in enumerate(phone_list, start=(last_phone or 0) + 1):
            ClientPhone.create(client=client_id, number=phone, position=offset)


def set_archived(client_id: int, archived: bool) -> None:
    """Archive a client (kept, judged, never listed) or bring one back."""
    Client.update(archived=archived, updated_at=clock.now_utc()).where(
        Client.id == client_id
    ).execute()


def delete_client(client_id: int) -> None:
    """Delete a client and everything of theirs, for good (their review items too)."""
    from cockpit.storage import reviews  # it builds on this module

    with database_proxy.atomic():
        Client.delete().where(Client.id == client_id).execute()  # the rest cascades
        reviews.forget_client(client_id)


def delete_interaction(interaction_id: int) -> None:
    """Remove one interaction from its client's timeline."""
    with database_proxy.atomic():
        interaction = Interaction.get_or_none(Interaction.id == interaction_id)
        if interaction is not None:
            interaction.delete_instance()  # refreshes the client's summary


def update_interaction(
    interaction_id: int,
    *,
    kind: Kind | str,
    when: datetime,
    summary: str = "",
    intent: Intent | str | None = None,
    duration_min: int | None = None,
    follow_up_on: date | None = None,
) -> Interaction:
    """Change one interaction; the same checks as logging a new one."""
    with database_proxy.atomic():
        interaction = Interaction.get_or_none(Interaction.id == interaction_id)
        if interaction is None:
            raise ValidationError("that interaction no longer exists")
        row = interaction_row(
            interaction.client_id,
            kind,
            when=when,
            summary=summary,
            intent=intent,
            duration_min=duration_min,
            follow_up_on=follow_up_on,
            created_at=interaction.created_at,
        )
        # A new follow-up date is a new promise: it is open again.
        row["follow_up_done"] = (
            interaction.follow_up_done and follow_up_on == interaction.follow_up_on
        )
        for key, value in row.items():
            setattr(interaction, key, value)
        interaction.save()
    return interaction


def check_contacts(emails: Sequence[str], phones: Sequence[str]) -> None:
    """Raise ValidationError if an email or phone cannot be stored."""
    _emails(emails)
    _phones(phones)


# Checks of rows as stored, for a restore: the rules of the writes above, value by value.


def check_client(
    name: str, company: str, title: str, lifecycle: str, keep_in_touch_days: int | None
) -> None:
    """Raise ValidationError if a client with these details cannot be stored."""
    _client_columns(name, company, title, (), (), lifecycle, keep_in_touch_days)


def check_stored_touch(kind: str, intent: str, duration_min: int, summary: str) -> None:
    """Raise ValidationError if a stored interaction holds what logging one refuses."""
    _touch_kind(kind, intent, duration_min)
    clean_text(summary, "the summary")


def check_stored_deal(amount_cents: int, currency: str, description: str) -> None:
    """Raise ValidationError if a stored deal holds what recording one refuses."""
    sign, cents = ("-" if amount_cents < 0 else ""), abs(amount_cents)
    parse_amount(f"{sign}{cents // 100}.{cents % 100:02d}")
    if not currency or _currency(currency) != currency:
        raise ValidationError(f"{currency!r} is not a currency code; use three letters such as EUR")
    clean_text(description, "the description")


def check_profile_value(field_key: str, column_key: str, row_no: int, text: str) -> None:
    """Raise ValidationError if a profile answer cannot be stored (one of a field this
    version's schema no longer has is only checked as text)."""
    from cockpit.profile.schema import FIELDS

    if field_key in FIELDS:
        _profile_row(0, field_key, column_key, row_no, text, clock.now_utc())
    else:
        clean_text(text, "a profile answer")


def forget_profile(client_id: int) -> int:
    """Delete every profile answer of a client, and the occasions quoted from them in
    stored reviews; returns how many values went."""
    from cockpit.storage import reviews  # it builds on this module

    if _rep_on_team_book() and Client.get_by_id(client_id).owner != current_rep():
        # The server would delete none of the answers: say why instead of "0 erased".
        raise ValidationError(
            "that client is another rep's; only its owner or a manager may erase its profile"
        )
    with database_proxy.atomic():
        erased = ProfileValue.delete().where(ProfileValue.client == client_id).execute()
        reviews.forget_client(client_id, occasions_only=True)
    return erased


# Bulk writes for the address-book importer: a new client and all that comes with it are
# checked in full first, then written with the others in a few statements.


@dataclass
class NewClientRows:
    """A new client's row and the rows that go with it, checked, ready to insert."""

    client: dict
    emails: list[dict]
    phones: list[dict]
    profile: list[dict]
    notes: list[dict]  # made by `interaction_row`


def owners() -> dict[int, str]:
    """Every client's rep ("" for a client nobody owns)."""
    return dict(database_proxy.execute(Client.select(Client.id, Client.owner)))


def clients_of(reps: Sequence[str]) -> set[int]:
    """The ids of the clients the reps own ("" among them: those nobody owns)."""
    query = Client.select(Client.id).where(Client.owner.in_(list(reps)))
    return {client_id for (client_id,) in database_proxy.execute(query)}


def my_reps() -> list[str]:
    """Whose clients are "mine": the user's, and those nobody owns."""
    return [current_rep(), ""]


def current_rep() -> str:
    """Who uses the book: on PostgreSQL the role connected as; on SQLite the `rep`
    setting, else the login name."""
    if on_server():
        return database_proxy.execute_sql("SELECT current_user").fetchone()[0]
    return local_rep()


def next_client_id() -> int:
    """The id the next client gets: one more than the highest. A PostgreSQL book's client
    table stays locked against other writers until the import's transaction ends, so no
    one else takes the ids it hands out."""
    if on_server() and database_proxy.in_transaction():
        database_proxy.execute_sql('LOCK TABLE "client" IN SHARE ROW EXCLUSIVE MODE')
    return (Client.select(fn.MAX(Client.id)).scalar() or 0) + 1


def on_server() -> bool:
    return is_postgres(database_proxy.obj)


def ids_given(model) -> None:
    """After rows went in with ids of their own, PostgreSQL's id sequence must go past
    them (SQLite goes on from the largest id by itself)."""
    if not on_server():
        return
    table, column = model._meta.table_name, model._meta.primary_key.column_name
    database_proxy.execute_sql(
        f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX("{column}"), 1), '
        f'MAX("{column}") IS NOT NULL) FROM "{table}"',
        (f'"{table}"', column),
    )


def new_client_rows(
    client_id: int,
    name: str,
    company: str,
    *,
    title: str,
    emails: Sequence[str],
    phones: Sequence[str],
    owner: str,
    created_at: datetime,
) -> NewClientRows:
    """A client as `add_client` makes it, with the same checks, given its id; no profile
    or notes yet."""
    columns, email_list, phone_list = _client_columns(
        name, company, title, emails, phones, Lifecycle.ACTIVE, None
    )
    client = {
        "id": client_id,
        **columns,
        "owner": owner,
        "created_at": created_at,
        "updated_at": created_at,
    }
    return NewClientRows(
        client, _email_rows(client_id, email_list), _phone_rows(client_id, phone_list), [], []
    )


def _email_rows(client_id: int, emails: list[str]) -> list[dict]:
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


def _phone_rows(client_id: int, phones: list[str]) -> list[dict]:
    return [
        {"client": client_id, "number": phone, "position": position}
        for position, phone in enumerate(phones)
    ]


def profile_rows(
    client_id: int, answers: dict[str, str | Iterable[dict]], updated_at: datetime
) -> list[dict]:
    """The rows `set_profile` would store for a client that has no profile yet, checked."""
    rows = []
    for field_key, value in answers.items():
        if isinstance(value, str):
            if value.strip():
                rows.append(_profile_row(client_id, field_key, "", 0, value, updated_at))
            continue
        for row_no, entry in enumerate(value):
            for column_key, cell in entry.items():
                if str(cell).strip():
                    rows.append(
                        _profile_row(client_id, field_key, column_key, row_no, cell, updated_at)
                    )
    return rows


def insert_new_clients(batch: Sequence[NewClientRows]) -> None:
    """Store new clients made by `new_client_rows` and their rows, in one transaction."""
    with batch_writes():
        _insert_rows(Client, [new.client for new in batch])
        ids_given(Client)
        _insert_rows(ClientEmail, [row for new in batch for row in new.emails])
        _insert_rows(ClientPhone, [row for new in batch for row in new.phones])
        _insert_rows(ProfileValue, [row for new in batch for row in new.profile])
        notes = [row for new in batch for row in new.notes]
        _insert_rows(Interaction, notes)
        for row in notes:
            summaries_changed(row["client"], deals=False)


def _insert_rows(model, rows: list[dict]) -> None:
    """Insert rows of one table with one prepared statement: the values go through each
    field's `db_value` as with `Model.insert_many`, and a missing field takes its default,
    without building the SQL text of every row. The rows all hold the same columns."""
    if not rows:
        return
    fields = [
        field
        for field in model._meta.sorted_fields
        if field.name in rows[0] or field is not model._meta.primary_key
    ]
    defaults = {
        field.name: field.default() if callable(field.default) else field.default
        for field in fields
        if field.name not in rows[0]
    }
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join(database_proxy.param for _ in fields)
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    values = (
        tuple(field.db_value(row.get(field.name, defaults.get(field.name))) for field in fields)
        for row in rows
    )
    database_proxy.cursor().executemany(sql, values)
