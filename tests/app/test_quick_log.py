"""Quick log in the cockpit: the form, its keys, undo, follow-ups, and writes from elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime

import pytest
from textual import events
from textual.widgets import Input, Static

from cockpit import phrases
from cockpit.errors import ValidationError
from cockpit.storage import book
from cockpit.storage.database import ChangeWatcher
from cockpit.storage.models import Client, Interaction
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.screens.log_form import LogForm
from cockpit.ui.screens.profile_editor import ProfileEditor
from cockpit.ui.widgets.client_list import ClientList
from cockpit.ui.widgets.profile_pane import ProfilePane, profile_text
from cockpit.ui.widgets.timeline_pane import TimelinePane
from tests.support.pilot import app_for, loaded, notices, screen_text, type_text


@pytest.fixture
def two_clients(db, today):
    ann = book.add_client("Ann Smith", "Acme", keep_in_touch_days=45)
    book.add_interaction(ann, "email", when=datetime(2026, 11, 9, 10), summary="Sent the quote")
    bob = book.add_client("Bob Jones", "Zeta")
    book.add_interaction(bob, "call", when=datetime(2026, 10, 1, 10), summary="Intro call")
    return ann.id, bob.id


class CountingPilot:
    """Presses keys through the pilot and counts them, apart from the note's text."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.keys = 0

    async def press(self, *keys: str) -> None:
        self.keys += len(keys)
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        await type_text(self.pilot, text)


def touches_of(client_id: int) -> list[Interaction]:
    return list(
        Interaction.select()
        .where(Interaction.client == client_id)
        .order_by(Interaction.occurred_at.desc())
    )


async def open_log(app, pilot, client_name: str = "Ann Smith") -> LogForm:
    await loaded(pilot)
    clients = app.query_one(ClientList)
    while clients.selected.name != client_name:
        await pilot.press("down")
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(app.screen, LogForm)
    return app.screen


async def test_a_quick_call_takes_three_keys_besides_the_note(two_clients, book_path):
    ann, _ = two_clients
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert app.query_one(ClientList).selected.name == "Ann Smith"
        keys = CountingPilot(pilot)
        await keys.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LogForm)
        assert "Ann Smith (Acme)" in screen_text(app)
        await keys.press("c")
        await keys.type("Asked about the Lisbon trip")
        await keys.press("ctrl+s")
        await loaded(pilot)

        assert keys.keys <= 10
        assert keys.keys == 3
        latest = touches_of(ann)[0]
        # Ann has no won deal yet: a touch whose intent nobody chose is an ask.
        assert (latest.kind, latest.intent, latest.duration_min) == ("call", "sales", 15)
        assert latest.summary == "Asked about the Lisbon trip"
        assert latest.day == date(2026, 11, 23)
        shown = screen_text(app)
        assert "Asked about the Lisbon trip" in shown  # the timeline
        assert "Logged a call with Ann Smith. Press u to undo." in notices(app)
        assert app.query_one(ClientList).selected.last_touch == date(2026, 11, 23)


async def test_kind_keys_set_the_kind_intent_and_minutes(two_clients, book_path):
    ann, _ = two_clients
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        await pilot.press("m")  # a meeting: 60 minutes by default
        await pilot.pause()
        assert form.query_one("#duration", Input).value == "60"
        assert form.focused.id == "summary"
        await pilot.press("shift+tab", "shift+tab", "R")
        await pilot.pause()
        assert form.query_one("#duration", Input).value == "5"
        await pilot.press("ctrl+t")  # an ask for a client not won yet; flipped to a give
        await type_text(pilot, "Sent me to Dana")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        latest = touches_of(ann)[0]
        assert (latest.kind, latest.intent, latest.duration_min) == (
            "referral-received",
            "relationship",
            5,
        )


async def test_typed_minutes_survive_a_change_of_kind(two_clients, book_path):
    ann, _ = two_clients
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        form.query_one("#duration", Input).value = "1h30"
        await pilot.press("g")
        assert form.query_one("#duration", Input).value == "1h30"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        latest = touches_of(ann)[0]
        assert (latest.kind, latest.duration_min) == ("gift", 90)


