"""Cockpit in a real terminal (tmux): what a person sees, and what user data cannot do."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime

import pytest

from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.timing,
]


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

    def buffers(self) -> str:
        """The paste buffers: what programs in the terminal wrote to its clipboard."""
        return self.tmux("list-buffers")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "cockpit", *keys)

    def wait_until(self, shown, what: str, timeout: float = 20) -> str:
        """Poll the screen until `shown(screen)` is true; the screen that satisfied it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if shown(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{what} never appeared; the screen shows:\n{self.screen()}")

    def wait_for(self, text: str, timeout: float = 20) -> str:
        return self.wait_until(lambda screen: text in screen, repr(text), timeout)

    def press(self, key: str) -> str:
        """Send a key and wait until the screen shows that it was handled (it changed)."""
        before = self.screen()
        self.keys(key)
        return self.wait_until(lambda screen: screen != before, f"a change after {key!r}")

    def profile_heading(self) -> str:
        """The first line of the profile pane: the selected client's name and company."""
        lines = self.screen().splitlines()
        for number, line in enumerate(lines):
            if "─ Profile ─" in line and number + 1 < len(lines):
                return lines[number + 1].split("│")[1].strip()
        return ""


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
        # set-clipboard on: an OSC 52 the program let through would fill a paste buffer.
        term.tmux(
            *("new-session", "-d", "-s", "cockpit", "-x", cols, "-y", rows, command),
            *(";", "set-option", "-g", "set-clipboard", "on"),
        )
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
    term = terminal("--db", str(path), size="120x40")  # room for the profile's Mackay 66 line
    title_before = term.title()
    term.wait_for("PWNED")
    # Drawn in full, panes included: whatever the names did to the terminal, it has done.
    screen = term.wait_until(
        lambda s: "␛]0;PWNED␇" in s and "Mackay 66" in s and "No touches yet." in s,
        "the list and both panes",
    )
    assert "PWNED" not in term.title()
    assert term.title() == title_before
    assert "[reverse]Markup[" in screen
    assert "␛]0;PWNED␇" in screen
    assert "Last touch" in screen  # the header row was not wiped by ESC [ 2 J


def test_notes_reviews_notifications_and_pastes_never_drive_the_terminal(terminal, tmp_path, today):
    """Every sink a person reaches in a few keys: the list, both panes, the weekly review,
    a notification quoting a name, and a paste into the filter. The title stays, no
    clipboard write gets through, and the screen shows the sequences as symbols."""
    path = tmp_path / "evil.db"
    db = open_database(DatabaseLocation(path, "--db"))
    book.add_client("مريم الحسيني", "山田商事 🚀")
    book.add_client("[link=https://x]Ann[/link] [/]", "[bold]Co[/bold]")
    mal = book.add_client("Placeholder")
    touch = book.add_interaction(
        mal, "call", when=datetime(2026, 11, 10, 9), summary="x", follow_up_on=date(2026, 11, 20)
    )
    db.close()
    with sqlite3.connect(path) as con:  # as another program could write them
        con.execute(
            "UPDATE client SET name = ?, company = ? WHERE id = ?",
            (
                "Mal\x1b]0;PWNED\x07\x1b[2Jlory",
                "\x1b]8;;http://evil.example\x07Co\x1b]8;;\x07",
                mal.id,
            ),
        )
        con.execute(
            "UPDATE interaction SET summary = ? WHERE id = ?",
            ("Clip\x1b]52;c;ZXZpbA==\x07 8-bit \x9d0;PWNED\x9c [link=https://x]y[/link]", touch.id),
        )
    con.close()
    term = terminal("--db", str(path), size="140x40")
    term.wait_for("Last touch")
    title = term.title()
    term.wait_for("Mal␛]0;PWNED␇␛[2J")  # the list cuts the name short
    term.wait_until(lambda s: term.profile_heading(), "the profile pane")
    for _ in range(3):  # down to her: the list is sorted by attention
        heading = term.profile_heading()
        if heading.startswith("Mal␛]0;PWNED"):
            break
        term.keys("j")
        term.wait_until(
            lambda s, before=heading: term.profile_heading() not in ("", before),
            "the next client",
        )
    screen = term.wait_for("Clip␛]52;c;ZXZpbA==␇ 8-bit \ufffd0;PWNED\ufffd")  # the note
    assert "[link=https://x]y[/link]" in screen  # its end, on the next line
    assert "مريم الحسيني" in screen and "[link=https://x]A" in screen  # cut short, literally
    assert "␛]8;;http://evil.example␇Co␛]8;;␇" in screen  # the profile pane
    term.keys("w")  # the weekly review quotes her name and her note
    screen = term.wait_for("Weekly review")
    assert "Mal␛]0;PWNED␇␛[2Jlory" in term.wait_for("Clip␛]52;c;ZXZpbA==␇")
    term.keys("Escape")
    term.wait_for("Last touch")
    term.keys("l")  # a note with her: the notification names her
    term.wait_for("Log a touch")
    term.press("n")  # a note: the form shows it before the note is typed
    term.keys("-l", "ok")
    term.keys("C-s")
    term.wait_for("Logged a note with Mal␛]0;PWNED␇␛[2Jlory.")
    assert term.buffers() == ""  # no clipboard write got through
    assert term.title() == title and "PWNED" not in title
    # A paste holding control characters (SO would switch the character set, the 8-bit
    # CSI clear the screen) shows them in the filter box as symbols.
    term.press("/")  # the filter box opens
    term.tmux("set-buffer", "-b", "evil", "Eve\x0e\x9b2J\x01\x7fX")
    term.tmux("paste-buffer", "-p", "-d", "-b", "evil", "-t", "cockpit")
    screen = term.wait_for("Eve␎\ufffd2J␁␡X")
    assert "Last touch" in screen
    # The paste is shown: the terminal has had every byte drawn before it.
    assert term.title() == title


@pytest.mark.parametrize(
    ("keys", "landed"),
    [
        (["n", "Bob", "Tab", "Acme"], ["Bob", "Acme"]),  # a box opened, then the focus moved
        (["Enter", "Hinj"], ["Mackay 66 profile", "Hinj"]),  # a screen that reads first
        (["e", "Co", "Tab", "Zed"], ["Client since", "Co ", "Zed"]),  # it reads the client first
        # Enter leaves the filter box: the key after it is the list's (s sorts), not text.
        (["/", "Ben U", "Enter", "s"], ["sorted by last touch", "Ben U "]),
    ],
)
def test_a_burst_right_after_a_key_that_opens_a_box_lands_in_it(terminal, tmp_path, keys, landed):
    term = terminal("demo", "--db", str(tmp_path / "demo.db"), size="120x40")
    term.wait_for("drifting")
    term.keys(*keys)  # one send-keys: the terminal delivers it all at once
    term.wait_until(lambda s: all(text in s for text in landed), repr(landed))
