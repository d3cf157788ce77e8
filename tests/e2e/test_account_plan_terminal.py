"""The account plan in a real terminal (tmux, issue 22): opened right after a filter and an
action added in one burst, then done with the touch it was logged in one key."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from tests.e2e.test_terminal import terminal  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.timing,
]


def test_an_action_added_in_a_burst_then_done_with_its_touch(terminal, tmp_path, today):  # noqa: F811
    term = terminal("demo", "--db", str(tmp_path / "demo.db"), size="130x45")
    term.wait_for("drifting")
    # One send-keys: the filter, the plan, a new action and its save.
    term.keys("/", "Garc", "Enter", "A", "a", "Invite Daniel to the user day", "C-s")
    screen = term.wait_for("Action added: Invite Daniel to the user day.")
    assert "Account plan: Atlas Engineering" in screen
    assert "[ ] Invite Daniel to the user day (me)" in screen
    assert (
        "[ ] Send the rollout report (me, with Daniel García), overdue since Wed 18 Nov" in screen
    )
    term.keys("Down", "Down", "Down", "t")  # the overdue action, done with its touch
    term.wait_for("[x] Send the rollout report (me, with Daniel García), done Mon 23 Nov")
    with sqlite3.connect(tmp_path / "demo.db") as book:
        logged = book.execute(
            "SELECT c.name, i.kind, i.day FROM interaction i JOIN client c ON c.id = i.client_id "
            "WHERE i.summary = 'Send the rollout report'"
        ).fetchall()
    assert logged == [("Daniel García", "email", "2026-11-23")]