async def test_the_client_is_changed_with_the_fuzzy_picker(two_clients, book_path):
    ann, bob = two_clients
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        await pilot.press("shift+tab")
        picker_input = form.query_one("#client Input", Input)
        assert picker_input.has_focus
        await type_text(pilot, "zet")  # Bob's company
        await pilot.pause()
        assert "Bob Jones (Zeta)" in screen_text(app)
        await pilot.press("enter")  # picks the match and moves on to the kind
        assert picker_input.value == "Bob Jones (Zeta)"
        await pilot.press("e")
        await type_text(pilot, "Sent the deck")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert touches_of(bob)[0].summary == "Sent the deck"
        assert touches_of(ann)[0].summary == "Sent the quote"
        # The cursor stays where it was; the notification names who was logged.
        assert app.query_one(ClientList).selected.name == "Ann Smith"
        assert "Logged an email with Bob Jones." in notices(app)


async def test_a_name_that_matches_nobody_is_refused(two_clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        form.query_one("#client Input", Input).value = "Nobody Here"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LogForm)
        error = str(form.query_one("#error", Static).render())
        assert "Client: no client matches 'Nobody Here'" in error
        assert Interaction.select().count() == 2


async def test_follow_up_phrases_and_a_new_interval(two_clients, book_path):
    ann, _ = two_clients
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        await pilot.press("c")
        form.query_one("#follow_up", Input).value = "in 2 weeks"
        form.query_one("#interval", Input).value = "monthly"
        await pilot.pause()
        hints = screen_text(app)
        assert "Follow up: means Mon 7 Dec (in 2 weeks)" in hints
        assert "Keep in touch every: means every 30 days" in hints
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert touches_of(ann)[0].follow_up_on == date(2026, 12, 7)
        assert Client.get_by_id(ann).keep_in_touch_days == 30
        assert "Follow up on 2026-12-07." in notices(app)


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("#follow_up", "someday", "Follow up: 'someday' is not a date"),
        ("#when", "tomorrow 9am", "When: 2026-11-24 09:00 is in the future"),
        ("#duration", "a while", "Minutes: 'a while' is not a duration"),
        ("#interval", "0", "Keep in touch every: '0': an interval is between"),
    ],
)
async def test_bad_values_are_named_and_nothing_is_saved(
    two_clients, book_path, field, text, message
):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        await pilot.press("c")
        await type_text(pilot, "Kept")
        form.query_one(field, Input).value = text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LogForm)
        assert message in str(form.query_one("#error", Static).render())
        assert form.query_one("#summary").text == "Kept"
        assert Interaction.select().count() == 2


async def test_u_takes_back_the_touch_and_the_interval(two_clients, book_path):
    ann, _ = two_clients
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        await pilot.press("c")
        form.query_one("#interval", Input).value = "2 weeks"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert Client.get_by_id(ann).keep_in_touch_days == 14
        assert len(touches_of(ann)) == 2
        assert "u Undo log" in screen_text(app)
        await pilot.press("u")
        await loaded(pilot)
        assert [t.summary for t in touches_of(ann)] == ["Sent the quote"]
        assert Client.get_by_id(ann).keep_in_touch_days == 45
        assert "Removed the call just logged." in notices(app)
        assert app.query_one(ClientList).selected.last_touch == date(2026, 11, 9)
        await pilot.press("u")  # nothing more to undo
        await loaded(pilot)
        assert len(touches_of(ann)) == 1


async def test_undo_expires(two_clients, book_path):
    ann, _ = two_clients
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_log(app, pilot)
        await pilot.press("c", "ctrl+s")
        await loaded(pilot)
        app.main.undo_deadline = 0.0  # the time to undo has passed
        app.refresh_bindings()
        await pilot.pause()
        assert "Undo log" not in screen_text(app)
        await pilot.press("u")
        await loaded(pilot)
        assert len(touches_of(ann)) == 2


