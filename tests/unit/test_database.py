"""Choosing, creating, opening, upgrading and refusing books."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from peewee import IntegerField
from playhouse.migrate import migrate

from cockpit.errors import DatabaseError, UsageError
from cockpit.storage import book, migrations
from cockpit.storage.database import DatabaseLocation, open_database, resolve_location
from cockpit.storage.models import Client, Interaction
from tests.support.paths import FIXTURES


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(
    ("options", "environment", "expected", "source"),
    [
        ({}, {}, "<default>", "default"),
        ({}, {"COCKPIT_DB": "/e/env.db"}, "/e/env.db", "COCKPIT_DB"),
        (
            {},
            {"COCKPIT_DB": "/e/env.db", "COCKPIT_DATABASE_URL": "sqlite:////e/url.db"},
            "/e/url.db",
            "COCKPIT_DATABASE_URL",
        ),
        (
            {"db": "/o/opt.db"},
            {"COCKPIT_DB": "/e/env.db", "COCKPIT_DATABASE_URL": "sqlite:////e/url.db"},
            "/o/opt.db",
            "--db",
        ),
        (
            {"db": "/o/opt.db", "database_url": "sqlite:////o/url.db"},
            {"COCKPIT_DATABASE_URL": "sqlite:////e/url.db"},
            "/o/url.db",
            "--database-url",
        ),
        ({"database_url": "sqlite:///relative.db"}, {}, "relative.db", "--database-url"),
    ],
)
def test_the_book_is_chosen_by_the_documented_precedence(
    home, options, environment, expected, source
):
    location = resolve_location(environ=environment, **options)
    if expected == "<default>":
        expected = str(home / "data" / "cockpit" / "cockpit.db")
    assert (str(location.path), location.source) == (expected, source)


def test_the_environment_is_read_when_no_mapping_is_given(monkeypatch, tmp_path):
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "env.db"))
    assert resolve_location().path == tmp_path / "env.db"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://rep@db", "names no database"),
        ("mysql://x/y", "unsupported database URL"),
        ("sqlite://", "names no file"),
    ],
)
def test_unusable_urls_are_refused_with_a_message(url, message):
    with pytest.raises(UsageError, match=message):
        resolve_location(database_url=url)


def test_the_default_book_is_created_private_in_the_data_directory(home):
    location = resolve_location(environ={})
    db = open_database(location)
    try:
        assert location.path == home / "data" / "cockpit" / "cockpit.db"
        book.add_client("Ann")  # so the write-ahead log exists
        assert _mode(location.path) == 0o600
        assert _mode(Path(f"{location.path}-wal")) == 0o600
        assert _mode(location.path.parent) == 0o700
    finally:
        db.close()


def test_sqlite_is_set_up_for_safe_concurrent_use(db):
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_a_transaction_takes_the_write_lock_when_it_begins(db, book_path):
    other = sqlite3.connect(book_path, timeout=0, isolation_level=None)
    try:
        with db.atomic():
            Client.select().count()  # only a read so far
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_second_writer_waits_instead_of_failing(db, book_path):
    other = sqlite3.connect(book_path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, lambda: other.execute("COMMIT"))
    release.start()
    try:
        book.add_client("Waited")  # blocks until the other connection commits
    finally:
        release.join()
        other.close()
    assert Client.select().count() == 1


WRITER = """
import sys
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage import book
from cockpit.storage.models import Client, Interaction
from datetime import date
from pathlib import Path
db = open_database(DatabaseLocation(Path(sys.argv[1]), "--db"))
client = Client.get_by_id(1)
for n in range(int(sys.argv[2])):
    with db.atomic():
        book.add_interaction(client, "call", summary=f"{sys.argv[3]} {n}")
    Interaction.select().count()
