"""Communications to a segment in the cockpit (issue 23, point 3), driven by Pilot: `C` opens
them, `a` adds one typed in a burst, a wrong To is said in place with nothing lost, `s`
lists its recipients all ticked, Space unticks an exception, Ctrl+S logs the touches and
`u` takes them all back in one step."""

from __future__ import annotations

import pytest
from textual.widgets import Input, SelectionList

from cockpit.storage import tags
from cockpit.storage.models import Interaction, SegmentCommunication
from cockpit.ui.screens.communication_form import CommunicationForm
from cockpit.ui.screens.communications_screen import CommunicationsScreen, SendList
from tests.support.histories import History, every, make
from tests.support.pilot import app_for, loaded, notices, screen_text, type_text


@pytest.fixture
def book(db, today):
    made = [
        make("Gil [b]Golf[/b]", History(touches=every(30, 200), deals=[(90, 2_000)])),
        make("Greta Golf", History(touches=every(30, 200), deals=[(90, 2_000)])),
        make("Hal Golf", History(touches=every(30, 200), deals=[(90, 2_000)])),
        make("Otto Other", History(touches=every(20, 330), deals=[(100, 9_000)])),
    ]
    for client in made[:3]:
        tags.set_tags(client.id, ["golf"])
    return made


def _touches_today(summary: str) -> list[int]:
    return sorted(t.client_id for t in Interaction.select().where(Interaction.summary == summary))


async def test_a_communication_to_a_tag_is_added_sent_to_all_but_one_and_taken_back(
    book, book_path
):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("C", "a")  # typed before the screen and the form are there
        await type_text(pilot, "#chess")
        await pilot.press("tab")
        await type_text(pilot, "Club newsletter")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, CommunicationForm)  # no date yet: said in place
        assert "Next due: type a date" in screen_text(app)
        app.screen.query_one("#next_due", Input).value = "friday"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert "no client carries the tag #chess" in screen_text(app)  # checked as saved
        assert app.screen.query_one("#what", Input).value == "Club newsletter"  # kept
        app.screen.query_one("#to", Input).value = "#GOLF"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, CommunicationsScreen)
        assert "Club newsletter  to every client tagged #golf (3 clients)" in screen_text(app)
        stored = SegmentCommunication.get()
        assert (stored.what, stored.tag_key, stored.kind) == ("Club newsletter", "golf", "email")
        await pilot.press("s")
        await loaded(pilot)
        assert isinstance(app.screen, SendList)
        shown = screen_text(app)
        assert "Gil [b]Golf[/b]" in shown and "Hal Golf" in shown  # names as typed
        assert len(app.screen.query_one(SelectionList).selected) == 3
        await pilot.press("down", "space", "ctrl+s")  # Greta did not get it
        await loaded(pilot)
        assert isinstance(app.screen, CommunicationsScreen)
        gil, _greta, hal = (client.id for client in book[:3])
        assert _touches_today("Club newsletter") == sorted([gil, hal])
        assert "Logged an email with 2 clients" in notices(app)
        await pilot.press("u")
        await loaded(pilot)
        assert _touches_today("Club newsletter") == []
        assert "2 touches removed" in notices(app)
        await pilot.press("escape")
        await loaded(pilot)
        assert not isinstance(app.screen, CommunicationsScreen)
