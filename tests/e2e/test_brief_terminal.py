"""The pre-call brief in a real terminal (tmux, issue 22): opened right after a filter in
one burst, and the call logged from it in another."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e.test_terminal import terminal  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.timing,
]


def test_the_brief_and_a_call_logged_from_it(terminal, tmp_path, today):  # noqa: F811
    term = terminal("demo", "--db", str(tmp_path / "demo.db"), size="120x45")
    term.wait_for("drifting")
    term.keys("/", "Ben U", "Enter", "b")  # the brief opens on the client the filter found
    screen = term.wait_for("Brief: Ben Ueda · Pinecrest Capital (decision maker, finance)")
    assert "Ben's birthday on Sun 29 Nov (in 6 days)" in screen
    term.keys("l", "c", "Wished him a happy birthday", "C-s")  # one burst into the form
    screen = term.wait_for("Logged a call with Ben Ueda.")
    assert "Brief:" not in screen  # back on the cockpit
