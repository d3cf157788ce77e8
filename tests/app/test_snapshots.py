"""What the cockpit looks like on the demo book: a fixed size, a fixed today.

Update after an intended change with `pytest tests/app/test_snapshots.py --snapshot-update`
and look at the pictures in snapshot_report.html before committing them.
"""

from __future__ import annotations

from datetime import date

import pytest

from cockpit.demo import build_demo
from cockpit.profile.schema import ITEMS
from cockpit.storage.database import DatabaseLocation
from cockpit.ui.app import CockpitApp

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo_app(tmp_path, monkeypatch, write_config):
    # The demo's times of day are local: fix the zone, not only the day.
    write_config('timezone = "Europe/Amsterdam"\n')
    monkeypatch.setenv("COCKPIT_TODAY", TODAY.isoformat())
    path = tmp_path / "demo.db"
    build_demo(path, TODAY)
    return CockpitApp(DatabaseLocation(path, "demo"))


async def _settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_the_cockpit_on_the_demo_book(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(120, 36), run_before=_settle)


def test_the_cockpit_at_80_by_24(snap_compare, demo_app):
    async def select_third(pilot) -> None:
        await _settle(pilot)
        await pilot.press("j", "j")
        await _settle(pilot)

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=select_third)


def test_the_quick_log_form_at_80_by_24(snap_compare, demo_app):
    async def log_a_call(pilot) -> None:
        await _settle(pilot)
        await pilot.press("l", "c")
        await pilot.press(*"Lisbon")
        pilot.app.screen.query_one("#follow_up").value = "next friday"
        pilot.app.screen.query_one("#summary").cursor_blink = False  # drawn the same each run
        await _settle(pilot)

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=log_a_call)


def test_the_timeline_at_80_by_24_takes_the_room(snap_compare, demo_app):
    async def focus_the_timeline(pilot) -> None:
        await _settle(pilot)
        await pilot.press("tab", "tab")
        await _settle(pilot)

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=focus_the_timeline)


def test_the_profile_editor_at_80_by_24(snap_compare, demo_app):
    async def open_the_editor(pilot) -> None:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        for _ in range(100):  # every item mounted: the scrollbar is then the same each time
            if len(pilot.app.screen.query(".item")) == len(ITEMS):
                break
            await pilot.pause()
        pilot.app.focused.cursor_blink = False  # the cursor always shown, not half the time
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=open_the_editor)


def test_the_portfolio_on_the_demo_book(snap_compare, demo_app, write_config):
    write_config("capacity_hours_per_week = 2\n")  # the demo's plans need more

    async def portfolio(pilot) -> None:
        await _settle(pilot)
        await pilot.press("o")
        await _settle(pilot)

    assert snap_compare(demo_app, terminal_size=(120, 40), run_before=portfolio)


def test_the_portfolio_tables_at_80_by_24(snap_compare, demo_app, write_config):
    write_config("capacity_hours_per_week = 10\n")

    async def portfolio_tables(pilot) -> None:
        await _settle(pilot)
        await pilot.press("o", "t")
        await _settle(pilot)

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=portfolio_tables)
