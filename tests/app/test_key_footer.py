"""The footer: the screen's keys on one line, the most used first, the palette's on the
right; it follows the focus and what can be done now, a click on a key presses it, and a
key that cannot be used now is dim and only rings."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import pytest
from textual.app import App
from textual.binding import Binding

from cockpit.storage import book
from cockpit.ui.screens.log_form import LogForm
from cockpit.ui.widgets.key_footer import KeyFooter
from tests.support.pilot import app_for, loaded


@pytest.fixture
def ann(db, today) -> int:
    client = book.add_client("Ann Smith", "Acme")
    book.add_interaction(client, "call", when=datetime(2026, 11, 2, 10), summary="Talked")
    return client.id


def footer_line(app) -> str:
    return app.screen.query_one(KeyFooter).render().plain


async def test_the_keys_most_used_come_first_and_the_palette_last(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(160, 30)) as pilot:
        await loaded(pilot)
        line = footer_line(app)
        assert line.startswith(" l Log touch  w Review  n New client  / Filter  ? Help ")
        assert line.endswith("▏^p palette ") and len(line) == 160
    async with app_for(book_path).run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        line = footer_line(pilot.app)
        assert line.startswith("l Log touch w Review n New client / Filter ? Help")
        assert line.endswith("▏^p palette") and len(line) == 80


async def test_the_keys_follow_the_focus(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert "/ Filter" in footer_line(app)
        await pilot.press("slash")
        await pilot.pause()
        assert "/ Filter" not in footer_line(app)  # typing a filter: the box's keys
        await pilot.press("escape")
        await pilot.pause()
        assert "/ Filter" in footer_line(app)


async def test_a_click_on_a_key_presses_it(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        at = footer_line(app).index("Log touch")
        await pilot.click(KeyFooter, offset=(at, 0))
        await loaded(pilot)
        assert isinstance(app.screen, LogForm)


class Disabled(App):
    """A screen with a key that cannot be used now (its check says None: shown, dim)."""

    BINDINGS: ClassVar = [Binding("x", "export", "Export"), Binding("g", "go", "Go")]

    def compose(self):
        yield KeyFooter()

    def check_action(self, action: str, parameters) -> bool | None:
        return None if action == "export" else True

    def action_export(self) -> None:
        self.exported = True

    def action_go(self) -> None:
        self.went = True


async def test_a_key_that_cannot_be_used_now_is_dim_and_only_rings():
    app = Disabled()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        line = app.query_one(KeyFooter).render()
        export, go = line.plain.index("Export"), line.plain.index("Go")
        assert line.get_style_at_offset(app.console, export).dim
        assert not line.get_style_at_offset(app.console, go).dim
        rung = []
        app.bell = lambda: rung.append(True)
        await pilot.click(KeyFooter, offset=(export, 0))
        await pilot.click(KeyFooter, offset=(go, 0))
        await pilot.pause()
        assert rung == [True] and not hasattr(app, "exported") and app.went
