"""A key that opens a screen reading the book first (Enter: the profile editor, e: the
client form, w: the weekly review): what the user types while the book is read is meant for
that screen, and lands there, in order, not in the client list below it."""

from __future__ import annotations

import time

from textual import events
from textual.widgets import Input

from cockpit import client_view
from cockpit.errors import ValidationError
from cockpit.storage import book
from cockpit.ui.screens.client_form import ClientForm
from cockpit.ui.screens.profile_editor import ProfileEditor
from cockpit.ui.screens.review_screen import ReviewScreen
from cockpit.ui.widgets.client_list import ClientList
from tests.support.pilot import app_for, loaded, notices, screen_text
from tests.support.review_book import build_review_book

READ_SECONDS = 0.4  # long enough for the whole burst to arrive while the book is read


def burst(app, *keys: str) -> None:
    """Keys as a terminal delivers a fast burst: all queued before any is handled."""
    for key in keys:
        character = " " if key == "space" else key if len(key) == 1 else None
        app.post_message(events.Key(key, character))


def slowly(monkeypatch, module, name: str) -> None:
    read = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(READ_SECONDS)
        return read(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


async def test_a_burst_after_enter_goes_to_the_profile_editor(profiled, book_path, monkeypatch):
    book.add_client("Zed Young")  # a second client: j would move the list to him
    slowly(monkeypatch, book, "profile_answers")
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        burst(app, "enter", "H", "i", "n", "j")  # n: a new client, j: down, on the cockpit
        await loaded(pilot)
        assert isinstance(app.screen, ProfileEditor)
        assert len(app.screen_stack) == 2  # no client form under or over it
        assert app.screen.query_one("#f-name", Input).value == "Hinj"
        assert app.main.query_one(ClientList).selected.id == profiled


async def test_a_burst_after_e_goes_to_the_client_form(db, today, book_path, monkeypatch):
    book.add_client("Ann Smith", "Acme")
    book.add_client("Zed Young")
    slowly(monkeypatch, client_view, "client_detail")
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        burst(app, "e", "space", "J", "r", "tab", "n")
        await loaded(pilot)
        assert isinstance(app.screen, ClientForm)
        assert len(app.screen_stack) == 2
        # The name is selected as the form opens, as it is when nothing was typed ahead.
        assert app.screen.query_one("#name", Input).value == " Jr"
        assert app.screen.query_one("#company", Input).value == "n"
        assert app.focused.id == "company"


async def test_a_burst_after_w_goes_to_the_review(db, today, book_path, monkeypatch):
    from cockpit.review import keeping
    from cockpit.storage.models import ReviewAction

    build_review_book()
    slowly(monkeypatch, keeping, "open_review")
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        burst(app, "w", "n")  # n: skip in the review, a new client on the cockpit
        await loaded(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert len(app.screen_stack) == 2
        assert [action.step for action in ReviewAction.select()] == ["skipped"]
        assert "↷ skipped" in screen_text(app)


async def test_a_failed_read_gives_the_keys_back_to_the_cockpit(profiled, book_path, monkeypatch):
    book.add_client("Zed Young")

    def gone(client_id):
        time.sleep(READ_SECONDS)
        raise ValidationError("that client no longer exists")

    monkeypatch.setattr(book, "profile_shown", gone)
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        burst(app, "enter", "j")
        await loaded(pilot)
        assert "that client no longer exists" in notices(app)
        assert len(app.screen_stack) == 1
        assert app.main.query_one(ClientList).selected.name == "Zed Young"  # j moved down
