"""What the client row keeps about touches and deals always matches a recount."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from cockpit.errors import ValidationError
from cockpit.storage import book
from cockpit.storage.models import Client, Deal, Interaction
from cockpit.vocabulary import Kind


@pytest.fixture
def db(db_on_both):
    """These tests hold on SQLite and on PostgreSQL alike."""
    return db_on_both


def _recount() -> dict[int, tuple]:
    """The summaries computed from scratch, the slow obvious way."""
    result = {}
    for client in Client.select():
        deals = sorted(deal.won_on for deal in Deal.select().where(Deal.client == client))
        won = client.client_since or (deals[0] if deals else None)
        end = won + timedelta(days=90) if won else None
        days = {
            touch.day
            for touch in Interaction.select().where(
                (Interaction.client == client) & (Interaction.kind != "note")
            )
        }
        in_honeymoon = {day for day in days if won and won <= day < end}
        result[client.id] = (won, end, max(days) if days else None, len(in_honeymoon))
    return result


def _stored() -> dict[int, tuple]:
    return {
        client.id: (
            client.won_on,
            client.honeymoon_end,
            client.last_touch_on,
            client.honeymoon_touch_days,
        )
        for client in Client.select()
    }


def test_summaries_follow_every_write(db, today):
    rng = random.Random(7)
    clients = [book.add_client(f"Client {n}") for n in range(6)]
    clients.append(book.add_client("Since", client_since=date(2026, 1, 10)))
    start = date(2025, 6, 1)
    for step in range(300):
        client = rng.choice(clients)
        day = start + timedelta(days=rng.randint(0, 500))
        if rng.random() < 0.1:
            book.add_deal(client, rng.randint(1, 9) * 100, won_on=day)
        else:
            kind = rng.choice(list(Kind))
            book.add_interaction(client, kind, when=datetime.combine(day, datetime.min.time()))
        if step % 50 == 0:
            assert _stored() == _recount()
    assert _stored() == _recount()


def test_summaries_in_a_batch_are_refreshed_at_its_end(db, today):
    ann = book.add_client("Ann")
    with book.batch_writes():
        book.add_deal(ann, 500, won_on=date(2026, 1, 5))
        for offset in range(0, 60, 7):
            book.add_interaction(ann, "call", when=datetime(2026, 1, 5, 10) + timedelta(offset))
        assert Client.get_by_id(ann.id).last_touch_on is None  # not yet
    assert _stored() == _recount()
    assert Client.get_by_id(ann.id).honeymoon_touch_days == 9


def test_a_new_honeymoon_length_recounts_every_client(db, today, write_config):
    ann = book.add_client("Ann")
    book.add_deal(ann, 500, won_on=date(2026, 1, 5))
    book.add_interaction(ann, "call", when=datetime(2026, 2, 20, 10))
    assert Client.get_by_id(ann.id).honeymoon_touch_days == 1
    write_config("[health]\nhoneymoon_days = 30\n")
    book.ensure_summaries()
    ann = Client.get_by_id(ann.id)
    assert (ann.honeymoon_end, ann.honeymoon_touch_days) == (date(2026, 2, 4), 0)


def test_touches_cannot_be_logged_in_the_future(db, today):
    ann = book.add_client("Ann")
    with pytest.raises(ValidationError, match="in the future"):
        book.add_interaction(ann, "call", when=datetime(2026, 11, 24, 9))


def test_saving_a_client_read_earlier_keeps_the_summaries(db, today):
    ann = book.add_client("Ann")
    book.add_deal(ann, 500, won_on=date(2026, 1, 5))
    book.add_interaction(ann, "call", when=datetime(2026, 1, 6, 10))
    ann.title = "CFO"  # `ann` was read before the deal and the touch
    ann.save()
    stored = Client.get_by_id(ann.id)
    assert stored.title == "CFO"
    assert (stored.won_on, stored.last_touch_on) == (date(2026, 1, 5), date(2026, 1, 6))


def test_model_saves_and_deletes_keep_the_summaries_fresh(db, today):
    ann = book.add_client("Ann")
    book.add_deal(ann, 500, won_on=date(2025, 1, 5))
    touch = book.add_interaction(ann, "call", when=datetime(2026, 11, 20, 10))
    book.add_interaction(ann, "call", when=datetime(2026, 10, 1, 10))
    ann = Client.get_by_id(ann.id)
    ann.client_since = date(2026, 11, 1)
    ann.save()
    assert _stored() == _recount()
    assert Client.get_by_id(ann.id).won_on == date(2026, 11, 1)
    touch.delete_instance()
    assert Client.get_by_id(ann.id).last_touch_on == date(2026, 10, 1)
    deal = Deal.get()
    deal.won_on = date(2024, 1, 1)
    deal.save()
    ann.client_since = None
    ann.save()
    assert Client.get_by_id(ann.id).won_on == date(2024, 1, 1)
    assert _stored() == _recount()


def test_the_sparkline_counts_touches_per_calendar_month(db, today):
    from datetime import datetime

    from cockpit.client_view import monthly_touches

    ann = book.add_client("Ann Months")
    for when in (
        datetime(2026, 11, 2, 9),
        datetime(2026, 11, 20, 9),
        datetime(2026, 10, 31, 23),
        datetime(2025, 12, 1, 9),  # the oldest of the 12 months
        datetime(2025, 11, 30, 9),  # 13 months back: not counted
    ):
        book.add_interaction(ann, "call", when=when)
    book.add_interaction(ann, "note", when=datetime(2026, 11, 3, 9))  # not a touch
    bob = book.add_client("Bob Quiet")
    counts = monthly_touches(date(2026, 11, 23))
    assert counts[ann.id] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2]
    assert bob.id not in counts
