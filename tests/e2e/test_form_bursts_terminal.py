"""A burst in a real terminal (tmux): one `send-keys` delivers it all at once, Tab and Ctrl+S
included; every key lands in the box it was typed for, in order, and the save keeps it."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e.test_terminal import terminal  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.timing,
]


def test_a_plan_typed_in_the_burst_that_opens_the_plans_is_saved(terminal, tmp_path, today):  # noqa: F811
    term = terminal("demo", "--db", str(tmp_path / "demo.db"), size="120x40")
    term.wait_for("drifting")
    term.keys("P", "a", "Quarterly update", "Tab", "2", "Tab", "Tab", "2026-12-07", "C-s")
    screen = term.wait_for("every 2 months · next Mon 7 Dec 2026")  # saved, in the plans
    assert "Quarterly update" in screen


def test_a_touch_typed_in_the_burst_that_opens_the_review_is_logged(terminal, tmp_path, today):  # noqa: F811
    term = terminal("demo", "--db", str(tmp_path / "demo.db"), size="120x40")
    term.wait_for("drifting")
    term.keys("w", "l", "c", "Sent the deck", "C-s")
    screen = term.wait_for("Logged a call with")
    assert "Weekly review" in screen
