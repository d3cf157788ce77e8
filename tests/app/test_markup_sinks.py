"""User text on every screen: shown as it is, never read as markup, never sent to the terminal.

The book holds names, companies, notes, plans and profile answers full of Rich markup
(`[link=...]`, `[/]`) and, as another program could have written them straight into
the file, escape sequences (titles, hidden links, clipboard writes, C1 controls).
Each screen that shows them, and each notification that quotes them, is visited;
what a person would see is the literal text, with control characters as symbols.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Select

from cockpit.storage import book
from cockpit.text import printable
from cockpit.ui.screens.client_form import ClientForm
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.screens.date_prompt import DatePrompt
from cockpit.ui.screens.deal_form import DealForm
from cockpit.ui.screens.help_screen import HelpScreen
from cockpit.ui.screens.log_form import LogForm
from cockpit.ui.screens.plans_screen import PlansScreen
from cockpit.ui.screens.profile_editor import ProfileEditor
from cockpit.ui.screens.review_screen import ReviewScreen
from cockpit.ui.widgets.client_list import ClientList
from tests.support.pilot import app_for, loaded, notices, screen_text, type_text

NAME = "Mal\x1b]0;PWNED\x07[link=https://x]lory[/]"
COMPANY = "\x1b]8;;http://evil.example\x07Co\x1b]8;;\x07 [bold]Inc[/bold]"
NOTE = "[link=https://evil]click[/link] \x9b2J\x1b]52;c;ZXZpbA==\x07 [/] done"
PLAN = "Plan\x1b[2J [link=https://x]Update[/link] [/]"
CHOICE = "[link=https://x]both[/link]\x1b[2J"  # not one of the field's choices
NICKNAME = "[bold]Mal[/bold] [/]"
HOBBY = "[red]chess[/red] [link=https://x]go[/link]"
# What the screen shows for them.
SHOWN_NAME = "Mal␛]0;PWNED␇[link=https://x]lory[/]"
SHOWN_COMPANY = "␛]8;;http://evil.example␇Co␛]8;;␇ [bold]Inc[/bold]"
SHOWN_NOTE = "[link=https://evil]click[/link] \ufffd2J␛]52;c;ZXZpbA==␇ [/] done"
SHOWN_PLAN = "Plan␛[2J [link=https://x]Update[/link] [/]"
SHOWN_CHOICE = "[link=https://x]both[/link]␛[2J"
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def book_path(tmp_path):
    """A book whose very file name holds markup and an escape (the header shows it)."""
    return tmp_path / "[bold]book[link=x]\x1b]0;T\x07.db"  # no slash: a file name


@pytest.fixture
def hostile(db, book_path, today) -> dict[str, int]:
    """Markup through the book's own API; escapes written past it, with sqlite3."""
    ann = book.add_client("Ann Smith", "Acme")
    book.add_interaction(ann, "call", when=datetime(2026, 11, 2, 10), summary="Budget call")
    mal = book.add_client("Placeholder", "Placeholder")
    touch = book.add_interaction(
        mal, "call", when=datetime(2026, 11, 10, 9), summary="x", follow_up_on=date(2026, 11, 20)
    )
    plan = book.add_plan(mal, "Placeholder", 3, "months", date(2026, 11, 20))
    book.set_profile(mal, {"nickname": NICKNAME, "hobbies": [{"value": HOBBY}]})
    con = sqlite3.connect(book_path)
    with con:
        con.execute("UPDATE client SET name = ?, company = ? WHERE id = ?", (NAME, COMPANY, mal.id))
        con.execute("UPDATE interaction SET summary = ? WHERE id = ?", (NOTE, touch.id))
        con.execute("UPDATE planned_communication SET what = ? WHERE id = ?", (PLAN, plan.id))
        con.execute(
            "INSERT INTO profile_value (client_id, field_key, row_no, column_key, text, updated_at)"
            " VALUES (?, 'main_concern', 0, '', ?, '2026-11-01 10:00:00')",
            (mal.id, CHOICE),
        )
    con.close()
    return {"ann": ann.id, "mal": mal.id, "touch": touch.id}


def assert_defused(app) -> str:
    """The screen as text: no control character on it, and no notification read as
    markup or holding one. Returns the text."""
    text = screen_text(app)
    assert not CONTROL.search(text), CONTROL.search(text)
    assert "\x1b" not in app.export_screenshot()
    for notification in app._notifications:
        assert not CONTROL.search(notification.message), notification.message
        assert not notification.markup or "[" not in notification.message, notification.message
    return text


async def _select_mal(app, pilot) -> None:
    await loaded(pilot)
    clients = app.query_one(ClientList)
    while clients.selected.name != NAME:
        await pilot.press("down")
    await loaded(pilot)


async def test_the_cockpit_shows_names_notes_and_answers_literally(hostile, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(160, 60)) as pilot:
        await _select_mal(app, pilot)
        text = assert_defused(app)
        assert "[bold]book[link=x]␛]0;T␇.db · sorted by attention" in text  # the header
        assert SHOWN_NAME in text  # the profile pane
        assert text.count("Mal␛]0;PWNED␇[link=") == 2  # and the list
        assert SHOWN_COMPANY in text  # the pane (the list cuts it short)
        assert SHOWN_NOTE in text  # the timeline
        assert "  2026-11-20  [link=https://evil]click[/link]" in text  # its follow-ups due
        assert "Follow up     2026-11-20 (3 days ago):" in text
        assert f"Interests     {HOBBY}" in text


