"""`cockpit serve` for the tests: a real server process on a book, and what the tests ask
of it over HTTP (the websocket included) with aiohttp's client."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import aiohttp

from cockpit.bench.served import Served, start
from tests.conftest import COCKPIT_VARIABLES


def require_browser() -> None:
    """Skip the test where no browser can be driven; in CI (CI set), which installs
    Chromium and Playwright, fail instead, so that a broken setup does not pass as a skip
    (COCKPIT_TEST_BROWSER=skip skips on purpose)."""
    import pytest

    from cockpit.bench.browser import browser_missing

    missing = browser_missing()
    if missing is None:
        return
    if os.environ.get("CI") and os.environ.get("COCKPIT_TEST_BROWSER") != "skip":
        pytest.fail(
            f"{missing}; CI is set, so this fails instead of skipping "
            "(set COCKPIT_TEST_BROWSER=skip to skip on purpose)",
            pytrace=False,
        )
    pytest.skip(missing)


def environment(home: Path, today: str, **extra: str) -> dict[str, str]:
    """An environment of its own under `home`, for a server started outside a test (a
    module's server, which the per-test environment of conftest does not reach)."""
    env = {name: value for name, value in os.environ.items() if name not in COCKPIT_VARIABLES}
    env["HOME"] = str(home)
    for variable, folder in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        env[variable] = str(home / folder)
    env["COCKPIT_TODAY"] = today
    return {**env, **extra}


@contextmanager
def serving(*arguments: str, env: Mapping[str, str] | None = None) -> Iterator[Served]:
    """`cockpit serve ARGUMENTS`, stopped at the end."""
    served = start(arguments, os.environ if env is None else env)
    try:
        yield served
    finally:
        served.stop()


def cookie_of(served: Served) -> dict[str, str]:
    """The Cookie header the page's token is traded for."""
    return {"Cookie": f"cockpit-token-{served.origin.rsplit(':', 1)[1]}={served.token}"}


async def get(
    served: Served, path: str, headers: Mapping[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of GET `path`, redirects not followed."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(served.origin + path, headers=headers, allow_redirects=False) as response,
    ):
        return response.status, dict(response.headers), await response.read()


async def session_opens(
    served: Served, path: str = "/ws", headers: Mapping[str, str] | None = None
) -> int:
    """The status of a websocket handshake at `path`: 101 once the app has drawn on it,
    else the HTTP status it was refused with."""
    async with aiohttp.ClientSession() as session:
        try:
            socket = await session.ws_connect(served.origin + path, headers=headers)
        except aiohttp.WSServerHandshakeError as error:
            return error.status
        async with socket:
            await first_drawing(socket)
            return 101


async def first_drawing(socket: aiohttp.ClientWebSocketResponse, timeout: float = 30) -> bytes:
    """The app's first screen bytes on a session's websocket."""
    async with asyncio.timeout(timeout):
        async for message in socket:
            if message.type == aiohttp.WSMsgType.BINARY and len(message.data) > 10:
                return message.data
    raise AssertionError("the session closed before the app drew anything")


def small_book(path: Path) -> Path:
    """A book at `path`: Ann Smith of Acme, born 1975-03-14, called on 2026-11-10 with a
    follow-up due 2026-12-01."""
    from datetime import date, datetime

    from cockpit.storage import book
    from cockpit.storage.database import DatabaseLocation, open_database

    db = open_database(DatabaseLocation(path, "--db"))
    try:
        ann = book.add_client("Ann Smith", "Acme")
        book.set_profile(ann, {"birth_date": "1975-03-14"})
        book.add_interaction(
            ann,
            "call",
            when=datetime(2026, 11, 10, 9, 15),
            summary="Promised the case study",
            follow_up_on=date(2026, 12, 1),
        )
    finally:
        db.close()
    return path


def children(pid: int) -> list[int]:
    """The processes `pid` started (Linux)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def gone(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return True
    return "\nState:\tZ" in status.read_text()  # ended, not yet reaped