print("done")
"""


def test_two_processes_writing_at_once_lose_nothing(db, book_path):
    book.add_client("Shared")
    db.close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(book_path), "500", name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    results = [proc.communicate(timeout=120) for proc in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
        assert out.strip() == "done"
    assert Interaction.select().count() == 1000


def test_a_book_from_a_newer_cockpit_is_refused_and_left_alone(db, book_path):
    migrations.set_info(migrations.SCHEMA_VERSION_KEY, str(migrations.SCHEMA_VERSION + 5))
    db.close()
    before = _digest(book_path)
    with pytest.raises(DatabaseError) as caught:
        open_database(DatabaseLocation(book_path, "--db"))
    assert str(book_path) in caught.value.message
    assert "newer Cockpit" in caught.value.message
    assert _digest(book_path) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a database at all" * 100, "not a readable Cockpit book"),
        (b"SQLite format 3\x00" + b"\x00" * 84, "not a readable Cockpit book"),
    ],
)
def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path, content, message):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match=message) as caught:
        open_database(DatabaseLocation(path, "--db"))
    assert str(path) in caught.value.message
    assert path.read_bytes() == content


def test_a_truncated_book_is_refused_and_left_alone(db, book_path):
    for n in range(50):
        book.add_client(f"Client {n}")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = book_path.read_bytes()
    book_path.write_bytes(data[: len(data) // 3])
    truncated = book_path.read_bytes()
    with pytest.raises(DatabaseError, match="not a readable Cockpit book"):
        open_database(DatabaseLocation(book_path, "--db"))
        Client.select().count()
    assert book_path.read_bytes() == truncated


def test_another_programs_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    before = _digest(path)
    with pytest.raises(DatabaseError, match="not a Cockpit book"):
        open_database(DatabaseLocation(path, "--db"))
    assert _digest(path) == before


def test_a_directory_or_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="is a directory"):
        open_database(DatabaseLocation(tmp_path, "--db"))
    with pytest.raises(DatabaseError, match="does not exist"):
        open_database(DatabaseLocation(tmp_path / "missing" / "book.db", "--db"))
    assert not (tmp_path / "missing").exists()


def test_a_book_we_may_not_write_is_refused_with_a_message(db, book_path, monkeypatch):
    db.close()
    book_path.chmod(0o400)
    # Root may write anyway, so ask the question the way an ordinary user's check answers it.
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != book_path)
    with pytest.raises(DatabaseError, match="check its permissions") as caught:
        open_database(DatabaseLocation(book_path, "--db"))
    assert str(book_path) in caught.value.message


def test_a_book_named_with_db_is_private_too(tmp_path):
    path = tmp_path / "work.db"
    open_database(DatabaseLocation(path, "--db")).close()
    assert _mode(path) == 0o600
    empty = tmp_path / "touched.db"
    empty.touch(mode=0o644)
    open_database(DatabaseLocation(empty, "--db")).close()
    assert _mode(empty) == 0o600


def _schema(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        ).fetchall()
    return [(name, " ".join(sql.split())) for name, sql in rows]


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_v*.db")), ids=lambda p: p.stem)
def test_every_earlier_schema_opens_as_the_current_one(tmp_path, fixture):
    copy = tmp_path / fixture.name
    shutil.copy(fixture, copy)
    db = open_database(DatabaseLocation(copy, "--db"))
    try:
        assert migrations.stored_version(db) == migrations.SCHEMA_VERSION
        ann = Client.get(Client.name == "Ann Fixture")
        assert ann.interactions.count() == 2
        assert book.profile_answers(ann)["children"] == [{"name": "Mia", "birthday": "2015-11-02"}]
        assert (ann.won_on, ann.honeymoon_end) == (date(2025, 1, 15), date(2025, 4, 15))
        bob = Client.get(Client.name == "Bob Fixture")
        assert (bob.won_on, bob.honeymoon_end) == (None, None)
    finally:
        db.close()
    fresh = tmp_path / "fresh.db"
    open_database(DatabaseLocation(fresh, "--db")).close()
    assert _schema(copy) == _schema(fresh)


def test_there_is_a_fixture_of_the_current_schema():
    assert (FIXTURES / f"schema_v{migrations.SCHEMA_VERSION}.db").exists()


@pytest.fixture
def next_version(monkeypatch):
    """Pretend this Cockpit knows one more schema version, adding a column."""
    target = migrations.SCHEMA_VERSION + 1
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", target)
    steps = dict(migrations.STEPS)
    monkeypatch.setattr(migrations, "STEPS", steps)
    return target, steps


def _v1_book(tmp_path: Path) -> Path:
    copy = tmp_path / "book.db"
    shutil.copy(FIXTURES / "schema_v1.db", copy)
    return copy


def test_an_older_book_is_upgraded_in_place_after_a_backup(tmp_path, next_version):
    target, steps = next_version

    def add_rating(db, migrator):
        migrate(migrator.add_column("client", "rating", IntegerField(null=True)))

    steps[target] = add_rating
    path = _v1_book(tmp_path)
    db = open_database(DatabaseLocation(path, "--db"))
    try:
        assert migrations.stored_version(db) == target
        columns = [column.name for column in db.get_columns("client")]
        assert "rating" in columns
        assert Client.select().count() == 2
        assert Interaction.select().count() == 3
    finally:
        db.close()
    backups = list(tmp_path.glob("book.db.schema-v1-*.bak"))
    assert len(backups) == 1
    assert _mode(backups[0]) == 0o600
    with sqlite3.connect(backups[0]) as connection:
        assert connection.execute(
            "SELECT value FROM cockpit_meta WHERE key = 'schema_version'"
        ).fetchone() == ("1",)
        assert connection.execute("SELECT COUNT(*) FROM client").fetchone() == (2,)


def test_a_failed_upgrade_changes_nothing(tmp_path, next_version):
    target, steps = next_version

    def broken(db, migrator):
        migrate(migrator.add_column("client", "rating", IntegerField(null=True)))
        db.execute_sql("DELETE FROM interaction")
        raise RuntimeError("step failed half-way")

    steps[target] = broken
    path = _v1_book(tmp_path)
    with pytest.raises(DatabaseError) as caught:
        open_database(DatabaseLocation(path, "--db"))
    assert "from schema version 1 failed (step failed half-way)" in caught.value.message
    assert "left as it was" in caught.value.message
    (backup,) = tmp_path.glob("book.db.schema-v1-*.bak")
    assert str(backup) in caught.value.message
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM interaction").fetchone() == (3,)
        columns = [row[1] for row in connection.execute("PRAGMA table_info(client)")]
        assert "rating" not in columns
        assert connection.execute(
            "SELECT value FROM cockpit_meta WHERE key = 'schema_version'"
        ).fetchone() == ("1",)


def test_table_rebuilds_during_an_upgrade_do_not_cascade(tmp_path, next_version):
    target, steps = next_version

    def rebuild_client(db, migrator):
        # SQLite rebuilds the table to drop a column; with foreign keys on, the
        # DROP TABLE inside would delete every interaction through ON DELETE CASCADE.
        migrate(migrator.drop_column("client", "title"))

    steps[target] = rebuild_client
    path = _v1_book(tmp_path)
    db = open_database(DatabaseLocation(path, "--db"))
    try:
        assert Interaction.select().count() == 3
        assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        db.close()


def test_a_version_without_an_upgrade_path_is_refused_before_any_backup(db, book_path):
    migrations.set_info(migrations.SCHEMA_VERSION_KEY, "0")
    db.close()
    before = _digest(book_path)
    with pytest.raises(DatabaseError, match="cannot upgrade"):
        open_database(DatabaseLocation(book_path, "--db"))
    assert _digest(book_path) == before
    assert not list(book_path.parent.glob("*.bak"))


UPGRADER = """
import sys
from pathlib import Path
from peewee import IntegerField
from playhouse.migrate import migrate
from cockpit.storage import migrations
from cockpit.storage.database import DatabaseLocation, open_database

def add_rating(db, migrator):
    migrate(migrator.add_column("client", "rating", IntegerField(null=True)))

migrations.SCHEMA_VERSION += 1
migrations.STEPS[migrations.SCHEMA_VERSION] = add_rating
open_database(DatabaseLocation(Path(sys.argv[1]), "--db")).close()
print("opened")
"""


def test_processes_opening_an_old_book_at_once_upgrade_it_once(tmp_path):
    path = _v1_book(tmp_path)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", UPGRADER, str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "opened"
    assert len(list(tmp_path.glob("book.db.schema-v1-*.bak"))) == 1
    with sqlite3.connect(path) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(client)")]
        assert columns.count("rating") == 1
