"""Tags in a real terminal (tmux): `/#tag` and a tag edited in the client form, each typed
in one `send-keys`, land where they were typed."""

from __future__ import annotations

import shutil

import pytest

from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database
from tests.e2e.test_terminal import terminal  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.timing,
]


@pytest.fixture
def tagged_book(tmp_path, today):
    path = tmp_path / "tags.db"
    db = open_database(DatabaseLocation(path, "--db"))
    try:
        book.add_client("Ann Smith", "Acme", tags=["golf", "Key account"])
        book.add_client("Bob Jones", "Beta", tags=["golf"])
        book.add_client("Cara Golfer", "Acme", tags=["[bold]board[/bold]"])
        book.add_client("Dan Brown", "Acme")
    finally:
        db.close()
    return path


def _listed(screen: str) -> set[str]:
    names = ("Ann Smith", "Bob Jones", "Cara Golfer", "Dan Brown")
    return {
        name for name in names if any(line.startswith(f"  {name}") for line in screen.splitlines())
    }


def test_a_tag_filter_typed_right_after_slash_keeps_the_tagged(terminal, tagged_book):  # noqa: F811
    term = terminal("--db", str(tagged_book), size="120x40")
    screen = term.wait_for("Dan Brown")
    assert _listed(screen) == {"Ann Smith", "Bob Jones", "Cara Golfer", "Dan Brown"}
    term.keys("/", "#golf acme")  # one send-keys: the slash and all that follows at once
    term.wait_until(
        lambda s: (
            _listed(s) == {"Ann Smith"}
            and "#golf acme" in s
            and "Tags          golf, Key account" in s
        ),
        "Ann alone, with her tags, the box holding every key typed",
    )
    term.keys("Escape")
    term.wait_until(lambda s: len(_listed(s)) == 4, "every client back")
    term.keys("/", "#[b")
    term.wait_until(  # the tag as typed, never markup
        lambda s: _listed(s) == {"Cara Golfer"} and "Tags          [bold]board[/bold]" in s,
        "Cara alone, with her tag as typed",
    )


def test_a_tag_added_in_the_burst_that_opens_the_form_is_saved(terminal, tagged_book):  # noqa: F811
    term = terminal("--db", str(tagged_book), size="120x40")
    term.wait_for("prospect")  # the book open (before, `e` says it is still opening)
    # One send-keys: Dan found, the form opened on him, Tab to the Tags field, saved.
    term.keys("/", "dan", "Enter", "e", *["Tab"] * 5, "sailing, Key account", "C-s")
    term.wait_until(
        lambda s: "Saved Dan Brown." in s and "Tags          Key account, sailing" in s,
        "the form saved, the profile showing the tags",
    )
    db = open_database(DatabaseLocation(tagged_book, "--db"))
    try:
        (dan,) = [c for c in book.client_candidates() if c.name == "Dan Brown"]
        assert book.tags_of(dan.id) == ["Key account", "sailing"]
    finally:
        db.close()
