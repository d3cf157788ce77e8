"""Communications to a segment in a real terminal (tmux, issue 23): one added in one burst
right after `C` and `a`, then marked sent to all but one recipient."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from tests.e2e.test_terminal import terminal  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.timing,
]


def test_a_communication_typed_in_a_burst_is_sent_to_all_but_one(terminal, tmp_path, today):  # noqa: F811
    term = terminal("demo", "--db", str(tmp_path / "demo.db"), size="130x45")
    term.wait_for("drifting")
    # One send-keys: the list, a new communication to the core clients, every field, its save.
    term.keys("C", "a", "core", "Tab", "Market update", "Tab", "Tab", "Tab", "friday", "C-s")
    screen = term.wait_for("Planned: Market update.")
    assert "Market update  to every core client (12 clients)" in screen
    term.keys("s")
    term.wait_for("Mark sent: Market update, to every core client")
    term.keys("Space", "C-s")  # the first one (Ben Ueda) did not get it
    term.wait_for("Logged an email with 11 clients")
    with sqlite3.connect(tmp_path / "demo.db") as book:
        logged = book.execute(
            "SELECT c.name FROM interaction i JOIN client c ON c.id = i.client_id "
            "WHERE i.summary = 'Market update' ORDER BY c.name"
        ).fetchall()
    assert len(logged) == 11 and ("Ben Ueda",) not in logged
