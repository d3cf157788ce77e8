"""The portfolio in the cockpit (issue 23), driven by Pilot: `o` opens it in one burst with
`t` (the tables behind the charts), the headline and every chart's title on screen, the
figures the tables show equal to the portfolio's, names as typed."""

from __future__ import annotations

import pytest

from tests.support.histories import History, every, make
from tests.support.pilot import app_for, loaded, screen_text


@pytest.fixture
def book(db, today, write_config):
    write_config("capacity_hours_per_week = 10\n")
    make("Cora [b]Core[/b]", History(touches=every(10, 300), deals=[(200, 90_000)]))
    make("Pete Peri", History(touches=every(3, 360), deals=[(300, 500)], minutes=90))
    make("Dora Drift", History(touches=every(6, 330, 100), deals=[(340, 30_000)]))


async def test_o_shows_the_charts_and_t_the_tables_behind_them(book, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 200)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await loaded(pilot)
        assert type(app.screen).__name__ == "PortfolioScreen"
        shown = screen_text(app)
        assert "Core clients: " in shown and "of your time" in shown
        assert "Your plans need " in shown and "of the 10 h you said you have." in shown
        for title in (
            "What your plans need each week, by tier (hours; you said 10 h)",
            "Time spent each month, by tier (hours)",
            "Revenue won each month, by tier (thousands, USD)",
            "The top time sinks against their revenue (* peripheral)",
            "Gives and asks each month",
            "Touches each week",
            "Clients drifting at each month's end",
        ):
            assert title in shown
        assert "Pete Peri *" in shown  # the peripheral time sink, marked
        assert "working out the history" not in shown  # drawn once read, after the rest
        await pilot.press("t")
        await loaded(pilot)
        shown = screen_text(app)
        assert "Time spent and revenue won each month, by tier" in shown
        assert "Cora [b]Core[/b]" in shown  # a name as typed, never markup
        assert "Nov 2026 (today)" in shown
        assert "What your plans need each week, by tier; you said 10 h" in shown
        await pilot.press("escape")
        assert type(app.screen).__name__ == "MainScreen"


async def test_a_burst_after_o_lands_on_the_portfolio(book, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 60)) as pilot:
        await loaded(pilot)
        await pilot.press("o", "t", "escape", "o")  # typed before the portfolio is read
        await loaded(pilot)
        assert type(app.screen).__name__ == "PortfolioScreen"
        assert app.screen.tables is False  # opened again, on its charts


async def test_the_first_opening_asks_for_the_hours_and_writes_them(book, book_path, write_config):
    config = write_config('# mine\ncurrency = "EUR"\n\n[health]\ncore_share = 0.8\n')
    app = app_for(book_path)
    async with app.run_test(size=(120, 60)) as pilot:
        await loaded(pilot)
        await pilot.press("o", "7", ".", "5", "enter")  # typed before the question shows
        await loaded(pilot)
        assert type(app.screen).__name__ == "PortfolioScreen"
        assert "of the 7.5 h you said you have." in screen_text(app)
        assert config.read_text() == (
            '# mine\ncurrency = "EUR"\ncapacity_hours_per_week = 7.5\n'
            "\n[health]\ncore_share = 0.8\n"
        )
        await pilot.press("c", "ctrl+u", "x", "enter")  # c changes them; a word is refused
        await loaded(pilot)
        assert "Type a number of hours" in screen_text(app)
        await pilot.press("escape", "escape", "o")
        await loaded(pilot)
        assert type(app.screen).__name__ == "PortfolioScreen"  # asked once: not again
        assert "capacity_hours_per_week = 7.5" in config.read_text()


async def test_esc_leaves_the_hours_unsaid_for_the_session(db, today, book_path, home):
    make("Cora Core", History(touches=every(10, 300), deals=[(200, 90_000)]))
    app = app_for(book_path)
    async with app.run_test(size=(120, 60)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await loaded(pilot)
        assert type(app.screen).__name__ == "CapacityPrompt"
        await pilot.press("escape")
        await loaded(pilot)
        assert "Press c to say how many hours a week you have." in screen_text(app)
        await pilot.press("escape", "o")
        await loaded(pilot)
        assert type(app.screen).__name__ == "PortfolioScreen"
        assert not (home / "config" / "cockpit" / "config.toml").exists()
