"""The account commands (issue 21, point 6): what `cockpit accounts`, `cockpit account`,
`cockpit merge-accounts`, `cockpit move`, `cockpit roles` and `cockpit deal --term` print
and write."""

from __future__ import annotations

import json
import os

import pytest

from cockpit.cli import main
from cockpit.storage import book
from cockpit.storage.models import Client, Deal
from tests.support.histories import History, ago, every, make


@pytest.fixture
def db(db_on_both, today):
    return db_on_both


@pytest.fixture
def book_of_accounts(db):
    ben = make(
        "Ben Ueda",
        History(deals=[(300, 90_000)], touches=[*every(20, 290, 100), 63], company="Brightline"),
    )
    make("Ann Park", History(deals=[(300, 5_000)], touches=[70], company="Brightline"))
    make("Cy Lam", History(deals=[(200, 40_000)], touches=every(10, 190, 3), company="Atlas"))
    make("Dee Cho", History(deals=[(200, 2_000)], touches=[4], company="Atlas"))
    book.add_deal(ben, "48000", won_on=ago(300), renews_on=ago(-70))
    return db


def _run(capsys, db, *argv: str) -> tuple[int, str, str]:
    status = main([*argv, *db.book_args])
    out, err = capsys.readouterr()
    return status, out, err


def test_accounts_json_has_the_documented_fields_drifting_first(book_of_accounts, capsys):
    status, out, _ = _run(capsys, book_of_accounts, "accounts", "--json")
    assert status == 0
    rows = json.loads(out)
    assert [row["account"] for row in rows] == ["Brightline", "Atlas"]
    assert list(rows[0]) == [
        "id",
        "account",
        "tier",
        "health",
        "drifting",
        "revenue_12m",
        "contacts",
        "touched_90d",
        "single_threaded",
        "next_renewal",
        "explanation",
    ]
    bright = rows[0]
    assert (bright["health"], bright["drifting"], bright["revenue_12m"]) == (
        "drifting",
        True,
        "143000.00",
    )
    assert (bright["contacts"], bright["touched_90d"]) == (2, 2)
    assert bright["next_renewal"] == {"on": "2027-02-01", "amount": "48000.00", "currency": "USD"}
    assert bright["explanation"] == (
        "Nobody at Brightline touched in 63 days; the cadence is every 30 days. "
        "No decision maker or champion named."
    )


def test_accounts_as_a_table_and_a_query(book_of_accounts, capsys):
    status, out, _ = _run(capsys, book_of_accounts, "accounts", "atl")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ACCOUNT", "HEALTH", "TIER", "REVENUE", "12M", "TOUCHED", "RENEWAL"]
    assert lines[1].startswith("Atlas ") and "2/2" in lines[1]
    assert len(lines) == 2
    assert _run(capsys, book_of_accounts, "accounts", "nothing like it")[1] == (
        "No account matches 'nothing like it'.\n"
    )


def test_account_shows_its_people_with_roles_and_health(book_of_accounts, capsys):
    assert _run(capsys, book_of_accounts, "roles", "Ben Ueda", "dm,champion")[1] == (
        "Ben Ueda at Brightline: decision maker, champion\n"
    )
    status, out, _ = _run(capsys, book_of_accounts, "account", "bright", "--json")
    assert status == 0
    account = json.loads(out)
    people = {p["client"]: (p["roles"], p["health"]) for p in account["people"]}
    assert people == {
        "Ann Park": ([], "steady"),
        "Ben Ueda": (["decision-maker", "champion"], "drifting"),
    }
    assert account["renewal_at_risk"] is True
    assert account["explanation"].startswith(
        "Drifting: Ben Ueda (decision maker, champion) last touched 63 days ago."
    )
    status, out, _ = _run(capsys, book_of_accounts, "account", "Brightline")
    assert "Next renewal: $48,000 on Mon 1 Feb — at risk: the relationship is drifting" in out
    assert "Ben Ueda" in out and "decision maker, champion" in out


def test_merge_accounts_and_undo_from_the_command_line(book_of_accounts, capsys):
    status, out, _ = _run(capsys, book_of_accounts, "merge-accounts", "Atlas", "Brightline")
    assert status == 0
    assert out == (
        "Merged Brightline into Atlas: 2 people moved "
        "(cockpit merge-accounts --undo 1 takes it back).\n"
    )
    assert Client.get(Client.name == "Ben Ueda").company == "Atlas"
    assert _run(capsys, book_of_accounts, "accounts", "--merges")[1] == (
        "#1: Brightline into Atlas\n"
    )
    status, out, _ = _run(capsys, book_of_accounts, "merge-accounts", "--undo")
    assert (status, out) == (
        0,
        "Undid merge #1: Brightline is an account again, with 2 of its people back.\n",
    )
    assert Client.get(Client.name == "Ben Ueda").company == "Brightline"


