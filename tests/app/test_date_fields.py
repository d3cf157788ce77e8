"""Every form takes the day and interval phrases of the quick log ("yesterday 16:00", "next
friday", "monthly") and says under the field which day or how often a phrase means, as it
is typed; a phrase it cannot read gets a clear message there and nothing typed is lost."""

from __future__ import annotations

from datetime import date, datetime

from textual.widgets import Input, Static

from cockpit.storage import book
from cockpit.storage.models import Client, Deal, Interaction, PlannedCommunication
from cockpit.ui.screens.client_form import ClientForm
from cockpit.ui.screens.deal_form import DealForm
from cockpit.ui.screens.plan_form import PlanForm
from cockpit.ui.screens.touch_form import TouchForm
from tests.support.forms import FORMS
from tests.support.pilot import app_for, loaded, screen_text


async def _type_into(app, pilot, field_id: str, text: str) -> None:
    app.screen.query_one(f"#{field_id}", Input).value = text
    await pilot.pause()


def under(app, field_id: str) -> str:
    """The line under a field: what it means, or what is wrong with it."""
    return str(app.screen.query_one(f"#{field_id}", Input).preview.render())


async def test_won_on_takes_yesterday_and_says_the_day(db, today, book_path):
    ann = book.add_client("Ann Smith", "Acme")
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("dollar_sign")
        assert isinstance(app.screen, DealForm)
        await _type_into(app, pilot, "amount", "1200")
        await _type_into(app, pilot, "won_on", "yesterday")
        assert "means Sun 22 Nov (yesterday)" in screen_text(app)
        await pilot.press("ctrl+s")
        await loaded(pilot)
    assert [(d.client_id, d.won_on) for d in Deal.select()] == [(ann.id, date(2026, 11, 22))]


async def test_a_new_client_takes_phrases_and_monthly(db, today, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, ClientForm)
        await _type_into(app, pilot, "name", "Sofia Marchetti")
        await _type_into(app, pilot, "since", "3 days ago")
        await _type_into(app, pilot, "keep", "monthly")
        await _type_into(app, pilot, "snooze", "in 2 weeks")
        assert "means Fri 20 Nov (3 days ago)" in screen_text(app)
        assert under(app, "keep") == "means every 30 days"
        assert under(app, "snooze") == "means Mon 7 Dec (in 2 weeks)"
        await pilot.press("ctrl+s")
        await loaded(pilot)
    sofia = Client.get(Client.name == "Sofia Marchetti")
    assert (sofia.client_since, sofia.keep_in_touch_days, sofia.snoozed_until) == (
        date(2026, 11, 20),
        30,
        date(2026, 12, 7),
    )


async def test_the_touch_form_takes_phrases_for_when_and_the_follow_up(db, today, book_path):
    ann = book.add_client("Ann Smith", "Acme")
    book.add_interaction(ann, "call", when=datetime(2026, 11, 2, 10), summary="Budget call")
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await FORMS["touch form"].open(app, pilot)
        await loaded(pilot)
        assert isinstance(app.screen, TouchForm)
        await _type_into(app, pilot, "when", "yesterday 16:00")
        await _type_into(app, pilot, "follow_up", "friday")
        text = screen_text(app)
        assert "means Sun 22 Nov (yesterday), 16:00" in text
        assert "means Fri 27 Nov (in 4 days)" in text
        await pilot.press("ctrl+s")
        await loaded(pilot)
    touch = Interaction.get()
    assert (touch.day, touch.follow_up_on) == (date(2026, 11, 22), date(2026, 11, 27))


async def test_next_friday_said_on_a_thursday_names_the_friday_8_days_later(
    db, book_path, monkeypatch
):
    monkeypatch.setenv("COCKPIT_TODAY", "2026-11-26")  # a Thursday
    book.add_client("Ann Smith", "Acme")
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await FORMS["plan form"].open(app, pilot)
        await loaded(pilot)
        assert isinstance(app.screen, PlanForm)
        await _type_into(app, pilot, "what", "Quarterly update")
        await _type_into(app, pilot, "next_due", "next friday")
        assert under(app, "next_due") == (
            "means Fri 4 Dec (in 8 days); the Friday after the coming one; "
            "friday alone is Fri 27 Nov"
        )
        await pilot.press("ctrl+s")
        await loaded(pilot)
    assert [p.next_due for p in PlannedCommunication.select()] == [date(2026, 12, 4)]


async def test_a_phrase_not_understood_is_said_under_its_field_and_kept(db, today, book_path):
    book.add_client("Ann Smith", "Acme")
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("dollar_sign")
        await _type_into(app, pilot, "amount", "1200")
        await _type_into(app, pilot, "won_on", "someday")
        assert under(app, "won_on").startswith("'someday' is not a date; use 2026-12-01, today,")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, DealForm)  # still open, with what was typed
        error = str(app.screen.query_one("#error", Static).render())
        assert error.startswith("Won on: 'someday' is not a date")
        assert app.screen.query_one("#won_on", Input).value == "someday"
        assert app.screen.query_one("#amount", Input).value == "1200"
    assert Deal.select().count() == 0
