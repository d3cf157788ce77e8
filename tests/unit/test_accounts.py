"""Accounts (issue 21): the company as a record of its own, linked from people's company
text, merged and unmerged, people moving between them, their roll-up, tier and health."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, time
from pathlib import Path

import pytest

from cockpit import health
from cockpit.account_view import accounts_health
from cockpit.errors import UsageError, ValidationError
from cockpit.fields import ClientFields
from cockpit.health import Health
from cockpit.health.accounts import AccountTier
from cockpit.renewals import next_renewal
from cockpit.storage import account_merges, account_people, accounts, book
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.models import Account, Client
from tests.support.histories import TODAY, History, ago, every, make

FIXTURES = Path(__file__).resolve().parents[1] / "support" / "fixtures"


@pytest.fixture
def db(db_on_both, today):
    """These tests hold on SQLite and on PostgreSQL alike, on TODAY."""
    return db_on_both


def _company(client_id: int) -> tuple[str, int | None]:
    client = Client.get_by_id(client_id)
    return client.company, client.account_id


def _by_name(as_of: date = TODAY):
    return {account.name: account for account in accounts_health(as_of)}


# --- Linking people to accounts -----------------------------------------------------------


def test_a_company_typed_for_a_client_is_an_account_shared_by_its_people(db):
    ann = book.add_client("Ann Smith", "Acme")
    bob = book.add_client("Bob Jones", "  ACME ")
    assert ann.account_id is not None and bob.account_id == ann.account_id
    assert _company(bob.id) == ("Acme", ann.account_id)  # spelled as the account
    assert [row.name for row in accounts.account_rows()] == ["Acme"]


def test_a_new_company_moves_a_person_and_an_empty_account_made_for_them_goes(db):
    ann = book.add_client("Ann Smith", "Acme")
    book.update_client(ann.id, ClientFields(name="Ann Smith", company="Beta Corp"))
    assert _company(ann.id)[0] == "Beta Corp"
    assert [row.name for row in accounts.account_rows()] == ["Beta Corp"]
    book.update_client(ann.id, ClientFields(name="Ann Smith", company=""))
    assert _company(ann.id) == ("", None)
    assert accounts.account_rows() == []


def test_an_account_the_user_wrote_on_stays_when_its_people_leave(db):
    ann = book.add_client("Ann Smith", "Acme")
    accounts.set_account_details(ann.account_id, notes="Renewal talks every spring")
    book.delete_client(ann.id)
    assert [row.name for row in accounts.account_rows()] == ["Acme"]


def test_renaming_an_account_renames_every_persons_company_and_search(db):
    ann = book.add_client("Ann Smith", "Acme")
    accounts.rename_account(ann.account_id, "Acme Industries")
    assert _company(ann.id) == ("Acme Industries", ann.account_id)
    assert [c.name for c in book.client_candidates(holding="industries")] == ["Ann Smith"]
    beta = book.add_client("Bob Jones", "Beta")
    with pytest.raises(ValidationError, match="merge the two instead"):
        accounts.rename_account(beta.account_id, "acme industries")


# --- Merging --------------------------------------------------------------------------------


def test_two_spellings_merge_into_one_account_and_the_merge_is_undone(db):
    ann = book.add_client("Ann Smith", "ACME Inc.")
    bob = book.add_client("Bob Jones", "Acme")
    kept, merged = ann.account_id, bob.account_id
    accounts.set_account_details(merged, domains=["acme.com"], notes="Bob's notes")
    merge = account_merges.merge_accounts(kept, merged)
    assert (merge.kept, merge.merged, merge.people) == ("ACME Inc.", "Acme", 1)
    assert _company(bob.id) == ("ACME Inc.", kept)
    assert [row.name for row in accounts.account_rows()] == ["ACME Inc."]
    assert accounts.account_row(kept).domains == ("acme.com",)
    # The merged spelling still finds the account: a new person typed with it joins it.
    cy = book.add_client("Cy Young", "acme")
    assert _company(cy.id) == ("ACME Inc.", kept)
    undone = account_merges.undo_merge()
    assert undone.people == 1
    assert _company(bob.id) == ("Acme", merged)
    assert _company(ann.id) == ("ACME Inc.", kept)
    assert accounts.account_row(kept).domains == ()
    assert accounts.account_row(merged).notes == "Bob's notes"
    with pytest.raises(UsageError, match="no account merge to undo"):
        account_merges.undo_merge()


def test_an_account_cannot_merge_into_itself_or_twice(db):
    ann = book.add_client("Ann Smith", "Acme")
    bob = book.add_client("Bob Jones", "Beta")
    with pytest.raises(ValidationError, match="into itself"):
        account_merges.merge_accounts(ann.account_id, ann.account_id)
    account_merges.merge_accounts(ann.account_id, bob.account_id)
    with pytest.raises(ValidationError, match="was merged into 'Acme'"):
        account_merges.merge_accounts(ann.account_id, bob.account_id)


# --- People moving on -----------------------------------------------------------------------


def test_a_person_who_changes_jobs_leaves_their_history_with_the_old_account(db):
    carl = make(
        "Carl Diaz",
        History(
            deals=[(300, 40_000), (20, 5_000)],
            touches=every(20, 300, 0),
            company="Brightline Health",
            roles=("champion",),
        ),
    )
    stay = make(
        "Dana Lee", History(deals=[(200, 1_000)], touches=[10], company="Brightline Health")
    )
    old = carl.account_id
    old_name, new_name = account_people.move_person(
        carl.id, "Solace Hotels", on=ago(60), roles=["decision-maker"]
    )
    assert (old_name, new_name) == ("Brightline Health", "Solace Hotels")
    assert Client.get_by_id(carl.id).roles == "decision-maker"
    found = _by_name()
    brightline, solace = found["Brightline Health"], found["Solace Hotels"]
    # Before the move, his deal and touches were Brightline's; the deal of 20 days ago is Solace's.
    assert brightline.revenue_12m_cents == 40_000 * 100 + 1_000 * 100
    assert solace.revenue_12m_cents == 5_000 * 100
    assert brightline.id == old and stay.account_id == old
    assert [p.name for p in brightline.champions_left] == ["Carl Diaz"]
    assert "Champion left: Carl Diaz moved on" in brightline.explanation
    assert [p.name for p in solace.current_people] == ["Carl Diaz"]
    with pytest.raises(ValidationError, match="last moved on"):
        account_people.move_person(carl.id, "Oakfield Schools", on=ago(90))


# --- The roll-up ----------------------------------------------------------------------------


def _generated_book(seed: int = 7) -> None:
    import random

    rng = random.Random(seed)
    companies = [f"Company {n}" for n in range(12)]
    for n in range(60):
        deals = [(rng.randint(1, 700), rng.randint(500, 90_000)) for _ in range(rng.randint(0, 3))]
        touches = sorted({rng.randint(1, 500) for _ in range(rng.randint(0, 12))}, reverse=True)
        make(
            f"Person {n}",
            History(
                deals=deals,
                touches=touches,
                minutes=rng.choice([None, 30, 90]),
                company=rng.choice([*companies, ""]),
            ),
        )


def test_an_accounts_revenue_and_time_are_the_sums_over_its_people(db):
    _generated_book()
    verdicts = {v.id: v for v in health.compute(TODAY)}
    rolled = accounts_health(TODAY)
    assert len(rolled) >= 10
    for account in rolled:
        people = [verdicts[p.client_id] for p in account.current_people]
        counted = [v for v in people if v.counted]
        assert account.revenue_12m_cents == sum(v.revenue_cents for v in counted), account.name
        assert account.minutes == sum(v.time_minutes for v in counted), account.name
        assert account.contacts == len(people)
        assert account.touched_90d == sum(1 for v in people if v.recent_touches)
    linked = [v for v in verdicts.values() if v.company and v.counted]
    assert sum(a.revenue_12m_cents for a in rolled) == sum(v.revenue_cents for v in linked)


def test_the_demo_books_accounts_add_up_to_their_people(demo_path):
    """Each deal and touch of the year counted where its person worked that day (the demo's
    champion who moved on left hers with Pinecrest Capital)."""
    from datetime import timedelta

    from cockpit.storage.models import AccountMove, Deal, Interaction

    as_of = date(2026, 11, 23)
    db = open_database(DatabaseLocation(demo_path, "--db"))
    try:
        weighed = {v.id for v in health.compute(as_of) if v.counted}
        moves = {move.client_id: move for move in AccountMove.select()}
        assert len(moves) == 1

        def where(client: Client, day: date) -> int | None:
            move = moves.get(client.id)
            return move.from_account_id if move and day < move.moved_on else client.account_id

        start = as_of - timedelta(days=365)
        revenue: dict[int, int] = {}
        minutes: dict[int, int] = {}
        for deal in Deal.select().where((Deal.won_on > start) & (Deal.won_on <= as_of)):
            if deal.client_id in weighed:
                account = where(deal.client, deal.won_on)
                revenue[account] = revenue.get(account, 0) + deal.amount_cents
        touches = Interaction.select().where(
            (Interaction.day > start) & (Interaction.day <= as_of) & (Interaction.kind != "note")
        )
        for touch in touches:
            if touch.client_id in weighed:
                account = where(touch.client, touch.day)
                minutes[account] = minutes.get(account, 0) + touch.duration_min
        rolled = accounts_health(as_of)
        assert len(rolled) == 13
        for account in rolled:
            assert account.revenue_12m_cents == revenue.get(account.id, 0), account.name
            assert account.minutes == minutes.get(account.id, 0), account.name
    finally:
        db.close()


def test_the_8020_split_over_accounts_and_a_pin(db):
    for n in range(3):  # three contacts, each small, at the biggest account
        make(f"Atlas {n}", History(deals=[(100, 80_000)], touches=[5], company="Atlas"))
    for n in range(6):
        make(f"Small {n}", History(deals=[(100, 10_000)], touches=[5], company=f"Small {n}"))
    found = _by_name()
    assert found["Atlas"].tier is AccountTier.CORE
    assert found["Small 3"].tier is not AccountTier.CORE
    accounts.set_account_details(found["Small 3"].id, pinned_key=True)
    assert _by_name()["Small 3"].tier is AccountTier.KEY


# --- Key people get the core cadence --------------------------------------------------------


def test_a_champion_at_a_core_account_gets_the_core_cadence_whatever_their_own_tier(db):
    # Atlas brings most of the revenue through Ann; Ben, its champion, brings none himself.
    make("Ann Atlas", History(deals=[(300, 200_000)], touches=every(20, 390, 5), company="Atlas"))
    ben = History(deals=[(300, 100)], touches=[*every(20, 390, 60), 40], company="Atlas")
    make("Ben Atlas", History(**{**ben.__dict__, "roles": ("champion",)}))
    make("Cy Other", History(deals=[(300, 100)], touches=[*every(20, 390, 60), 40], company="Beta"))
    for n in range(4):
        make(f"Filler {n}", History(deals=[(300, 20_000)], touches=every(15, 390, 5)))
    verdicts = {v.name: v for v in health.compute(TODAY)}
    ben_verdict, cy = verdicts["Ben Atlas"], verdicts["Cy Other"]
    assert ben_verdict.tier is not health.Tier.CORE
    assert (ben_verdict.plan_interval, ben_verdict.plan_source) == (30.0, "key role")
    assert ben_verdict.health is Health.DRIFTING  # 40 days > 1.25 x 30
    assert "a key person's at a key or core account" in ben_verdict.explanation
    assert cy.plan_source == "tier default" and cy.plan_interval >= 60
    assert cy.health is not Health.DRIFTING
    # The account drifts with its champion, and says so by name.
    atlas = _by_name()["Atlas"]
    assert atlas.health is Health.DRIFTING
    assert atlas.explanation.startswith("Drifting: Ben Atlas (champion) last touched 40 days ago")


def test_a_pin_changes_the_verdicts_kept_for_the_book(db, book_path):
    from cockpit.health_cache import cached_compute

    ben = make(
        "Ben Small",
        History(
            deals=[(300, 100)],
            touches=[*every(20, 390, 60), 40],
            company="Small",
            roles=("champion",),
        ),
    )
    for n in range(4):
        history = History(deals=[(300, 20_000)], touches=every(15, 390, 5), company=f"F{n}")
        make(f"Filler {n}", history)
    before = {v.name: v for v in cached_compute(TODAY)}["Ben Small"]
    assert before.plan_source == "tier default" and before.plan_interval > 30
    accounts.set_account_details(ben.account_id, pinned_key=True)
    after = {v.name: v for v in cached_compute(TODAY)}["Ben Small"]
    assert (after.plan_interval, after.plan_source) == (30.0, "key role")


# --- Account health, one hand-made history each ---------------------------------------------

WON_400 = [(400, 50_000)]
HEALTH_CASES = {
    "prospect": ([History(touches=[30, 10])], Health.PROSPECT, "No won deal at"),
    "honeymoon": ([History(deals=[(20, 50_000)], touches=[18, 9])], Health.HONEYMOON, "honeymoon"),
    "steady": (
        [History(deals=WON_400, touches=every(20, 390, 5))],
        Health.STEADY,
        "Steady: 1 of 1",
    ),
    "drifting, nobody touched": (
        [History(deals=WON_400, touches=every(20, 390, 70)), History(deals=WON_400, touches=[80])],
        Health.DRIFTING,
        "Nobody at Acme touched in",
    ),
    "recovering": (
        [History(deals=WON_400, touches=[*every(20, 390, 200), 10], roles=("decision-maker",))],
        Health.RECOVERING,
        "Recovering: back in touch with Person 0",
    ),
    "lapsed": ([History(deals=WON_400, touches=[390])], Health.LAPSED, "win back or let go"),
}


@pytest.mark.parametrize("case", HEALTH_CASES)
def test_an_accounts_health_from_its_peoples_histories(db, case):
    people, expected, words = HEALTH_CASES[case]
    for n, history in enumerate(people):
        make(f"Person {n}", History(**{**history.__dict__, "company": "Acme"}))
    acme = _by_name()["Acme"]
    assert acme.health is expected, acme.explanation
    assert words in acme.explanation


def test_a_core_account_with_one_touched_person_is_single_threaded(db):
    make("Ann Big", History(deals=[(100, 90_000)], touches=[5], company="Big"))
    make("Bo Big", History(deals=[(100, 90_000)], touches=[200], company="Big"))
    make("Cy Small", History(deals=[(100, 1_000)], touches=[5], company="Small"))
    big = _by_name()["Big"]
    assert big.tier is AccountTier.CORE and big.single_threaded
    assert "Single-threaded: only Ann Big was touched in 90 days." in big.explanation


# --- Renewals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("won", "renews", "term", "as_of", "expected"),
    [
        (date(2026, 1, 31), None, 12, date(2026, 11, 23), date(2027, 1, 31)),
        (date(2025, 2, 1), date(2026, 2, 1), None, date(2026, 11, 23), None),  # once, passed
        (date(2025, 2, 1), date(2027, 2, 1), None, date(2026, 11, 23), date(2027, 2, 1)),
        (date(2024, 1, 31), None, 1, date(2026, 11, 23), date(2026, 11, 30)),
        (date(2024, 3, 1), date(2024, 3, 1 + 1), 6, date(2026, 3, 2), date(2026, 3, 2)),
        (date(2024, 3, 1), None, None, date(2026, 3, 2), None),
    ],
)
def test_the_next_renewal_of_a_deal(won, renews, term, as_of, expected):
    assert next_renewal(won, renews, term, as_of) == expected


def test_an_accounts_next_renewal_is_the_earliest_coming(db):
    ann = book.add_client("Ann Smith", "Acme")
    book.add_deal(ann, "48000", won_on=date(2026, 2, 1), term_months=12)
    book.add_deal(ann, "1000", won_on=date(2026, 3, 1), renews_on=date(2027, 6, 1))
    renewal = _by_name()["Acme"].next_renewal
    assert (renewal.day, renewal.amount_cents) == (date(2027, 2, 1), 4_800_000)
    with pytest.raises(ValidationError, match="before the deal was won"):
        book.add_deal(ann, "10", won_on=date(2026, 3, 1), renews_on=date(2026, 2, 1))


# --- Suggestions and the upgrade ------------------------------------------------------------


def test_people_with_an_accounts_email_domain_are_suggested_never_linked(db):
    ann = book.add_client("Ann Smith", "Acme", emails=["ann@acme.com"])
    accounts.set_account_details(ann.account_id, domains=["acme.com", "www.Acme.co.uk"])
    bob = book.add_client("Bob Jones", emails=["Bob@ACME.com"])
    book.add_client("Cy Free", emails=["cy@gmail.com"])
    suggested = account_people.domain_suggestions()
    assert [(s.name, s.account) for s in suggested] == [("Bob Jones", "Acme")]
    assert _company(bob.id) == ("", None)
    account_people.link_person(bob.id, ann.account_id)
    assert _company(bob.id) == ("Acme", ann.account_id)
    assert account_people.domain_suggestions() == []
    with pytest.raises(ValidationError, match="free mail"):
        accounts.set_account_details(ann.account_id, domains=["gmail.com"])


def test_an_older_book_gets_an_account_per_company_the_most_common_spelling_winning(tmp_path):
    copy = tmp_path / "v9.db"
    shutil.copy(FIXTURES / "schema_v9.db", copy)
    with sqlite3.connect(copy) as raw:
        moment = "2026-01-02 09:30:00"
        for name, company, owner in [
            ("Dee One", "ACME", "bob"),
            ("Eve Two", "Acme", "bob"),
            ("Fay Three", "Beta", "alice"),
        ]:
            raw.execute(
                "INSERT INTO client (name, company, name_key, company_key, title, lifecycle, "
                "strategic, archived, created_at, updated_at, honeymoon_touch_days, search_key, "
                "owner) VALUES (?, ?, ?, ?, '', 'active', 0, 0, ?, ?, 0, '', ?)",
                (name, company, name.lower(), company.lower(), moment, moment, owner),
            )
    db = open_database(DatabaseLocation(copy, "--db"))
    try:
        names = {row.name: row for row in accounts.account_rows()}
        assert sorted(names) == ["Acme", "Beta"]  # "Acme" twice (Ann's and Eve's), "ACME" once
        assert names["Acme"].owner == "bob" and names["Acme"].domains == ("acme.example",)
        dee = Client.get(Client.name == "Dee One")
        assert (dee.company, dee.account_id) == ("Acme", names["Acme"].id)
        assert accounts.unlinked_count() == 0
        assert Account.select().count() == 2
    finally:
        db.close()


def test_a_touch_logged_now_is_counted_where_the_person_works(db):
    ann = book.add_client("Ann Smith", "Acme")
    book.add_deal(ann, "500", won_on=ago(30))
    book.add_interaction(ann, "call", when=datetime.combine(ago(1), time(10)), duration_min=30)
    acme = _by_name()["Acme"]
    assert (acme.minutes, acme.touched_90d, acme.last_touch) == (30, 1, ago(1))


RENEWAL_CASES = {  # an account each, every health; the first person's deal renews
    "Prospect": (History(touches=[30, 10]), Health.PROSPECT),
    "Honeymoon": (History(deals=[(20, 50_000)], touches=[18, 9]), Health.HONEYMOON),
    "Steady": (History(deals=[(300, 50_000)], touches=every(10, 290, 2)), Health.STEADY),
    "Recovering": (
        History(deals=WON_400, touches=[*every(20, 390, 200), 10], roles=("decision-maker",)),
        Health.RECOVERING,
    ),
    "Brightline Health": (
        History(deals=[(300, 50_000)], touches=[*every(30, 290, 150), 130]),
        Health.DRIFTING,
    ),
    "Lapsed": (History(deals=WON_400, touches=[390]), Health.LAPSED),
}


def test_the_review_lists_renewals_at_risk_right_after_the_drifting_clients_at_stake(db):
    from cockpit.review.agenda import build_agenda

    for company, (history, _health) in RENEWAL_CASES.items():
        person = make(f"{company} 0", History(**{**history.__dict__, "company": company}))
        if history.deals:  # a prospect has no contract to renew
            book.add_deal(person, "48000", won_on=ago(history.deals[0][0]), renews_on=ago(-60))
    late = make("Later 0", History(deals=WON_400, touches=[200], company="Later"))
    book.add_deal(late, "9000", won_on=ago(300), renews_on=ago(-120))  # not within 90 days
    found = _by_name()
    assert {name: found[name].health for name in RENEWAL_CASES} == {
        name: expected for name, (_history, expected) in RENEWAL_CASES.items()
    }
    assert found["Later"].health is Health.DRIFTING and not found["Later"].renewal_at_risk
    agenda = build_agenda(TODAY)
    keys = [part.key for part in agenda.parts]
    assert keys.index("renewals") == keys.index("drifting-high") + 1
    part = next(part for part in agenda.parts if part.key == "renewals")
    shown = [(item.company, item.client, item.text) for item in part.items]
    assert shown == [
        (
            "Brightline Health",
            "Brightline Health 0",
            "Renewal of $48,000 on Fri 22 Jan; nobody at Brightline Health touched in 130 days.",
        ),
        (
            "Lapsed",
            "Lapsed 0",
            "Renewal of $48,000 on Fri 22 Jan; nobody at Lapsed touched in 390 days.",
        ),
    ]
