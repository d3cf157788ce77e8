"""The demo book: deterministic for a given today, and every relationship pattern in it."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.demo import build_demo, is_demo_book
from cockpit.errors import DatabaseError
from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.models import (
    ALL_MODELS,
    Client,
    Deal,
    Interaction,
    PlannedCommunication,
    ProfileValue,
)
from tests.support.health_reference import had_a_lapse, verdicts
from tests.unit.conftest import build_demo_on

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(demo_path):
    db = open_database(DatabaseLocation(demo_path, "--db"))
    yield db
    db.close()


def _dump(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        return {
            model._meta.table_name: connection.execute(
                f'SELECT * FROM "{model._meta.table_name}" ORDER BY 1'
            ).fetchall()
            for model in ALL_MODELS
        }


def test_the_same_today_gives_the_same_book(demo_path, tmp_path):
    again = tmp_path / "again.db"
    build_demo_on(again, TODAY)
    assert _dump(again) == _dump(demo_path)


def test_the_book_is_dated_relative_to_today(tmp_path):
    later = TODAY + timedelta(days=400)
    path = tmp_path / "later.db"
    build_demo_on(path, later)
    db = open_database(DatabaseLocation(path, "--db"))
    try:
        days = [row.day for row in Interaction.select(Interaction.day)]
        assert max(days) <= later
        assert max(days) >= later - timedelta(days=7)
        assert min(days) >= later - timedelta(days=3 * 366)
        assert max(deal.won_on for deal in Deal.select()) <= later
    finally:
        db.close()


def test_the_book_has_the_promised_size(demo):
    clients = list(Client.select())
    assert 55 <= len(clients) <= 65
    # A dozen companies, one of them spelled twice (the accounts to merge), and a newcomer
    # typed without one, whose email domain suggests an account.
    assert len({client.company for client in clients if client.company}) == 13
    assert [client.name for client in clients if not client.company] == ["Theo Brandt"]
    first_touch = Interaction.select(Interaction.day).order_by(Interaction.day).first().day
    assert timedelta(days=2 * 365) <= TODAY - first_touch <= timedelta(days=3 * 366)
    assert Interaction.select().count() > 1500
    assert Interaction.select().where(Interaction.kind == "note").count() > 10
    assert Deal.select().count() > len(clients)
    assert PlannedCommunication.select().count() >= 5
    assert Interaction.select().where(Interaction.follow_up_on.is_null(False)).count() >= 5
    assert {c.lifecycle for c in clients} == {"prospect", "active", "former"}
    assert any(c.strategic for c in clients)
    assert any(c.snoozed_until and c.snoozed_until > TODAY for c in clients)
    assert any(c.keep_in_touch_days for c in clients)
    assert all(c.emails.count() == 1 and c.phones.count() == 1 for c in clients)


def test_several_profiles_are_filled_with_occasions(demo):
    def clients_with(field_key, column_key=""):
        return {
            value.client_id
            for value in ProfileValue.select().where(
                (ProfileValue.field_key == field_key) & (ProfileValue.column_key == column_key)
            )
        }

    assert len(clients_with("birth_date")) >= 5
    assert len(clients_with("wedding_anniversary")) >= 3
    assert len(clients_with("children", "birthday")) >= 3
    assert len(clients_with("confidential_subjects")) >= 1
    birthdays = ProfileValue.select().where(ProfileValue.field_key == "birth_date")
    assert any(value.date_year is None for value in birthdays)
    assert any(value.date_year is not None for value in birthdays)
    soon = [
        value
        for value in birthdays
        if 0
        < (
            date(TODAY.year + (value.date_month < TODAY.month), value.date_month, value.date_day)
            - TODAY
        ).days
        <= 14
    ]
    assert soon, "a birthday falls within the weekly review's 14 days"


def test_every_relationship_pattern_is_present(demo):
    found = verdicts(TODAY)
    by_pattern = {
        "new, in the honeymoon": [v for v in found.values() if v.status == "honeymoon"],
        "steady": [v for v in found.values() if v.status == "steady" and not had_a_lapse(v)],
        "drifting long after the honeymoon": [
            v for v in found.values() if v.status == "drifting" and (TODAY - v.won).days > 365 + 90
        ],
        "drifting right after the honeymoon": [
            v
            for v in found.values()
            if v.status == "drifting" and 0 < (TODAY - v.won).days - 90 <= 90
        ],
        "recovered": [v for v in found.values() if v.status == "steady" and had_a_lapse(v)],
        "peripheral and quiet": [
            v
            for v in found.values()
            if v.tier == "peripheral" and v.status == "steady" and v.recent_touches <= 3
        ],
        "prospect": [
            v for v in found.values() if v.status == "prospect" and v.client.lifecycle == "prospect"
        ],
        "drifting core": [v for v in found.values() if v.status == "drifting" and v.tier == "core"],
    }
    missing = [name for name, matches in by_pattern.items() if not matches]
    assert not missing, f"no demo client shows: {missing}"
    assert len(by_pattern["steady"]) >= 10


def test_the_demo_never_uses_the_users_book(home, monkeypatch, tmp_path, capsys):
    users_book = tmp_path / "mine.db"
    monkeypatch.setenv("COCKPIT_DB", str(users_book))
    monkeypatch.setenv("COCKPIT_TODAY", TODAY.isoformat())
    assert main(["demo", "--no-open"]) == 0
    demo_book = home / "data" / "cockpit" / "demo.db"
    assert is_demo_book(demo_book)
    assert not users_book.exists()
    assert str(demo_book) in capsys.readouterr().out


def test_the_demo_rebuilds_an_earlier_demo_but_replaces_nothing_else(tmp_path):
    path = tmp_path / "demo.db"
    build_demo_on(path, TODAY)
    build_demo_on(path, TODAY + timedelta(days=30))
    assert is_demo_book(path)
    mine = tmp_path / "mine.db"
    db = open_database(DatabaseLocation(mine, "--db"))
    book.add_client("My own client")
    db.close()
    before = mine.read_bytes()
    with pytest.raises(DatabaseError, match="not a Cockpit demo book"):
        build_demo(mine, TODAY)
    assert mine.read_bytes() == before
    notes = tmp_path / "notes.txt"
    notes.write_text("precious")
    with pytest.raises(DatabaseError, match="not a Cockpit demo book"):
        build_demo(notes, TODAY)
    assert notes.read_text() == "precious"


def test_demo_with_db_builds_there(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COCKPIT_TODAY", TODAY.isoformat())
    path = tmp_path / "elsewhere.db"
    assert main(["demo", "--no-open", "--db", str(path)]) == 0
    assert is_demo_book(path)
    assert "61 clients at 12 companies" in capsys.readouterr().out


@pytest.mark.parametrize("days_before", [0, 30, 120, 400])
def test_the_engine_agrees_with_a_literal_reading_of_the_rules(demo, days_before):
    from cockpit import health

    as_of = TODAY - timedelta(days=days_before)
    reference = verdicts(as_of)
    for result in health.compute(as_of):
        expected = reference[result.id]
        assert result.health.value == expected.status, result.name
        if not result.strategic:
            assert result.tier.value == expected.tier, result.name
        if expected.baseline is not None:
            assert result.honeymoon_interval == pytest.approx(expected.baseline)
        assert result.days_since_last_touch == expected.gap or expected.won is None


def test_running_the_demo_again_asks_before_replacing_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COCKPIT_TODAY", TODAY.isoformat())
    path = tmp_path / "demo.db"
    assert main(["demo", "--no-open", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"cockpit --db {path} drift" in out.splitlines()[-1]  # how to reach it again
    db = open_database(DatabaseLocation(path, "--db"))
    book.add_client("Added By Hand")
    db.close()

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)  # no one to ask: stop
    assert main(["demo", "--no-open", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "already holds a demo book" in err and "--force" in err
    assert f"cockpit --db {path}" in err

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda question: "n")
    assert main(["demo", "--no-open", "--db", str(path)]) == 0
    assert "Kept the demo book" in capsys.readouterr().out
    db = open_database(DatabaseLocation(path, "--db"))
    assert book.client_candidates("Added By Hand")  # nothing lost
    db.close()

    asked = []
    monkeypatch.setattr("builtins.input", lambda question: asked.append(question) or "y")
    assert main(["demo", "--no-open", "--db", str(path)]) == 0
    assert "Build it afresh, losing your changes? [y/N]" in asked[0]
    db = open_database(DatabaseLocation(path, "--db"))
    assert not book.client_candidates("Added By Hand")
    db.close()
    assert main(["demo", "--no-open", "--force", "--db", str(path)]) == 0  # never asks
    assert len(asked) == 1


def test_readme_shows_the_demos_account_plan_as_cockpit_prints_it(demo_path, capsys, monkeypatch):
    monkeypatch.setenv("COCKPIT_TODAY", TODAY.isoformat())
    assert main(["account-plan", "Atlas Engineering", "--db", str(demo_path)]) == 0
    printed = capsys.readouterr().out.rstrip("\n").splitlines()
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    shown = readme.split('account-plan "Atlas Engineering"`):\n\n```text\n', 1)[1]
    shown = shown.split("\n```", 1)[0].splitlines()
    owner = [line for line in printed if line.startswith("Owner: ")]  # whoever built it
    assert [line for line in shown if not line.startswith("Owner: ")] == [
        line for line in printed if line not in owner
    ]
