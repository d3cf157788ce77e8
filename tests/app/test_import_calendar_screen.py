"""A calendar imported from the cockpit (issue 25): the result says what came in client by
client and lists the addresses that matched nobody, and `p` makes prospects of those left
ticked in one step, their meetings with them; the import that made them is taken back
with `u` like any other."""

from __future__ import annotations

from datetime import date

from textual.widgets import Button

from cockpit.storage import book
from cockpit.storage.models import Client, Interaction
from cockpit.ui.screens.import_screen import ImportResult
from tests.support.calendars import event, write
from tests.support.import_screen import (
    import_from_form,
    make_prospects_but_the_second,
    offered_prospects,
    shown,
)
from tests.support.pilot import app_for, loaded


async def test_p_makes_prospects_of_the_addresses_that_matched_nobody(
    db, book_path, tmp_path, today
):
    book.add_client("Ann Lee", "Acme", emails=["ann@acme.example"])
    path = write(
        tmp_path / "work.ics",
        event(
            "a@x",
            "20261102T090000Z",
            summary="Pricing",
            attendees=("ann@acme.example", "CN=Zoe [b]Quist[/b]:zoe@new.example"),
        ),
        event("b@x", "20261103T090000Z", attendees=("CN=Zoe Quist:zoe@new.example",)),
        event("c@x", "20261104T090000Z", attendees=("walt@else.example",)),
    )
    db.close()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await import_from_form(pilot, path)
        assert isinstance(app.screen, ImportResult)
        text = shown(app)
        assert "Ann Lee: 1 meeting added" in text
        assert "Zoe [b]Quist[/b] <zoe@new.example>: 2" in text  # text, never markup
        assert "Make prospects" in str(app.screen.query_one("#prospects", Button).label)
        assert await offered_prospects(pilot) == [
            "Zoe [b]Quist[/b] <zoe@new.example>: 2",
            "walt@else.example: 1",
        ]
        text = await make_prospects_but_the_second(pilot)  # not Walt
        assert "Prospects made from addresses: Zoe [b]Quist[/b]" in text
        assert "import #2: 1 client created" in text
        zoe = Client.get(Client.name == "Zoe [b]Quist[/b]")
        assert zoe.lifecycle == "prospect"
        days = [touch.day for touch in Interaction.select().where(Interaction.client == zoe)]
        assert sorted(days) == [date(2026, 11, 2), date(2026, 11, 3)]
        assert not Client.select().where(Client.name.contains("Walt")).exists()
        await pilot.press("u")  # the import that made her, taken back
        await loaded(pilot)
        assert not Client.select().where(Client.id == zoe.id).exists()
        assert Client.select().count() == 1
