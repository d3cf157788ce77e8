"""The weekly review and the plans screen in the cockpit, key by key."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, Static

from cockpit.storage.models import (
    Interaction,
    PlannedCommunication,
    Review,
    ReviewAction,
    ScheduledTouch,
)
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.screens.date_prompt import DatePrompt
from cockpit.ui.screens.log_form import LogForm
from cockpit.ui.screens.plan_form import PlanForm
from cockpit.ui.screens.plans_screen import PlansScreen
from cockpit.ui.screens.review_screen import ReviewScreen
from tests.support.pilot import app_for, loaded, notices, screen_text, type_text
from tests.support.review_book import build_review_book


@pytest.fixture
def clients(db, today):
    return build_review_book()


def heading(app) -> str:
    return str(app.screen.query_one("#heading", Static).render())


def steps() -> dict[str, str]:
    return {action.item_key: action.step for action in ReviewAction.select()}


async def open_review(app, pilot) -> ReviewScreen:
    await loaded(pilot)
    await pilot.press("w")
    await loaded(pilot)
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


async def answer_day(pilot, text: str) -> None:
    await loaded(pilot)
    assert isinstance(pilot.app.screen, DatePrompt)
    await type_text(pilot, text)
    await pilot.press("enter")
    await loaded(pilot)


async def test_one_key_actions_walk_through_the_agenda(clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        assert "1 of 10 · 0 handled" in heading(app)
        assert screen.current_item.client == "Cora Core"
        assert "Drifting clients with much at stake (1)" in screen_text(app)
        await pilot.press("d")
        await loaded(pilot)
        assert steps() == {f"drifting-high:{clients['core']}": "done"}
        assert "✓ done" in screen_text(app)
        assert "2 of 10 · 1 handled" in heading(app)
        assert screen.current_item.client == "Otto Other"

        await pilot.press("s")
        await answer_day(pilot, "friday")
        promise = ScheduledTouch.get()
        assert (promise.client_id, promise.due_on) == (clients["other"], date(2026, 11, 27))
        assert "→ Fri 27 Nov" in screen_text(app)

        follow_ups = screen.current_item  # both of Stella's, in one item
        assert (follow_ups.part, follow_ups.client) == ("follow-ups", "Stella Steady")
        await pilot.press("z")
        await answer_day(pilot, "in 2 weeks")
        assert steps()[follow_ups.key] == "snoozed"
        for touch_id in (follow_ups.interaction_id, *follow_ups.also_ids):
            assert Interaction.get_by_id(touch_id).follow_up_on == date(2026, 12, 7)

        plan = screen.current_item
        await pilot.press("n")
        await loaded(pilot)
        assert steps()[plan.key] == "skipped"
        assert "5 of 10 · 3 handled" in heading(app)
        assert "↷ skipped" in screen_text(app)


async def test_a_past_day_is_refused_in_place(clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot)
        await pilot.press("s")
        await type_text(pilot, "yesterday")
        await pilot.press("enter")
        await loaded(pilot)
        assert isinstance(app.screen, DatePrompt)
        assert "is not after today" in str(app.screen.query_one("#error", Static).render())
        await pilot.press("escape")
        await loaded(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert ScheduledTouch.select().count() == 0
        assert steps() == {}


async def test_leaving_and_coming_back_resumes_where_the_user_was(clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot)
        await pilot.press("d")
        await loaded(pilot)
        await pilot.press("n")
        await loaded(pilot)
        await pilot.press("escape")
        await loaded(pilot)
        assert not isinstance(app.screen, ReviewScreen)
        assert "w resumes it until Sun 29 Nov" in notices(app)
        screen = await open_review(app, pilot)
        assert Review.select().count() == 1
        assert (screen.current_item.part, screen.current_item.client) == (
            "follow-ups",
            "Stella Steady",
        )
        assert "3 of 10 · 1 handled" in heading(app)
        shown = screen_text(app)
        assert "✓ done" in shown
        assert "↷ skipped" in shown


async def test_l_logs_a_touch_and_marks_the_item(clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot)
        await pilot.press("l")
        await loaded(pilot)
        assert isinstance(app.screen, LogForm)
        assert app.screen.query_one("#client Input", Input).value == "Cora Core (Big Inc)"
        await pilot.press("c")
        await type_text(pilot, "Caught up")
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, ReviewScreen)
        touch = Interaction.get(Interaction.summary == "Caught up")
        assert touch.client_id == clients["core"]
        assert steps() == {f"drifting-high:{clients['core']}": "logged"}
        assert "✓ logged" in screen_text(app)


async def test_logging_a_planned_communication_moves_it_on(clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        while screen.current_item.part != "plans":
            await pilot.press("down")
        await pilot.press("l")
        await loaded(pilot)
        await pilot.press("e", "ctrl+s")
        await loaded(pilot)
        plan = PlannedCommunication.get(PlannedCommunication.what == "Quarterly market update")
        assert plan.next_due == date(2027, 2, 23)  # three months from the day it was done


async def test_finishing_shows_the_summary_and_keeps_it(clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot)
        await pilot.press("d")
        await loaded(pilot)
        await pilot.press("f")
        await loaded(pilot)
        assert isinstance(app.screen, Confirm)
        assert "9 of 10 items have no answer yet" in screen_text(app)
        await pilot.press("enter")  # Finish
        await loaded(pilot)
        assert isinstance(app.screen, Confirm)
        assert "Review finished. Done 1" in screen_text(app)
        await pilot.press("enter")  # Close
        await loaded(pilot)
        assert not isinstance(app.screen, (Confirm, ReviewScreen))
        assert Review.get().finished_at is not None


async def test_answering_every_item_ends_the_review(db, today, book_path):
    from cockpit.storage import book

    client = book.add_client("Solo Client", "One Co")
    book.add_interaction(client, "call", summary="Asked", follow_up_on=date(2026, 11, 25))
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot)
        assert "1 of 1" in heading(app)
        await pilot.press("d")
        await loaded(pilot)
        assert "Review finished. Done 1" in screen_text(app)
        assert Interaction.get().follow_up_done


async def test_an_empty_week_says_so(db, today, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot)
        assert "nothing this week" in screen_text(app)
        await pilot.press("d")
        await pilot.pause()
        assert "Nothing to act on this week." in notices(app)


async def test_p_manages_a_clients_plans(clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        while app.query_one("#clients").selected.name != "Cora Core":
            await pilot.press("down")
        await pilot.press("P")
        await loaded(pilot)
        assert isinstance(app.screen, PlansScreen)
        assert "Annual review  an email every 12 months · next Fri 15 Jan 2027" in screen_text(app)
        await pilot.press("a")
        await loaded(pilot)
        assert isinstance(app.screen, PlanForm)
        await type_text(pilot, "Monthly usage report")
        form = app.screen
        form.query_one("#every", Input).value = "1"
        form.query_one("#unit").value = "months"
        form.query_one("#next_due", Input).value = "in 2 weeks"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        plan = PlannedCommunication.get(PlannedCommunication.what == "Monthly usage report")
        assert (plan.client_id, plan.next_due) == (clients["core"], date(2026, 12, 7))
        assert "Monthly usage report  an email every month · next Mon 7 Dec 2026" in screen_text(
            app
        )
        await pilot.press("x")  # the first plan (soonest) was done today
        await loaded(pilot)
        assert PlannedCommunication.get_by_id(plan.id).next_due == date(2026, 12, 23)
        await pilot.press("d")
        await loaded(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("enter")
        await loaded(pilot)
        assert (
            not PlannedCommunication.select()
            .where(PlannedCommunication.what == "Monthly usage report")
            .exists()
        )
        await pilot.press("escape")
        await loaded(pilot)
        assert not isinstance(app.screen, PlansScreen)


async def test_a_bad_plan_is_refused_in_place(clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("P")
        await loaded(pilot)
        await pilot.press("a")
        await loaded(pilot)
        await type_text(pilot, "Update")
        app.screen.query_one("#next_due", Input).value = "someday"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, PlanForm)
        error = str(app.screen.query_one("#error", Static).render())
        assert "Next due: 'someday' is not a date" in error


async def test_a_scheduled_touch_shows_in_the_profile_pane(clients, book_path):
    from cockpit.ui.widgets.profile_pane import ProfilePane, profile_text

    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot)
        await pilot.press("s")
        await answer_day(pilot, "friday")
        await pilot.press("escape")
        await loaded(pilot)
        detail, verdict, today = app.query_one(ProfilePane).shown
        assert detail.name == "Cora Core"
        lines = [line.plain for line in profile_text(detail, verdict, today).renderables]
        assert "Next touch    Fri 27 Nov (in 4 days)" in lines


async def test_keys_pressed_while_a_write_is_on_its_way_do_not_pile_up(clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        screen.action_done()
        screen.action_skip()  # before the first write came back: ignored
        screen.action_done()
        await loaded(pilot)
        assert steps() == {f"drifting-high:{clients['core']}": "done"}
        assert screen.current_item.client == "Otto Other"


async def test_leaving_at_once_after_an_answer_keeps_the_cockpit(clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        screen.action_done()
        screen.action_leave()
        await loaded(pilot)
        assert not isinstance(app.screen, ReviewScreen)
        assert app.query_one("#cockpit").display
        assert "could not read the book" not in screen_text(app)
        assert steps() == {f"drifting-high:{clients['core']}": "done"}


async def test_a_touch_logged_with_someone_else_leaves_the_item_open(clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot)
        await pilot.press("l")
        await loaded(pilot)
        await pilot.press("shift+tab")
        await type_text(pilot, "ada")
        await pilot.press("enter", "c", "ctrl+s")
        await loaded(pilot)
        assert steps() == {}
        assert "Cora Core's item stays open" in notices(app)


async def test_w_after_finishing_offers_a_new_review(clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot)
        await pilot.press("d", "f")
        await loaded(pilot)
        await pilot.press("enter")  # Finish
        await loaded(pilot)
        await pilot.press("enter")  # Close
        await loaded(pilot)
        await pilot.press("w")
        await loaded(pilot)
        assert isinstance(app.screen, Confirm)
        assert "This week's review is finished. Done 1" in screen_text(app)
        await pilot.press("enter")  # Begin a new review
        await loaded(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert Review.select().count() == 2
        assert "0 handled" in heading(app)


async def test_w_pressed_twice_opens_one_review(clients, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.main.action_weekly_review()
        app.main.action_weekly_review()
        await loaded(pilot)
        assert sum(isinstance(s, ReviewScreen) for s in app.screen_stack) == 1


async def test_g_lets_a_lapsed_client_go_once_confirmed(clients, book_path, monkeypatch):
    from cockpit.storage.models import Client

    monkeypatch.setenv("COCKPIT_TODAY", "2026-12-01")  # the first review of December
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        assert "g Let go" in screen_text(app)
        await pilot.press("g")  # a drifting client is not let go from here
        await loaded(pilot)
        assert isinstance(app.screen, ReviewScreen)
        while screen.current_item.part != "lapsed":
            await pilot.press("down")
        assert screen.current_item.client == "Lou Lapsed"
        assert "Lapsed: win back or let go (1)" in screen_text(app)
        await pilot.press("g")
        await loaded(pilot)
        assert isinstance(app.screen, Confirm)
        assert "Let Lou Lapsed go? They become a former client" in screen_text(app)
        await pilot.press("escape")  # Cancel: nothing changes
        await loaded(pilot)
        assert Client.get_by_id(clients["lapsed"]).lifecycle == "active"
        assert steps() == {}
        await pilot.press("g")
        await loaded(pilot)
        await pilot.press("enter")  # Make former
        await loaded(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert Client.get_by_id(clients["lapsed"]).lifecycle == "former"
        assert steps() == {f"lapsed:{clients['lapsed']}": "done"}
        assert "✓ former" in screen_text(app)
        await pilot.press("escape")
        await loaded(pilot)
        from cockpit.ui.widgets.client_list import ClientList

        lou = next(r for r in app.query_one(ClientList).rows if r.health.name == "Lou Lapsed")
        assert lou.health.lifecycle == "former"  # the cockpit shows it: kept, muted


async def test_over_capacity_comes_first_and_r_relaxes_a_peripheral_cadence(
    clients, book_path, write_config
):
    from cockpit.storage.models import Client

    write_config("capacity_hours_per_week = 0.2\n")
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(app, pilot)
        shown = screen_text(app)
        assert shown.index("Over capacity: relax a peripheral client's cadence") < shown.index(
            "Promises from the last review not kept"
        )
        assert "you said 12 min." in shown
        item = screen.current_item
        assert item.part == "capacity"
        assert "r Relax cadence" in screen_text(app)
        before = Client.get_by_id(item.client_id).keep_in_touch_days
        await pilot.press("r")
        await loaded(pilot)
        assert Client.get_by_id(item.client_id).keep_in_touch_days == item.cadence_days
        assert item.cadence_days > (before or 0)
        assert steps()[item.key] == "done"
        assert f"{item.client}: every {item.cadence_days} days now" in notices(app)
        while screen.current_item.part == "capacity":
            await pilot.press("down")
        await loaded(pilot)
        assert "Relax cadence" not in screen_text(app)  # only on the capacity part
        answered = steps()
        await pilot.press("r")
        await loaded(pilot)
        assert steps() == answered