async def test_escape_logs_nothing(two_clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_log(app, pilot)
        await pilot.press("c")
        await type_text(pilot, "Never mind")
        await pilot.press("escape")
        await loaded(pilot)
        assert not isinstance(app.screen, LogForm)
        assert Interaction.select().count() == 2


async def test_markup_in_names_and_notes_is_shown_as_typed(db, today, book_path):
    client = book.add_client("[bold]Mark[/bold] Up", "[red]Co")
    book.add_interaction(client, "call", when=datetime(2026, 11, 20, 9))
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert "[bold]Mark[/bold] Up ([red]Co)" in screen_text(app)
        await pilot.press("n")
        await type_text(pilot, "[blink]x[/blink]")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        shown = screen_text(app)
        assert "[blink]x[/blink]" in shown
        assert "Logged a note with [bold]Mark[/bold] Up." in notices(app)


async def test_ctrl_l_in_the_profile_editor_logs_for_its_client(two_clients, book_path):
    _, bob = two_clients
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("down", "p")
        await loaded(pilot)
        assert isinstance(app.screen, ProfileEditor)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LogForm)
        assert app.screen.query_one("#client Input", Input).value == "Bob Jones (Zeta)"
        await pilot.press("t", "ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, ProfileEditor)  # back where the user was
        assert touches_of(bob)[0].kind == "message"


@pytest.fixture
def with_follow_ups(two_clients):
    ann, _ = two_clients
    book.add_interaction(
        ann,
        "call",
        when=datetime(2026, 11, 16, 9),
        summary="Promised the case study",
        follow_up_on=date(2026, 11, 20),
    )
    book.add_interaction(
        ann,
        "meeting",
        when=datetime(2026, 11, 18, 9),
        summary="Review",
        follow_up_on=date(2026, 12, 10),
    )
    return ann


async def test_x_marks_a_follow_up_done_and_again_open(with_follow_ups, book_path):
    ann = with_follow_ups
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        shown = screen_text(app)
        assert "Follow-ups due (1)" in shown
        detail, verdict, today = app.query_one(ProfilePane).shown
        profile = "\n".join(line.plain for line in profile_text(detail, verdict, today).renderables)
        assert "2026-11-20 (3 days ago): Promised the case study" in profile
        assert "2026-12-10 (in 2 weeks): Review" in profile
        timeline = app.query_one(TimelinePane)
        timeline.focus()
        await pilot.pause()
        await pilot.press("home")  # the first selectable line: the follow-up due
        assert timeline.selected_entry.summary == "Promised the case study"
        await pilot.press("x")
        await loaded(pilot)
        call = Interaction.get(Interaction.summary == "Promised the case study")
        assert call.follow_up_done
        assert "Follow-ups due" not in screen_text(app)
        assert "Call · 15 min · followed up ✓" in screen_text(app)
        await pilot.press("x")  # the cursor stayed on that touch: open again
        await loaded(pilot)
        assert not Interaction.get_by_id(call.id).follow_up_done
        assert "Follow-up open again." in notices(app)
        assert Interaction.get_by_id(call.id).client_id == ann


async def test_x_on_a_touch_without_follow_up_says_so(two_clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.query_one(TimelinePane).focus()
        await pilot.press("home", "x")
        await pilot.pause()
        assert "This touch has no follow-up." in notices(app)


async def test_a_cli_log_shows_in_the_open_cockpit(two_clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert app.query_one(ClientList).selected.name == "Ann Smith"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "cockpit",
                "log",
                "ann",
                "call",
                "Logged from the shell",
                "--db",
                str(book_path),
            ],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        for _ in range(50):  # the cockpit looks for changes every second
            await pilot.pause(0.1)
            await loaded(pilot)
            if "Logged from the shell" in screen_text(app):
                break
        assert "Logged from the shell" in screen_text(app)
        assert app.query_one(ClientList).selected.name == "Ann Smith"


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("30", 30),
        ("30 days", 30),
        ("2 weeks", 14),
        ("every 6 weeks", 42),
        ("3 months", 90),
        ("Quarterly", 91),
        ("monthly", 30),
        ("every month", 30),
        ("every week", 7),
        ("1 year", 365),
        ("annually", 365),
    ],
)
def test_intervals_in_words(text, days):
    assert phrases.parse_interval(text) == days


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", "'soon' is not an interval; use 30, 30 days, 2 weeks, 3 months or monthly"),
        ("0 days", "'0 days': an interval is between 1 day and 10 years"),
        ("20 years", "'20 years': an interval is between 1 day and 10 years"),
        ("every", "'every' is not an interval"),
    ],
)
def test_bad_intervals_are_named(text, message):
    with pytest.raises(ValidationError) as caught:
        phrases.parse_interval(text)
    assert message in caught.value.message


