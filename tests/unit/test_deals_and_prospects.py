"""Won deals: a prospect's first one makes it active, imports say how many clients they
created are still prospects, and deals show on the client's timeline."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from cockpit import client_view
from cockpit.cli import main
from cockpit.client_view import DealEntry
from cockpit.importers.files import import_file
from cockpit.storage import book
from cockpit.storage.models import Client
from cockpit.validation import money


@pytest.fixture
def db(db_on_both):
    """These tests hold on SQLite and on PostgreSQL alike."""
    return db_on_both


HEADER = "client,company,date,kind,intent,duration_min,amount,note\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "history.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def lifecycle(client_id: int) -> str:
    return Client.get_by_id(client_id).lifecycle


def test_cockpit_deal_makes_a_prospect_active_on_its_first_won_deal(db, today, capsys):
    dana = book.add_client("Dana Prospect", "Newco", lifecycle="prospect")
    args = db.book_args
    assert main(["deal", "Dana", "5000", "Pilot", *args]) == 0
    assert capsys.readouterr().out.strip() == (
        f"Recorded a won deal for #{dana.id} Dana Prospect (Newco): 5,000.00 USD on 2026-11-23. "
        "The first won deal: no longer a prospect, now an active client."
    )
    assert lifecycle(dana.id) == "active"
    assert main(["deal", "Dana", "700", *args]) == 0
    assert "no longer a prospect" not in capsys.readouterr().out


def test_a_deal_leaves_other_lifecycles_alone(db, today):
    gone = book.add_client("Fred Former", lifecycle="former")
    assert not book.record_deal(gone, 100).made_active
    assert lifecycle(gone.id) == "former"
    # A client the user marked a prospect again after a deal stays so: only a first deal
    # moves the lifecycle.
    back = book.add_client("Pat Again")
    book.add_deal(back, 100, won_on=date(2026, 1, 1))
    Client.update(lifecycle="prospect").where(Client.id == back.id).execute()
    assert not book.record_deal(back, 200).made_active
    assert lifecycle(back.id) == "prospect"


def test_an_imported_first_deal_makes_a_prospect_active(db, tmp_path, today):
    dana = book.add_client("Dana Prospect", "Newco", lifecycle="prospect")
    eve = book.add_client("Eve Maybe", lifecycle="prospect")
    rows = "Dana Prospect,Newco,2026-10-01,deal,,,5000,Pilot\nEve Maybe,,2026-10-02,call,,,,\n"
    assert import_file(write(tmp_path, rows)).failures == []
    assert (lifecycle(dana.id), lifecycle(eve.id)) == ("active", "prospect")


def test_the_import_summary_counts_the_clients_created_without_a_won_deal(
    db, tmp_path, today, capsys
):
    book.add_client("Old Friend", client_since=date(2020, 1, 1))
    rows = (
        "Ann Smith,Acme,2026-01-10,deal,,,12000,Annual contract\n"
        "Bob Jones,,2026-03-01,email,,,,\n"
        "Cleo Tan,,2026-03-02,call,,,,\n"
        "Old Friend,,2026-03-03,call,,,,\n"
    )
    assert main(["import", str(write(tmp_path, rows)), *db.book_args]) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[0]  # the file's line (the total follows)
        .endswith(
            "0 rows failed. 2 of the 3 clients created have no won deal yet: "
            "prospects until one is won"
        )
    )
    only_prospects = write(tmp_path, "Dan Lee,,2026-03-01,email,,,,\n")
    assert main(["import", str(only_prospects), *db.book_args]) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[0]
        .endswith(
            "0 rows failed. The client created has no won deal yet: a prospect until one is won"
        )
    )
    assert main(["import", str(only_prospects), *db.book_args]) == 0
    assert "no won deal" not in capsys.readouterr().out  # nobody created this time


def test_amounts_are_written_as_people_write_them():
    assert money(1_200_000, "EUR") == "€12,000"
    assert money(95_050, "USD") == "$950.50"
    assert money(1_200_000, "CHF") == "12,000 CHF"


def test_won_deals_are_on_the_timeline_in_date_order(db, today):
    ann = book.add_client("Ann Smith", "Acme")
    book.add_interaction(ann, "call", when=datetime(2026, 1, 12, 10), summary="Kick-off")
    book.add_interaction(ann, "email", when=datetime(2026, 1, 5, 10), summary="Proposal")
    book.add_deal(
        ann, 12000, currency="EUR", won_on=date(2026, 1, 10), description="Annual contract"
    )
    book.add_deal(ann, "950.50", won_on=date(2026, 1, 12))
    book.add_deal(book.add_client("Bob"), 1, won_on=date(2026, 1, 11))  # not Ann's

    entries = client_view.timeline(ann.id)
    shown = [(e.day, e.text if isinstance(e, DealEntry) else e.summary) for e in entries]
    assert shown == [
        (date(2026, 1, 12), "$950.50 won"),  # a deal before the touches of its day
        (date(2026, 1, 12), "Kick-off"),
        (date(2026, 1, 10), "€12,000 won · Annual contract"),
        (date(2026, 1, 5), "Proposal"),
    ]
