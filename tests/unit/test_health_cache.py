"""Cached health verdicts: reused while the book, the day and the rules stay the same,
recomputed after any write from any connection, and kept on disk without names."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date, datetime

import pytest

from cockpit import health, health_cache
from cockpit.cli import main
from cockpit.health import engine
from cockpit.storage import book, revision
from cockpit.storage.models import Client
from tests.support.paths import FIXTURES

AS_OF = date(2026, 11, 23)


@pytest.fixture
def small_book(db, today):
    health_cache.forget()
    ann = book.add_client("Ann Secretname", "Acme", client_since=date(2026, 1, 5))
    bob = book.add_client("Bob Otherclient", "Globex", client_since=date(2025, 3, 1))
    book.add_deal(ann.id, "5000", won_on=date(2026, 1, 5))
    book.add_deal(bob.id, "400", won_on=date(2026, 3, 1))
    book.add_interaction(ann.id, "call", when=datetime(2026, 11, 2, 10))
    book.add_interaction(bob.id, "meeting", when=datetime(2026, 5, 2, 10), duration_min=600)
    yield db, ann, bob
    health_cache.forget()


def _refuse_to_compute(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("computed afresh although nothing changed")

    monkeypatch.setattr(engine, "read_facts", refuse)
    monkeypatch.setattr(engine, "judged", refuse)


def test_the_cache_gives_what_the_engine_gives_and_reuses_it(small_book, monkeypatch):
    first = health_cache.cached_compute(AS_OF)
    assert first == health.compute(AS_OF)
    _refuse_to_compute(monkeypatch)
    assert health_cache.cached_compute(AS_OF) == first
    assert [v.name for v in health_cache.cached_compute(AS_OF, only=[first[1].id])] == [
        first[1].name
    ]


def test_a_write_from_another_connection_is_seen(small_book, book_path):
    _, ann, _ = small_book
    before = {v.id: v for v in health_cache.cached_compute(AS_OF)}
    with sqlite3.connect(book_path) as other:  # another process, or the sqlite3 shell
        other.execute("UPDATE client SET name = 'Ann Renamed' WHERE id = ?", (ann.id,))
    after = {v.id: v for v in health_cache.cached_compute(AS_OF)}
    assert before[ann.id].name == "Ann Secretname"
    assert after[ann.id].name == "Ann Renamed"


def test_a_logged_touch_changes_the_verdict(small_book):
    _, _, bob = small_book
    before = {v.id: v for v in health_cache.cached_compute(AS_OF)}[bob.id]
    book.add_interaction(bob.id, "call", when=datetime(2026, 11, 20, 9))
    after = {v.id: v for v in health_cache.cached_compute(AS_OF)}[bob.id]
    assert before.last_touch == date(2026, 5, 2)
    assert after.last_touch == date(2026, 11, 20)


def test_another_day_or_other_rules_are_computed_afresh(small_book, write_config):
    today = health_cache.cached_compute(AS_OF)
    later = health_cache.cached_compute(date(2027, 6, 1))
    assert later == health.compute(date(2027, 6, 1)) != today
    write_config("[health]\nrecent_days = 30\n")
    assert health_cache.cached_compute(AS_OF) == health.compute(AS_OF)
    assert health_cache.cached_compute(AS_OF)[0].rules.recent_days == 30


def test_a_new_process_reads_the_file_which_holds_no_names(small_book, book_path, monkeypatch):
    first = health_cache.cached_compute(AS_OF)
    health_cache.written()
    file = health_cache.cache_file_for(str(book_path))
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    for kept in (file.read_bytes(), file.with_suffix(".facts").read_bytes()):
        assert b"Secretname" not in kept and b"Acme" not in kept
    health_cache.forget()  # what a new process starts with
    _refuse_to_compute(monkeypatch)
    assert health_cache.cached_compute(AS_OF) == first


def test_a_forgotten_client_leaves_the_cache_with_the_book(small_book, book_path):
    _, ann, _ = small_book
    health_cache.cached_compute(AS_OF)
    book.delete_client(ann.id)
    health_cache.forget()
    assert [v.name for v in health_cache.cached_compute(AS_OF)] == ["Bob Otherclient"]


@pytest.mark.parametrize("damage", [b"", b"not marshal at all", b"\xe3\x00\x00"])
def test_a_damaged_cache_file_is_computed_afresh(small_book, book_path, damage):
    first = health_cache.cached_compute(AS_OF)
    health_cache.written()
    health_cache.cache_file_for(str(book_path)).write_bytes(damage)
    health_cache.cache_file_for(str(book_path)).with_suffix(".facts").write_bytes(damage)
    health_cache.forget()
    assert health_cache.cached_compute(AS_OF) == first


def test_verdicts_inside_an_open_transaction_are_never_kept(small_book, book_path):
    db, ann, _ = small_book
    with db.atomic() as transaction:
        Client.update(name="Ann Uncommitted").where(Client.id == ann.id).execute()
        inside = health_cache.cached_compute(AS_OF)
        transaction.rollback()
    assert "Ann Uncommitted" in [v.name for v in inside]
    assert not health_cache.cache_file_for(str(book_path)).exists()
    assert "Ann Uncommitted" not in [v.name for v in health_cache.cached_compute(AS_OF)]


def test_the_revision_counts_every_change_and_each_book_is_its_own(small_book):
    db, ann, _ = small_book
    first = revision.current(db)
    book.add_interaction(ann.id, "email", when=datetime(2026, 11, 21, 9))
    second = revision.current(db)
    assert second.book == first.book and second.changes > first.changes
    with sqlite3.connect(FIXTURES / "schema_v3.db") as other:
        (other_book,) = other.execute("SELECT book FROM book_revision").fetchone()
    assert other_book != first.book


def test_cockpit_clients_uses_the_cache_of_an_earlier_process(
    small_book, monkeypatch, capsys, book_path
):
    assert main(["--db", str(book_path), "clients", "ann"]) == 0
    first = capsys.readouterr().out
    health_cache.forget()
    _refuse_to_compute(monkeypatch)
    assert main(["--db", str(book_path), "clients", "ann"]) == 0
    assert capsys.readouterr().out == first
    assert "Ann Secretname" in first and "Bob" not in first


def test_every_status_comes_back_from_the_file_as_the_engine_gave_it(db, today, monkeypatch):
    """Recovering and lapsed are derived from history: a new process reading the cache file
    and `--as-of` agree with the engine, whatever the status."""
    health_cache.forget()
    won = date(2025, 1, 6)
    honeymoon = [date(2025, 1, 6 + 7 * week) for week in range(4)]
    histories = {
        "Lapsed": (date(2023, 3, 1), [date(2023, 3, 2)]),
        "Recovering": (won, [*honeymoon, date(2025, 6, 1), date(2025, 9, 1)]),
        "Drifting": (won, [*honeymoon, date(2025, 6, 1)]),
        "Steady": (
            won,
            [*honeymoon, *(date(2025, month, 10) for month in range(2, 9)), date(2025, 8, 30)],
        ),
        "Honeymoon": (date(2025, 8, 1), [date(2025, 8, 25)]),
        "Prospect": (None, [date(2025, 8, 1)]),
    }
    for name, (won_on, touches) in histories.items():
        client = book.add_client(name, "")
        if won_on:
            book.add_deal(client.id, "1000", won_on=won_on)
        for day in touches:
            book.add_interaction(client.id, "call", when=datetime.combine(day, datetime.min.time()))
    as_of = date(2025, 9, 1)
    fresh = health.compute(as_of)
    assert {v.name: v.health.value for v in fresh} == {name: name.lower() for name in histories}
    assert health_cache.cached_compute(as_of) == fresh  # kept in the file
    health_cache.forget()  # what a new process starts with
    _refuse_to_compute(monkeypatch)
    assert health_cache.cached_compute(as_of) == fresh
    health_cache.forget()


def test_those_needing_attention_are_read_alone_from_the_file(small_book, monkeypatch):
    everyone = health_cache.cached_compute(AS_OF)
    wanted = [verdict for verdict in everyone if verdict.needs_attention]
    assert wanted and len(wanted) < len(everyone)
    health_cache.forget()  # what a new process starts with
    _refuse_to_compute(monkeypatch)
    assert health_cache.cached_needing_attention(AS_OF) == wanted


def test_held_writes_reach_the_file_when_the_block_ends(small_book, book_path):
    """The cockpit shows its verdicts before they are written (writing takes Python's
    lock); they are written all the same, and at once when this thread needs them."""
    file = health_cache.cache_file_for(str(book_path))
    with health_cache.writes_held():
        first = health_cache.cached_compute(AS_OF)
        assert not file.exists()
    health_cache.written()
    assert file.exists()
    health_cache.forget()
    assert health_cache.cached_compute(AS_OF) == first


def test_figures_needed_inside_the_block_are_written_first(small_book, book_path, monkeypatch):
    """A write inside the block: on a big book the figures to bring the verdicts up to
    date come from the file, so those held for it are written then, and used."""
    _, ann, _ = small_book
    monkeypatch.setattr(health_cache, "KEEP_FIGURES_UP_TO", 0)  # as above 20,000 clients
    read_back = []
    read_facts = health_cache._read_facts
    monkeypatch.setattr(
        health_cache, "_read_facts", lambda *a, **k: read_back.append(a) or read_facts(*a, **k)
    )
    file = health_cache.cache_file_for(str(book_path))
    with health_cache.writes_held():
        health_cache.cached_compute(AS_OF)
        assert not file.exists()
        book.add_interaction(ann.id, "meeting", when=datetime(2026, 11, 20, 10))
        after = health_cache.cached_compute(AS_OF)
        assert file.exists() and read_back
    assert after == health.compute(AS_OF)


def test_a_figures_file_cut_short_is_read_afresh(small_book, book_path, monkeypatch):
    """Cut after a whole value (two of its five dicts): nothing is read from it, and
    the verdicts are worked out from the book."""
    _, ann, _ = small_book
    monkeypatch.setattr(health_cache, "KEEP_FIGURES_UP_TO", 0)
    health_cache.cached_compute(AS_OF)
    health_cache.written()
    facts = health_cache.cache_file_for(str(book_path)).with_suffix(".facts")
    values = list(health_cache._read_values(facts))
    health_cache._write_values(facts, values[:-3])
    assert health_cache._read_facts(facts.with_suffix(".verdicts"), values[1]) is None
    book.add_interaction(ann.id, "meeting", when=datetime(2026, 11, 20, 10))
    health_cache.forget()
    assert health_cache.cached_compute(AS_OF) == health.compute(AS_OF)


def test_a_write_that_fails_leaves_no_file_behind(tmp_path):
    def values():
        yield "a value"
        raise ValueError("a value that cannot be kept")

    with pytest.raises(ValueError):
        health_cache._write_values(tmp_path / "x.verdicts", values())
    assert list(tmp_path.iterdir()) == []
