"""The account plan in the cockpit (issue 22, point 1), driven by Pilot: `A` on a client, an
account, a review item; every field of the plan edited in its form, in bursts; what a form
refuses said in place with nothing lost; an action done logging the touch it was in one
key, and `u` taking it back; the overdue actions in the weekly review."""

from __future__ import annotations

from datetime import date

import pytest

from cockpit.storage import account_plans
from cockpit.storage.models import Interaction, PlanAction
from tests.support.pilot import app_for, loaded, notices, screen_text
from tests.support.plan_book import build_plan_book


@pytest.fixture
def plans(db, today):
    return build_plan_book()


async def _plan_of(pilot, name: str) -> None:
    """`A` on the client `name`, the filter typed and the plan opened in one burst."""
    await loaded(pilot)
    await pilot.press("slash", *name, "enter", "A")
    await loaded(pilot)
    assert type(pilot.app.screen).__name__ == "AccountPlanScreen"


async def _cursor_on(pilot, option_id: str) -> None:
    options = pilot.app.screen.query_one("#plan")
    ids = [option.id for option in options.options]
    options.highlighted = ids.index(option_id)
    await pilot.pause()


async def test_a_shows_the_plan_a_client_works_by_with_user_text_as_typed(plans, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(130, 50)) as pilot:
        await _plan_of(pilot, "bo")
        shown = screen_text(app)
        assert "Account plan: Acme" in shown and "Next review: Wed 25 Nov" in shown
        assert "Second site live, by Mon 1 Feb 2027" in shown
        assert "Renew at 10% more, by Wed 30 Jun 2027; measured by: signed renewal" in shown
        assert "Relationship plan: QBR each quarter with Ann." in shown
        assert "A handwritten note after each go-live." in shown
        assert "[ ] Send the pilot report (me, with Ann Lee), overdue since Thu 19 Nov" in shown
        assert "[x] Kick-off lunch (me, with Bo Park), done Tue 13 Oct" in shown
        assert "Risks: Budget freeze in Q1; [bold]not[/] markup" in shown  # never markup
        assert "Competitors: Globex" in shown
        await pilot.press("escape")
        await pilot.press("slash", "ctrl+u", *"cy", "enter", "A")
        await loaded(pilot)
        assert "Account plan: Cy Solo (a client at no account)" in screen_text(app)


async def test_every_field_of_the_plan_is_edited_in_its_form(plans, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(130, 60)) as pilot:
        await _plan_of(pilot, "ann")
        await _cursor_on(pilot, "text:risks")
        # Enter opens the plan's form in the field under the cursor; a burst fills it.
        await pilot.press("enter", "end", *"; new CFO", "tab", "end", *", Initech", "tab")
        await pilot.press(*"in 2 weeks", "ctrl+s")
        await loaded(pilot)
        plan = account_plans.read_plan(plans.acme)
        assert (plan.risks, plan.competitors) == (
            "Budget freeze in Q1; [bold]not[/] markup; new CFO",
            "Globex, Initech",
        )
        assert plan.review_on == date(2026, 12, 7)
        assert "Next review: Mon 7 Dec" in screen_text(app)
        await _cursor_on(pilot, "text:relationship")
        await pilot.press("e", "down", "end", "enter", *"Lunch with the CFO twice a year.")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert account_plans.read_plan(plans.acme).relationship.endswith(
            "go-live.\nLunch with the CFO twice a year."
        )


async def test_objectives_and_actions_are_added_changed_and_removed_in_bursts(plans, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(130, 60)) as pilot:
        await _plan_of(pilot, "ann")
        await pilot.press("o", *"Win the [b]Lyon[/b] plant", "tab", *"2027-03-31", "tab")
        await pilot.press(*"Lyon signed", "ctrl+s")
        await loaded(pilot)
        objectives = account_plans.read_plan(plans.acme).objectives
        objective = next(o for o in objectives if o.measure == "Lyon signed")
        assert (objective.what, objective.target_on, objective.measure) == (
            "Win the [b]Lyon[/b] plant",
            date(2027, 3, 31),
            "Lyon signed",
        )
        assert "Win the [b]Lyon[/b] plant, by Wed 31 Mar 2027" in screen_text(app)
        # An action: what, who, with whom (the select), due, kind and intent.
        await pilot.press("a", *"Propose the upgrade", "tab", "end", "ctrl+u", *"Sam", "tab")
        await pilot.press("enter", "down", "enter", "tab", *"friday", "tab")
        await pilot.press("enter", "down", "enter", "tab", "enter", "down", "enter", "ctrl+s")
        await loaded(pilot)
        action = PlanAction.get(PlanAction.what == "Propose the upgrade")
        assert (action.who, action.client_id, action.due_on) == (
            "Sam",
            plans.ann,
            date(2026, 11, 27),
        )
        assert (action.kind, action.intent) == ("email", "sales")
        # Changed: Enter on it; removed: d, then the question answered.
        await _cursor_on(pilot, f"action:{action.id}")
        await pilot.press("enter", "end", *" to Ann", "ctrl+s")
        await loaded(pilot)
        assert PlanAction.get_by_id(action.id).what == "Propose the upgrade to Ann"
        await pilot.press("d")
        await pilot.click("#remove")
        await loaded(pilot)
        assert PlanAction.get_or_none(PlanAction.id == action.id) is None
        assert "Removed: Propose the upgrade to Ann." in notices(app)


