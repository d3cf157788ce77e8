"""The accounts in the cockpit (issue 21, point 5), driven by Pilot: `a` toggles the list
between clients and accounts; an account shows its people with roles and health, its
combined timeline and its renewal; Enter goes to a person and back; merge and undo; a pin.
"""

from __future__ import annotations

from contextlib import contextmanager
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


@contextmanager
def _in_book(path):
    """The book at `path` open, to read or write it outside the app."""
    db = open_database(DatabaseLocation(path, "--db"))
    try:
        yield
    finally:
        db.close()


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
        with _in_book(accounts_book):
            assert Client.get(Client.name == "Dee Cho").company == "Atlas"
        await pilot.press("u")
        await loaded(pilot)
        assert "Undid the merge of Atlas Inc. into Atlas." in notices(app)
        with _in_book(accounts_book):
            assert Client.get(Client.name == "Dee Cho").company == "Atlas Inc."


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


async def test_the_client_list_shows_what_people_are_at_their_account(accounts_book):
    with _in_book(accounts_book):
        cy = Client.get(Client.name == "Cy Lam").id
        account_people.set_roles(cy, [], note="[b]signs[/]")  # words of the user's

    def line_of(app, name: str) -> str:
        return next(line for line in screen_text(app).splitlines() if name in line)

    app = app_for(accounts_book)
    async with app.run_test(size=(180, 40)) as pilot:
        await loaded(pilot)
        # After the company, in a few letters; the company gives way to the role.
        assert "Brightl… DM, champion drifting" in line_of(app, "Ben Ueda")
        assert " Atlas [b]signs[/] " in line_of(app, "Cy Lam")  # as typed, never markup
        assert " Brightline " in line_of(app, "Ann Park")  # no role: the company whole
        assert "DM" not in line_of(app, "Ann Park")
    app = app_for(accounts_book)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)  # narrower: only the role
        assert " DM, champion  drifting" in line_of(app, "Ben Ueda")


async def _at_account(pilot, words: str) -> None:
    """The accounts screen, on the account found by `words`, its people focused."""
    await loaded(pilot)
    await pilot.press("a")
    await loaded(pilot)
    await pilot.press("slash", *words, "enter")
    await loaded(pilot)


async def test_r_sets_what_a_person_is_at_their_account_in_one_burst(accounts_book):
    app = app_for(accounts_book)
    async with app.run_test(size=(140, 45)) as pilot:
        await _at_account(pilot, "bright")
        # Ann Park, Brightline's first person: champion ticked, words of the user's, saved,
        # typed as one burst right after the key that opens the form.
        await pilot.press("r", "down", "space", "tab", *"[b]signs[/]", "ctrl+s")
        await loaded(pilot)
        assert "Ann Park at Brightline: champion, [b]signs[/]." in notices(app)
        assert "Ann Park · champion, [b]signs[/] · recovering" in screen_text(app)
    with _in_book(accounts_book):
        ann = Client.get(Client.name == "Ann Park")
        assert (ann.roles, ann.role_note) == ("champion", "[b]signs[/]")


async def test_M_moves_a_person_to_the_company_they_joined(accounts_book):
    app = app_for(accounts_book)
    async with app.run_test(size=(140, 45)) as pilot:
        await _at_account(pilot, "bright")
        await pilot.press("M", *"atlas")
        await pilot.pause()
        assert "joins the account Atlas" in screen_text(app)  # which account is meant
        await pilot.press("tab", "ctrl+a", "ctrl+k", *"2026-11-02", "tab", "space", "ctrl+s")
        await loaded(pilot)
        said = "Ann Park moved to Atlas on 02 Nov 2026; their touches and deals before stay"
        assert said in notices(app)
        assert "Ann Park · moved on 02 Nov 2026" in screen_text(app)  # Brightline keeps her
    with _in_book(accounts_book):
        ann = Client.get(Client.name == "Ann Park")
        assert (ann.company, ann.roles) == ("Atlas", "decision-maker")


async def test_a_move_ahead_of_today_is_refused_in_the_form(accounts_book):
    app = app_for(accounts_book)
    async with app.run_test(size=(140, 45)) as pilot:
        await _at_account(pilot, "bright")
        await pilot.press("M", *"Nowhere Ltd", "tab", "ctrl+a", "ctrl+k", *"2027-01-05", "ctrl+s")
        await loaded(pilot)
        assert "Moved on: a move is recorded once it happened, not ahead" in screen_text(app)
    with _in_book(accounts_book):
        assert Client.get(Client.name == "Ann Park").company == "Brightline"


async def test_e_edits_an_account_and_a_bad_domain_loses_nothing(accounts_book):
    app = app_for(accounts_book)
    async with app.run_test(size=(140, 45)) as pilot:
        await _at_account(pilot, "atlas")
        await pilot.press("e", "end", *" Group", "tab", *"atlas.example gmail.com")
        await pilot.press("tab", *"Renewal talks in May", "ctrl+s")
        await loaded(pilot)
        assert "gmail.com is a free mail domain, shared by everyone" in screen_text(app)
        await pilot.press("shift+tab", "end", *["backspace"] * len(" gmail.com"), "ctrl+s")
        await loaded(pilot)
        assert "Atlas Group: kept." in notices(app)
        shown = screen_text(app)
        assert "Domains: atlas.example" in shown and "Notes: Renewal talks in May" in shown
    with _in_book(accounts_book):
        assert Client.get(Client.name == "Cy Lam").company == "Atlas Group"


async def test_s_puts_a_person_the_email_domain_suggests_at_the_account(accounts_book):
    with _in_book(accounts_book):
        book.add_client("Eve Ray", emails=["eve.ray@atlas.example"], lifecycle="prospect")
        from cockpit.storage import accounts

        accounts.set_account_details(accounts.account_named("Atlas"), domains=["atlas.example"])
    app = app_for(accounts_book)
    async with app.run_test(size=(140, 45)) as pilot:
        await _at_account(pilot, "atlas")
        assert "Suggested: 1 person with its email domain (s)" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert "Eve Ray  <eve.ray@atlas.example>" in screen_text(app)
        await pilot.press("enter")
        await loaded(pilot)
        assert "Eve Ray is at Atlas now." in notices(app)
        assert "Suggested:" not in screen_text(app)
    with _in_book(accounts_book):
        assert Client.get(Client.name == "Eve Ray").company == "Atlas"
