"""A form takes what was typed just before Ctrl+S, however fast: the save comes after the
keys typed ahead of it, not before the field has taken them."""

from __future__ import annotations

from textual import events

from cockpit.storage import book
from cockpit.storage.models import Deal
from tests.support.pilot import app_for, loaded


def burst(app, *keys: str) -> None:
    """Keys as a terminal delivers a fast burst: all queued before any is handled."""
    for key in keys:
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
