"""Mail imported from the cockpit (issue 25): the form asks for your addresses (kept as the
`me` setting) and, when there is mail and none is known, opens again as it was left,
saying so; the addresses the mail and the calendars met that matched nobody are offered
as prospects in one step, counted once, named as the mail names them, their mail and
meetings coming in with them."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime

from textual.widgets import Input

from cockpit.storage import book
from cockpit.storage.models import Client, HeardFrom, Interaction
from cockpit.ui.screens.import_screen import ImportForm, ImportResult
from tests.support.calendars import event, write
from tests.support.forms import fill
from tests.support.import_screen import (
    import_from_form,
    make_prospects_but_the_second,
    offered_prospects,
    shown,
)
from tests.support.mailboxes import ANN, ME, message, write_mbox
from tests.support.pilot import app_for, loaded, type_text

ZOE = "Zoe Quist <zoe@new.example>"


def _at(day: int) -> datetime:
    return datetime(2026, 11, day, 9, 0, tzinfo=UTC)


async def test_without_your_addresses_the_form_asks_for_them_and_keeps_them(
    db, book_path, tmp_path, today, home
):
    book.add_client("Ann Lee", "Acme", emails=[ANN])
    box = write_mbox(tmp_path / "sent.mbox", [message(ME, ANN, at=_at(16), subject="Prices")])
    db.close()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await import_from_form(pilot, box)
        assert isinstance(app.screen, ImportForm)  # opened again, as it was left
        assert app.screen.query_one("#path", Input).value == str(box)
        assert "say which addresses are yours" in shown(app)
        assert app.screen.focused is app.screen.query_one("#me", Input)
        assert Interaction.select().count() == 0
        await type_text(pilot, ME)
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, ImportResult)
        text = shown(app)
        assert "Ann Lee: 1 email touch added" in text
        assert "Your addresses are kept in" in text
    config = home / "config" / "cockpit" / "config.toml"
    assert tomllib.loads(config.read_text())["me"] == [ME]
    assert [t.summary for t in Interaction.select()] == ["Prices"]


async def test_a_bad_address_of_yours_is_said_in_the_form(
    db, book_path, tmp_path, today, write_config
):
    write_config(f'me = ["{ME}"]\n')
    db.close()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.main.action_import_file()
        await pilot.pause()
        assert app.screen.query_one("#me", Input).value == ME  # from the setting
        fill(app.screen, {"path": str(tmp_path), "me": f"{ME}, not-an-address"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ImportForm)
        assert "Your email addresses: " in shown(app)
        assert "not-an-address" in shown(app)


async def test_p_makes_prospects_of_the_mail_and_calendar_addresses_that_matched_nobody(
    db, book_path, tmp_path, today, write_config
):
    write_config(f'me = ["{ME}"]\n')
    book.add_client("Ann Lee", "Acme", emails=[ANN])
    folder = tmp_path / "export"
    folder.mkdir()
    write_mbox(
        folder / "mail.mbox",
        [
            message(ME, [ANN, ZOE], at=_at(16), subject="Prices"),
            message(ZOE, ME, at=_at(17), subject="Re: Prices"),
            message("Walt <walt@else.example>", ME, at=_at(18), subject="Hello"),
        ],
    )
    write(
        folder / "work.ics",
        event("a@x", "20261102T090000Z", attendees=("CN=Z. Q.:ZOE@new.example", ME)),
    )
    db.close()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await import_from_form(pilot, folder)
        assert isinstance(app.screen, ImportResult)
        assert "Mail addresses that matched nobody in your book (2)" in shown(app)
        # Met by the mail twice and the calendar once: one line, three times.
        assert await offered_prospects(pilot) == [f"{ZOE}: 3", "Walt <walt@else.example>: 1"]
        text = await make_prospects_but_the_second(pilot)  # not Walt
        assert "Prospects made from addresses: Zoe Quist" in text
        assert "import #2: 1 client created" in text
        zoe = Client.get(Client.name == "Zoe Quist")
        assert zoe.lifecycle == "prospect"
        kinds = Interaction.select(Interaction.kind).where(Interaction.client == zoe).tuples()
        assert sorted(kind for (kind,) in kinds) == ["email", "meeting"]
        assert HeardFrom.select().where(HeardFrom.client == zoe).count() == 1
        assert not Client.select().where(Client.name.contains("Walt")).exists()
