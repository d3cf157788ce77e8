"""Imports on a team book (issue 19, point 5): a rep's imports are theirs alone, which the
server enforces (psql included): others neither list, read nor undo them; a manager reads
them; a sensitive answer an import changed is read only by whoever reads the client's
sensitive answers; forgetting a profile erases the ledger's copies whoever imported; and a
backup of the team book carries the ledger to a SQLite book, where the import is undone."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.storage import book
from cockpit.storage.database import open_database, resolve_location
from tests.support.postgres_server import BEFORE_ACCOUNTS


def _card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD", ""])


@pytest.fixture
def alices_import(team, tmp_path):
    """Alice has a client with a spouse on file, then imports a folder that creates one
    client and changes hers (the spouse, with --overwrite)."""
    urls, _ = team
    db = open_database(resolve_location(database_url=urls["alice"]))
    try:
        ann = book.add_client("Ann Alice", "Acme", emails=["ann@acme.example"])
        book.set_profile(ann.id, {"spouse_name": "Erik"})
    finally:
        db.close()
    folder = tmp_path / "cards"
    folder.mkdir()
    (folder / "ann.vcf").write_text(
        _card("FN:Ann Alice", "ORG:Acme", "EMAIL:ann@acme.example", "X-SPOUSE:Erika")
    )
    (folder / "new.vcf").write_text(_card("FN:Nia New", "TEL:+1 555 0142"))
    assert main(["--database-url", urls["alice"], "import", str(folder), "--overwrite"]) == 0
    return urls, ann.id


def test_a_reps_imports_are_theirs_alone(alices_import, capsys):
    import psycopg

    urls, _ = alices_import
    capsys.readouterr()
    assert main(["--database-url", urls["alice"], "import", "--list"]) == 0
    assert capsys.readouterr().out.startswith("#1  ")
    assert main(["--database-url", urls["bob"], "import", "--list"]) == 0
    assert capsys.readouterr().out == "No imports yet.\n"
    assert main(["--database-url", urls["bob"], "import", "--undo", "1"]) == 2
    assert "there is no import #1 of yours" in capsys.readouterr().err
    assert main(["--database-url", urls["bob"], "import", "--undo"]) == 2
    assert "there is no import of yours to undo" in capsys.readouterr().err
    with psycopg.connect(urls["bob"], autocommit=True) as bob:  # psql: the server's rules
        for table in ("import_run", "import_client", "import_rows", "import_change"):
            assert bob.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,), table
        assert bob.execute("UPDATE import_run SET undone_at = now()").rowcount == 0
        assert bob.execute("DELETE FROM import_change").rowcount == 0
    with psycopg.connect(urls["carol"], autocommit=True) as carol:  # a manager reads them
        assert carol.execute("SELECT COUNT(*) FROM import_run").fetchone() == (1,)
        assert carol.execute("SELECT COUNT(*) FROM import_change").fetchone() == (1,)
        assert carol.execute("UPDATE import_run SET summary = 'x'").rowcount == 0
    assert main(["--database-url", urls["alice"], "import", "--undo"]) == 0
    assert capsys.readouterr().out.startswith("Undid import #1: removed 1 client")
    with psycopg.connect(urls["alice"], autocommit=True) as alice:
        assert alice.execute("SELECT text FROM profile_value").fetchall() == [("Erik",)]
        assert alice.execute("SELECT name FROM client").fetchall() == [("Ann Alice",)]


def test_a_client_handed_over_since_is_kept_and_its_secrets_leave_the_ledger(alices_import, capsys):
    import psycopg

    urls, ann = alices_import
    assert main(["--database-url", urls["carol"], "assign", f"#{ann}", _role(urls, "bob")]) == 0
    with psycopg.connect(urls["alice"], autocommit=True) as alice:
        # The spouse she overwrote is sensitive: now Bob's to read, not hers.
        assert alice.execute("SELECT COUNT(*) FROM import_change").fetchone() == (0,)
        assert alice.execute("SELECT COUNT(*) FROM import_client").fetchone() == (2,)
    capsys.readouterr()
    assert main(["--database-url", urls["alice"], "import", "--undo"]) == 1
    err = capsys.readouterr().err
    assert f"Ann Alice (#{ann}): it is {_role(urls, 'bob')}'s client now" in err
    assert main(["--database-url", urls["alice"], "import", "--undo", "--keep-changed"]) == 0
    with psycopg.connect(urls["carol"], autocommit=True) as carol:
        names = [name for (name,) in carol.execute("SELECT name FROM client ORDER BY id")]
        assert names == ["Ann Alice"]  # Nia, hers, went; Ann, Bob's now, stayed as she is
        spouse = carol.execute("SELECT text FROM profile_value WHERE field_key = 'spouse_name'")
        assert spouse.fetchall() == [("Erika",)]


def test_forgetting_a_profile_erases_the_ledgers_copies_whoever_imported(alices_import, capsys):
    import psycopg

    urls, ann = alices_import
    with psycopg.connect(urls["alice"], autocommit=True) as alice:
        kept = alice.execute("SELECT before, after FROM import_change").fetchall()
        assert "Erik" in kept[0][0] and "Erika" in kept[0][1]
    # Carol, a manager, may not write Alice's ledger; forgetting erases its copies anyway.
    assert main(["--database-url", urls["carol"], "forget", f"#{ann}", "--profile"]) == 0
    with psycopg.connect(_owner(urls), autocommit=True) as owner:
        assert owner.execute("SELECT COUNT(*) FROM import_change").fetchone() == (0,)
        assert owner.execute("SELECT COUNT(*) FROM profile_value").fetchone() == (0,)


def test_a_backup_carries_the_ledger_and_the_import_is_undone_on_sqlite(
    alices_import, tmp_path, capsys
):
    urls, _ = alices_import
    backup = tmp_path / "team.json"
    assert main(["--database-url", _owner(urls), "backup", str(backup)]) == 0
    copy = tmp_path / "copy.db"
    assert main(["restore", str(backup), "--db", str(copy)]) == 0
    capsys.readouterr()
    assert main(["import", "--list", "--db", str(copy)]) == 0
    assert "cards (2 files): 1 client created, 1 updated" in capsys.readouterr().out
    assert main(["import", "--undo", "--db", str(copy)]) == 0
    assert "put back 1 changed value of 1 client" in capsys.readouterr().out
    db = open_database(_sqlite(copy))
    try:
        assert [client.name for client in book.client_rows()] == ["Ann Alice"]
        assert book.profile_answers(book.client_rows()[0].id) == {"spouse_name": "Erik"}
    finally:
        db.close()


def _owner(urls: dict[str, str]) -> str:
    return urls["owner"]


def _role(urls: dict[str, str], name: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(urls[name]).username


def _sqlite(path: Path):
    from cockpit.storage.database import DatabaseLocation

    return DatabaseLocation(path, "--db")


def test_a_team_book_of_schema_7_gets_the_ledger_under_its_rules(team, tmp_path, capsys):
    import psycopg

    urls, _ = team
    with psycopg.connect(urls["owner"], autocommit=True) as owner:  # back to schema 7
        for statement in BEFORE_ACCOUNTS:
            owner.execute(statement)
        owner.execute("DROP TABLE import_change, import_rows, import_client, import_run")
        owner.execute("UPDATE cockpit_meta SET value = '7' WHERE key = 'schema_version'")
    open_database(resolve_location(database_url=urls["owner"])).close()  # the owner upgrades
    card = tmp_path / "nia.vcf"
    card.write_text(_card("FN:Nia New"))
    assert main(["--database-url", urls["alice"], "import", str(card)]) == 0
    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        assert bob.execute("SELECT COUNT(*) FROM import_run").fetchone() == (0,)
    with psycopg.connect(urls["alice"], autocommit=True) as alice:
        assert alice.execute("SELECT COUNT(*) FROM import_client").fetchone() == (1,)
    assert main(["--database-url", urls["alice"], "import", "--undo"]) == 0
    assert "Undid import #1: removed 1 client" in capsys.readouterr().out
