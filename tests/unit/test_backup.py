"""`cockpit backup` and `cockpit restore`: everything in the book, to JSON and back."""

from __future__ import annotations

import json
import sqlite3
import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.demo import build_demo
from cockpit.storage import book
from cockpit.storage.backup import FORMAT, FORMAT_VERSION
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.migrations import SCHEMA_VERSION, set_info
from cockpit.storage.models import (
    ALL_MODELS,
    Client,
    Review,
    ReviewAction,
    ScheduledTouch,
    database_proxy,
)
from cockpit.storage.revision import CHANGES_TABLE, TABLE

TODAY = date(2026, 11, 23)


def rows_of(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table of a book file: its column names and all its rows, by primary key."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        found = {}
        for table in tables:
            cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            found[table] = ([column[0] for column in cursor.description], cursor.fetchall())
        return found
    finally:
        connection.close()


def build_rich_book(path: Path) -> None:
    """The demo book, plus a weekly review and values at the edges of every column type."""
    build_demo(path, TODAY)
    db = open_database(DatabaseLocation(path, "--db"))
    try:
        with db.atomic():
            odd = book.add_client(
                'Zoë "Quotes" O\'Brien \\ 😊',
                "Tab & Co",
                title="",
                emails=["zoe@example.com"],
                keep_in_touch_days=2_000_000_000,
                strategic=True,
                snoozed_until=TODAY + timedelta(days=3),
            )  # created_at has microseconds
            book.add_deal(odd, "999999999999.99", currency="JPY", won_on=date(1901, 1, 1))
            book.add_interaction(
                odd, "note", when=datetime(2026, 1, 1, 0, 0, 1), summary="line 1\nline 2\n\t»«"
            )
            book.set_profile(odd, {"birth_date": "--02-29", "religion": "sensitive too"})
            book.set_tags(odd.id, ["[bold]VIP[/bold]", "Café crème", "x" * 40])
            set_info("something_else", "")
            review = Review.create(
                week_start=TODAY,
                started_at=datetime(2026, 11, 23, 8, 0, 0, 123456),
                agenda='{"as_of": "2026-11-23", "parts": []}',
            )
            finished = Review.create(
                week_start=TODAY - timedelta(days=7),
                started_at=datetime(2026, 11, 16, 8),
                finished_at=datetime(2026, 11, 16, 9),
                agenda="{}",
                summary='{"done": 1}',
            )
            ReviewAction.create(
                review=review,
                item_key=f"drifting:{odd.id}",
                step="snoozed",
                created_at=datetime(2026, 11, 23, 8, 1),
            )
            ReviewAction.create(
                review=finished,
                item_key="follow-up:1",
                step="scheduled",
                on_date=TODAY,
                created_at=datetime(2026, 11, 16, 8, 30),
            )
            moment = datetime(2026, 11, 23, 8, 2)
            ScheduledTouch.create(client=odd, due_on=TODAY, review=review, created_at=moment)
            ScheduledTouch.create(client=1, due_on=TODAY, review=None, created_at=moment)
    finally:
        db.close()
        database_proxy.initialize(None)


def backup(book_path: Path, target: Path, *options: str) -> int:
    return main(["backup", str(target), "--db", str(book_path), *options])


def restore(source: Path, book_path: Path) -> int:
    return main(["restore", str(source), "--db", str(book_path)])


_BUILT: dict[str, bytes] = {}  # the rich book is built once, then copied


@pytest.fixture
def saved(tmp_path, today, capsys) -> tuple[Path, Path]:
    """A rich book and its backup."""
    source = tmp_path / "source.db"
    if "book" not in _BUILT:
        build_rich_book(source)
        _BUILT["book"] = source.read_bytes()
    else:
        source.write_bytes(_BUILT["book"])
    target = tmp_path / "backup.json"
    assert backup(source, target) == 0
    return source, target


def test_backup_then_restore_gives_the_same_book_row_for_row(saved, tmp_path, capsys):
    source, target = saved
    out = capsys.readouterr().out
    counts = "62 clients, 14 accounts, 3045 interactions, "
    assert out.startswith(f"Backed up {source} to {target}: {counts}")
    assert "2 weekly reviews" in out and "keep it private" in out
    assert f"{len(rows_of(source)['client_tag'][1])} tags" in out
    restored = tmp_path / "restored.db"
    assert restore(target, restored) == 0
    assert capsys.readouterr().out.startswith(f"Restored {target} into {restored}: 62 clients")
    before, after = rows_of(source), rows_of(restored)
    # The revision is the book's own, not part of its contents: a restored book is a new one.
    source_revision, restored_revision = before.pop(TABLE)[1], after.pop(TABLE)[1]
    assert source_revision[0][1] != restored_revision[0][1]
    before.pop(CHANGES_TABLE), after.pop(CHANGES_TABLE)  # which client each change was about
    # The notes index is rebuilt as the rows go in: the same tables, laid out its own way.
    indexes = [table for table in before if table.startswith("note_index_")]
    assert indexes and all(after.pop(table)[0] == before.pop(table)[0] for table in indexes)
    assert sorted(before) == sorted(model._meta.table_name for model in ALL_MODELS)
    for table, (columns, rows) in before.items():
        assert after[table][0] == columns, table
        assert after[table][1] == rows, table
    assert sum(len(rows) for _, rows in before.values()) > 3500
    tags = {row[2] for row in after["client_tag"][1]}
    assert {"Café crème", "[bold]VIP[/bold]", "x" * 40, "Golf", "key account"} <= tags


def test_a_restored_book_goes_on_with_new_ids(saved, tmp_path):
    _, target = saved
    restored = tmp_path / "restored.db"
    assert restore(target, restored) == 0
    db = open_database(DatabaseLocation(restored, "--db"))
    try:
        largest = Client.select().order_by(Client.id.desc()).first().id
        assert book.add_client("New Client").id == largest + 1
    finally:
        db.close()


def test_the_backup_is_private_versioned_json(saved):
    _, target = saved
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["format"] == FORMAT and document["format_version"] == FORMAT_VERSION
    assert document["schema_version"] == SCHEMA_VERSION
    assert set(document["tables"]) == {model._meta.table_name for model in ALL_MODELS}
    clients = document["tables"]["client"]
    odd = dict(zip(clients["columns"], clients["rows"][-1], strict=True))
    assert odd["name"] == 'Zoë "Quotes" O\'Brien \\ 😊'
    assert odd["strategic"] is True and odd["archived"] is False
    assert odd["client_since"] is None
    assert odd["snoozed_until"] == "2026-11-26"
    assert datetime.fromisoformat(odd["created_at"]) > datetime(2026, 11, 22)
    deals = document["tables"]["deal"]
    amounts = [row[deals["columns"].index("amount_cents")] for row in deals["rows"]]
    assert 99_999_999_999_999 in amounts
    assert "😊" in target.read_text(encoding="utf-8")  # readable, not escaped


def test_an_existing_backup_is_replaced_only_with_force(saved, capsys):
    source, target = saved
    capsys.readouterr()
    target.write_text("old")
    assert backup(source, target) == 2
    assert capsys.readouterr().err == f"cockpit: {target} exists; add --force to replace it\n"
    assert target.read_text() == "old"
    assert backup(source, target, "--force") == 0
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == FORMAT
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_backing_up_into_a_missing_folder_or_from_no_book(tmp_path, capsys):
    missing_folder = tmp_path / "nowhere" / "b.json"
    assert backup(tmp_path / "book.db", missing_folder) == 2
    assert capsys.readouterr().err == (
        f"cockpit: cannot write {missing_folder}: the folder {missing_folder.parent} "
        "does not exist\n"
    )
    assert backup(tmp_path / "book.db", tmp_path / "b.json") == 2
    assert capsys.readouterr().err == (
        f"cockpit: there is no book at {tmp_path / 'book.db'} yet, so nothing to back up\n"
    )
    assert sorted(tmp_path.iterdir()) == []


def test_restoring_into_a_book_that_is_not_empty_changes_nothing(saved, tmp_path, capsys):
    _, target = saved
    other = tmp_path / "other.db"
    db = open_database(DatabaseLocation(other, "--db"))
    book.add_client("Already Here", emails=["here@example.com"])
    db.close()
    before = rows_of(other)
    capsys.readouterr()
    assert restore(target, other) == 1
    err = capsys.readouterr().err
    assert err == (
        f"cockpit: {other} is not empty (it holds 1 client, 1 other row); a backup is only "
        "restored into an empty book, so nothing was changed. Restore into a new file with "
        "--db PATH\n"
    )
    assert rows_of(other) == before


def test_a_truncated_backup_is_refused_and_no_book_is_made(saved, tmp_path, capsys):
    _, target = saved
    cut = tmp_path / "cut.json"
    data = target.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    capsys.readouterr()
    new = tmp_path / "new.db"
    assert restore(cut, new) == 1
    assert capsys.readouterr().err == (
        f"cockpit: {cut}: the file ends before the backup does (cut short?); it is not valid "
        "JSON; nothing was restored\n"
    )
    assert not new.exists()


@pytest.mark.parametrize("cut_after", ["nul", "tru", "fals", "-", "12"])
def test_a_backup_cut_inside_a_value_is_said_to_be_cut_short(saved, tmp_path, capsys, cut_after):
    _, target = saved
    text = target.read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(text[: text.index('"rows"')] + f'"rows": [[{cut_after}', encoding="utf-8")
    capsys.readouterr()
    assert restore(cut, tmp_path / "new.db") == 1
    assert "the file ends before the backup does (cut short?)" in capsys.readouterr().err


def _edit(document: dict, change) -> dict:
    change(document)
    return document


def _drop(document, key):
    del document[key]


def _set_cell(table: str, column: str, value):
    def change(document):
        columns = document["tables"][table]["columns"]
        document["tables"][table]["rows"][0][columns.index(column)] = value

    return change


BROKEN = [
    (lambda doc: [doc], 'not a Cockpit backup (it has no "format": "cockpit-backup")'),
    (
        lambda doc: _edit(doc, lambda d: d.update(format="something-else")),
        'not a Cockpit backup (it has no "format": "cockpit-backup")',
    ),
    (
        lambda doc: _edit(doc, lambda d: d.update(format_version=FORMAT_VERSION + 1)),
        f"written in backup format {FORMAT_VERSION + 1} by a newer Cockpit",
    ),
    (
        lambda doc: _edit(doc, lambda d: d.update(schema_version=SCHEMA_VERSION + 1)),
        f"written by a newer Cockpit (schema {SCHEMA_VERSION + 1}; this Cockpit knows up to "
        f"{SCHEMA_VERSION}); upgrade Cockpit to restore it",
    ),
    (
        lambda doc: _edit(doc, lambda d: d.update(schema_version="2")),
        "\"schema_version\" must be a whole number from 1 up, not '2'",
    ),
    (lambda doc: _edit(doc, lambda d: _drop(d, "tables")), '"tables" must be an object'),
    (
        lambda doc: _edit(doc, lambda d: d["tables"].update(gadgets={})),
        "it has a table 'gadgets' this Cockpit does not know",
    ),
    (
        lambda doc: _edit(doc, lambda d: _drop(d["tables"], "deal")),
        "the table deal is missing",
    ),
    (
        lambda doc: _edit(doc, lambda d: d["tables"]["client"]["columns"].append("shoe_size")),
        "table client has a column 'shoe_size' this Cockpit does not know",
    ),
    (
        lambda doc: _edit(doc, lambda d: d["tables"]["client"]["columns"].remove("name")),
        "table client lacks the column 'name'",
    ),
    (
        lambda doc: _edit(doc, lambda d: d["tables"]["deal"]["rows"][0].pop()),
        "table deal, row 1: 8 values for 9 columns",
    ),
    (
        lambda doc: _edit(doc, _set_cell("deal", "amount_cents", "12.50")),
        'table deal, row 1, column amount_cents: "12.50" is not a whole number',
    ),
    (
        lambda doc: _edit(doc, _set_cell("client", "archived", 0)),
        "table client, row 1, column archived: 0 is not true or false",
    ),
    (
        lambda doc: _edit(doc, _set_cell("interaction", "day", "2026-02-30")),
        'table interaction, row 1, column day: "2026-02-30" is not a day (YYYY-MM-DD)',
    ),
    (
        lambda doc: _edit(doc, _set_cell("interaction", "occurred_at", "2026-01-01T10:00+01:00")),
        'column occurred_at: "2026-01-01T10:00+01:00" is not a date and time',
    ),
    (
        lambda doc: _edit(doc, _set_cell("client", "name", None)),
        "table client, row 1, column name: null, but the column needs a value",
    ),
    (
        lambda doc: _edit(doc, _set_cell("interaction", "client_id", 99999)),
        "its rows break the book's rules (FOREIGN KEY constraint failed); is the file damaged?",
    ),
    (
        lambda doc: _edit(doc, _set_cell("deal", "amount_cents", -5)),
        "table deal, row id 1: a won deal's amount must be more than zero",
    ),
]


@pytest.mark.parametrize(("change", "message"), BROKEN)
def test_a_broken_backup_is_refused_naming_the_problem(saved, tmp_path, capsys, change, message):
    _, target = saved
    broken = tmp_path / "broken.json"
    document = change(json.loads(target.read_text(encoding="utf-8")))
    broken.write_text(json.dumps(document), encoding="utf-8")
    capsys.readouterr()
    new = tmp_path / "new.db"
    assert restore(broken, new) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"cockpit: {broken}: ") and err.count("\n") == 1
    assert message in err
    assert err.endswith("; nothing was restored\n")
    assert not new.exists() and not Path(f"{new}-wal").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty, not a Cockpit backup"),
        (b"\xff\xfe garbage", "not a Cockpit backup (not UTF-8 text)"),
        (b"hello", "not valid JSON at line 1, column 1 (Expecting value); is it a Cockpit backup?"),
    ],
)
def test_a_file_that_is_no_backup_is_refused(tmp_path, capsys, content, message):
    path = tmp_path / "not-a-backup.json"
    path.write_bytes(content)
    assert restore(path, tmp_path / "new.db") == 1
    assert capsys.readouterr().err == f"cockpit: {path}: {message}; nothing was restored\n"
    assert not (tmp_path / "new.db").exists()


