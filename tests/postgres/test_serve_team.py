"""`cockpit serve` on a team book: each browser session runs as the rep the server was
started for (the URL in the app's environment, not in the process list)."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from cockpit.bench import browser as chromium
from cockpit.storage import book
from cockpit.storage.database import open_database, resolve_location
from tests.support.serving import (
    children,
    cookie_of,
    first_drawing,
    require_browser,
    serving,
)


def _adds(url: str, name: str) -> None:
    db = open_database(resolve_location(database_url=url))
    try:
        book.add_client(name, "Acme")
    finally:
        db.close()


async def test_each_session_runs_as_the_rep_the_server_was_started_for(team):
    urls, _ = team
    with serving("--database-url", urls["alice"]) as served:
        assert served.printed[0] == f"Cockpit in a browser, on the book {urls['alice']}:"
        async with aiohttp.ClientSession() as client:
            socket = await client.ws_connect(served.origin + "/ws", headers=cookie_of(served))
            await first_drawing(socket)
            (app,) = children(served.process.pid)
            command = Path(f"/proc/{app}/cmdline").read_bytes()
            environment = Path(f"/proc/{app}/environ").read_bytes().split(b"\0")
            await socket.close()
    assert f"COCKPIT_DATABASE_URL={urls['alice']}".encode() in environment
    assert b"postgres" not in command and served.token.encode() not in command


def test_in_the_browser_the_rep_sees_their_own_clients(team):
    require_browser()
    urls, _ = team
    _adds(urls["alice"], "Alice Client")
    _adds(urls["bob"], "Bob Client")
    with serving("--database-url", urls["alice"]) as served, chromium.chromium() as browser:
        page = chromium.new_page(browser)
        page.goto(served.page)
        shown = chromium.wait_for(page, lambda screen: bool(screen.shown_clients()))
        assert [name for name, _ in shown.shown_clients()] == ["Alice Client"]
        page.keyboard.press("t")  # the team's clients: bob's too
        team_view = chromium.wait_for(page, lambda screen: len(screen.shown_clients()) == 2)
        assert sorted(name for name, _ in team_view.shown_clients()) == [
            "Alice Client",
            "Bob Client",
        ]
