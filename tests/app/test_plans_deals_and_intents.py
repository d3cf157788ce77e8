"""On screen: won deals on the timeline, the intent the log form will save, plans kept by a
kind of touch that marking them done logs (and `u` takes back), and a prospect's first deal."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual.widgets import Input, Select

from cockpit.storage import book
from cockpit.storage.models import Client, Interaction, PlannedCommunication
from cockpit.ui.screens.deal_form import DealForm
from cockpit.ui.screens.log_form import LogForm
from cockpit.ui.screens.plan_form import PlanForm
from cockpit.ui.screens.plans_screen import PlansScreen
from cockpit.ui.screens.review_screen import ReviewScreen
from cockpit.ui.widgets.client_list import ClientList
from cockpit.ui.widgets.kind_picker import IntentToggle
from tests.support.pilot import app_for, loaded, notices, screen_text, type_text


@pytest.fixture
def won_and_prospect(db, today) -> dict[str, int]:
    ann = book.add_client("Ann Smith", "Acme")
    book.add_interaction(ann, "email", when=datetime(2026, 1, 5, 10), summary="Sent the proposal")
    book.add_interaction(ann, "call", when=datetime(2026, 11, 12, 10), summary="Kick-off call")
    book.add_deal(
        ann, 12000, currency="EUR", won_on=date(2026, 11, 10), description="Annual [b]contract"
    )
    book.add_deal(ann, 800, won_on=date(2026, 11, 12))
    bob = book.add_client("Bob Jones", "Zeta", lifecycle="prospect")
    book.add_interaction(bob, "call", when=datetime(2026, 11, 1, 10), summary="Discovery")
    return {"ann": ann.id, "bob": bob.id}


async def select(app, pilot, name: str) -> None:
    await loaded(pilot)
    clients = app.query_one(ClientList)
    while clients.selected.name != name:
        await pilot.press("down")
    await loaded(pilot)


def newest_touch(client_id: int) -> Interaction:
    return (
        Interaction.select()
        .where(Interaction.client == client_id)
        .order_by(Interaction.id.desc())
        .first()
    )


async def test_won_deals_are_on_the_timeline_among_the_touches(won_and_prospect, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(140, 50)) as pilot:
        await select(app, pilot, "Ann Smith")
        shown = screen_text(app)
        lines = ["$800 won", "Kick-off call", "€12,000 won · Annual [b]contract"]
        positions = [shown.index(line) for line in lines]  # the description kept literally
        assert positions == sorted(positions)  # newest first: a deal before its day's touches
        assert shown.index("Sent the proposal") > positions[-1]
        assert "★ a deal won" in shown


async def test_the_log_form_shows_the_intent_it_will_save(won_and_prospect, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await select(app, pilot, "Ann Smith")
        await pilot.press("l")
        await loaded(pilot)
        form = app.screen
        assert isinstance(form, LogForm)
        toggle = form.query_one(IntentToggle)
        await pilot.press("e")  # an email with a won client: a give
        await loaded(pilot)
        assert toggle.intent == "relationship"
        await pilot.press("shift+tab", "shift+tab", "r")  # a referral asked: an ask
        await loaded(pilot)
        assert toggle.intent == "sales"
        await pilot.press("shift+tab", "shift+tab", "m")
        form.query_one("#when", Input).value = "2026-11-01 10:00"  # before the deal
        await loaded(pilot)
        assert toggle.intent == "sales"
        form.query_one("#when", Input).value = ""
        await loaded(pilot)
        assert toggle.intent == "relationship"
        await type_text(pilot, "Quarterly review")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        meeting = newest_touch(won_and_prospect["ann"])
        assert (meeting.kind, meeting.intent) == ("meeting", "relationship")


async def test_the_intent_follows_the_client_until_the_user_flips_it(won_and_prospect, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await select(app, pilot, "Ann Smith")
        await pilot.press("l")
        await loaded(pilot)
        form = app.screen
        toggle = form.query_one(IntentToggle)
        await pilot.press("shift+tab")  # to the client
        await type_text(pilot, "Bob")
        await pilot.press("enter")
        await loaded(pilot)
        assert toggle.intent == "sales"  # a prospect
        assert "$ sales (an ask)" in screen_text(app)
        await pilot.press("ctrl+t")
        assert toggle.intent == "relationship"
        await pilot.press("g")  # another kind: the user's choice stays
        await loaded(pilot)
        assert toggle.intent == "relationship"
        await type_text(pilot, "Sent a book")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        gift = newest_touch(won_and_prospect["bob"])
        assert (gift.kind, gift.intent, gift.summary) == ("gift", "relationship", "Sent a book")


async def open_plans(app, pilot, name: str = "Ann Smith") -> PlansScreen:
    await select(app, pilot, name)
    await pilot.press("P")
    await loaded(pilot)
    assert isinstance(app.screen, PlansScreen)
    return app.screen


async def test_a_plan_is_kept_by_the_kind_the_form_picks(won_and_prospect, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(140, 50)) as pilot:
        await open_plans(app, pilot)
        await pilot.press("a")
        await loaded(pilot)
        form = app.screen
        assert isinstance(form, PlanForm)
        assert form.query_one("#kind", Select).value == "email"
        await type_text(pilot, "Monthly check-in")
        form.query_one("#every", Input).value = "1"
        form.query_one("#next_due", Input).value = "2026-11-30"
        form.query_one("#kind", Select).value = "call"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        plan = PlannedCommunication.get(PlannedCommunication.what == "Monthly check-in")
        assert plan.kind == "call"
        assert "Monthly check-in  a call every month · next Mon 30 Nov 2026" in screen_text(app)
        await pilot.press("e")
        await loaded(pilot)
        assert app.screen.query_one("#kind", Select).value == "call"  # kept when changed


async def test_x_logs_the_plans_touch_and_u_takes_it_back(won_and_prospect, book_path):
    ann = won_and_prospect["ann"]
    plan = book.add_plan(ann, "Monthly check-in", 1, "months", date(2026, 11, 20), kind="call")
    app = app_for(book_path)
    async with app.run_test(size=(140, 50)) as pilot:
        await open_plans(app, pilot)
        await pilot.press("x")
        await loaded(pilot)
        touch = newest_touch(ann)
        assert (touch.kind, touch.intent, touch.summary, touch.day) == (
            "call",
            "relationship",
            "Monthly check-in",
            date(2026, 11, 23),
        )
        assert PlannedCommunication.get_by_id(plan.id).next_due == date(2026, 12, 23)
        assert (
            "Done: Monthly check-in. Logged a call with Ann Smith; next due Wed 23 Dec 2026. "
            "Press u to undo." in notices(app)
        )
        await pilot.press("u")
        await loaded(pilot)
        assert not Interaction.select().where(Interaction.id == touch.id).exists()
        assert PlannedCommunication.get_by_id(plan.id).next_due == date(2026, 11, 20)
        assert (
            "Took back a call just logged; Monthly check-in is due Fri 20 Nov 2026 again."
            in notices(app)
        )


async def test_u_on_the_cockpit_takes_back_a_plan_done_in_the_list(won_and_prospect, book_path):
    ann = won_and_prospect["ann"]
    plan = book.add_plan(ann, "Quarterly market update", 3, "months", date(2026, 11, 20))
    app = app_for(book_path)
    async with app.run_test(size=(140, 50)) as pilot:
        await open_plans(app, pilot)
        await pilot.press("x")
        await loaded(pilot)
        await pilot.press("escape")
        await loaded(pilot)
        assert not isinstance(app.screen, PlansScreen)
        assert "Quarterly market update" in screen_text(app)  # the touch, on the timeline
        await pilot.press("u")
        await loaded(pilot)
        assert newest_touch(ann).summary == "Kick-off call"
        assert PlannedCommunication.get_by_id(plan.id).next_due == date(2026, 11, 20)


async def test_d_in_the_review_logs_the_touch_that_kept_the_plan(won_and_prospect, book_path):
    ann = won_and_prospect["ann"]
    plan = book.add_plan(ann, "Monthly usage report", 1, "months", date(2026, 11, 22), kind="email")
    app = app_for(book_path)
    async with app.run_test(size=(140, 50)) as pilot:
        await loaded(pilot)
        await pilot.press("w")
        await loaded(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        item = next(item for item in review.items if item.plan_id == plan.id)
        agenda = review.query_one("#agenda")
        agenda.highlighted = agenda.get_option_index(item.key)
        await pilot.press("d")
        await loaded(pilot)
        touch = newest_touch(ann)
        assert (touch.kind, touch.intent, touch.summary) == (
            "email",
            "relationship",
            "Monthly usage report",
        )
        assert PlannedCommunication.get_by_id(plan.id).next_due == date(2026, 12, 23)
        assert "Done: logged an email with Ann Smith." in notices(app)
        assert "✓ done" in screen_text(app)


async def test_a_prospects_first_deal_makes_it_active(won_and_prospect, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await select(app, pilot, "Bob Jones")
        await pilot.press("dollar_sign")
        await loaded(pilot)
        assert isinstance(app.screen, DealForm)
        await type_text(pilot, "5000")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert Client.get_by_id(won_and_prospect["bob"]).lifecycle == "active"
        assert (
            "Recorded a won deal for Bob Jones. No longer a prospect: now an active client."
            in notices(app)
        )
