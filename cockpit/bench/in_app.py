"""The figures of the running app, headless in the bench's own process: filter
keystrokes and selecting a client."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from cockpit.bench import measure
from cockpit.bench.measure import Figure, ms

SCREEN = (120, 40)  # the terminal size the in-process app runs at


def _paint(widget) -> None:
    """Draw the widget's lines now, as the next screen refresh would (it then reuses them)."""
    from textual.geometry import Region

    widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))


def _drawn(pane):
    """The widget that draws a pane's lines: the pane itself, or its body where it has one."""
    from textual.css.query import NoMatches

    try:
        return pane.query_one("#profile-body")
    except NoMatches:
        return pane


async def _settle(pilot) -> None:
    """Wait until the workers (and those they start) are done and the screen is idle."""
    app = pilot.app
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            return


async def _in_app(
    book_path: Path, today: date, words: Sequence[str], picks: int, runs: int
) -> dict[str, list]:
    from textual.widgets import Input

    from cockpit import client_view
    from cockpit.storage.database import DatabaseLocation
    from cockpit.ui.app import CockpitApp
    from cockpit.ui.widgets.client_list import ClientList
    from cockpit.ui.widgets.profile_pane import ProfilePane
    from cockpit.ui.widgets.timeline_pane import TimelinePane

    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    found: dict[str, list] = {"keystrokes": [], "select": [], "shown": []}
    async with app.run_test(headless=True, size=SCREEN) as pilot:
        await _settle(pilot)
        clients = app.query_one(ClientList)
        if not clients.rows:
            raise RuntimeError("the app showed no clients")
        main = app.main
        main.action_filter()
        await _settle(pilot)
        box = app.query_one("#filter", Input)
        for run in range(runs):
            word = words[run % len(words)]
            times = []
            for length in range(1, len(word) + 1):
                with box.prevent(Input.Changed):  # the keystroke's handler runs below, timed
                    box.value = word[:length]
                started = time.perf_counter()
                main._apply(keep_client=None)
                _paint(clients)
                times.append(time.perf_counter() - started)
                found["shown"].append(len(clients.rows))
                await _settle(pilot)  # the panes follow the new first row, untimed
            found["keystrokes"].append(times)
            with box.prevent(Input.Changed):
                box.value = ""
            main._apply(keep_client=None)
            await _settle(pilot)
        rows = list(clients.rows)
        profile, timeline = app.query_one(ProfilePane), app.query_one(TimelinePane)
        body = _drawn(profile)
        step = max(1, len(rows) // picks)
        for row in rows[::step][:picks]:
            client_id = row.health.id
            verdict = main.by_id.get(client_id)
            started = time.perf_counter()
            with app.database.connection_context():
                detail = client_view.client_detail(client_id, main.today)
                entries = client_view.timeline(client_id)
            profile.show(detail, verdict, main.today)
            timeline.show(entries, main.today)
            _paint(body)
            _paint(timeline)
            found["select"].append(time.perf_counter() - started)
            await _settle(pilot)
    return found


def in_app(
    median: Figure,
    worst: Figure,
    select: Figure,
    book_path: Path,
    today: date,
    words: Sequence[str],
    runs: int,
) -> None:
    """Filter keystrokes and client selection inside the running app (headless).

    A keystroke is what the filter box's `Input.Changed` handler does, `_apply`
    (filter, rows, `set_rows`), plus drawing the list's lines; selecting a client
    is reading its profile and timeline and filling and drawing both panes.
    """
    found = asyncio.run(_in_app(book_path, today, words, max(5, 2 * runs), runs))
    keystrokes = found["keystrokes"]
    shown = found["shown"]
    median.record(
        [ms(measure.median(times)) for times in keystrokes],
        f"typing {', '.join(repr(w) for w in words[: len(keystrokes)])}; "
        f"{max(shown):,} to {min(shown):,} rows shown",
    )
    worst.record(
        [ms(max(times)) for times in keystrokes],
        "the slowest keystroke of each typed word (usually the first letter)",
    )
    select.record(
        [ms(seconds) for seconds in found["select"]],
        f"{len(found['select'])} clients across the list; client_detail + timeline + both panes",
    )