def test_log_touch_and_its_undo_in_the_book(two_clients):
    ann, _ = two_clients
    logged = book.log_touch(ann, "call", summary="Hi", keep_in_touch_days=20)
    assert Client.get_by_id(ann).keep_in_touch_days == 20
    assert Client.get_by_id(ann).last_touch_on == date(2026, 11, 23)
    book.undo_log(logged)
    assert Client.get_by_id(ann).keep_in_touch_days == 45
    assert Client.get_by_id(ann).last_touch_on == date(2026, 11, 9)
    assert not Interaction.select().where(Interaction.summary == "Hi").exists()


def test_a_bad_interval_logs_nothing(two_clients):
    ann, _ = two_clients
    with pytest.raises(ValidationError):
        book.log_touch(ann, "call", summary="Hi", keep_in_touch_days=0)
    assert Interaction.select().count() == 2


def test_follow_up_done_needs_a_follow_up(two_clients):
    ann, _ = two_clients
    plain = touches_of(ann)[0]
    with pytest.raises(ValidationError, match="no follow-up"):
        book.set_follow_up_done(plain.id)
    with pytest.raises(ValidationError, match="no longer exists"):
        book.set_follow_up_done(9999)


def test_the_change_watcher_sees_commits_of_other_connections(two_clients, book_path):
    ann, _ = two_clients
    watcher = ChangeWatcher(book_path)
    try:
        assert not watcher.changed()
        book.add_interaction(ann, "email")  # through the book's own connection
        assert watcher.changed()
        assert not watcher.changed()
    finally:
        watcher.close()


async def test_keys_typed_at_once_after_the_kind_land_in_the_note(two_clients, book_path):
    """The kind key moves the focus before the next key is read, however fast."""
    ann, _ = two_clients
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_log(app, pilot)
        for char in "cgreat chat":  # queued together, as a fast typist sends them
            key = events.Key("space" if char == " " else char, char)
            key.set_sender(app)
            app._driver.send_message(key)  # what Pilot.press does, without waiting
        await pilot.pause()
        await pilot.press("ctrl+s")
        await loaded(pilot)
        latest = touches_of(ann)[0]
        assert (latest.kind, latest.summary) == ("call", "great chat")


