"""The filter box searching the notes (issue 20, point 18): `?` then words keeps the clients
whose touches or profile answers hold them (never a sensitive answer) and shows the note
of the highlighted client; Esc brings every client back."""

from __future__ import annotations

from datetime import datetime

import pytest
from textual.widgets import Input

from cockpit.storage import book
from cockpit.ui.notes_filter import NoteLine
from tests.support.pilot import app_for, loaded, names, screen_text


@pytest.fixture
def noted(db, today):
    ann = book.add_client("Ann Smith", "Acme")
    book.add_client("Bob Jones", "Zeta")
    cara = book.add_client("Cara Sailer", "Initech")  # the name holds the word, no note does
    dan = book.add_client("Dan Brown", "Umbrella")
    book.add_interaction(
        ann, "call", when=datetime(2026, 11, 2, 10), summary="Sofía loves [b]SAILING[/b] on lakes"
    )
    book.set_profile(dan, {"hobbies": [{"value": "Sailing"}]})
    book.set_profile(cara, {"confidential_subjects": "sailing accident"})
    return db


async def test_a_notes_search_keeps_the_clients_whose_notes_hold_the_words(noted, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        everyone = names(app)
        await pilot.press("slash")
        assert "?word in the notes" in app.query_one("#filter", Input).placeholder
        await pilot.press(*"?sail", "enter")
        await loaded(pilot)
        assert sorted(names(app)) == ["Ann Smith", "Dan Brown"]
        shown = names(app)
        line = app.query_one(NoteLine)
        text = screen_text(app)
        if shown[0] == "Ann Smith":
            assert "call on 2026-11-02: Sofía loves [b]SAILING[/b] on lakes" in text
        else:
            assert "Hobbies: Sailing" in text
        await pilot.press("down")
        await loaded(pilot)
        text = screen_text(app)
        assert ("Hobbies: Sailing" in text) == (shown[1] == "Dan Brown")
        assert "accident" not in text
        await pilot.press("slash", *"?sofia lakes")
        await loaded(pilot)
        assert names(app) == ["Ann Smith"]
        await pilot.press("escape")
        await loaded(pilot)
        assert names(app) == everyone
        assert not line.display
        await pilot.press("slash", *"?nowhere")
        await loaded(pilot)
        assert names(app) == []
        assert "No client here has a note holding 'nowhere'." in screen_text(app)
