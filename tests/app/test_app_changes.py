"""Changing the book from the cockpit screen: forms, questions, and what updates after."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual.widgets import Input, Static

from cockpit.storage import book
from cockpit.storage.models import Client, Deal, Interaction
from cockpit.ui.palette import COMMANDS
from cockpit.ui.screens.client_form import ClientForm
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.screens.help_screen import HelpScreen
from cockpit.ui.widgets.client_list import ClientList
from cockpit.ui.widgets.timeline_pane import TimelinePane
from tests.support.pilot import app_for, loaded, screen_text, type_text


@pytest.fixture
def one_client(db, today):
    ann = book.add_client("Ann Smith", "Acme", emails=["ann@acme.example"])
    book.add_interaction(ann, "call", when=datetime(2026, 11, 2, 10), summary="Budget call")
    book.add_interaction(ann, "email", when=datetime(2026, 11, 9, 10), summary="Sent the quote")
    return ann.id


async def test_n_adds_a_client_and_selects_it(one_client, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, ClientForm)
        await type_text(pilot, "Nina New")
        await pilot.press("tab")
        await type_text(pilot, "Foo")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        nina = Client.get(Client.name == "Nina New")
        assert nina.company == "Foo"
        assert app.query_one(ClientList).selected.name == "Nina New"
        assert "Nina New" in screen_text(app)


async def test_a_bad_value_keeps_the_form_open_with_everything_typed(one_client, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("n")
        await type_text(pilot, "Nina")
        app.screen.query_one("#since", Input).value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientForm)
        assert "Client since: '2026-02-30' is not a date" in str(
            app.screen.query_one("#error", Static).render()
        )
        assert app.screen.query_one("#name", Input).value == "Nina"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ClientForm)
        assert Client.select().count() == 1


async def test_e_edits_the_selected_client(one_client, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("e")
        form = app.screen
        assert form.query_one("#name", Input).value == "Ann Smith"
        assert form.query_one("#emails", Input).value == "ann@acme.example"
        form.query_one("#keep", Input).value = "21"
        form.query_one("#title", Input).value = "CFO"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        ann = Client.get_by_id(one_client)
        assert (ann.title, ann.keep_in_touch_days) == ("CFO", 21)
        assert "every 21 days" in screen_text(app)


@pytest.mark.parametrize(
    ("answer", "archived", "exists"), [("archive", True, True), ("delete", None, False)]
)
async def test_d_archives_or_deletes_after_asking(one_client, book_path, answer, archived, exists):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        assert isinstance(app.screen, Confirm)
        await pilot.click(f"#{answer}")
        await loaded(pilot)
        client = Client.get_or_none(Client.id == one_client)
        assert (client is not None) is exists
        if exists:
            assert client.archived is archived
        assert not app.query_one(ClientList).rows


async def test_escape_on_the_question_changes_nothing(one_client, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await pilot.press("escape")
        await loaded(pilot)
        assert not Client.get_by_id(one_client).archived


async def test_dollar_records_a_won_deal_and_the_verdict_follows(one_client, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert app.query_one(ClientList).selected.health.value == "prospect"
        await pilot.press("dollar_sign")
        await type_text(pilot, "-5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "more than zero" in str(app.screen.query_one("#error", Static).render())
        app.screen.query_one("#amount", Input).value = "12000"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert Deal.get().amount_cents == 1_200_000
        assert app.query_one(ClientList).selected.health.value == "honeymoon"


async def test_touches_are_edited_and_deleted_from_the_timeline(one_client, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("tab", "tab")  # the list, the profile, the timeline
        timeline = app.query_one(TimelinePane)
        assert app.focused is timeline
        assert timeline.selected_entry.summary == "Sent the quote"  # Tab selects the latest
        await pilot.press("e")
        app.screen.query_one("#duration", Input).value = "45"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        email = Interaction.get(Interaction.kind == "email")
        assert email.duration_min == 45 and email.day == date(2026, 11, 9)
        # Focus and the highlight stay on the touch just edited.
        assert app.focused is timeline
        assert timeline.selected_entry.summary == "Sent the quote"
        await pilot.press("d")
        await pilot.click("#delete")
        await loaded(pilot)
        assert Interaction.select().count() == 1
        assert Client.get_by_id(one_client).last_touch_on == date(2026, 11, 2)


async def test_help_lists_every_screens_keys(one_client, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 150)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        # Keys the footer behind the help does not show: only the help screen lists them.
        for expected in (
            "Every action by name",
            "Previous pane or field",
            "PgDn",
            "Edit touch",
            "Delete touch",
            "Save",
            "Quit from anywhere",
        ):
            assert expected in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_the_command_palette_offers_the_same_actions(one_client, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title, _, _ in COMMANDS:
            assert title in titles


async def test_a_failed_write_is_reported_and_the_screen_stays(one_client, book_path, monkeypatch):
    from peewee import OperationalError

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(book, "set_archived", locked)
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("d")
        await pilot.click("#archive")
        await loaded(pilot)
        assert app.query_one("#cockpit").display
        messages = [n.message for n in app._notifications]
        assert any("Nothing was saved" in m and "locked" in m for m in messages)
        assert not Client.get_by_id(one_client).archived


async def test_the_palette_offers_cockpit_actions_only_on_the_cockpit(one_client, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "New client" in commands
        commands["New client"].callback()
        await pilot.pause()
        assert isinstance(app.screen, ClientForm)  # the command does what the key does
        over_form = [c.title for c in app.get_system_commands(app.screen)]
        assert "New client" not in over_form and "Filter clients" not in over_form


async def test_forms_show_stored_control_characters_defused(one_client, book_path):
    ann = Client.get_by_id(one_client)
    ann.name = "Mal\x1b]0;PWNED\x07lory"
    ann.save()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("e")
        await loaded(pilot)
        assert app.screen.query_one("#name", Input).value == "Mal␛]0;PWNED␇lory"
        assert "\x1b" not in app.export_screenshot()


def test_summaries_with_escape_sequences_are_refused(one_client):
    from cockpit.errors import ValidationError

    with pytest.raises(ValidationError, match="control characters"):
        book.add_interaction(one_client, "call", summary="hi\x1b]52;c;ZXZpbA==\x07")
    book.add_interaction(
        one_client, "note", summary="line one\n\tline two"
    )  # breaks and tabs are fine


@pytest.fixture
def many_clients(db, today):
    with book.batch_writes():
        for n in range(200):
            book.add_client(f"Client {n:03d}", "Co")


async def test_the_virtual_list_keeps_the_cursor_in_view(many_clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("s", "s", "s")  # by name
        clients = app.query_one(ClientList)
        await pilot.press("end")
        assert clients.selected.name == "Client 199"
        assert "Client 199" in screen_text(app)
        await pilot.press("home", "pagedown", "pagedown")
        cursor = clients.cursor
        assert cursor > 40
        assert clients.selected.name in screen_text(app)
        await pilot.click(ClientList, offset=(5, 0))  # the header line selects nobody
        assert clients.cursor == cursor
        await pilot.click(ClientList, offset=(5, 2))
        assert clients.cursor == clients.scroll_offset.y + 1
        assert clients.max_scroll_x == 0  # no sideways scrolling
        await pilot.press("end")
        await pilot.resize_terminal(120, 16)
        await pilot.pause()
        await pilot.pause()
        assert "Client 199" in screen_text(app)
