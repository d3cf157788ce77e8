"""A book on PostgreSQL: the storage, the health engine, the review and the imports work
as on SQLite, and a book moves between the two losslessly (`cockpit migrate-to`)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from cockpit import health, health_cache
from cockpit.cli import main
from cockpit.importers.files import import_file
from cockpit.review import build_agenda
from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database, resolve_location
from cockpit.storage.models import Client
from tests.support.paths import SHARED_DATA
from tests.support.review_book import EXPECTED, TODAY, build_review_book, by_part

SHARED_VCARDS = SHARED_DATA / "vcard"


@pytest.fixture
def postgres_book(postgres_url, today):
    health_cache.forget()
    db = open_database(resolve_location(database_url=postgres_url))
    yield db
    db.close()
    health_cache.forget()


def _verdicts() -> list[tuple]:
    return [
        (v.name, v.health.value, v.tier.value, round(v.severity, 6), v.last_touch, v.revenue_cents)
        for v in health.compute(TODAY)
    ]


def test_the_review_book_gives_the_same_verdicts_and_agenda_as_on_sqlite(postgres_book, tmp_path):
    build_review_book()
    on_postgres = _verdicts()
    assert by_part(build_agenda(TODAY)) == EXPECTED
    postgres_book.close()
    sqlite_book = open_database(DatabaseLocation(tmp_path / "same.db", "--db"))
    try:
        build_review_book()
        assert _verdicts() == on_postgres
    finally:
        sqlite_book.close()


def test_searching_and_logging_from_the_command_line(postgres_book, postgres_url, capsys):
    book.add_client("José Álvarez", "Café Olé")
    book.add_client("100% Kim_Lee", "Under_score")
    postgres_book.close()
    assert main(["--database-url", postgres_url, "log", "jose", "call", "on the server"]) == 0
    assert "José Álvarez" in capsys.readouterr().out
    assert main(["--database-url", postgres_url, "clients", "kim_"]) == 0
    out = capsys.readouterr().out
    assert "100% Kim_Lee" in out and "José" not in out


def test_a_write_from_another_connection_is_seen_by_the_cache(postgres_book, postgres_url):
    import psycopg

    ann = book.add_client("Ann Example", "Acme", client_since=date(2026, 1, 5))
    book.add_interaction(ann.id, "call", when=datetime(2026, 11, 2, 10))
    assert health_cache.cached_compute(TODAY)[0].name == "Ann Example"
    with psycopg.connect(postgres_url, autocommit=True) as other:
        other.execute("UPDATE client SET name = 'Ann Renamed' WHERE id = %s", (ann.id,))
    assert health_cache.cached_compute(TODAY)[0].name == "Ann Renamed"


def test_a_server_books_verdicts_are_kept_under_its_role_server_and_database(
    postgres_book, postgres_url, home
):
    from urllib.parse import urlsplit

    book.add_client("Ann Example", "Acme")
    health_cache.cached_compute(TODAY)
    health_cache.written()
    url = urlsplit(postgres_url)
    server = f"postgresql://{url.username}@{url.hostname}:{url.port}{url.path}"
    kept = health_cache.cache_file_for(server, file=False)
    assert kept.is_file()
    # and not under the database's name as a path; no figures, as the server does not
    # say which clients changed (they are never brought up to date, always read afresh)
    assert list(kept.parent.iterdir()) == [kept]


@pytest.mark.skipif(not SHARED_VCARDS.is_dir(), reason="needs ../shared/data beside the repo")
def test_every_shared_vcard_imports_and_a_second_import_adds_nothing(postgres_book):
    files = sorted(SHARED_VCARDS.glob("*.vcf"))
    for file in files:
        import_file(file)
    clients = Client.select().count()
    assert clients > 0
    for file in files:
        assert "created 0, updated 0" in import_file(file).summary()
    assert Client.select().count() == clients
    highest = max(client.id for client in Client.select())  # ids drawn by the import
    assert book.add_client("After The Import").id > highest  # from the same sequence


def _rows(path: Path) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT IN ('book_revision', 'client_change')"  # counts, not the user's data
                " AND name NOT LIKE 'note_index_%'"  # words indexed as the rows came, not data
            )
        ]
        return {t: connection.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}
    finally:
        connection.close()


def test_migrate_to_postgres_and_back_is_lossless(postgres_url, tmp_path, today, capsys):
    source, back = tmp_path / "demo.db", tmp_path / "back.db"
    assert main(["demo", "--no-open", "--db", str(source)]) == 0
    assert main(["--db", str(source), "migrate-to", postgres_url]) == 0
    assert main(["--database-url", postgres_url, "migrate-to", f"sqlite:///{back}"]) == 0
    out = capsys.readouterr().out
    assert f"into {postgres_url}" in out and "61 clients" in out
    assert _rows(back) == _rows(source)
    assert _rows(back)["client_tag"]  # the demo's tags went there and back
    assert main(["--db", str(source), "migrate-to", postgres_url]) == 1  # not empty now
    assert "is not empty" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["vcard", "csv", "ics"])
def test_a_server_book_exports(postgres_book, postgres_url, tmp_path, kind):
    ann = book.add_client("Ann Example", "Acme", emails=["ann@acme.example"])
    book.add_interaction(ann.id, "call", when=datetime(2026, 11, 2, 10), follow_up_on=TODAY)
    postgres_book.close()
    target = tmp_path / f"out.{kind}"
    assert main(["--database-url", postgres_url, "export", kind, str(target)]) == 0
    assert target.stat().st_size > 0
    if kind != "ics":
        assert "Ann Example" in target.read_text(encoding="utf-8")
