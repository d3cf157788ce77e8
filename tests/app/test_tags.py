"""Tags in the cockpit (issue 23, point 3): the client form's Tags field, the profile pane
showing them as text, and `#word` in the filter box, every key of a burst where it was
typed."""

from __future__ import annotations

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input, Static

from cockpit.storage import book
from cockpit.ui.screens.client_form import ClientForm
from cockpit.ui.screens.help_screen import HelpScreen
from tests.support.pilot import app_for, loaded, names, screen_text

NAMED = frozenset({"tab", "enter", "escape", "slash", "ctrl+e", "ctrl+s"})


def burst(app, *keys: str) -> None:
    """Keys as a terminal delivers a fast burst, all queued before any is handled: a key's
    name (NAMED) or text, a character at a time."""
    for key in keys:
        if key in NAMED:
            app.post_message(events.Key(key, "/" if key == "slash" else None))
            continue
        for character in key:
            app.post_message(events.Key(_character_to_key(character), character))


@pytest.fixture
def tagged(db, today):
    ann = book.add_client("Ann Smith", "Acme", tags=["golf", "Key account"])
    bob = book.add_client("Bob Jones", "Acme", tags=["Golfing", "board"])
    cara = book.add_client("Cara Golf", "Zeta", tags=["board"])  # "golf" in her name only
    dan = book.add_client("Dan Brown", "Umbrella", tags=["[bold]VIP[/bold]"])
    book.add_client("Eve Plain", "Acme")
    return {"ann": ann.id, "bob": bob.id, "cara": cara.id, "dan": dan.id}


async def test_a_tag_filter_typed_in_the_burst_right_after_slash_keeps_the_tagged(
    tagged, book_path
):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        burst(app, "slash", "#golf")
        await loaded(pilot)
        assert app.query_one("#filter", Input).value == "#golf"
        assert sorted(names(app)) == ["Ann Smith", "Bob Jones"]  # not Cara: a name is no tag
        burst(app, " ", "ann")  # a tag and a name
        await loaded(pilot)
        assert names(app) == ["Ann Smith"]
        await pilot.press("escape")
        burst(app, "slash", "#golf #board")  # every tag term applies
        await loaded(pilot)
        assert names(app) == ["Bob Jones"]
        await pilot.press("escape")
        burst(app, "slash", '#"key acc')  # a tag with a space, its quote not closed yet
        await loaded(pilot)
        assert names(app) == ["Ann Smith"]
        await pilot.press("escape")
        burst(app, "slash", "#")  # every tagged client
        await loaded(pilot)
        assert sorted(names(app)) == ["Ann Smith", "Bob Jones", "Cara Golf", "Dan Brown"]
        await pilot.press("escape")
        burst(app, "slash", "golf")  # without # a name, as before
        await loaded(pilot)
        assert names(app) == ["Cara Golf"]
        await pilot.press("escape")
        await loaded(pilot)
        assert len(names(app)) == 5


async def test_a_tag_filter_and_a_notes_search_apply_together(tagged, book_path):
    from datetime import datetime

    book.add_interaction(tagged["ann"], "call", when=datetime(2026, 11, 2), summary="Sailing")
    book.add_interaction(tagged["cara"], "call", when=datetime(2026, 11, 3), summary="Sailing")
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        burst(app, "slash", "?sail")
        await loaded(pilot)
        assert sorted(names(app)) == ["Ann Smith", "Cara Golf"]
        burst(app, " #golf")
        await loaded(pilot)
        assert names(app) == ["Ann Smith"]
        assert "call on 2026-11-02: Sailing" in screen_text(app)


async def test_tags_show_in_the_profile_pane_as_text_never_markup(tagged, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        burst(app, "slash", "#[b", "enter")
        await loaded(pilot)
        assert names(app) == ["Dan Brown"]
        assert "Tags          [bold]VIP[/bold]" in screen_text(app)
        burst(app, "slash")
        await loaded(pilot)
        assert app.query_one("#filter", Input).placeholder.startswith("Name or company, #tag")


async def test_tags_typed_in_the_burst_that_opens_the_edit_form_are_saved(tagged, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        burst(app, "slash", "dan", "enter")  # Dan Brown under the cursor
        await loaded(pilot)
        # e, then Tab to the Tags field (past company, title, emails, phones), then type.
        burst(app, "e", *["tab"] * 5, "ctrl+e", ", Sailing club,#golf", "ctrl+s")
        await loaded(pilot)
        assert len(app.screen_stack) == 1  # saved and closed
    assert book.tags_of(tagged["dan"]) == ["[bold]VIP[/bold]", "golf", "Sailing club"]


async def test_a_new_client_typed_with_tags_in_one_burst_keeps_them(db, today, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        burst(app, "n", "Bob", *["tab"] * 5, "golf, Key account, GOLF", "ctrl+s")
        await loaded(pilot)
        assert len(app.screen_stack) == 1
    (bob,) = book.client_candidates()
    assert book.tags_of(bob.id) == ["golf", "Key account"]


async def test_a_bad_tag_is_said_in_the_form_and_nothing_typed_is_lost(tagged, book_path):
    app = app_for(book_path)
    long = "x" * 41
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        burst(app, "slash", "dan", "enter")
        await loaded(pilot)
        burst(app, "e", *["tab"] * 5, "ctrl+e", f", ok, {long}", "ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, ClientForm)
        error = str(app.screen.query_one("#error", Static).render())
        assert f"the tag '{long}' is longer than 40 characters" in error
        assert app.screen.query_one("#tags", Input).value == f"[bold]VIP[/bold], ok, {long}"
    assert book.tags_of(tagged["dan"]) == ["[bold]VIP[/bold]"]


async def test_the_help_screen_says_how_to_filter_by_tag(db, today, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 60)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await loaded(pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(str(text.render()) for text in app.screen.query(Static))
        assert "#golf keeps the clients with a tag beginning with golf" in shown
