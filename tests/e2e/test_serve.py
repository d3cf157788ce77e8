"""`cockpit serve` over HTTP: every route refuses a request without the token and answers
with it, the websocket opens only from the page itself, the page loads nothing from
another host, the session's app never sees the token, and Ctrl+C ends it all."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from pathlib import Path

import pytest

from cockpit.storage.database import DatabaseLocation
from tests.support.serving import (
    children,
    cookie_of,
    get,
    gone,
    serving,
    session_opens,
    small_book,
)

pytestmark = pytest.mark.slow

# Each route the server has, by what it is: the page, textual-serve's script and font, the
# page's own script, a download, the calendar, and a path that is no route.
ROUTES = {
    "page": "/",
    "script": "/static/js/textual.js",
    "font": "/static/fonts/RobotoMono-VariableFont_wght.ttf",
    "page script": "/page/page.js",
    "download": "/download/0123456789abcdef",
    "calendar": "/cockpit.ics",
    "no route": "/nothing-here",
}
# What each answers with the token: the download's key is unknown, so the guard let it
# through to textual-serve, which has no such download.
ANSWERS = {"download": 404, "no route": 404}


async def test_every_route_refuses_a_request_without_the_token(served):
    wrong = "x" * len(served.token)
    for route, path in ROUTES.items():
        for headers, query in (
            ({}, ""),
            ({}, f"?token={wrong}"),
            ({"Cookie": f"cockpit-token-{served.origin.rsplit(':', 1)[1]}={wrong}"}, ""),
        ):
            status, _, body = await get(served, path + query, headers)
            assert status == 403, (route, headers, query)
            assert body.startswith(b"Forbidden: this address needs the token"), route
    assert await session_opens(served) == 403
    assert await session_opens(served, f"/ws?token={wrong}") == 403


async def test_with_the_token_every_route_answers(served):
    for route, path in ROUTES.items():
        status, _, _ = await get(served, path, cookie_of(served))
        assert status == ANSWERS.get(route, 200), route
        status, _, _ = await get(served, f"{path}?token={served.token}")
        assert status == (303 if route == "page" else ANSWERS.get(route, 200)), route
    assert await session_opens(served, headers=cookie_of(served)) == 101
    assert await session_opens(served, f"/ws?token={served.token}") == 101


async def test_the_token_in_the_address_becomes_a_cookie_and_leaves_the_address(served):
    status, headers, _ = await get(served, f"/?token={served.token}&fontsize=20")
    assert status == 303
    assert headers["Location"] == "./?fontsize=20"
    cookie = headers["Set-Cookie"]
    port = served.origin.rsplit(":", 1)[1]
    assert cookie.startswith(f"cockpit-token-{port}={served.token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    status, headers, page = await get(served, "/?fontsize=20", cookie_of(served))
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert b"<title>Cockpit \xc2\xb7 book.db</title>" in page
    assert b'data-font-size="20"' in page
    assert served.token.encode() not in page


async def test_the_page_loads_nothing_from_another_host(served):
    _, headers, page = await get(served, "/", cookie_of(served))
    links = re.findall(rb'(?:src|href)="([^"]*)"', page)
    assert links and all(b"//" not in link for link in links), links
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and headers["X-Frame-Options"] == "DENY"
    _, _, style = await get(served, "/page/page.css", cookie_of(served))
    assert re.findall(rb"url\(\"([^\"]*)\"\)", style) == [
        b"../static/fonts/RobotoMono-VariableFont_wght.ttf",
        b"../static/fonts/RobotoMono-Italic-VariableFont_wght.ttf",
    ]
    for font in (b"RobotoMono-VariableFont_wght.ttf", b"RobotoMono-Italic-VariableFont_wght.ttf"):
        status, headers, _ = await get(served, "/static/fonts/" + font.decode(), cookie_of(served))
        assert status == 200


async def test_a_websocket_from_another_site_is_refused(served):
    port = served.origin.rsplit(":", 1)[1]
    for origin in ("http://evil.example", f"http://evil.example:{port}", "null"):
        headers = {**cookie_of(served), "Origin": origin}
        assert await session_opens(served, headers=headers) == 403, origin
    own = {**cookie_of(served), "Origin": served.origin}
    assert await session_opens(served, headers=own) == 101
    behind_a_proxy = {
        **cookie_of(served),
        "Origin": "https://cockpit.example.com",
        "X-Forwarded-Host": "cockpit.example.com",
    }
    assert await session_opens(served, headers=behind_a_proxy) == 101


async def test_the_calendar_key_opens_the_calendar_and_nothing_else(served):
    key = served.calendar.split("/calendar/")[1].split("/")[0]
    assert key != served.token
    status, headers, body = await get(served, f"/calendar/{key}/cockpit.ics")
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"Birthday: Ann Smith (Acme)" in body
    assert (await get(served, f"/?token={key}"))[0] == 403
    assert (await get(served, f"/cockpit.ics?token={key}"))[0] == 403
    assert (await get(served, f"/calendar/{served.token}/cockpit.ics"))[0] == 403
    assert (await get(served, f"/calendar/{key[:-1]}x/cockpit.ics"))[0] == 403
    assert await session_opens(served, f"/ws?token={key}") == 403


def test_what_it_prints(served, book_file):
    lines = served.printed
    assert lines[0] == f"Cockpit in a browser, on the book {book_file}:"
    assert re.fullmatch(r"  http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]{43}", lines[1])
    assert lines[2] == "The calendar, for a phone or a calendar program to subscribe to:"
    assert re.fullmatch(
        r"  http://127\.0\.0\.1:\d+/calendar/[A-Za-z0-9_-]{43}/cockpit\.ics", lines[3]
    )
    assert lines[-1] == "Ctrl+C stops the server."


async def test_two_servers_on_one_machine_keep_their_own_tokens(served, book_file):
    with serving("--db", str(book_file)) as other:
        assert other.origin != served.origin and other.token != served.token
        assert await session_opens(other, headers=cookie_of(served)) == 403
        assert (await get(other, "/", cookie_of(served)))[0] == 403
        assert (await get(other, "/", cookie_of(other)))[0] == 200


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
async def test_ctrl_c_or_sigterm_stops_the_server_and_ends_its_sessions(book_file, signum):
    import aiohttp

    from tests.support.serving import first_drawing

    with serving("--db", str(book_file)) as served:
        async with aiohttp.ClientSession() as client:
            socket = await client.ws_connect(served.origin + "/ws", headers=cookie_of(served))
            await first_drawing(socket)
            (app,) = children(served.process.pid)
            started = time.monotonic()
            status, printed, stderr = served.stop(signum)
            assert status == 0, stderr
            assert time.monotonic() - started < 10
            assert printed.endswith("Cockpit's server stopped.")
            assert "Traceback" not in stderr
            message = await socket.receive(timeout=5)
            assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            await socket.close()
        assert gone(app)


async def test_the_sessions_app_opens_the_served_book_and_never_sees_the_token(
    book_file, tmp_path, monkeypatch
):
    import aiohttp

    from tests.support.serving import first_drawing

    token = "chosen-token-0123456789"
    monkeypatch.setenv("COCKPIT_SERVE_TOKEN", token)
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "another.db"))  # --db comes first
    monkeypatch.chdir(book_file.parent)
    with serving("--db", book_file.name) as served:
        assert served.token == token
        async with aiohttp.ClientSession() as client:
            socket = await client.ws_connect(served.origin + "/ws", headers=cookie_of(served))
            await first_drawing(socket)
            (app,) = children(served.process.pid)
            command = Path(f"/proc/{app}/cmdline").read_bytes().split(b"\0")[:-1]
            environment = Path(f"/proc/{app}/environ").read_bytes().split(b"\0")
            await socket.close()
    assert command == [sys.executable.encode(), b"-m", b"cockpit", b"--db", bytes(book_file)]
    assert not any(token.encode() in part for part in command + environment)
    assert not any(
        part.startswith((b"COCKPIT_SERVE_TOKEN=", b"COCKPIT_DB=")) for part in environment
    )
    assert b"TEXTUAL_DRIVER=textual.drivers.web_driver:WebDriver" in environment
    assert not (tmp_path / "another.db").exists()


async def test_without_a_token_it_warns_and_answers_only_at_its_own_address(book_file):
    with serving("--db", str(book_file), "--no-auth") as served:
        assert served.token is None and served.calendar == served.origin + "/cockpit.ics"
        status, _, page = await get(served, "/")
        assert status == 200 and b"textual.js" in page
        assert (await get(served, "/cockpit.ics"))[0] == 200
        port = served.origin.rsplit(":", 1)[1]
        assert (await get(served, "/", {"Host": f"localhost:{port}"}))[0] == 200
        # A web page that points a name of its own at this machine (DNS rebinding):
        assert (await get(served, "/", {"Host": f"evil.example:{port}"}))[0] == 403
        origin = {"Origin": f"http://evil.example:{port}"}
        assert await session_opens(served, headers=origin) == 403
        assert await session_opens(served) == 101
        _, _, stderr = served.stop()
    assert stderr.strip() == (
        "cockpit serve: warning: no token (--no-auth): every user and program on this "
        "machine can open the cockpit and change the book."
    )


async def test_on_every_address_it_prints_a_token_and_the_machines_name(book_file):
    import socket

    with serving("--db", str(book_file), "--host", "0.0.0.0") as served:
        here = [line.strip() for line in served.printed if line.startswith("  http")]
        assert here[0].startswith(f"http://{socket.gethostname()}:")
        assert here[1].startswith("http://127.0.0.1:") and here[1].endswith("(on this machine)")
        assert served.token and len(served.token) == 43
        assert (await get(served, "/"))[0] == 403
        assert (await get(served, "/", cookie_of(served)))[0] == 200
    with serving("--db", str(book_file), "--host", "0.0.0.0", "--no-auth") as served:
        port = served.origin.rsplit(":", 1)[1]
        assert (await get(served, "/", {"Host": f"{socket.gethostname()}:{port}"}))[0] == 200
        assert (await get(served, "/", {"Host": f"127.0.0.1:{port}"}))[0] == 200
        # No token, but still no rebinding: a name the machine does not have is refused.
        assert (await get(served, "/", {"Host": f"evil.example:{port}"}))[0] == 403
        _, _, stderr = served.stop()
    assert "no token (--no-auth): anyone who can reach 0.0.0.0 at port" in stderr
    assert "can open the cockpit and change the book" in stderr


async def test_without_a_token_it_answers_at_the_address_asked_for_and_the_names_allowed(
    book_file,
):
    with serving(
        "--db", str(book_file), "--host", "127.0.0.2", "--no-auth", "--allow-host", "cockpit.lan"
    ) as served:
        assert served.origin.startswith("http://127.0.0.2:")
        assert (await get(served, "/"))[0] == 200  # the address it printed
        assert (await get(served, "/", {"Host": "cockpit.lan"}))[0] == 200  # a proxy's name
        assert (await get(served, "/", {"Host": "evil.example"}))[0] == 403


def test_a_book_that_cannot_be_opened_is_one_line_and_no_server(tmp_path):
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "cockpit", "serve", "--db", str(tmp_path / "no" / "book.db")],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ,
    )
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("cockpit: ")


async def test_a_download_the_app_hands_the_browser_needs_the_token(tmp_path):
    """Downloads go through the same guard: the browser's request carries the cookie."""
    import json

    import aiohttp
    from aiohttp import web

    from cockpit.serve.access import Access
    from cockpit.serve.addresses import listen
    from cockpit.serve.calendar import Calendar
    from cockpit.serve.server import CockpitServer
    from cockpit.serve.sessions import ServedBook
    from tests.support.paths import TESTS

    listening = listen("127.0.0.1", 0)
    token = "a-token-for-the-download-test"
    server = CockpitServer(
        ServedBook((sys.executable, str(TESTS / "support" / "delivering_app.py")), name="test"),
        Calendar(DatabaseLocation(tmp_path / "book.db", "--db")),
        Access(token, listening.port),
    )
    runner = web.AppRunner(await server._make_app(), access_log=None)
    await runner.setup()
    await web.SockSite(runner, listening.socket).start()
    origin = f"http://127.0.0.1:{listening.port}"
    cookie = {"Cookie": f"cockpit-token-{listening.port}={token}"}
    try:
        async with aiohttp.ClientSession() as client:
            socket = await client.ws_connect(f"{origin}/ws", headers=cookie)
            async for message in socket:
                if message.type == aiohttp.WSMsgType.TEXT:
                    kind, key = json.loads(message.data)
                    if kind == "deliver_file_start":
                        break
            async with client.get(f"{origin}/download/{key}") as refused:
                assert refused.status == 403
                assert "Notes" not in await refused.text()
            async with client.get(f"{origin}/download/{key}", headers=cookie) as delivered:
                assert delivered.status == 200
                assert delivered.headers["Content-Disposition"] == "attachment; filename=notes.txt"
                assert await delivered.text() == "Notes from the app\n"
            await socket.close()
    finally:
        await runner.cleanup()


async def test_the_books_name_is_text_on_the_page(tmp_path, today):
    path = small_book(tmp_path / '<b>Ann & "Co".db')
    with serving("--db", str(path)) as served:
        _, _, page = await get(served, "/", cookie_of(served))
    assert b"<b>" not in page
    assert b"<title>Cockpit \xc2\xb7 &lt;b&gt;Ann &amp; &#34;Co&#34;.db</title>" in page
