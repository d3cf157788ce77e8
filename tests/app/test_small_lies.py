"""What the cockpit says matches what it does (issue 20, point 9): headings, the palette,
the undo hint, the help screen, the editor's footer, the timeline's first touch."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual.widgets import Input, Static

from cockpit.storage import book
from cockpit.storage.models import Interaction
from cockpit.ui.bindings import help_sections
from cockpit.ui.screens.help_screen import _key
from cockpit.ui.screens.log_form import LogForm
from cockpit.ui.screens.review_screen import ReviewScreen
from cockpit.ui.widgets.timeline_pane import TimelinePane
from tests.support.pilot import app_for, loaded, notices, screen_text
from tests.support.profile_editor import open_editor


@pytest.fixture
def ann(db, today) -> int:
    client = book.add_client("Ann Smith", "Acme")
    book.add_interaction(client, "email", when=datetime(2026, 11, 9, 10), summary="Sent the quote")
    book.add_interaction(
        client, "call", when=datetime(2026, 11, 2, 10), summary="Asked", follow_up_on=None
    )
    return client.id


async def log_a_call(app, pilot) -> None:
    await loaded(pilot)
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(app.screen, LogForm)
    await pilot.press("c", "ctrl+s")
    await loaded(pilot)


async def test_the_review_heading_of_an_empty_week_has_no_empty_part(db, today, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("w")
        await loaded(pilot)
        assert isinstance(app.screen, ReviewScreen)
        heading = str(app.screen.query_one("#heading").render())
        assert "·  ·" not in heading
        assert "nothing to look after · 0 handled" in heading


async def test_the_palette_offers_keys_once(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Keys") == 1
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Keys", "enter")
        await loaded(pilot)
        assert "Every key of every screen" not in screen_text(app)  # the palette closed
        assert "Keys (Ctrl+P finds every action by name)" in screen_text(app)  # our help


async def test_the_undo_hint_stays_on_the_cockpit(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await log_a_call(app, pilot)
        assert "Press u to undo" in notices(app)
        await open_editor(pilot)
        assert "Press u to undo" not in notices(app)


async def test_u_too_late_says_why_nothing_was_undone(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await log_a_call(app, pilot)
        app.main.undo_deadline = 0.0  # the time to undo has passed
        app.refresh_bindings()
        await pilot.pause()
        await pilot.press("u")
        await loaded(pilot)
        assert "Too late to undo" in notices(app)
        assert Interaction.select().where(Interaction.client == ann).count() == 3


async def test_u_with_nothing_logged_says_so(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert "Nothing to undo" in notices(app)


def test_help_gives_each_key_one_meaning_under_each_heading():
    for title, bindings in help_sections():
        meanings: dict[str, set[str]] = {}
        for binding in bindings:
            for key in _key(binding).split(" / "):
                meanings.setdefault(key, set()).add(binding.description)
        doubled = {key: shown for key, shown in meanings.items() if len(shown) > 1}
        assert not doubled, f"{title}: {doubled}"


async def test_tab_into_the_timeline_selects_its_first_touch(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("tab", "tab")
        await pilot.pause()
        timeline = app.query_one(TimelinePane)
        assert app.focused is timeline
        assert timeline.selected_entry is not None
        assert timeline.selected_entry.summary == "Sent the quote"


async def test_one_wrong_value_is_counted_in_the_singular(profiled, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#f-wedding_anniversary", Input).value = "31 June"
        await pilot.press("ctrl+s")
        await pilot.pause()
        said = str(editor.query_one("#save-error", Static).render())
        assert "Nothing was saved: 1 value to correct." in said


async def test_one_open_item_is_counted_in_the_singular(db, today, book_path):
    for name in ("Ann Smith", "Bob Jones"):
        client = book.add_client(name, "Acme")
        book.add_interaction(client, "call", summary="Asked", follow_up_on=date(2026, 11, 25))
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("w")
        await loaded(pilot)
        await pilot.press("d")
        await loaded(pilot)
        await pilot.press("f")
        await loaded(pilot)
        assert "1 of 2 items has no answer yet; it" in screen_text(app)


async def test_the_editor_opens_with_its_footer(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.pause()
        last = [line for line in screen_text(app).splitlines() if line.strip()][-1]
        assert "Save" in last and "Next section" in last, last
