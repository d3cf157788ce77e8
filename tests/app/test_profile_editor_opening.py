"""The Mackay 66 editor opens with its first items and mounts the rest after the first frame;
what the user types meanwhile, however fast, lands where it was meant, and saving early
keeps every other answer."""

from __future__ import annotations

import asyncio
import time

from textual import events
from textual.widgets import Input, Static
from textual.worker import WorkerCancelled

from cockpit.profile.schema import ITEMS
from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation
from cockpit.ui.app import CockpitApp
from cockpit.ui.screens.profile_editor import ProfileEditor
from cockpit.ui.screens.profile_form import FIRST_PART_ITEMS, PARTS
from tests.support.pilot import loaded
from tests.support.profile_editor import STORED, open_editor


def burst(app, *keys: str) -> None:
    """Keys as a terminal delivers a fast burst: all queued before any is handled."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def editor_pushed(pilot) -> ProfileEditor:
    """Enter on the selected client; back as soon as the editor is the screen, before
    it is built."""
    app = pilot.app
    await loaded(pilot)
    burst(app, "enter")
    deadline = time.monotonic() + 10
    while not isinstance(app.screen, ProfileEditor):
        assert time.monotonic() < deadline
        await asyncio.sleep(0)
    return app.screen


async def editor_drawn(pilot) -> ProfileEditor:
    """Back as soon as the editor has focused its first field, the rest not mounted yet."""
    editor = await editor_pushed(pilot)
    deadline = time.monotonic() + 10
    while pilot.app.focused is None:
        assert time.monotonic() < deadline
        await asyncio.sleep(0)
    return editor


async def settled(pilot) -> None:
    """`_loaded`, for an editor closed before it was all mounted: that work is cancelled."""
    for _ in range(20):
        try:
            await loaded(pilot)
        except WorkerCancelled:
            continue
        return


def items_mounted(editor: ProfileEditor) -> list[int]:
    return [int(item.id.removeprefix("item-")) for item in editor.query(".item")]


async def test_keys_typed_as_it_opens_land_in_the_first_fields(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await editor_pushed(pilot)
        assert app.focused is None  # the screen is still being built
        burst(app, "H", "i", "tab", "B", "tab", "C", "shift+tab")
        await loaded(pilot)
        assert editor.query_one("#f-name", Input).value == "Hi"
        assert editor.query_one("#f-nickname", Input).value == "B"  # Tab selected "Annie"
        assert editor.query_one("#f-job_title", Input).value == "C"
        assert app.focused.id == "f-nickname"
        changes, errors = editor.collect()
        assert changes == {"name": "Hi", "nickname": "B", "job_title": "C"} and not errors


async def test_the_first_frame_has_the_first_items_and_the_rest_follows_in_order(
    profiled, book_path
):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await editor_drawn(pilot)
        assert app.focused.id == "f-name"
        assert items_mounted(editor) == list(range(1, FIRST_PART_ITEMS + 1))
        await loaded(pilot)
        assert items_mounted(editor) == [item.number for item in ITEMS]
        assert not editor.changed  # mounting later is not a change


async def test_tab_reaches_the_fields_of_later_sections_in_order(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)  # all mounted: the order Tab must follow
        order = [widget.id for widget in editor.focus_chain]
        await pilot.press("escape")
        await loaded(pilot)
        start = order.index("f-name")
        target = order.index("f-spouse_name")  # in Family, the third section
        editor = await editor_drawn(pilot)
        assert len(items_mounted(editor)) < len(ITEMS)
        burst(app, *["tab"] * (target - start), "Z", "o", "e")
        await loaded(pilot)
        assert app.focused.id == "f-spouse_name"
        assert editor.query_one("#f-spouse_name", Input).value == "Zoe"
        assert [widget.id for widget in editor.focus_chain] == order
        await pilot.press("ctrl+s")  # the only change: Zoe
        await loaded(pilot)
    assert book.profile_answers(profiled)["spouse_name"] == "Zoe"


async def test_shift_tab_from_the_buttons_reaches_the_last_field_at_once(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        last_field = [widget.id for widget in editor.focus_chain][-3]  # then Save, Leave
        await pilot.press("escape")
        await loaded(pilot)
        editor = await editor_drawn(pilot)
        burst(app, "shift+tab", "shift+tab", "shift+tab", "shift+tab", "x")
        await loaded(pilot)  # the list of sections, Leave, Save, then the last field
        assert app.focused.id == last_field
        assert editor.changed


async def test_saving_before_the_rest_is_mounted_keeps_every_other_answer(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await editor_drawn(pilot)
        assert len(items_mounted(editor)) < len(ITEMS)
        burst(app, "tab", "A", "n", "n", "ctrl+s")  # typed and saved at once
        await settled(pilot)
        assert not isinstance(app.screen, ProfileEditor)
        assert editor.saved == {"nickname": "Ann"}  # Tab selected "Annie"
    assert book.profile_answers(profiled) == {**STORED, "nickname": "Ann"}


async def test_a_wrong_value_in_a_section_reached_early_is_still_refused(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await editor_drawn(pilot)
        # Family's first field is a choice; four Tabs on is the anniversary.
        burst(app, "ctrl+down", "ctrl+down", *["tab"] * 4, *"31 June", "ctrl+s")
        await loaded(pilot)
        assert app.screen is editor
        assert app.focused.id == "f-wedding_anniversary"
        error = str(editor.query_one("#f-wedding_anniversary-error", Static).render())
        assert "Anniversary: --06-31 is not a date on the calendar" in error
    assert book.profile_answers(profiled) == STORED


async def test_leaving_while_it_opens_never_breaks_the_cockpit(profiled, book_path):
    """Esc while the rest of the form is still being mounted: a mounting step that goes on
    after the editor was left (its sections removed) stops quietly, and the cockpit carries
    on (it used to fail on a section no longer there)."""
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await editor_drawn(pilot)
        assert len(items_mounted(editor)) < len(ITEMS)
        burst(app, "escape")
        deadline = time.monotonic() + 10
        while app.screen is editor or editor.is_attached:
            assert time.monotonic() < deadline
            await asyncio.sleep(0)
        await editor._mount_through(len(PARTS) - 1)  # as the worker would, too late
        await settled(pilot)
        assert app.is_running and app.return_code is None