def test_move_a_person_to_another_account(book_of_accounts, capsys):
    status, out, _ = _run(
        capsys, book_of_accounts, "move", "Cy Lam", "Solace Hotels", "--on", "2026-10-01"
    )
    assert status == 0
    assert out.startswith("Cy Lam moved from Atlas to Solace Hotels on 2026-10-01;")
    rows = {
        r["account"]: r for r in json.loads(_run(capsys, book_of_accounts, "accounts", "--json")[1])
    }
    assert rows["Atlas"]["revenue_12m"] == "42000.00"  # his deal stayed with Atlas
    assert rows["Solace Hotels"]["revenue_12m"] == "0.00"


def test_a_deal_that_renews(book_of_accounts, capsys):
    status, out, _ = _run(
        capsys, book_of_accounts, "deal", "Dee Cho", "12000", "--term", "1y", "--on", "2026-03-01"
    )
    assert status == 0
    assert out.endswith("It renews every 12 months from the day it was won.\n")
    assert Deal.select().where(Deal.term_months == 12).count() == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["account", "Nowhere Ltd"], "no account matches 'Nowhere Ltd'"),
        (["deal", "Dee Cho", "10", "--term", "soon"], "'soon' is not a term"),
        (["roles", "Dee Cho", "boss"], "'boss' is not a role"),
        (["merge-accounts", "Atlas"], "name the account to keep and the one to merge"),
        (["move", "Dee Cho", "Atlas"], "Dee Cho is at Atlas already"),
    ],
)
def test_bad_input_says_why_and_writes_nothing(book_of_accounts, capsys, argv, message):
    before = Client.select(Client.id, Client.company, Client.roles).tuples()[:]
    deals = Deal.select().count()
    status, out, err = _run(capsys, book_of_accounts, *argv)
    assert status == 2 and out == ""
    assert message in err
    assert Client.select(Client.id, Client.company, Client.roles).tuples()[:] == before
    assert Deal.select().count() == deals


def test_assign_hands_an_account_over_with_its_people(book_of_accounts, capsys):
    if book_of_accounts.book_args[0] == "--database-url":
        pytest.skip("reps are login roles there: tests/postgres/test_postgres_accounts.py")
    status, out, _ = _run(capsys, book_of_accounts, "assign", "--account", "Atlas", "bob")
    assert status == 0
    assert out.startswith("Atlas is now managed by bob")
    assert "2 people handed over with it: Cy Lam, Dee Cho." in out
    assert {c.owner for c in Client.select().where(Client.company == "Atlas")} == {"bob"}
    status, out, _ = _run(capsys, book_of_accounts, "assign", "--from", "bob", "--to", "eve")
    assert status == 0 and out.endswith("bob's 1 account went too.\n")
    rows = json.loads(_run(capsys, book_of_accounts, "account", "Atlas", "--json")[1])
    assert rows["owner"] == "eve"


def test_the_list_is_kept_beside_the_verdicts_without_names_and_follows_changes(
    book_of_accounts, capsys
):
    from pathlib import Path

    if book_of_accounts.book_args[0] == "--database-url":
        pytest.skip("a server book keeps no files")
    first = json.loads(_run(capsys, book_of_accounts, "accounts", "--json")[1])
    kept = list(Path(os.environ["XDG_CACHE_HOME"]).rglob("*.accounts"))
    assert len(kept) == 1
    data = kept[0].read_bytes()
    assert b"Brightline" not in data and b"Ben Ueda" not in data  # names stay in the book
    again = json.loads(_run(capsys, book_of_accounts, "accounts", "--json")[1])
    assert again == first  # read back, the names filled in from the book
    # A change to the book (a renamed account, a person's note) shows at once.
    assert _run(capsys, book_of_accounts, "account", "Brightline", "--rename", "Bright Co")[0] == 0
    assert _run(capsys, book_of_accounts, "roles", "Ben Ueda", "champion", "--note", "CFO")[0] == 0
    rows = {
        r["account"]: r for r in json.loads(_run(capsys, book_of_accounts, "accounts", "--json")[1])
    }
    assert rows["Bright Co"]["explanation"].startswith(
        "Drifting: Ben Ueda (champion, CFO) last touched 63 days ago."
    )