async def test_forms_questions_and_notifications_quote_names_literally(hostile, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(160, 60)) as pilot:
        await _select_mal(app, pilot)
        # The quick log: the client it is for, and the picker's matches.
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, LogForm)
        assert form.query_one("#client Input", Input).value == f"{SHOWN_NAME} ({SHOWN_COMPANY})"
        await pilot.press("shift+tab")
        await type_text(pilot, "inc")
        await pilot.pause()
        text = assert_defused(app)  # the match, on two lines
        assert SHOWN_NAME in text and f"({SHOWN_COMPANY})" in text
        await pilot.press("enter", "n")
        await type_text(pilot, "Fine")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert f"Logged a note with {SHOWN_NAME}. Press u to undo." in notices(app)
        assert_defused(app)
        # The client form: its title and fields.
        await pilot.press("e")
        await loaded(pilot)
        assert isinstance(app.screen, ClientForm)
        assert app.screen.query_one("#company", Input).value == SHOWN_COMPANY
        assert f"Edit {SHOWN_NAME}" in assert_defused(app)
        await pilot.press("escape")
        # The deal form's title.
        await pilot.press("dollar_sign")
        await pilot.pause()
        assert isinstance(app.screen, DealForm)
        text = assert_defused(app)
        assert f"A won deal for {SHOWN_NAME}" in text and f"({SHOWN_COMPANY})" in text
        await pilot.press("escape")
        # Archive or delete: the question, then the notification.
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert f"Archive {SHOWN_NAME}?" in assert_defused(app)
        await pilot.click("#archive")
        await loaded(pilot)
        assert f"Archived {SHOWN_NAME}." in notices(app)
        assert_defused(app)


async def test_plans_and_the_profile_editor_show_stored_text_literally(hostile, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(160, 60)) as pilot:
        await _select_mal(app, pilot)
        await pilot.press("P")
        await loaded(pilot)
        assert isinstance(app.screen, PlansScreen)
        text = assert_defused(app)
        assert f"Planned communications with {SHOWN_NAME}" in text
        assert SHOWN_PLAN in text
        await pilot.press("x")  # done today
        await loaded(pilot)
        assert f"Done: {SHOWN_PLAN}. Logged an email with {SHOWN_NAME}" in notices(app)
        assert_defused(app)
        await pilot.press("escape")
        await loaded(pilot)

        await pilot.press("enter")
        await loaded(pilot)
        editor = app.screen
        assert isinstance(editor, ProfileEditor)
        assert editor.query_one("#f-nickname", Input).value == NICKNAME
        concern = editor.query_one("#f-main_concern", Select)
        assert concern.value == CHOICE  # kept as stored, not rewritten
        concern.scroll_visible(animate=False)
        await pilot.pause()
        text = assert_defused(app)
        assert f"Mackay 66 profile of {SHOWN_NAME}" in text
        assert SHOWN_CHOICE in text  # the Select shows it as text, not as a link
        concern.expanded = True  # its list of choices too
        await pilot.pause()
        assert SHOWN_CHOICE in assert_defused(app)


async def test_the_weekly_review_quotes_names_and_notes_literally(hostile, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(160, 60)) as pilot:
        await loaded(pilot)
        await pilot.press("w")
        await loaded(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        while review.current_item.client != NAME:
            await pilot.press("n")  # skip the others
            await loaded(pilot)
        text = assert_defused(app)
        assert f"{SHOWN_NAME}  {SHOWN_COMPANY}" in text
        assert f"from the call of Tue 10 Nov: {SHOWN_NOTE}" in text
        # A day for the next touch: the question names her.
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, DatePrompt)
        assert f"Next touch with {SHOWN_NAME} on:" in assert_defused(app)
        await pilot.press("escape")
        await pilot.pause()
        # A touch logged with someone else from her item: the notification names her.
        await pilot.press("l")
        await loaded(pilot)
        assert isinstance(app.screen, LogForm)
        app.screen.query_one("#client Input", Input).value = "Ann Smith"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert f"someone else; {SHOWN_NAME}'s item stays open." in notices(app)
        assert_defused(app)
        # Done, then done again: the second says it is answered already.
        await pilot.press("d")
        await loaded(pilot)
        review.query_one("#agenda").highlighted = review.query_one("#agenda").get_option_index(
            f"follow-up:{hostile['touch']}"
        )
        await pilot.press("d")
        await pilot.pause()
        assert f"{SHOWN_NAME}: already answered (done)." in notices(app)
        assert_defused(app)
        await pilot.press("f")
        await loaded(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("enter")  # finish
        await loaded(pilot)
        assert f"{SHOWN_NAME}: touch on" not in screen_text(app)  # nothing scheduled
        assert_defused(app)


async def test_the_palette_and_help_take_odd_queries_and_show_no_user_data(hostile, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(160, 60)) as pilot:
        await _select_mal(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        for query in ("[link=https://x]", "[/]", "[bold", "log"):
            palette_input = app.screen.query_one(Input)
            palette_input.value = query
            await pilot.pause(0.3)
            assert_defused(app)
        assert "Log a touch" in screen_text(app)  # the hits are the cockpit's actions
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = assert_defused(app)
        assert "Every action by name" in text


def test_the_sinks_defuse_text_on_their_own():
    """The helpers each screen builds its lines with, given hostile text directly."""
    from cockpit.search import Candidate
    from cockpit.ui.widgets.client_picker import candidate_text

    assert candidate_text(Candidate(1, NAME, COMPANY)) == f"{SHOWN_NAME} ({SHOWN_COMPANY})"
    assert printable(NOTE) == SHOWN_NOTE
    assert not CONTROL.search(printable(NAME + COMPANY + NOTE + PLAN + CHOICE))
