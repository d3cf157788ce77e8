"""The client list screen, driven with Textual's Pilot."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual.widgets import DataTable, Static
from textual.worker import WorkerFailed

from cockpit import health
from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation
from cockpit.ui.app import CockpitApp


async def _loaded(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_list_shows_every_client_with_its_last_touch(db, book_path, today):
    ann = book.add_client("Ann Smith", "Acme")
    book.add_client("Bob Jones", "Zeta")
    book.add_interaction(ann, "call", when=datetime(2026, 11, 2, 10))
    gone = book.add_client("Gone Client", "Old")
    book.add_deal(gone, 100, won_on=date(2024, 1, 1))
    drifter = book.add_client("Cara Drift", "Acme")
    book.add_deal(drifter, 5000, won_on=date(2026, 3, 1))
    book.add_interaction(drifter, "call", when=datetime(2026, 3, 2, 10))
    archived = book.add_client("Zed Archived")
    archived.archived = True
    archived.save()
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(100, 30)) as pilot:
        await _loaded(pilot)
        table = app.query_one("#clients", DataTable)
        assert table.row_count == 4
        rows = [[str(cell) for cell in table.get_row_at(n)] for n in range(4)]
        assert rows == [
            ["Ann Smith", "Acme", "  prospect", "3 weeks ago", "peripheral"],  # time, no revenue
            ["Bob Jones", "Zeta", "  prospect", "never", ""],
            ["Cara Drift", "Acme", "! drifting", "9 months ago", "core"],
            ["Gone Client", "Old", "! drifting", "never", ""],
        ]
        assert app.sub_title == "book.db"
        assert not app.query_one("#empty", Static).display
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0
        await pilot.press("q")
    assert app.return_code == 0


async def test_an_empty_book_says_how_to_start(db, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        empty = app.query_one("#empty", Static)
        assert empty.display
        assert "cockpit demo" in str(empty.render())
        assert not app.query_one("#clients", DataTable).display


async def test_names_are_shown_literally_never_as_markup_or_escapes(db, book_path):
    book.add_client("[bold red]Evil[/]", "[link=http://x]Co[/link]")
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(100, 24)) as pilot:
        await _loaded(pilot)
        table = app.query_one("#clients", DataTable)
        assert [str(cell) for cell in table.get_row_at(0)][:2] == [
            "[bold red]Evil[/]",
            "[link=http://x]Co[/link]",
        ]
        screen = app.export_screenshot()
        assert "[bold red]Evil[/]" in screen.replace("&#160;", " ")


async def test_escape_sequences_in_data_never_reach_the_terminal(db, book_path):
    client = book.add_client("Plain")
    # Stored by another program (an import, an older version): shown, but defused.
    client.name = "\x1b]0;pwned\x07\x1b[2JMallory"
    client.save()
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(100, 24)) as pilot:
        await _loaded(pilot)
        cell = str(app.query_one("#clients", DataTable).get_row_at(0)[0])
        assert cell == "␛]0;pwned␇␛[2JMallory"
        assert "\x1b" not in app.export_screenshot()


async def test_a_failure_while_loading_is_shown_not_swallowed(db, book_path, monkeypatch):
    from peewee import OperationalError

    book.add_client("Ann")

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(health, "compute", locked)
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(100, 24)) as pilot:
        with pytest.raises(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        notice = str(app.query_one("#empty", Static).render())
        assert "could not read the book" in notice
        assert "stayed locked by another program" in notice
        assert not app.query_one("#clients", DataTable).loading
