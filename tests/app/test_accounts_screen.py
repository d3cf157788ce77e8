"""The accounts in the cockpit (issue 21, point 5), driven by Pilot: `a` toggles the list
between clients and accounts; an account shows its people with roles and health, its
combined timeline and its renewal; Enter goes to a person and back; merge and undo; a pin.
"""

from __future__ import annotations

from datetime import datetime, time

import pytest

from cockpit.storage import account_people, book
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.models import Client
from cockpit.ui.widgets.client_list import ClientList
from tests.support.histories import History, ago, every, make
from tests.support.pilot import app_for, loaded, notices, screen_text


@pytest.fixture
def accounts_book(db, today, book_path):
    ben = make(
        "Ben Ueda",
        History(deals=[(300, 90_000)], touches=[*every(20, 290, 100), 63], company="Brightline"),
    )
    account_people.set_roles(ben.id, ["decision-maker", "champion"])
    ann = make("Ann Park", History(deals=[(300, 5_000)], company="Brightline"))
    book.add_interaction(
        ann, "call", when=datetime.combine(ago(4), time(10)), summary="Talked [bold]budgets[/]"
    )
    book.add_deal(ben, "48000", won_on=ago(300), renews_on=ago(-40))
    make("Cy Lam", History(deals=[(200, 40_000)], touches=every(10, 190, 3), company="Atlas"))
    make("Dee Cho", History(deals=[(200, 2_000)], touches=[4], company="Atlas Inc."))
    db.close()
    return book_path


def _selected_client(app) -> str:
    return app.screen.query_one(ClientList).selected.name


async def test_a_toggles_the_list_to_accounts_and_back(accounts_book):
    app = app_for(accounts_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        await loaded(pilot)
        shown = screen_text(app)
        assert type(app.screen).__name__ == "AccountsScreen"
        assert "a Clients" in shown  # the toggle, in the footer
        lines = [line for line in shown.splitlines() if "Brightline " in line or "Atlas " in line]
        assert "! Brightline" in lines[0] and "drifting" in lines[0]  # the most pressing first
        await pilot.press("a")
        await loaded(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert "a Accounts" in screen_text(app)


async def test_an_account_shows_its_people_roles_health_timeline_and_renewal(accounts_book):
    app = app_for(accounts_book)
    async with app.run_test(size=(140, 45)) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        await loaded(pilot)
        shown = screen_text(app)
        assert "Ben Ueda · decision maker, champion · drifting" in shown
        assert "Ann Park · recovering" in shown
        assert "Next renewal: $48,000 on Sat 2 Jan — at risk" in shown
        assert "Call: Talked [bold]budgets[/] · Ann" in shown  # whose, and text as typed
        assert "Drifting: Ben Ueda (decision maker, champion) last" in shown


async def test_a_burst_goes_from_a_person_to_the_account_and_back_to_another(accounts_book):
    app = app_for(accounts_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"cy", "enter")  # Cy Lam, at Atlas
        await loaded(pilot)
        assert _selected_client(app) == "Cy Lam"
        # One burst: to the accounts (read first), down the list, into the people, pick.
        await pilot.press("a", "home", "enter", "down", "enter")
        await loaded(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert _selected_client(app) == "Ben Ueda"  # Brightline's second person by name
        await pilot.press("a")  # and from him, to his account
        await loaded(pilot)
        assert "Brightline" in app.screen.selected().name


async def test_merge_two_spellings_then_undo(accounts_book):
    app = app_for(accounts_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        await loaded(pilot)
        await pilot.press("slash", *"atlas", "enter")
        await loaded(pilot)
        assert app.screen.selected().name == "Atlas"
        await pilot.press("m")
        await pilot.press(*"inc", "enter")
        await pilot.pause()
        assert "Merge Atlas Inc. into Atlas?" in screen_text(app)
        await pilot.press("enter")  # the Merge button has the focus
        await loaded(pilot)
        assert "Merged Atlas Inc. into Atlas: 1 moved (u undoes it)." in notices(app)
        db = open_database(DatabaseLocation(accounts_book, "--db"))
        try:
            assert Client.get(Client.name == "Dee Cho").company == "Atlas"
        finally:
            db.close()
        await pilot.press("u")
        await loaded(pilot)
        assert "Undid the merge of Atlas Inc. into Atlas." in notices(app)
        db = open_database(DatabaseLocation(accounts_book, "--db"))
        try:
            assert Client.get(Client.name == "Dee Cho").company == "Atlas Inc."
        finally:
            db.close()


async def test_k_pins_an_account_as_key(accounts_book):
    app = app_for(accounts_book)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        await loaded(pilot)
        await pilot.press("slash", *"atlas inc", "enter", "K")
        await loaded(pilot)
        assert "Atlas Inc.: pinned as a key account." in notices(app)
        assert app.screen.selected().tier.value == "key"