def test_a_missing_backup_file_is_named(tmp_path, capsys):
    assert restore(tmp_path / "nope.json", tmp_path / "new.db") == 1
    assert capsys.readouterr().err == f"cockpit: {tmp_path / 'nope.json'} does not exist\n"
    assert not (tmp_path / "new.db").exists()


def test_restore_recounts_the_summaries_for_this_honeymoon_setting(saved, tmp_path, write_config):
    _, target = saved
    write_config("[health]\nhoneymoon_days = 30\n")
    restored = tmp_path / "restored.db"
    assert restore(target, restored) == 0
    db = open_database(DatabaseLocation(restored, "--db"))
    try:
        won = Client.select().where(Client.won_on.is_null(False))
        assert won.count() > 0
        assert all(c.honeymoon_end == c.won_on + timedelta(days=30) for c in won)
    finally:
        db.close()


def test_a_backup_of_an_older_schema_restores(saved, tmp_path):
    """Schema 1 had no weekly review tables: they stay empty."""
    _, target = saved
    document = json.loads(target.read_text(encoding="utf-8"))
    document["schema_version"] = 1
    for table in ("review", "review_action", "scheduled_touch"):
        del document["tables"][table]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(document), encoding="utf-8")
    restored = tmp_path / "restored.db"
    assert restore(older, restored) == 0
    tables = rows_of(restored)
    assert tables["review"][1] == [] and tables["scheduled_touch"][1] == []
    assert ("schema_version", str(SCHEMA_VERSION)) in tables["cockpit_meta"][1]
    assert len(tables["interaction"][1]) == 3045


def test_the_book_itself_is_never_overwritten(saved, capsys):
    source, _ = saved
    before = source.read_bytes()
    assert backup(source, source, "--force") == 2
    assert capsys.readouterr().err.endswith(
        f"cockpit: {source} is the book itself; write the backup to another file\n"
    )
    assert main(["export", "csv", str(source), "--force", "--db", str(source)]) == 2
    assert source.read_bytes() == before
