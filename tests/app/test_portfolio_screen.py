"""The portfolio in the cockpit (issue 23), driven by Pilot: `o` opens it in one burst with
`t` (the tables behind the charts), the headline and every chart's title on screen, the
figures the tables show equal to the portfolio's, names as typed."""

from __future__ import annotations

import pytest

from tests.support.histories import History, every, make
from tests.support.pilot import app_for, loaded, screen_text


@pytest.fixture
def book(db, today):
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
        for title in (
            "Time spent each month, by tier (hours)",
            "Revenue won each month, by tier (thousands, USD)",
            "The clients who took the most time, against their revenue (* peripheral)",
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