async def test_a_form_refuses_what_cannot_be_kept_and_loses_nothing(plans, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(130, 60)) as pilot:
        await _plan_of(pilot, "ann")
        await pilot.press("a", "tab", *"me and Dana", "tab", "tab", *"the day after never")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        form = app.screen
        assert type(form).__name__ == "ActionForm"
        error = str(form.query_one("#error").render())
        assert error.startswith("Due: ")
        await pilot.press("ctrl+u", *"monday", "ctrl+s")
        await loaded(pilot)
        assert str(form.query_one("#error").render()) == "The action cannot be empty"
        assert form.query_one("#who").value == "me and Dana"  # nothing typed is lost
        form.query_one("#what").focus()
        await pilot.press(*"Call about the pilot", "ctrl+s")
        await loaded(pilot)
        assert type(app.screen).__name__ == "AccountPlanScreen"
        assert PlanAction.get(PlanAction.what == "Call about the pilot").due_on == date(
            2026, 11, 30
        )


async def test_t_marks_an_action_done_logging_the_touch_and_u_takes_both_back(plans, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(130, 50)) as pilot:
        await _plan_of(pilot, "ann")
        before = Interaction.select().where(Interaction.client == plans.ann).count()
        await _cursor_on(pilot, f"action:{plans.overdue}")
        await pilot.press("t")
        await loaded(pilot)
        action = PlanAction.get_by_id(plans.overdue)
        touch = Interaction.get_by_id(action.touch_id)
        assert (action.done_on, touch.client_id, touch.kind) == (
            date(2026, 11, 23),
            plans.ann,
            "email",
        )
        assert touch.summary == "Send the pilot report"
        assert "Done: Send the pilot report. Logged an email with Ann Lee." in notices(app)
        assert "[x] Send the pilot report (me, with Ann Lee), done Mon 23 Nov" in screen_text(app)
        await pilot.press("u")
        await loaded(pilot)
        assert PlanAction.get_by_id(plans.overdue).done_on is None
        assert Interaction.select().where(Interaction.client == plans.ann).count() == before
        # x marks it done without a touch, and not done again.
        await _cursor_on(pilot, f"action:{plans.overdue}")
        await pilot.press("x")
        await loaded(pilot)
        assert PlanAction.get_by_id(plans.overdue).done_on == date(2026, 11, 23)
        await pilot.press("x")
        await loaded(pilot)
        assert PlanAction.get_by_id(plans.overdue).done_on is None
        assert Interaction.select().where(Interaction.client == plans.ann).count() == before


async def test_the_undo_goes_back_to_the_cockpit_with_the_plan(plans, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(130, 50)) as pilot:
        await _plan_of(pilot, "ann")
        await _cursor_on(pilot, f"action:{plans.overdue}")
        await pilot.press("t")
        await loaded(pilot)
        await pilot.press("escape", "u")  # closed, then undone from the cockpit
        await loaded(pilot)
        assert PlanAction.get_by_id(plans.overdue).done_on is None


async def test_the_review_lists_the_overdue_actions_and_opens_their_plan(plans, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(140, 70)) as pilot:
        await loaded(pilot)
        await pilot.press("w")
        await loaded(pilot)
        shown = screen_text(app)
        assert "Account plan actions due or overdue (1)" in shown
        assert (
            "Acme's account plan: Send the pilot report (me, with Ann Lee), overdue since" in shown
        )
        assert "Account plans to review (1)" in shown
        review = app.screen
        position = next(
            i
            for i, option in enumerate(review.query_one("#agenda").options)
            if option.id and option.id.startswith("plan-actions:")
        )
        review.query_one("#agenda").highlighted = position
        await pilot.press("A")
        await loaded(pilot)
        assert "Account plan: Acme" in screen_text(app)
        await pilot.press("escape")
        await loaded(pilot)
        await pilot.press("d")  # done: each action logs the touch it was
        await loaded(pilot)
        plan = account_plans.read_plan(plans.acme)
        assert all(action.done_on for action in plan.actions)
        assert Interaction.select().where(Interaction.summary == "Book the QBR").count() == 1


async def test_a_on_an_account_opens_its_plan(plans, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(140, 50)) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        await loaded(pilot)
        await pilot.press("slash", *"acme", "enter", "A")
        await loaded(pilot)
        assert "Account plan: Acme" in screen_text(app)
        await pilot.press("o", *"Expand to Europe", "ctrl+s")
        await loaded(pilot)
        assert account_plans.read_plan(plans.acme).objectives[-1].what == "Expand to Europe"
