"""A big book's activity figures read on a second connection while the engine reads the
rest: the same figures as on one connection, and never a mix of two states of the book."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from cockpit.storage import alongside, health_facts
from cockpit.storage.database import DatabaseLocation, open_database
from tests.unit.conftest import DEMO_TODAY

RULES = {"window_days": 365, "recent_days": 90, "stake_days": 730, "currency": "USD"}


@pytest.fixture
def demo(demo_path, tmp_path):
    """A copy of the demo book, open: tests here write to it."""
    path = tmp_path / "demo.db"
    with sqlite3.connect(demo_path) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    database = open_database(DatabaseLocation(path, "--db"))
    yield path
    database.close()


def _facts(as_of: date = DEMO_TODAY):
    return health_facts.health_facts(as_of, **RULES)


def test_the_figures_read_alongside_are_those_read_on_one_connection(demo, monkeypatch):
    monkeypatch.setattr(alongside, "FROM_CLIENTS", 10**9)
    alone = _facts()
    started = []
    monkeypatch.setattr(alongside, "FROM_CLIENTS", 0)
    monkeypatch.setattr(alongside.Alongside, "start", _noting(started))
    both = _facts()
    assert started, "the second connection was not used"
    assert both == alone
    assert alone.minutes and alone.recent  # figures that can differ, not empty ones
    assert all(type(value) is tuple for value in both.recent.values())


def test_a_write_between_the_two_reads_is_not_mixed_in(demo, monkeypatch):
    """The second connection reads after another program logged a long call with the
    first client: its figures would count the call and the rest would not, so the
    engine reads them itself, in its own snapshot."""
    monkeypatch.setattr(alongside, "FROM_CLIENTS", 0)
    before = _facts()
    client_id = next(iter(before.minutes))
    run = alongside.Alongside.run

    def written_first(reader) -> None:
        with sqlite3.connect(demo) as other:
            other.execute(
                "INSERT INTO interaction (client_id, occurred_at, day, kind, intent, "
                "duration_min, summary, follow_up_done, created_at) "
                "VALUES (?, ?, ?, 'call', 'relationship', 500, 'A long call', 0, ?)",
                (
                    client_id,
                    f"{DEMO_TODAY} 09:00:00",
                    DEMO_TODAY.isoformat(),
                    f"{DEMO_TODAY} 09:00:00",
                ),
            )
        run(reader)

    monkeypatch.setattr(alongside.Alongside, "run", written_first)
    mixed = _facts()
    assert mixed == before  # the call came after this snapshot: not counted anywhere
    assert _facts().minutes[client_id] == before.minutes[client_id] + 500


def test_inside_a_transaction_one_connection_reads_everything(demo, monkeypatch):
    from cockpit.storage.models import database_proxy

    monkeypatch.setattr(alongside, "FROM_CLIENTS", 0)
    assert alongside.book_file(database_proxy.obj) == demo
    with database_proxy.atomic():
        assert alongside.book_file(database_proxy.obj) is None  # it would miss what is unsaved


def test_a_small_book_is_read_on_one_connection(demo):
    from cockpit.storage.models import database_proxy

    assert alongside.book_file(database_proxy.obj) is None  # the demo has 60 clients


def _noting(started: list):
    start = alongside.Alongside.start

    def noted(reader) -> None:
        started.append(reader)
        start(reader)

    return noted


def test_a_book_outside_wal_is_read_on_one_connection(demo, monkeypatch):
    """In rollback-journal mode a second reader would wait for a writer, and the writer
    for the first connection's read lock held meanwhile."""
    from cockpit.storage.models import database_proxy

    monkeypatch.setattr(alongside, "FROM_CLIENTS", 0)
    database_proxy.execute_sql("PRAGMA journal_mode = delete")
    assert alongside.book_file(database_proxy.obj) is None
