"""The cockpit in an 80x24 terminal (a laptop split, an SSH window): the keys used most
in the footer, panes that trade space, a narrow section list in the editor."""

from __future__ import annotations

from datetime import datetime

import pytest

from cockpit.storage import book
from cockpit.ui.widgets.profile_pane import ProfilePane
from cockpit.ui.widgets.timeline_pane import TimelinePane
from tests.support.pilot import app_for, loaded, screen_text
from tests.support.profile_editor import open_editor


@pytest.fixture
def ann(db, today) -> int:
    client = book.add_client("Ann Smith", "Acme", title="CFO")
    for day in range(1, 20):
        book.add_interaction(client, "call", when=datetime(2026, 10, day, 10), summary="Talked")
    return client.id


def footer(app) -> str:
    return [line for line in screen_text(app).splitlines() if line.strip()][-1]


async def test_the_footer_shows_the_keys_used_most(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for key in ("l Log touch", "w Review", "n New client", "/ Filter", "? Help"):
            assert key in footer(app)
        assert footer(app).endswith("^p palette")  # nothing shows through after it


async def test_the_panes_trade_space(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        profile, timeline = app.query_one(ProfilePane), app.query_one(TimelinePane)
        assert profile.size.height >= 9  # content lines, borders apart
        await pilot.press("tab")  # the profile pane
        await pilot.pause()
        assert profile.size.height > timeline.size.height
        await pilot.press("tab")  # the timeline
        await pilot.pause()
        assert timeline.size.height > profile.size.height


async def test_the_editor_leaves_the_fields_most_of_the_width(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        assert editor.query_one("#sections").size.width <= 28
        assert "Business background 0/14" in screen_text(app)  # still whole
        assert "^s Save" in footer(app) and "Previous section" in footer(app)


@pytest.fixture
def long_profiles(db, today) -> tuple[int, int]:
    """Two clients whose profile panes overflow at 80x24, each ending on sensitive answers."""
    ids = []
    for name, height in (("Ann Smith", "Tall"), ("Bob Jones", "Short")):
        client = book.add_client(name, "Acme", title="CFO", emails=[f"{name[0]}@acme.example"])
        book.add_interaction(client, "call", when=datetime(2026, 10, 1, 10), summary="Talked")
        book.set_profile(
            client,
            {
                "hobbies": [{"value": "sailing"}, {"value": "chess"}],
                "children": [{"name": "Mia", "birthday": "2015-11-02"}],
                "height": height,
                "weight": "Slim",
                "physical_traits": "Red glasses",
            },
        )
        ids.append(client.id)
    return ids[0], ids[1]


def pane_lines(app) -> str:
    """The profile pane's visible lines, as it draws them to the terminal."""
    pane = app.query_one(ProfilePane)
    return "\n".join(pane.render_line(y).text for y in range(pane.scrollable_content_region.height))


async def test_end_scrolls_the_profile_pane_to_its_last_line(long_profiles, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        pane = app.query_one(ProfilePane)
        assert pane.max_scroll_y > 0, "the profile must overflow for this test to mean anything"
        await pilot.press("tab", "end")  # the profile pane, then its last line
        await pilot.pause()
        shown = pane_lines(app)
        assert "Sensitive (r reveals" in shown  # the heading, wrapped at the pane's width
        assert shown.splitlines()[-1].startswith("Distinctive")  # the very last line


async def test_each_client_s_profile_starts_at_its_top(long_profiles, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("tab", "end")  # the first client's profile, scrolled to its end
        await pilot.pause()
        await pilot.press("shift+tab", "down")  # back to the list, the next client
        await loaded(pilot)
        first = pane_lines(app).splitlines()[0]
        assert first.split()[:2] in (["Ann", "Smith"], ["Bob", "Jones"])
        assert app.query_one(ProfilePane).scroll_y == 0


async def test_a_form_taller_than_the_terminal_opens_at_its_title(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("e")
        await pilot.pause(0.5)  # long enough for a scroll animation to have ended
        shown = screen_text(app)
        assert "Edit Ann Smith" in shown and "Name (required)" in shown
        assert app.screen.focused.id == "name"
