"""A browser session's app: `python -m cockpit` on the book the server was started for.

textual-serve's AppService runs the app and carries its screen and keys over the
websocket; here it starts the app without a shell (the book's path is an argument, not
text for a shell to read), in a process group of its own (Ctrl+C in the server's
terminal stops the server, which then ends each session, rather than reaching the apps
directly), with the book named in its arguments or, for a server book whose URL may
hold a password, in its environment, never in the process list. The server's token is
not in the app's environment.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

from textual_serve.app_service import AppService

from cockpit.serve.access import TOKEN_VARIABLE
from cockpit.storage.location import DB_VARIABLE, URL_VARIABLE, DatabaseLocation

QUIT_TIMEOUT = 5.0  # seconds an app has to quit once asked, before it is killed


@dataclass(frozen=True)
class ServedBook:
    """The book every session opens: the app's command line and what its environment
    adds, and the book's names (its label for messages, its short name for the tab)."""

    command: tuple[str, ...]
    environment: dict[str, str] = field(default_factory=dict)
    label: str = ""
    name: str = ""

    @classmethod
    def at(cls, location: DatabaseLocation, python: str = sys.executable) -> ServedBook:
        app = (python, "-m", "cockpit")
        if location.is_server:
            assert location.url is not None
            return cls(app, {URL_VARIABLE: location.url}, location.label, location.short_name)
        assert location.path is not None
        path = Path(location.path).absolute()
        return cls((*app, "--db", str(path)), {}, location.label, location.short_name)


class CockpitSession(AppService):
    """One browser session's app process."""

    def __init__(self, book: ServedBook, **service) -> None:
        super().__init__(" ".join(book.command), **service)
        self.book = book

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        for name in (TOKEN_VARIABLE, DB_VARIABLE, URL_VARIABLE):
            environment.pop(name, None)
        environment.update(self.book.environment)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24):
        self._process = process = await asyncio.create_subprocess_exec(
            *self.book.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
        )
        self._stdin = process.stdin
        return process

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def end(self, timeout: float = QUIT_TIMEOUT) -> None:
        """Ask the app to quit; kill it if it has not within `timeout` seconds."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop(), timeout)
        process = self._process
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()
