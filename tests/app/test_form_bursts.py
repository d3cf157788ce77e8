"""A form takes what was typed just before Ctrl+S, however fast: the save comes after the
keys typed ahead of it, not before the field has taken them."""

from __future__ import annotations

from datetime import date

from textual import events
from textual.worker import WorkerCancelled

from cockpit.storage import book
from cockpit.storage.models import Deal, Interaction
from cockpit.ui.screens.review_screen import ReviewScreen
from tests.support.pilot import app_for, loaded
from tests.support.review_book import build_review_book


def burst(app, *keys: str) -> None:
    """Keys as a terminal delivers a fast burst: all queued before any is handled."""
    for key in keys:
        if key == " ":
            key = "space"
        character = " " if key == "space" else key if len(key) == 1 else None
        app.post_message(events.Key(key, character))


async def test_a_new_client_typed_and_saved_in_one_burst_keeps_every_letter(db, today, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        burst(app, "n", "B", "o", "b", "tab", "A", "c", "m", "e", "ctrl+s")
        await loaded(pilot)
        assert len(app.screen_stack) == 1  # saved and closed
    assert [(c.name, c.company) for c in book.client_candidates()] == [("Bob", "Acme")]


async def test_a_deal_typed_and_saved_in_one_burst_keeps_its_last_digit(db, today, book_path):
    ann = book.add_client("Ann Smith", "Acme")
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        burst(app, "dollar_sign", "1", "2", "5", "0", "ctrl+s")
        await loaded(pilot)
        assert len(app.screen_stack) == 1
    assert [(deal.client_id, deal.amount_cents) for deal in Deal.select()] == [(ann.id, 125000)]


async def test_a_touch_logged_in_one_burst_keeps_its_kind_and_summary(db, today, book_path):
    from textual.widgets import TextArea

    book.add_client("Ann Smith", "Acme")
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        burst(app, "l", "enter", "H", "i")  # Enter keeps the kind and goes on to the summary
        await loaded(pilot)
        assert app.screen.query_one("#summary", TextArea).text == "Hi"
        burst(app, "ctrl+s")
        await loaded(pilot)
        assert len(app.screen_stack) == 1


# A key that opens a box on a box opened by the key before it (the plans, then a plan; the
# review, then a day or a touch): what follows lands in the second box, in order.


async def settled(pilot) -> None:
    """As `loaded`; a read of the book cancelled by a newer one (after a save) is no failure."""
    for _ in range(5):
        try:
            return await loaded(pilot)
        except WorkerCancelled:
            continue


async def test_a_plan_typed_in_the_burst_that_opens_the_plans_is_saved(db, today, book_path):
    from cockpit.storage.models import PlannedCommunication

    book.add_client("Ann Smith", "Acme")
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        burst(app, "P", "a", *"Quarterly", "tab", "2", "tab", "tab", *"2026-12-07", "ctrl+s")
        await settled(pilot)
        assert len(app.screen_stack) == 2  # the plan saved, the plans still open
    plans = [(p.what, p.every, p.unit, p.next_due) for p in PlannedCommunication.select()]
    assert plans == [("Quarterly", 2, "months", date(2026, 12, 7))]


async def test_a_day_typed_in_the_burst_that_opens_the_review_is_scheduled(db, today, book_path):
    from cockpit.storage.models import ScheduledTouch

    clients = build_review_book()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        burst(app, "w", "s", *"friday", "enter")  # s: a day for the first, Cora
        await settled(pilot)
        assert isinstance(app.screen, ReviewScreen)
    promise = ScheduledTouch.get()
    assert (promise.client_id, promise.due_on) == (clients["core"], date(2026, 11, 27))


async def test_a_touch_typed_in_the_burst_that_opens_the_review_is_logged(db, today, book_path):
    clients = build_review_book()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        burst(app, "w", "l", "c", *"Hi there", "ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, ReviewScreen)
    logged = Interaction.get(Interaction.summary == "Hi there")
    assert (logged.client_id, logged.kind) == (clients["core"], "call")
