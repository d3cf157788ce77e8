"""What each client row keeps about its touches and deals (won date, honeymoon end, last
touch, touch days in the honeymoon), refreshed after every write that moves them, and
batches of writes that refresh them once at the end."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from peewee import fn

from cockpit.config import settings
from cockpit.storage.models import (
    BookInfo,
    Client,
    Deal,
    Interaction,
    database_proxy,
    keep_summaries_with,
    set_info,
)
from cockpit.storage.reps import rep_on_team_book
from cockpit.storage.schema_version import HONEYMOON_DAYS_KEY
from cockpit.validation import as_date
from cockpit.vocabulary import Kind


def refresh_summaries(client_ids: Iterable[int] | None = None) -> None:
    """Recompute what the client row keeps about its touches and deals (None: all clients).

    The won date and honeymoon end, the last touch, and the touch days in the
    honeymoon. Every write that adds, moves or removes a deal, or changes
    "client since", calls it for the clients concerned; a write that only
    touches interactions calls `refresh_touch_summaries`.
    """
    if client_ids is not None:
        with database_proxy.atomic():
            for chunk in id_chunks(sorted(set(client_ids))):
                _refresh_won_dates(chunk)
                refresh_touch_summaries(chunk)
        return
    with database_proxy.atomic():
        _refresh_won_dates(None)
        refresh_touch_summaries(None)
        set_info(HONEYMOON_DAYS_KEY, str(settings().health.honeymoon_days))


def id_chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
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
_TOUCH_BEFORE = Interaction.alias("latest")


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
    """Recompute the last touch, the one before it, the first since the won date and the
    honeymoon's touch days (None: all clients;
    at most a few hundred ids at a time)."""
    touch = _TOUCH
    is_touch = (touch.client == Client.id) & (touch.kind != Kind.NOTE.value)
    last_touch = touch.select(fn.MAX(touch.day)).where(is_touch)
    before = _TOUCH_BEFORE
    previous_touch = touch.select(fn.MAX(touch.day)).where(
        is_touch
        & (
            touch.day
            < before.select(fn.MAX(before.day)).where(
                (before.client == Client.id) & (before.kind != Kind.NOTE.value)
            )
        )
    )
    honeymoon_days = touch.select(fn.COUNT(touch.day.distinct())).where(
        is_touch & (touch.day >= Client.won_on) & (touch.day < Client.honeymoon_end)
    )
    first_since_won = touch.select(fn.MIN(touch.day)).where(is_touch & (touch.day >= Client.won_on))
    update = Client.update(
        last_touch_on=last_touch,
        previous_touch_on=previous_touch,
        first_touch_since_won=first_since_won,
        honeymoon_touch_days=fn.COALESCE(honeymoon_days, 0),
    )
    if client_ids is not None:
        update = update.where(Client.id.in_(list(client_ids)))
    update.execute()


def ensure_summaries() -> None:
    """Recompute every client's summary when it was kept with another honeymoon
    length (the setting changed) or not at all (a book just upgraded)."""
    configured = str(settings().health.honeymoon_days)
    stored = BookInfo.select(BookInfo.value).where(BookInfo.key == HONEYMOON_DAYS_KEY).scalar()
    if stored != configured and not rep_on_team_book():
        refresh_summaries()


keep_summaries_with(summaries_changed)
