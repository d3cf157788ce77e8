"""Verdicts brought up to date after a write: only the clients the write changed are read
again, the 80/20 split is redone over the whole book, and the result is what reading
everything afresh gives, in this process and from the cache file in the next."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, datetime, timedelta

import pytest

from cockpit import health, health_cache
from cockpit.health import Tier, engine, incremental
from cockpit.storage import book

AS_OF = date(2026, 11, 23)


@pytest.fixture
def reads(monkeypatch) -> list[set[int] | None]:
    """Each reading of the book's figures: None for every client, else the ids read."""
    calls: list[set[int] | None] = []
    read_facts = engine.read_facts

    def counted(as_of, rules, only=None):
        calls.append(None if only is None else set(only))
        return read_facts(as_of, rules, only)

    monkeypatch.setattr(engine, "read_facts", counted)
    return calls


@pytest.fixture
def fresh_cache(db, today):
    health_cache.forget()
    yield db
    health_cache.forget()


def _by_name(verdicts):
    return {verdict.name: verdict for verdict in verdicts}


def test_a_deal_on_one_client_changes_anothers_tier(fresh_cache, reads):
    big = book.add_client("Big Earner", "Acme", client_since=date(2026, 1, 5))
    book.add_deal(big.id, "50000", won_on=date(2026, 1, 5))
    small = []
    for number in range(8):
        client = book.add_client(f"Small {number}", "", client_since=date(2026, 2, 1))
        book.add_deal(client.id, "1000", won_on=date(2026, 2, 1))
        small.append(client)
    before = _by_name(health_cache.cached_compute(AS_OF))
    assert before["Big Earner"].tier is Tier.CORE
    assert reads == [None]

    newcomer = small[0]
    book.add_deal(newcomer.id, "500000", won_on=date(2026, 11, 2))
    after = _by_name(health_cache.cached_compute(AS_OF))

    assert reads == [None, {newcomer.id}]  # one client read again, none other
    assert after["Small 0"].tier is Tier.CORE
    assert after["Big Earner"].tier is not Tier.CORE  # changed without being written to
    assert after["Big Earner"].revenue_share < before["Big Earner"].revenue_share
    assert list(after.values()) == health.compute(AS_OF)


def test_a_write_from_another_connection_reads_just_that_client(fresh_cache, book_path, reads):
    ann = book.add_client("Ann Shell", "", client_since=date(2026, 3, 1))
    bob = book.add_client("Bob Quiet", "", client_since=date(2026, 3, 1))
    for client in (ann, bob):
        book.add_deal(client.id, "1000", won_on=date(2026, 3, 1))
    health_cache.cached_compute(AS_OF)
    with sqlite3.connect(book_path) as other:  # the sqlite3 shell, or another program
        other.execute("UPDATE client SET name = 'Ann Renamed' WHERE id = ?", (ann.id,))
    after = health_cache.cached_compute(AS_OF)
    assert reads == [None, {ann.id}]
    assert [verdict.name for verdict in after] == ["Ann Renamed", "Bob Quiet"]
    assert after == health.compute(AS_OF)


def test_the_next_process_brings_the_file_up_to_date(fresh_cache, reads):
    ann = book.add_client("Ann File", "", client_since=date(2026, 3, 1))
    book.add_deal(ann.id, "1000", won_on=date(2026, 3, 1))
    book.add_client("Bob File", "")
    health_cache.cached_compute(AS_OF)
    health_cache.forget()  # a new process: `cockpit log` wrote, `cockpit clients` reads
    book.add_interaction(ann.id, "call", when=datetime(2026, 11, 23, 9))
    health_cache.forget()
    after = health_cache.cached_compute(AS_OF)
    assert reads == [None, {ann.id}]
    assert _by_name(after)["Ann File"].days_since_last_touch == 0
    assert after == health.compute(AS_OF)


def test_many_changes_are_read_afresh(fresh_cache, reads):
    health_cache.cached_compute(AS_OF)
    for number in range(incremental.MOST_CHANGED + 1):
        book.add_client(f"Client {number:04}", "")
    after = health_cache.cached_compute(AS_OF)
    assert reads == [None, None]
    assert len(after) == incremental.MOST_CHANGED + 1


def test_any_mix_of_writes_gives_what_reading_everything_gives(fresh_cache, book_path, reads):
    """Clients added, renamed, archived, deleted; touches logged, moved and deleted;
    deals won: after each write the kept verdicts brought up to date are the engine's,
    in this process and read back from the file by the next."""
    chance = random.Random(19)
    clients = []
    for number in range(12):
        client = book.add_client(f"Client {number:02}", f"Co {number % 4}")
        if number % 3:
            book.add_deal(client.id, str(chance.randint(1, 90) * 100), won_on=date(2026, 1, 5))
        clients.append(client.id)
    touches: list[int] = []

    def some_day() -> datetime:
        return datetime(2026, 1, 1, 9) + timedelta(days=chance.randint(0, 325))

    def write() -> None:
        action = chance.choice(["touch", "touch", "deal", "client", "rename", "archive", "drop"])
        if action == "touch" or (action == "drop" and not touches):
            kind = chance.choice(["call", "email", "meeting", "note", "referral-asked"])
            touch = book.add_interaction(
                chance.choice(clients), kind, when=some_day(), duration_min=chance.randint(5, 90)
            )
            touches.append(touch.id)
        elif action == "deal":
            won = some_day().date()
            book.add_deal(chance.choice(clients), str(chance.randint(1, 900) * 100), won_on=won)
        elif action == "client":
            clients.append(book.add_client(f"New {len(clients)}", "Zeta").id)
        elif action == "rename":
            client_id = chance.choice(clients)
            with sqlite3.connect(book_path) as other:
                other.execute(
                    "UPDATE client SET name = ?, name_key = ? WHERE id = ?",
                    (f"Aa Renamed {client_id}", f"aa renamed {client_id}", client_id),
                )
        elif action == "archive":
            book.set_archived(chance.choice(clients), chance.random() < 0.7)
        else:
            book.delete_interaction(touches.pop(chance.randrange(len(touches))))
        if chance.random() < 0.05 and len(clients) > 4:
            book.delete_client(clients.pop(chance.randrange(len(clients))))

    for step in range(60):
        write()
        if step % 4 == 3:
            health_cache.forget()  # now and then the next process, from the file
        assert health_cache.cached_compute(AS_OF) == health.compute(AS_OF), f"step {step}"
    brought_up_to_date = [ids for ids in reads if ids is not None]
    assert len(brought_up_to_date) >= 55  # (health.compute's own reads are the None ones)


def test_a_big_books_figures_are_read_back_from_their_file(fresh_cache, reads, monkeypatch):
    monkeypatch.setattr(health_cache, "KEEP_FIGURES_UP_TO", 1)
    ann = book.add_client("Ann Big", "", client_since=date(2026, 3, 1))
    book.add_deal(ann.id, "1000", won_on=date(2026, 3, 1))
    book.add_client("Bob Big", "")
    health_cache.cached_compute(AS_OF)
    book.add_interaction(ann.id, "call", when=datetime(2026, 11, 23, 9))
    after = health_cache.cached_compute(AS_OF)
    assert reads == [None, {ann.id}]
    assert after == health.compute(AS_OF)
