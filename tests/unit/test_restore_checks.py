"""`cockpit restore` checks a backup with the rules of every other way in, before it writes
anything: a refused restore names the row and the problem, in one line, and leaves no file."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.storage import backup as backup_module
from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.models import database_proxy


@pytest.fixture
def saved(tmp_path, today, capsys) -> dict:
    """The backup of a small book holding a row of every table a user writes to."""
    source = tmp_path / "source.db"
    db = open_database(DatabaseLocation(source, "--db"))
    try:
        ann = book.add_client("Ann Smith", "Acme", emails=["ann@acme.example"], phones=["+1 5"])
        book.add_interaction(ann, "call", when=datetime(2026, 11, 2, 10), summary="Budget call")
        book.add_deal(ann, "1200", won_on=date(2026, 10, 1), description="Audit")
        book.set_profile(ann, {"birth_date": "1975-03-14", "nickname": "Annie"})
        book.add_plan(ann, "Quarterly update", 3, "months", date(2026, 12, 1))
        book.set_tags(ann.id, ["golf"])
    finally:
        db.close()
        database_proxy.initialize(None)
    target = tmp_path / "backup.json"
    assert main(["backup", str(target), "--db", str(source)]) == 0
    capsys.readouterr()
    return json.loads(target.read_text(encoding="utf-8"))


def with_cell(document: dict, table: str, column: str, value, *, where=None) -> dict:
    """The document with one cell of the table's first row (or the row `where` picks) set."""
    columns = document["tables"][table]["columns"]
    rows = document["tables"][table]["rows"]
    row = next(row for row in rows if where is None or where(dict(zip(columns, row, strict=True))))
    row[columns.index(column)] = value
    return document


def restore(document: dict, tmp_path: Path, capsys) -> tuple[int, str, Path]:
    source = tmp_path / "edited.json"
    source.write_text(json.dumps(document), encoding="utf-8")  # escapes kept as \\u escapes
    target = tmp_path / "restored.db"
    code = main(["restore", str(source), "--db", str(target)])
    out, err = capsys.readouterr()
    assert out == "" or code == 0
    return code, err, target


def no_book_left(target: Path) -> bool:
    return not any(Path(f"{target}{suffix}").exists() for suffix in ("", "-wal", "-shm"))


NICKNAME = lambda row: row["field_key"] == "nickname"  # noqa: E731
BIRTHDAY = lambda row: row["field_key"] == "birth_date"  # noqa: E731

REFUSED = [
    (
        ("deal", "amount_cents", 10**30),
        "table deal, row id 1: 10000000000000000000000000000.00 is larger than Cockpit can "
        "store (999,999,999,999.99)",
    ),
    (
        ("client", "name", "Ann \ud800 Smith"),
        "table client, row id 1: a client's name holds a character that is not valid text",
    ),
    (
        ("client", "name", "Ann \x1b]0;PWNED\x07"),
        "table client, row id 1: a client's name cannot contain control characters",
    ),
    (
        ("client", "company", "Acme \u202egnp.exe"),
        "table client, row id 1: the company cannot contain control characters",
    ),
    (
        ("interaction", "summary", "x" * 10_000_000),
        "table interaction, row id 1: the summary is longer than 1,000,000 characters",
    ),
    (
        ("interaction", "summary", "Budget \x1b[2J call"),
        "table interaction, row id 1: the summary cannot contain control characters",
    ),
    (
        ("interaction", "summary", "lone \udc80 byte"),
        "table interaction, row id 1: the summary holds a character that is not valid text",
    ),
    (
        ("interaction", "follow_up_on", "9999-12-31"),
        "table interaction, row id 1: column follow_up_on: 9999-12-31 is outside the dates "
        "Cockpit keeps (1900-01-01 to 2200-12-31)",
    ),
    (
        ("interaction", "occurred_at", "0001-01-01T00:00:00"),
        "table interaction, row id 1: column occurred_at: 0001-01-01 00:00:00 is outside",
    ),
    (
        ("interaction", "duration_min", 2**70),
        "table interaction, row id 1: a duration cannot be longer than a day",
    ),
    (
        ("interaction", "kind", "carrier-pigeon"),
        "table interaction, row id 1: 'carrier-pigeon' is not a kind of interaction",
    ),
    (
        ("deal", "currency", "€€€"),
        "table deal, row id 1: '€€€' is not a currency code",
    ),
    (
        ("deal", "won_on", "0001-01-01"),
        "table deal, row id 1: column won_on: 0001-01-01 is outside the dates Cockpit keeps",
    ),
    (
        ("client_email", "address", "ann\x00@acme.example"),
        "table client_email, row id 1: an email address cannot contain control characters",
    ),
    (
        ("client_phone", "number", "no digits"),
        "table client_phone, row id 1: 'no digits' is not a phone number",
    ),
    (
        ("client", "keep_in_touch_days", 2**64),
        "table client, row id 1: column keep_in_touch_days: 18446744073709551616 is too "
        "large a number to store",
    ),
    (
        ("client", "honeymoon_touch_days", 2**64),
        "table client, row id 1: column honeymoon_touch_days: 18446744073709551616 is too "
        "large a number to store",
    ),
    (
        ("profile_value", "text", "Annie\x1b[31m", NICKNAME),
        "table profile_value, row id 2: Goes by cannot contain control characters",
    ),
    (
        ("profile_value", "text", "9999-12-31", BIRTHDAY),
        "table profile_value, row id 1: Birthday: 9999-12-31 is outside the dates Cockpit keeps",
    ),
    (
        ("planned_communication", "next_due", "9999-12-31"),
        "table planned_communication, row id 1: column next_due: 9999-12-31 is outside",
    ),
    (
        ("planned_communication", "what", "Update\tnow"),
        "table planned_communication, row id 1: what is planned cannot contain control",
    ),
    (
        ("client_tag", "tag", "golf, chess"),
        "table client_tag, row id 1: the tag 'golf, chess' holds a comma, which separates tags",
    ),
    (
        ("client_tag", "tag", "golf\x1b[2J"),
        "table client_tag, row id 1: the tag 'golf\\x1b[2J' cannot contain control characters",
    ),
    (
        ("client_tag", "tag_key", "chess"),
        "table client_tag, row id 1: the key of the tag 'golf' is not the tag folded",
    ),
]


