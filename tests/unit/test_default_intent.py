"""The intent of a touch nobody chose one for: an ask until the client is won, a give from
then on, whatever the kind (a referral asked is always an ask); stored intents stay."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.importers.files import import_file
from cockpit.storage import book
from cockpit.storage.models import Client, Interaction
from cockpit.validation import default_intent
from cockpit.vocabulary import TOUCH_KINDS, Kind


@pytest.fixture
def db(db_on_both):
    """These tests hold on SQLite and on PostgreSQL alike."""
    return db_on_both


HEADER = "client,company,date,kind,intent,duration_min,amount,note\n"
WON = date(2026, 6, 1)


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "history.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def intents_of(client_id: int) -> list[tuple[date, str, str]]:
    rows = Interaction.select().where(Interaction.client == client_id).order_by(Interaction.day)
    return [(row.day, row.kind, row.intent) for row in rows]


@pytest.mark.parametrize("kind", sorted(TOUCH_KINDS - {Kind.REFERRAL_ASKED}))
def test_no_kind_is_an_ask_or_a_give_by_itself(kind):
    assert default_intent(kind, WON - timedelta(days=1), None) == "sales"  # a prospect
    assert default_intent(kind, WON - timedelta(days=1), WON) == "sales"  # won later
    assert default_intent(kind, WON, WON) == "relationship"  # won that very day
    assert default_intent(kind, WON + timedelta(days=300), WON) == "relationship"


def test_a_referral_asked_is_always_an_ask():
    assert default_intent("referral-asked", WON + timedelta(days=300), WON) == "sales"


def test_cockpit_log_chooses_the_intent_by_the_won_date(db, today, capsys):
    ann = book.add_client("Ann Smith", "Acme")
    args = db.book_args
    assert main(["log", "ann", "email", "Sent the brochure", *args]) == 0
    assert "Logged an email (sales, 5 min)" in capsys.readouterr().out
    book.add_deal(ann, 12000, won_on=date(2026, 11, 2))
    assert main(["log", "ann", "email", "An article on tariffs", *args]) == 0
    assert "Logged an email (relationship, 5 min)" in capsys.readouterr().out
    assert main(["log", "ann", "meeting", "--when", "2026-11-01 10:00", *args]) == 0
    assert "Logged a meeting (sales, 60 min)" in capsys.readouterr().out  # before the win
    assert main(["log", "ann", "referral-asked", *args]) == 0
    assert "Logged a referral asked (sales, 5 min)" in capsys.readouterr().out
    assert main(["log", "ann", "call", "--sales", *args]) == 0  # chosen: kept
    assert "Logged a call (sales, 15 min)" in capsys.readouterr().out


def test_client_since_counts_as_the_won_date(db, today, capsys):
    book.add_client("Bob Jones", "Zeta", client_since=date(2020, 1, 1))
    assert main(["log", "bob", "meeting", *db.book_args]) == 0
    assert "Logged a meeting (relationship, 60 min)" in capsys.readouterr().out


def test_stored_intents_are_not_changed_by_a_later_win(db, today):
    ann = book.add_client("Ann Smith", "Acme")
    early = book.add_interaction(ann, "email", when=datetime(2026, 5, 1, 10))
    assert early.intent == "sales"
    book.add_deal(ann, 500, won_on=date(2026, 4, 1))  # recorded later, dated before it
    assert Interaction.get_by_id(early.id).intent == "sales"
    later = book.add_interaction(ann, "email", when=datetime(2026, 5, 2, 10))
    assert later.intent == "relationship"


def test_interchange_rows_without_an_intent_follow_the_won_date(db, tmp_path, today):
    book.add_client("Carl Stone", "Quarry", client_since=date(2025, 1, 1))
    rows = (
        "Ann Smith,Acme,2026-01-05,email,,,,Intro\n"
        "Ann Smith,Acme,2026-01-12,email,,,,An article\n"
        "Ann Smith,Acme,2026-01-10,deal,,,12000,Annual contract\n"
        "Ann Smith,Acme,2026-01-15,referral-asked,,,,Anyone else?\n"
        "Ann Smith,Acme,2026-01-20,meeting,sales,,,Upsell\n"
        "Bob Jones,,2026-02-01,meeting,,,,Discovery\n"
        "Carl Stone,Quarry,2026-02-01,call,,,,Checking in\n"
    )
    report = import_file(write(tmp_path, rows))
    assert report.failures == []
    by_client = {
        name: intents_of(Client.get(Client.name == name).id)
        for name in ("Ann Smith", "Bob Jones", "Carl Stone")
    }
    assert by_client["Ann Smith"] == [
        (date(2026, 1, 5), "email", "sales"),  # before the deal in the same file
        (date(2026, 1, 12), "email", "relationship"),
        (date(2026, 1, 15), "referral-asked", "sales"),
        (date(2026, 1, 20), "meeting", "sales"),  # the file's own intent
    ]
    assert by_client["Bob Jones"] == [(date(2026, 2, 1), "meeting", "sales")]  # a prospect
    assert by_client["Carl Stone"] == [(date(2026, 2, 1), "call", "relationship")]


def test_useful_emails_to_a_won_client_are_gives(db, today, capsys):
    """Case 8 of issue 18: articles sent every three weeks are not "5 of 5 asks"."""
    ann = book.add_client("Ann Smith", "Acme")
    book.add_deal(ann, 12000, won_on=date(2025, 6, 1))
    for weeks in range(5):
        when = datetime(2026, 11, 20, 10) - timedelta(weeks=3 * weeks)
        book.add_interaction(ann, "email", when=when, summary="A useful article")
    assert main(["drift", "--all", "--json", *db.book_args]) == 0
    (verdict,) = json.loads(capsys.readouterr().out)
    assert verdict["give_ratio"] == 1.0
    assert "asks" not in verdict["explanation"]
