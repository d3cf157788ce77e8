"""The accounts in a real terminal (tmux, issue 21): the toggle, an account's view, from a
person to their account and back, and a merge undone, each key burst in one send-keys."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e.test_terminal import terminal  # noqa: F401  (the fixture)

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.timing,
]


def test_accounts_in_a_terminal(terminal, tmp_path, today):  # noqa: F811
    term = terminal("demo", "--db", str(tmp_path / "demo.db"), size="140x45")
    term.wait_for("drifting")
    term.keys("/", "Ben U", "Enter")  # the demo's drifting decision maker
    term.wait_until(lambda _: term.profile_heading().startswith("Ben Ueda"), "Ben Ueda's panes")
    term.keys("a")  # to his account
    term.wait_for("a Clients")  # the toggle, in the footer
    screen = term.wait_for("Ben Ueda · decision maker, finance · drifting")
    assert "Olivia Sato · champion · moved on" in screen
    assert "at risk" in screen and "Single-threaded" in screen.replace("\n", " ")
    term.wait_for("· Olivia Sato")  # whose each touch was: hers before she moved on stay
    # Into the people, down to the next one, and back to the client list on them.
    term.keys("Enter", "Down", "Enter")
    screen = term.wait_for("a Accounts")
    assert "─ Profile ─" in screen
    # The two spellings of Lumen Retail: merged, then the merge taken back.
    term.keys("a")
    term.wait_for("a Clients")
    # One burst: filter, back to the list (Enter), open the picker, type in it, pick.
    term.keys("/", "lumen retail", "Enter", "m", "ltd", "Enter")
    term.wait_for("Merge Lumen Retail Ltd. into Lumen Retail?")
    term.keys("Enter")
    term.wait_until(lambda s: "Lumen Retail Ltd." not in s, "the merged spelling gone")
    term.keys("u")
    term.wait_for("Lumen Retail Ltd.")


def test_roles_and_a_suggestion_taken_in_bursts(terminal, tmp_path, today):  # noqa: F811
    term = terminal("demo", "--db", str(tmp_path / "demo.db"), size="140x45")
    term.wait_for("drifting")
    term.keys("a")
    term.wait_for("a Clients")
    # One burst: filter to Atlas, into its people (Daniel García, its champion), his roles
    # opened, influencer ticked, his words replaced, saved.
    term.keys(
        "/", "atlas", "Enter", "Enter", "r", "Down", "Down", "Space", "Tab", "C-u", "owns it", "C-s"
    )
    term.wait_for("Daniel García · champion, influencer, owns it ·")
    # The newcomer whose email is at Atlas: the picker opened and the suggestion taken at once.
    term.wait_for("Suggested: 1 person with its email domain (s)")
    term.keys("s", "Enter")
    term.wait_for("Theo Brandt is at Atlas Engineering now.")
    term.wait_for("Theo Brandt · prospect")
    term.wait_until(lambda screen: "Suggested:" not in screen, "the suggestion taken gone")
