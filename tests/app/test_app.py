"""The cockpit screen, driven with Textual's Pilot."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual.widgets import Input, Static
from textual.worker import WorkerFailed

from cockpit.health import engine
from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation
from cockpit.ui.app import CockpitApp
from cockpit.ui.widgets.client_list import ClientList
from tests.support.pilot import loaded, names, screen_text


@pytest.fixture
def small_book(db, today):
    ann = book.add_client("Ann Smith", "Acme", emails=["ann@acme.example"])
    book.add_interaction(ann, "call", when=datetime(2026, 11, 2, 10), summary="Talked budgets")
    book.add_client("Bob Jones", "Zeta")
    drifter = book.add_client("Cara Drift", "Acme")
    book.add_deal(drifter, 5000, won_on=date(2026, 3, 1))
    book.add_interaction(drifter, "call", when=datetime(2026, 3, 2, 10))
    book.set_profile(
        drifter,
        {"hobbies": [{"value": "sailing"}], "confidential_subjects": "Her divorce"},
    )
    archived = book.add_client("Zed Archived")
    archived.archived = True
    archived.save()
    return {"ann": ann.id, "cara": drifter.id}


async def test_the_list_puts_those_needing_attention_first(small_book, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 60)) as pilot:
        await loaded(pilot)
        assert names(app) == ["Cara Drift", "Ann Smith", "Bob Jones"]  # archived left out
        text = screen_text(app)
        assert "! Cara Drift" in text
        assert "book.db · sorted by attention" in text
        assert "3 weeks ago" in text and "never" in text
        # The selected client's profile and timeline fill the panes.
        assert "Health        ! drifting, core" in text
        assert "Do not raise" in text and "Her divorce" not in text
        assert "sailing" in text
        await pilot.press("j")
        await loaded(pilot)
        assert app.query_one(ClientList).selected.name == "Ann Smith"
        text = screen_text(app)
        assert "ann@acme.example" in text and "Talked budgets" in text
        await pilot.press("k")
        assert app.query_one(ClientList).selected.name == "Cara Drift"
        await pilot.press("q")
    assert app.return_code == 0


async def test_slash_filters_as_you_type_and_escape_clears(small_book, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", "a", "c", "m", "e")
        assert app.query_one("#filter", Input).value == "acme"
        assert names(app) == ["Cara Drift", "Ann Smith"]  # in the chosen order: attention
        await pilot.press("q")  # typed into the filter, not a command
        assert app.is_running and names(app) == []
        await pilot.press("backspace", "enter")
        assert isinstance(app.focused, ClientList)
        await pilot.press("escape")
        assert app.query_one("#filter", Input).value == ""
        assert names(app) == ["Cara Drift", "Ann Smith", "Bob Jones"]


async def test_s_cycles_the_sort(small_book, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("s")
        assert app.sub_title.endswith("sorted by last touch")
        assert names(app) == ["Ann Smith", "Cara Drift", "Bob Jones"]
        assert app.query_one(ClientList).selected.name == "Cara Drift"  # the cursor stays put
        await pilot.press("s")
        assert names(app)[0] == "Cara Drift"  # revenue
        await pilot.press("s")
        assert names(app) == ["Ann Smith", "Bob Jones", "Cara Drift"]  # name


async def test_an_empty_book_says_how_to_start(db, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        empty = app.query_one("#empty", Static)
        assert empty.display
        text = str(empty.render())
        assert "cockpit demo" in text and "cockpit import" in text


async def test_names_and_notes_are_shown_literally(db, book_path, today):
    client = book.add_client("[bold red]Evil[/]", "[link=http://x]Co[/link]")
    client.name += "\x1b]0;pwned\x07\x1b[2J"
    client.save()
    touch = book.add_interaction(client, "call", when=datetime(2026, 11, 20, 9), summary="[b]x[/b]")
    touch.summary += "\x1b[31m"  # as another program might have stored it
    touch.save()
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(140, 30)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert "[bold red]Evil[/]␛]0;pwned␇␛[2J" in text
        assert "[link=http://x]Co[/link]" in text
        assert "[b]x[/b]␛[31m" in text
        assert "\x1b" not in app.export_screenshot()


async def test_a_failure_while_loading_is_shown_not_swallowed(db, book_path, monkeypatch):
    from peewee import OperationalError

    book.add_client("Ann")

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(engine, "read_facts", locked)
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(100, 24)) as pilot:
        with pytest.raises(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        notice = str(app.query_one("#empty", Static).render())
        assert "could not read the book" in notice
        assert "stayed locked by another program" in notice


async def test_names_show_before_the_verdicts(small_book, book_path, monkeypatch):
    """The first screenful does not wait for the health engine."""
    import threading

    from cockpit import health_cache
    from cockpit.ui.widgets.client_list import FirstLook

    release = threading.Event()
    real = health_cache.cached_compute

    def slow_compute(*args, **kwargs):
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(health_cache, "cached_compute", slow_compute)
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if app.query_one(ClientList).rows:
                break
        rows = app.query_one(ClientList).rows
        assert [r.health.name for r in rows] == ["Ann Smith", "Bob Jones", "Cara Drift"]
        assert all(isinstance(r.health, FirstLook) for r in rows)
        shown = screen_text(app)
        assert "Ann Smith" in shown and "…" in shown
        release.set()
        await loaded(pilot)
        assert not any(isinstance(r.health, FirstLook) for r in app.query_one(ClientList).rows)
        assert "drifting" in screen_text(app)


async def test_sorting_before_the_verdicts_keeps_the_names(small_book, book_path, monkeypatch):
    import threading

    from cockpit import health_cache

    release = threading.Event()
    real = health_cache.cached_compute
    monkeypatch.setattr(
        health_cache, "cached_compute", lambda *a, **k: (release.wait(10), real(*a, **k))[1]
    )
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if app.query_one(ClientList).rows:
                break
        await pilot.press("s")  # last touch
        assert len(app.query_one(ClientList).rows) == 3
        assert "sorted by last touch" in app.sub_title
        release.set()
        await loaded(pilot)
        assert names(app)[0] == "Ann Smith"  # the latest touch first


@pytest.fixture
def slow_verdicts(monkeypatch):
    """The health engine waits until released, so a test can act on the first page."""
    import threading

    from cockpit import health_cache

    release = threading.Event()
    real = health_cache.cached_compute
    monkeypatch.setattr(
        health_cache, "cached_compute", lambda *a, **k: (release.wait(10), real(*a, **k))[1]
    )
    return release


async def _first_page(app, pilot) -> None:
    for _ in range(50):
        await pilot.pause(0.05)
        if app.query_one(ClientList).rows:
            return


async def test_a_client_picked_on_the_first_page_stays_picked(small_book, book_path, slow_verdicts):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 30)) as pilot:
        await _first_page(app, pilot)
        await pilot.press("j")  # Bob Jones, second by name
        assert app.query_one(ClientList).selected.name == "Bob Jones"
        slow_verdicts.set()
        await loaded(pilot)
        assert app.query_one(ClientList).selected.name == "Bob Jones"
        assert "Bob Jones" in screen_text(app)


async def test_a_filtered_choice_on_the_first_page_stays_picked(
    small_book, book_path, slow_verdicts
):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 30)) as pilot:
        await _first_page(app, pilot)
        await pilot.press("slash")
        await pilot.press("a", "c", "m", "e", "enter")  # Ann Smith and Cara Drift: Acme
        first = app.query_one(ClientList).selected.name
        slow_verdicts.set()
        await loaded(pilot)
        assert app.query_one(ClientList).selected.name == first


async def test_a_load_overtaken_by_a_newer_one_shows_nothing(small_book, book_path, slow_verdicts):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 30)) as pilot:
        await _first_page(app, pilot)
        shown = []
        real_show = app.main._show_book
        app.main._show_book = lambda *args: (shown.append(args[-1]), real_show(*args))
        app.main.load_book(keep_client=2)  # a write elsewhere: a newer load takes over
        slow_verdicts.set()
        for _ in range(100):  # not `_loaded`: waiting on a cancelled worker raises
            await pilot.pause(0.05)
            if not any(worker.is_running for worker in app.workers):
                break
        await pilot.pause()
        assert shown == [2]  # the opening load, cancelled, handed nothing over
        assert app.query_one(ClientList).selected.id == 2
