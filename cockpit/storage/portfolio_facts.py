"""What the portfolio sums, read in a few grouped queries: per client and month the minutes
spent and the revenue won (home currency), per day the touches, gives and asks. Notes are
no touches and count nowhere; a deal in another currency is left out of revenue, as the
health engine leaves it out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peewee import SQL, fn

from cockpit.storage.models import Client, Deal, Interaction, database_proxy
from cockpit.storage.revision import is_postgres
from cockpit.vocabulary import Intent, Kind


@dataclass(frozen=True)
class ClientMonth:
    client_id: int
    month: str  # "2026-11"
    minutes: int
    revenue_cents: int


@dataclass(frozen=True)
class DayTouches:
    day: date
    touches: int
    gives: int
    asks: int


def _month(column):
    """The column's month as "2026-11" (the format a literal, so GROUP BY sees the same
    expression as SELECT on PostgreSQL)."""
    if is_postgres(database_proxy.obj):
        return fn.to_char(column, SQL("'YYYY-MM'"))
    return fn.strftime(SQL("'%Y-%m'"), column)


def client_months(start: date, end: date, currency: str) -> list[ClientMonth]:
    """Per client and month from `start` to `end` (both included): the minutes of their
    touches and the revenue of the deals won in `currency`."""
    month = _month(Interaction.day)
    touched = (
        Interaction.select(Interaction.client, month, fn.SUM(Interaction.duration_min))
        .where(
            (Interaction.day >= start)
            & (Interaction.day <= end)
            & (Interaction.kind != Kind.NOTE.value)
        )
        .group_by(Interaction.client, month)
    )
    won_month = _month(Deal.won_on)
    won = (
        Deal.select(Deal.client, won_month, fn.SUM(Deal.amount_cents))
        .where((Deal.won_on >= start) & (Deal.won_on <= end) & (Deal.currency == currency))
        .group_by(Deal.client, won_month)
    )
    figures: dict[tuple[int, str], list[int]] = {}
    for client_id, when, minutes in _rows(touched):
        figures.setdefault((client_id, when), [0, 0])[0] = int(minutes or 0)
    for client_id, when, cents in _rows(won):
        figures.setdefault((client_id, when), [0, 0])[1] = int(cents or 0)
    return [
        ClientMonth(client_id, when, minutes, cents)
        for (client_id, when), (minutes, cents) in sorted(figures.items())
    ]


def _rows(query) -> list[tuple]:
    """The query's rows straight from the cursor: tens of thousands of grouped rows, which
    Peewee's row objects would take several times as long to hand over."""
    sql, params = query.sql()
    return database_proxy.execute_sql(sql, params).fetchall()


def day_touches(start: date, end: date, reps: list[str] | None = None) -> list[DayTouches]:
    """Per day from `start` to `end`: the touches, and how many were gives and asks (of
    the clients of `reps`, when given)."""
    gives = fn.COUNT(SQL("*")).filter(Interaction.intent == Intent.RELATIONSHIP.value)
    touches = (Interaction.day >= start) & (Interaction.day <= end)
    query = Interaction.select(Interaction.day, fn.COUNT(SQL("*")), gives).where(
        touches & (Interaction.kind != Kind.NOTE.value)
    )
    if reps is not None:
        query = query.join(Client, on=(Client.id == Interaction.client)).where(
            Client.owner.in_(reps)
        )
    rows = query.group_by(Interaction.day).order_by(Interaction.day).tuples()
    return [
        DayTouches(_as_date(day), int(touches), int(given), int(touches) - int(given))
        for day, touches, given in rows
    ]


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def client_names(client_ids: list[int]) -> dict[int, tuple[str, str]]:
    """(name, company) of these clients."""
    found = {}
    for start in range(0, len(client_ids), 500):
        chunk = client_ids[start : start + 500]
        for client_id, name, company in (
            Client.select(Client.id, Client.name, Client.company)
            .where(Client.id.in_(chunk))
            .tuples()
        ):
            found[client_id] = (name, company)
    return found


def accounts_of_clients() -> dict[int, int]:
    """The account each client is at now (those at one)."""
    return dict(
        Client.select(Client.id, Client.account).where(Client.account.is_null(False)).tuples()
    )