async def test_a_letter_that_is_no_kind_is_refused_with_the_keys(two_clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        assert "'x' is not a kind: press one of the keys shown" in notices(app)
        assert form.focused.id == "kind"
        assert form.query_one("#summary").text == ""


async def test_markup_in_the_picker_matches_is_shown_as_typed(db, today, book_path):
    book.add_client("Broken [/] Markup", "[red]Evil[/red] Co")
    book.add_client("Ann Smith", "Acme")
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        await pilot.press("shift+tab")
        await type_text(pilot, "broken")
        await pilot.pause()
        assert "Broken [/] Markup ([red]Evil[/red] Co)" in screen_text(app)
        await pilot.press("enter")
        assert (
            form.query_one("#client Input", Input).value == "Broken [/] Markup ([red]Evil[/red] Co)"
        )


async def test_a_write_refused_by_the_book_keeps_the_form_and_the_note(two_clients, book_path):
    ann, _ = two_clients
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        await pilot.press("c")
        await type_text(pilot, "Kept note")
        book.delete_client(ann)  # as another window might meanwhile
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert app.screen is form
        error = str(form.query_one("#error", Static).render())
        assert "Nothing was saved: that client no longer exists" in error
        assert form.query_one("#summary").text == "Kept note"


async def test_ctrl_s_with_the_matches_open_saves_the_highlighted_one(two_clients, book_path):
    _, bob = two_clients
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_log(app, pilot)
        await pilot.press("shift+tab")
        await type_text(pilot, "bob")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert touches_of(bob)[0].kind == "call"
        assert touches_of(bob)[0].day == date(2026, 11, 23)


async def test_escape_closes_the_matches_first_and_asks_before_dropping_a_note(
    two_clients, book_path
):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        await pilot.press("c")
        await type_text(pilot, "Worth keeping")
        await pilot.press("shift+tab", "shift+tab", "shift+tab")
        await type_text(pilot, "bo")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#client Input", Input).value == "Ann Smith (Acme)"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")  # no: back to the form, note intact
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#summary").text == "Worth keeping"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # Discard
        await loaded(pilot)
        assert not isinstance(app.screen, LogForm)
        assert Interaction.select().count() == 2


async def test_undo_is_withdrawn_once_the_touch_is_deleted_by_hand(two_clients, book_path):
    ann, _ = two_clients
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        await pilot.press("c")
        form.query_one("#interval", Input).value = "10"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        app.query_one(TimelinePane).focus()
        await pilot.press("home", "d")
        await loaded(pilot)
        await pilot.press("enter")  # Delete
        await loaded(pilot)
        assert len(touches_of(ann)) == 1
        assert "Undo log" not in screen_text(app)
        await pilot.press("u")
        await loaded(pilot)
        assert Client.get_by_id(ann).keep_in_touch_days == 10  # not silently put back


def test_undo_refuses_a_touch_whose_id_was_reused(two_clients):
    ann, bob = two_clients
    logged = book.log_touch(ann, "call", summary="Mine")
    book.delete_interaction(logged.interaction.id)
    other = book.add_interaction(bob, "email", summary="Bob's")
    assert other.id == logged.interaction.id  # SQLite hands the id out again
    with pytest.raises(ValidationError, match="changed or removed meanwhile"):
        book.undo_log(logged)
    assert Interaction.get_by_id(other.id).summary == "Bob's"


async def test_logging_from_the_profile_editor_offers_no_undo_key(two_clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("p")
        await loaded(pilot)
        await pilot.press("ctrl+l")
        await loaded(pilot)
        await pilot.press("c", "ctrl+s")
        await loaded(pilot)
        assert "Logged a call with Ann Smith." in notices(app)
        assert "Press u" not in notices(app)
        assert app.main.undoable is None


async def test_l_on_an_empty_book_says_how_to_begin(db, today, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert not isinstance(app.screen, LogForm)
        assert "No clients yet: press n to add one." in notices(app)


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("#follow_up", "yesterday", "Follow up: 2026-11-22 is past"),
        ("#when", "23:59", "When: 2026-11-23 23:59 is in the future"),
    ],
)
async def test_past_follow_ups_and_later_today_are_refused(
    two_clients, book_path, monkeypatch, field, text, message
):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        form.now = datetime(2026, 11, 23, 14, 0)
        form.query_one(field, Input).value = text
        await pilot.press("c", "ctrl+s")
        await pilot.pause()
        assert message in str(form.query_one("#error", Static).render())


async def test_now_is_a_moment_and_the_interval_hint_follows_the_client(two_clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_log(app, pilot)
        assert form.query_one("#interval", Input).placeholder == "now 45 days"
        await pilot.press("shift+tab")
        await type_text(pilot, "bob")
        await pilot.press("enter")
        await pilot.pause()
        assert form.query_one("#interval", Input).placeholder != "now 45 days"
        form.query_one("#when", Input).value = "now"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert not isinstance(app.screen, LogForm)
