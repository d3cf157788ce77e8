"""textual-serve's server, as Cockpit runs it.

Its routes are textual-serve's (the page, the websocket `/ws` that runs an app for each
browser session, its static files, `/download/KEY` for what an app hands the browser),
with Cockpit's page, the calendar, and `access.guard` in front of every one of them.
The server logs no requests (an address may carry the token); it stops on Ctrl+C or
SIGTERM, ending each session's app (killed if it has not quit within seconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, web
from textual_serve.server import Server

from cockpit.serve import page
from cockpit.serve.access import (
    CALENDAR,
    PAGE,
    SESSION,
    Access,
    guard,
    secure_headers,
)
from cockpit.serve.addresses import Listening
from cockpit.serve.calendar import FILE_NAME, Calendar
from cockpit.serve.sessions import CockpitSession, ServedBook
from cockpit.text import printable

log = logging.getLogger("cockpit.serve")
# The terminal size a browser may ask for, in cells (it asks for what fits its window).
COLUMNS = range(10, 1001)
ROWS = range(4, 501)


class CockpitServer(Server):
    def __init__(self, book: ServedBook, calendar: Calendar, access: Access) -> None:
        super().__init__(
            " ".join(book.command), title=f"Cockpit · {book.name}", templates_path=page.TEMPLATES
        )
        self.book = book
        self.calendar = calendar
        self.access = access
        self.sessions: dict[CockpitSession, web.WebSocketResponse] = {}

    def calendar_path(self) -> str:
        key = self.access.calendar_key
        return f"/{FILE_NAME}" if key is None else f"/calendar/{key}/{FILE_NAME}"

    def page_path(self) -> str:
        return "/" if self.access.token is None else f"/?token={self.access.token}"

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[guard(self.access)])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(page.TEMPLATES), autoescape=True)
        app.add_routes(
            [
                web.get("/", self.handle_index, name=PAGE),
                web.get("/ws", self.handle_websocket, name=SESSION),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
                web.static("/page", page.PAGE_FILES, name="page-files"),
                web.get(f"/{FILE_NAME}", self.calendar.handle, name="calendar-file"),
            ]
        )
        if self.access.calendar_key is not None:
            path = f"/calendar/{{key}}/{FILE_NAME}"
            app.router.add_get(path, self.calendar.handle, name=CALENDAR)
        app.on_response_prepare.append(secure_headers)
        app.on_shutdown.append(self._end_sessions)
        return app

    async def handle_index(self, request: web.Request) -> web.Response:
        return page.page(request, self.book.name)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A browser session: an app of its own, until the page or the app closes."""
        websocket = web.WebSocketResponse(heartbeat=15)
        columns = _within(request.query.get("width"), COLUMNS, 80)
        rows = _within(request.query.get("height"), ROWS, 24)
        await websocket.prepare(request)
        session = CockpitSession(
            self.book,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.sessions[session] = websocket
        try:
            await session.start(columns, rows)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a page that sent what is no message: its session ends
            log.warning("a session ended: %s", printable(str(error) or type(error).__name__))
        finally:
            self.sessions.pop(session, None)
            await session.end()
            await websocket.close()
        return websocket

    async def _end_sessions(self, _app: web.Application) -> None:
        running = list(self.sessions.items())
        await asyncio.gather(
            *(
                websocket.close(code=WSCloseCode.GOING_AWAY, message=b"the server stopped")
                for _session, websocket in running
            ),
            return_exceptions=True,
        )
        await asyncio.gather(*(session.end() for session, _ in running), return_exceptions=True)


def _within(text: str | None, allowed: range, default: int) -> int:
    try:
        number = int(text or "")
    except ValueError:
        return default
    return min(max(number, allowed.start), allowed.stop - 1)


def run(server: CockpitServer, listening: Listening, ready: Callable[[], None]) -> None:
    """Serve on `listening` until Ctrl+C or SIGTERM; `ready()` once requests are answered."""
    _log_to_stderr()
    asyncio.run(_serve(server, listening, ready))


async def _serve(server: CockpitServer, listening: Listening, ready: Callable[[], None]) -> None:
    app = await server._make_app()
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.SockSite(runner, listening.socket, shutdown_timeout=5.0)
    await site.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Where the loop takes no signal handlers (Windows), Ctrl+C cancels the wait below.
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    try:
        ready()
        await stop.wait()
    finally:
        await runner.cleanup()


def _log_to_stderr() -> None:
    """What goes wrong while serving, one line each on stderr; textual-serve's messages
    too (an app that did not start), without its own coloured handler."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("cockpit serve: %(message)s"))
    for name in ("cockpit.serve", "textual-serve"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
        logger.propagate = False