@pytest.mark.parametrize(("cell", "message"), REFUSED, ids=lambda value: repr(value)[:50])
def test_a_backup_holding_what_the_book_refuses_is_not_restored(
    saved, tmp_path, capsys, cell, message
):
    table, column, value, *where = cell
    document = with_cell(saved, table, column, value, where=where[0] if where else None)
    code, err, target = restore(document, tmp_path, capsys)
    assert code == 1
    assert err.startswith(f"cockpit: {tmp_path / 'edited.json'}: ")
    assert message in err, err
    assert err.endswith("; nothing was restored\n") and err.count("\n") == 1
    assert "\x1b" not in err and "\x00" not in err
    assert no_book_left(target)


def test_a_restore_that_fails_unexpectedly_leaves_no_book_behind(
    saved, tmp_path, capsys, monkeypatch
):
    def fail(*_args, **_kwargs):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(backup_module, "restore", fail)
    with pytest.raises(RuntimeError):
        restore(saved, tmp_path, capsys)
    assert no_book_left(tmp_path / "restored.db")


def test_a_restore_into_an_existing_book_never_removes_it(saved, tmp_path, capsys):
    target = tmp_path / "restored.db"
    open_database(DatabaseLocation(target, "--db")).close()
    database_proxy.initialize(None)
    document = with_cell(saved, "deal", "amount_cents", 10**30)
    code, err, _ = restore(document, tmp_path, capsys)
    assert code == 1 and "larger than Cockpit can store" in err
    assert target.exists()
    with_cell(document, "deal", "amount_cents", 120000)  # as it was: the backup restores
    code, err, _ = restore(document, tmp_path, capsys)
    assert code == 0, err


def test_a_review_whose_agenda_is_not_cockpits_is_refused_and_forget_copes_with_one(
    db, book_path, tmp_path, capsys
):
    import json

    from cockpit.cli import main
    from cockpit.storage import book
    from cockpit.storage.models import Review

    ann = book.add_client("Ann Smith")
    Review.create(week_start="2026-11-23", started_at="2026-11-23 10:00", agenda="not json")
    assert main(["--db", str(book_path), "forget", "Ann", "--profile"]) == 0
    backup = tmp_path / "book.json"
    assert main(["--db", str(book_path), "backup", str(backup)]) == 1  # written, said so
    assert "restore would refuse it" in capsys.readouterr().err
    data = json.loads(backup.read_text(encoding="utf-8"))
    assert "not json" in json.dumps(data)
    target = tmp_path / "restored.db"
    capsys.readouterr()
    assert main(["--db", str(target), "restore", str(backup)]) == 1
    assert "agenda or summary is not as Cockpit keeps it" in capsys.readouterr().err
    assert not target.exists()
    assert ann.id


def test_a_backup_restore_would_refuse_is_written_and_said_so(db, book_path, tmp_path, capsys):
    from cockpit.cli import main
    from cockpit.storage import book

    ann = book.add_client("Ann Smith")
    db.execute_sql("UPDATE client SET client_since = '0001-01-01' WHERE id = ?", (ann.id,))
    backup = tmp_path / "book.json"
    assert main(["--db", str(book_path), "backup", str(backup)]) == 1
    out, err = capsys.readouterr()
    assert "Backed up" in out and backup.exists()
    assert "restore would refuse it as it stands" in err and "0001-01-01" in err
