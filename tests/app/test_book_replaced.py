"""Another file put in the book's place while the cockpit is open (`cockpit demo --force`
again, a restore): the cockpit says so and shows the new book; a screen opened on the old
one keeps what was typed but saves nothing."""

from __future__ import annotations

import os

import pytest
from textual.widgets import Input, Static

from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database, remove_book_files
from cockpit.storage.models import Interaction
from cockpit.ui.screens.log_form import LogForm
from tests.support.pilot import app_for, loaded, names, notices, type_text
from tests.support.profile_editor import open_editor


@pytest.fixture
def new_book(db, today, book_path, tmp_path):
    """The book holds Ann Smith; the file returned, to be moved into its place, Bob Jones."""
    book.add_client("Ann Smith", "Acme")
    path = tmp_path / "new.db"
    other = open_database(DatabaseLocation(path, "--db"))
    book.add_client("Bob Jones", "Zeta")
    other.close()
    open_database(DatabaseLocation(book_path, "--db")).close()  # the models on the book again
    return path


async def replace(pilot, new_book, book_path) -> None:
    remove_book_files(book_path)  # as `cockpit demo --force` does, the log files too
    os.replace(new_book, book_path)
    pilot.app.check_for_changes()  # what the cockpit does every second
    await loaded(pilot)


def read_in(path, read):
    """`read()` on the book at `path`, as a later `cockpit` command would find it."""
    database = open_database(DatabaseLocation(path, "--db"))
    try:
        return read()
    finally:
        database.close()


def interactions_in(path) -> int:
    return read_in(path, lambda: Interaction.select().count())


async def test_the_cockpit_shows_the_new_book_and_says_so(new_book, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert names(app) == ["Ann Smith"]
        await replace(pilot, new_book, book_path)
        assert "The book book.db was replaced by another file" in notices(app)
        assert names(app) == ["Bob Jones"]
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("c", "ctrl+s")
        await loaded(pilot)
    assert interactions_in(book_path) == 1  # logged with Bob, in the new book


async def test_a_form_open_on_the_old_book_keeps_the_text_and_saves_nothing(new_book, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LogForm)
        await pilot.press("c")
        await type_text(pilot, "Long talk about the rollout")
        await replace(pilot, new_book, book_path)
        assert "What you typed stays here but is not saved" in notices(app)
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, LogForm)
        assert "Long talk about the rollout" in app.screen.query_one("#summary").text
        said = str(app.screen.query_one("#error", Static).render())
        assert said.startswith("Nothing was saved: the book's file was replaced")
        await pilot.press("escape")
        await loaded(pilot)
        assert names(app) == ["Bob Jones"]
    assert interactions_in(book_path) == 0


async def test_the_profile_editor_open_on_the_old_book_saves_nothing(new_book, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#f-nickname", Input).value = "Annie"
        await replace(pilot, new_book, book_path)
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert app.screen is editor
        assert editor.query_one("#f-nickname", Input).value == "Annie"
        said = str(editor.query_one("#save-error", Static).render())
        assert said.startswith("Nothing was saved: the book's file was replaced")
    assert "nickname" not in read_in(book_path, lambda: book.profile_answers(1))
