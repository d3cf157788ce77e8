"""Driving the cockpit with Textual's Pilot: waiting, reading the screen, typing."""

from __future__ import annotations

import html
import re


async def loaded(pilot) -> None:
    """Wait until every worker (and the ones they start in turn) has finished.

    An exclusive worker started again (the book watch's every-second check while a test
    calls it too) cancels the one before it: that one is done, not failed."""
    from textual.worker import WorkerCancelled

    for _ in range(20):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            await pilot.pause()
            return


def screen_text(app) -> str:
    """What the terminal shows, as plain text (from the SVG screenshot)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def names(app) -> list[str]:
    """The names in the client list, top to bottom."""
    from cockpit.ui.widgets.client_list import ClientList

    return [row.health.name for row in app.query_one(ClientList).rows]


def notices(app) -> str:
    """Every notification the app has shown and still shows."""
    return "\n".join(str(notification.message) for notification in app._notifications)


def app_for(book_path):
    """The cockpit on the book at book_path, as `cockpit --db book_path` opens it."""
    from cockpit.storage.database import DatabaseLocation
    from cockpit.ui.app import CockpitApp

    return CockpitApp(DatabaseLocation(book_path, "--db"))


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space", ",": "comma", "-": "minus"}.get(c, c) for c in text])
