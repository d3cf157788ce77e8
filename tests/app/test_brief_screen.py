"""The pre-call brief in the cockpit (issue 22, points 2 and 3), driven by Pilot: `b` on a
client and from the review, every section, the sensitive answers masked and revealed one at
a time, and `l` logging the call with the open follow-ups offered to close."""

from __future__ import annotations

import pytest

from cockpit.storage.models import Interaction, ReviewAction
from tests.support.brief_book import build_brief_book
from tests.support.pilot import app_for, loaded, notices, screen_text

MASK = "••••••"


@pytest.fixture
def ann(db, today):
    return build_brief_book()


async def _brief_of_ann(pilot) -> None:
    await loaded(pilot)
    await pilot.press("slash", *"ann", "enter", "b")  # one burst: the key opens the brief
    await loaded(pilot)
    assert type(pilot.app.screen).__name__ == "BriefScreen"


async def test_b_shows_every_section_and_reveals_sensitive_answers_one_at_a_time(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 70)) as pilot:
        await _brief_of_ann(pilot)
        shown = screen_text(app)
        assert "Brief: Ann Park · Brightline (decision maker, signs off IT)" in shown
        assert "Health: drifting · " in shown and "Brightline renews $48,000" in shown
        assert "Overdue Sat 21 Nov (2 days ago): Asked about [bold]pricing[/]" in shown
        assert "Mia's birthday on Sat 28 Nov (in 5 days), turning 8" in shown
        assert "Boston Celtics (follows)" in shown and "Children: Mia (7), Leo" in shown
        assert "Bo Lee (champion): recovering" in shown and "Lunch at Chez Lou" in shown
        assert f"Do not raise: {MASK}" in shown and f"Health: {MASK}" in shown
        assert "The lawsuit" not in shown and "Knee surgery" not in shown
        await pilot.press("v")
        shown = screen_text(app)
        assert "Do not raise: The lawsuit" in shown and f"Health: {MASK}" in shown
        await pilot.press("v")
        assert "Health: Knee surgery" in screen_text(app)
        await pilot.press("escape")
        assert type(app.screen).__name__ == "MainScreen"


async def test_l_logs_the_call_closing_the_follow_ups_ticked(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await _brief_of_ann(pilot)
        await pilot.press("l")
        await loaded(pilot)
        assert "Follow-ups this call closes" in screen_text(app)
        assert "Sat 21 Nov: Asked about [bold]pricing[/]" in screen_text(app)
        await pilot.press("c", *"Went through the pricing")
        app.screen.query_one("#close_follow_ups").focus()
        await pilot.press("space", "ctrl+s")
        await loaded(pilot)
        assert "Logged a call with Ann Park. Closed 1 follow-up." in notices(app)
        assert type(app.screen).__name__ == "MainScreen"  # the brief closes with the call
        asked = Interaction.get(Interaction.summary.startswith("Asked about"))
        assert asked.follow_up_done
        assert (
            Interaction.select().where(Interaction.summary == "Went through the pricing").exists()
        )
        await pilot.press("u")  # the undo takes the call back and opens the follow-up again
        await loaded(pilot)
        assert not Interaction.get_by_id(asked.id).follow_up_done


async def test_b_in_the_review_opens_the_brief_and_its_call_marks_the_item(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await loaded(pilot)
        await pilot.press("w")
        await loaded(pilot)
        assert type(app.screen).__name__ == "ReviewScreen"
        assert "Ann Park" in screen_text(app)  # drifting with much at stake: the first item
        await pilot.press("b")
        await loaded(pilot)
        assert "Brief: Ann Park" in screen_text(app)
        await pilot.press("l")
        await loaded(pilot)
        await pilot.press("c", "ctrl+s")
        await loaded(pilot)
        assert type(app.screen).__name__ == "ReviewScreen"
        assert [action.step for action in ReviewAction.select()] == ["logged"]
