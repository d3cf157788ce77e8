"""Moving through the list and filtering it, as the user sees it: the panes follow the
cursor, drawn once and at one width; Esc brings every client back and keeps the one found;
a burst of filter keys ends with the list for the whole query; revenue and snoozes show in
the list and the profile pane."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from textual import events
from textual.widgets import Input

from cockpit.search import Candidate, filtered
from cockpit.storage import book
from cockpit.storage.reviews import snooze_client
from cockpit.ui.screens.help_screen import HelpScreen
from cockpit.ui.widgets.client_list import ClientList
from cockpit.ui.widgets.profile_pane import ProfilePane
from cockpit.ui.widgets.timeline_pane import TimelinePane
from tests.support.pilot import app_for, loaded, names, screen_text

TOUCHES = {"Bob Jones": 40, "Sam Smart": 40, "Tom Small": 40}  # the others: one
CLIENTS = [
    ("Ann Smith", "Acme"),
    ("Bob Jones", "Zeta"),
    ("Cara Drift", "Acme"),
    ("Sam Smart", "Initech"),
    ("Sara Lee", "Umbrella"),
    ("Tom Small", "Acme"),
]


@pytest.fixture
def mixed_book(db, today):
    """Clients with short and long timelines (a long one needs a scrollbar)."""
    start = datetime(2026, 1, 5, 10)
    for n, (name, company) in enumerate(CLIENTS):
        client = book.add_client(name, company, emails=[f"{name.split()[0].lower()}@x.example"])
        for k in range(TOUCHES.get(name, 1)):
            when = start + timedelta(days=7 * k + n)
            book.add_interaction(client, "call", when=when, summary=f"{name}'s call number {k}")
    return db


def _newest(name: str) -> str:
    """The summary of the client's newest touch, at the top of the timeline."""
    return f"{name}'s call number {TOUCHES.get(name, 1) - 1}"


def _row(app, text: str) -> str:
    """The client list's part of the first screen line where it shows `text` (the
    header's: "Last touch")."""
    width = app.query_one(ClientList).region.right
    return next(line[:width] for line in screen_text(app).splitlines() if text in line[:width])


def _count_pane_draws(monkeypatch) -> Counter:
    """How many times each pane draws its first line (once per time it is drawn)."""
    drawn: Counter = Counter()
    for pane in (ProfilePane, TimelinePane):
        real = pane.render_line

        def counting(self, y, real=real, name=pane.__name__):
            if y == 0:
                drawn[name] += 1
            return real(self, y)

        monkeypatch.setattr(pane, "render_line", counting)
    return drawn


async def test_each_move_draws_the_panes_once_and_at_one_width(mixed_book, book_path, monkeypatch):
    drawn = _count_pane_draws(monkeypatch)
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        clients = app.query_one(ClientList)
        profile, timeline = app.query_one(ProfilePane), app.query_one(TimelinePane)
        widths, overflowing = set(), set()
        for _ in range(len(CLIENTS) - 1):
            drawn.clear()
            await pilot.press("down")
            await loaded(pilot)
            selected = clients.selected
            assert profile.shown[0].id == selected.id
            assert _newest(selected.name) in screen_text(app)
            assert drawn == {"ProfilePane": 1, "TimelinePane": 1}, selected.name
            # Long timeline or short (a scrollbar or none), the text keeps its width:
            # nothing moves when the next client is shown.
            widths.add(
                (profile.scrollable_content_region.width, timeline.scrollable_content_region.width)
            )
            overflowing.add(timeline.show_vertical_scrollbar)
        assert len(widths) == 1
        assert overflowing == {True, False}  # long timelines scroll, short ones do not


