"""Planned communications have the kind of touch that keeps them; marking one done logs
that touch (a give) with the move of its due date, and undoing takes both back."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from cockpit import client_view
from cockpit.cli import main
from cockpit.errors import ValidationError
from cockpit.storage import book
from cockpit.storage.models import Client, Interaction, PlannedCommunication

TODAY = date(2026, 11, 23)


@pytest.fixture
def ann(db, today) -> int:
    client = book.add_client("Ann Smith", "Acme")  # a prospect: no won deal
    book.add_interaction(client, "call", when=datetime(2026, 9, 1, 10), summary="Intro")
    return client.id


def test_a_plan_is_kept_by_an_email_unless_told_otherwise(ann):
    email = book.add_plan(ann, "Quarterly market update", 3, "months", date(2026, 12, 1))
    call = book.add_plan(ann, "Monthly check-in", 1, "months", date(2026, 12, 5), kind="call")
    assert PlannedCommunication.get_by_id(email.id).kind == "email"
    assert PlannedCommunication.get_by_id(call.id).kind == "call"
    assert client_view.client_detail(ann, TODAY).plans == [
        "Quarterly market update: an email every 3 months, next 2026-12-01",
        "Monthly check-in: a call every month, next 2026-12-05",
    ]
    book.update_plan(call.id, "Monthly check-in", 1, "months", date(2026, 12, 5))  # kind kept
    assert PlannedCommunication.get_by_id(call.id).kind == "call"
    book.update_plan(call.id, "Monthly check-in", 1, "months", date(2026, 12, 5), "meeting")
    assert PlannedCommunication.get_by_id(call.id).kind == "meeting"


@pytest.mark.parametrize(
    ("kind", "message"), [("note", "'note' is not a kind of touch"), ("fax", "'fax' is not")]
)
def test_a_plan_is_kept_by_a_touch_not_a_note(ann, kind, message):
    with pytest.raises(ValidationError, match=message):
        book.add_plan(ann, "Update", 3, "months", date(2026, 12, 1), kind=kind)
    assert PlannedCommunication.select().count() == 0


def test_a_plan_kept_by_asking_for_a_referral_logs_an_ask(ann):
    plan = book.add_plan(ann, "Ask for an introduction", 6, "months", TODAY, kind="referral-asked")
    touch = Interaction.get_by_id(book.keep_plan(plan.id, TODAY).interaction.id)
    assert (touch.kind, touch.intent) == ("referral-asked", "sales")  # always an ask


def test_marking_a_plan_done_logs_its_touch_and_moves_it_on(ann, book_path, capsys):
    plan = book.add_plan(ann, "Monthly check-in", 1, "months", date(2026, 11, 20), kind="call")
    logged = book.keep_plan(plan.id, TODAY)
    touch = Interaction.get_by_id(logged.interaction.id)
    # A give, even with a client not won yet: keeping a promise is no ask.
    assert (touch.kind, touch.intent, touch.day, touch.summary) == (
        "call",
        "relationship",
        TODAY,
        "Monthly check-in",
    )
    assert touch.duration_min == 15
    assert PlannedCommunication.get_by_id(plan.id).next_due == date(2026, 12, 23)
    assert Client.get_by_id(ann).last_touch_on == TODAY  # the drift engine sees it
    assert main(["drift", "--all", "--json", "--db", str(book_path)]) == 0
    (verdict,) = json.loads(capsys.readouterr().out)
    assert verdict["days_since_last_touch"] == 0

    book.undo_log(logged)
    assert not Interaction.select().where(Interaction.id == touch.id).exists()
    assert PlannedCommunication.get_by_id(plan.id).next_due == date(2026, 11, 20)
    assert Client.get_by_id(ann).last_touch_on == date(2026, 9, 1)


def test_undo_leaves_a_plan_changed_since_alone(ann):
    plan = book.add_plan(ann, "Update", 3, "months", date(2026, 11, 20))
    logged = book.keep_plan(plan.id, TODAY)
    book.update_plan(plan.id, "Update", 3, "months", date(2027, 1, 10))
    book.undo_log(logged)
    assert Interaction.select().where(Interaction.id == logged.interaction.id).count() == 0
    assert PlannedCommunication.get_by_id(plan.id).next_due == date(2027, 1, 10)


def test_a_plan_gone_logs_nothing(ann):
    plan = book.add_plan(ann, "Update", 3, "months", date(2026, 11, 20))
    book.delete_plan(plan.id)
    assert book.log_plan_touch(plan.id, TODAY) is None
    with pytest.raises(ValidationError, match="that plan no longer exists"):
        book.keep_plan(plan.id, TODAY)
    assert Interaction.select().count() == 1  # the intro call only


def test_backups_carry_the_kind_and_older_ones_restore_as_email(ann, book_path, tmp_path):
    book.add_plan(ann, "Monthly check-in", 1, "months", date(2026, 12, 5), kind="gift")
    target = tmp_path / "backup.json"
    assert main(["backup", str(target), "--db", str(book_path)]) == 0
    restored = tmp_path / "restored.db"
    assert main(["restore", str(target), "--db", str(restored)]) == 0
    assert kinds_in(restored) == ["gift"]

    document = json.loads(target.read_text(encoding="utf-8"))
    document["schema_version"] = 5  # before plans had a kind
    plans = document["tables"]["planned_communication"]
    at = plans["columns"].index("kind")
    plans["columns"].pop(at)
    for row in plans["rows"]:
        row.pop(at)
    older = tmp_path / "older.json"
    older.write_text(json.dumps(document), encoding="utf-8")
    assert main(["restore", str(older), "--db", str(tmp_path / "from_older.db")]) == 0
    assert kinds_in(tmp_path / "from_older.db") == ["email"]


def kinds_in(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [kind for (kind,) in connection.execute("SELECT kind FROM planned_communication")]
    finally:
        connection.close()
