"""Cockpit in a real terminal (tmux): what a person sees, and what user data cannot do."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time

import pytest

from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        ).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "cockpit")

    def title(self) -> str:
        return self.tmux("display", "-p", "-t", "cockpit", "#{pane_title}").strip()

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")


@pytest.fixture
def terminal(tmp_path, home):
    socket = f"cockpit-test-{os.getpid()}-{tmp_path.name}"
    term = Terminal(socket)

    def start(*argv: str, size: str = "100x30") -> Terminal:
        cols, rows = size.split("x")
        environment = " ".join(
            f"{name}={shlex.quote(os.environ[name])}"
            for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "COCKPIT_TODAY")
            if name in os.environ
        )
        # COLUMNS and LINES from the test run would override the terminal's real size.
        command = f"env -u COLUMNS -u LINES {environment} TERM=xterm-256color "
        command += f"{shlex.quote(sys.executable)} -m cockpit "
        command += " ".join(shlex.quote(arg) for arg in argv)
        command += "; echo EXITED WITH $?; sleep 60"
        term.tmux("new-session", "-d", "-s", "cockpit", "-x", cols, "-y", rows, command)
        return term

    yield start
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def test_the_demo_opens_on_a_list_of_clients(terminal, tmp_path, today):
    term = terminal("demo", "--db", str(tmp_path / "demo.db"))
    term.wait_for("Last touch")  # names first: the verdicts follow from a worker
    screen = term.wait_for("drifting")
    assert "demo.db" in screen
    assert "! " in screen  # those needing attention come first
    assert "ago" in screen and "Profile" in screen and "Timeline" in screen
    term.tmux("send-keys", "-t", "cockpit", "q")
    screen = term.wait_for("EXITED WITH")
    assert "EXITED WITH 0" in screen
    assert "planned communications." in screen


def test_user_data_never_drives_the_terminal(terminal, tmp_path):
    path = tmp_path / "evil.db"
    db = open_database(DatabaseLocation(path, "--db"))
    client = book.add_client("Placeholder")
    client.name = "\x1b]0;PWNED\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07Mallory"
    client.save()
    other = book.add_client("[reverse]Markup[/reverse] Man")
    other.company = "\x1b]8;;http://evil.example\x07Link\x1b]8;;\x07"
    other.save()
    db.close()
    term = terminal("--db", str(path))
    title_before = term.title()
    screen = term.wait_for("PWNED")
    time.sleep(0.5)
    assert "PWNED" not in term.title()
    assert term.title() == title_before
    assert "[reverse]Markup[" in screen
    assert "␛]0;PWNED␇" in screen
    assert "Last touch" in screen  # the header row was not wiped by ESC [ 2 J