async def test_escape_brings_back_every_client_and_keeps_the_one_found(mixed_book, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        everyone = names(app)
        await pilot.press("slash", *"acme", "enter", "down")  # the second Acme client
        await loaded(pilot)
        assert names(app) == ["Ann Smith", "Cara Drift", "Tom Small"]
        assert app.query_one(ProfilePane).shown[0].name == "Cara Drift"
        await pilot.press("escape")
        await loaded(pilot)
        assert names(app) == everyone
        assert not app.query_one("#filter", Input).display
        assert app.query_one(ClientList).selected.name == "Cara Drift"
        assert app.query_one(ProfilePane).shown[0].name == "Cara Drift"
        text = screen_text(app)
        assert _newest("Cara Drift") in text and _newest(everyone[0]) not in text


async def test_a_burst_of_filter_keys_ends_with_the_list_for_the_whole_query(mixed_book, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        listed = app.query_one(ClientList).rows.clients
        in_order = [Candidate(c.id, c.name, c.company) for c in listed]
        # As a terminal delivers a fast typist or a paste: all queued before any is handled.
        typed = ["slash", *"acme", "space", *"smart", "backspace", "backspace", "backspace"]
        for key in typed:
            character = " " if key == "space" else key if len(key) == 1 else None
            app.post_message(events.Key(key, character))
        await loaded(pilot)
        assert app.query_one("#filter", Input).value == "acme sm"
        expected = [c.name for c in filtered("acme sm", in_order)]
        assert sorted(expected) == ["Ann Smith", "Tom Small"]
        assert names(app) == expected
        first = expected[0]
        assert app.query_one(ProfilePane).shown[0].name == first
        assert _newest(first) in screen_text(app)


def test_full_garbage_collections_wait_until_nothing_is_typed(monkeypatch):
    """Python's full pass (70 ms over a large book) never falls on a keystroke: it runs
    once the user has not typed for a moment, as often as Python would have run it."""
    import gc

    from cockpit.ui import garbage

    now = [1000.0]
    monkeypatch.setattr(garbage.time, "monotonic", lambda: now[0])
    passes = [0]
    monkeypatch.setattr(garbage, "_middle_passes", lambda: passes[0])
    collected = []
    monkeypatch.setattr(garbage.gc, "collect", lambda *a: collected.append(a))
    before = gc.get_threshold()
    collector = garbage.QuietCollector()
    collector.start()
    try:
        assert gc.get_threshold()[:2] == before[:2]  # the quick passes as usual
        assert gc.get_threshold()[2] == garbage.NEVER  # the full one only when asked
        passes[0] = garbage.YOUNG_PASSES
        collector.typed()
        collector.check()
        assert collected == []  # typing: it waits
        now[0] += garbage.QUIET_SECONDS
        collector.check()
        assert collected == [()]  # quiet: the full pass Python would have run by now
        collector.check()
        assert collected == [()]  # and not again until as many quick passes ran
    finally:
        collector.stop()
    assert gc.get_threshold() == before


async def test_sparklines_are_counted_once_the_list_is_wide_enough(mixed_book, book_path):
    """At 120 columns the list has no room for them (nor the book the work); widen the
    terminal and they come."""
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert "12 months" not in _row(app, "Last touch")
        assert not app.main.sparklines_read
        await pilot.resize_terminal(170, 40)
        await loaded(pilot)
        bob = _row(app, "Bob Jones")
        assert "12 months" in _row(app, "Last touch")
        assert any(mark in bob for mark in "▁▂▃▄▅▆▇█")  # a touch a week this year


@pytest.fixture
def money_book(db, today):
    """A client with revenue in the window and around it, a drifting client snoozed until
    Mon 14 Dec (today is Mon 23 Nov 2026), and one without any deal."""
    rich = book.add_client("Rita Rich", "Bigco")
    book.add_deal(rich, 12000, won_on=date(2026, 6, 1), description="Annual contract")
    book.add_deal(rich, 400, won_on=date(2026, 10, 1))
    book.add_deal(rich, 9000, won_on=date(2025, 6, 1))  # before the last 12 months
    book.add_deal(rich, 500, currency="EUR", won_on=date(2026, 9, 1))  # not the home currency
    book.add_interaction(rich, "call", when=datetime(2026, 11, 20, 10))
    sleepy = book.add_client("Sid Sleepy", "Nap Inc")
    book.add_deal(sleepy, 3000, won_on=date(2025, 3, 1))
    book.add_interaction(sleepy, "call", when=datetime(2026, 3, 2, 10))
    snooze_client(sleepy.id, date(2026, 12, 14))
    book.add_client("Nora None", "Zeta")
    return db


async def test_sorted_by_revenue_the_list_shows_it_and_the_pane_says_over_what(
    money_book, book_path
):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        header = _row(app, "Last touch")
        assert "Company" in header and "Revenue" not in header  # no room for both
        await pilot.press("s", "s")  # attention, last touch, revenue
        await loaded(pilot)
        assert names(app) == ["Rita Rich", "Nora None", "Sid Sleepy"]  # no revenue: by name
        header = _row(app, "Last touch")
        assert "Revenue" in header  # the column sorted by stays in view
        assert "$12,400" in _row(app, "Rita Rich")  # whole units, the home currency's deals
        assert "$" not in _row(app, "Nora None")
        await pilot.press("home")  # the sort kept the cursor on its client
        await loaded(pilot)
        assert app.query_one(ClientList).selected.name == "Rita Rich"
        text = screen_text(app)
        assert "Revenue       $12,400 in the last 12 months" in text and "· 2 deals" in text
        await pilot.press("down")  # Nora None
        await loaded(pilot)
        assert "Revenue       none in the last 12 months" in screen_text(app)


async def test_a_wide_list_shows_revenue_before_the_sparklines(money_book, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        header = _row(app, "Last touch")
        assert "Company" in header and "Revenue" in header and "12 months" not in header
        assert "$12,400" in _row(app, "Rita Rich")


async def test_a_snoozed_client_is_marked_and_the_pane_says_until_when(money_book, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert _row(app, "Sid Sleepy").startswith("z Sid Sleepy")
        assert _row(app, "Rita Rich").startswith("  Rita Rich")
        await pilot.press("slash", *"sid", "enter")
        await loaded(pilot)
        assert "Snoozed until Mon 14 Dec (in 3 weeks)" in screen_text(app)
        await pilot.press("question_mark")
        await loaded(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "! needs attention; z snoozed" in screen_text(app)
