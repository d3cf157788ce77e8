"""A team book on PostgreSQL: each rep connects as their own role; the server's row-level
security lets everyone read the team's clients, only the owner (or a manager) change them,
and only the owner (or a manager) read their sensitive profile answers, psql included."""

from __future__ import annotations

import pytest

from cockpit.cli import main
from cockpit.storage import book
from cockpit.storage.database import open_database, resolve_location
from tests.support.postgres_server import BEFORE_ACCOUNTS


def _alice_adds_a_client(url: str) -> int:
    db = open_database(resolve_location(database_url=url))
    try:
        ann = book.add_client("Ann Private", "Acme")
        book.set_profile(ann.id, {"nickname": "Annie", "weight": "62 kg"})
        return ann.id
    finally:
        db.close()


def test_reps_read_the_team_but_change_only_their_own(team):
    import psycopg

    urls, roles = team
    ann = _alice_adds_a_client(urls["alice"])
    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        assert bob.execute("SELECT name, owner FROM client").fetchall() == [
            ("Ann Private", roles["alice"])
        ]
        answers = bob.execute("SELECT field_key, text FROM profile_value").fetchall()
        assert answers == [("nickname", "Annie")]  # the weight is sensitive: not for bob
        changed = bob.execute("UPDATE client SET name = 'Hijacked' WHERE id = %s", (ann,))
        assert changed.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute(
                "INSERT INTO profile_value (client_id, field_key, row_no, column_key, text, "
                "updated_at, sensitive) VALUES (%s, 'hobbies', 0, 'name', 'x', now(), false)",
                (ann,),
            )
    with psycopg.connect(urls["carol"], autocommit=True) as carol:  # a manager
        answers = carol.execute("SELECT field_key FROM profile_value ORDER BY 1").fetchall()
        assert answers == [("nickname",), ("weight",)]
    with psycopg.connect(urls["alice"], autocommit=True) as alice:
        assert alice.execute("SELECT text FROM profile_value WHERE sensitive").fetchall() == [
            ("62 kg",)
        ]


def test_a_rep_logging_on_anothers_client_is_refused_with_a_message(team, capsys):
    urls, _ = team
    _alice_adds_a_client(urls["alice"])
    assert main(["--database-url", urls["bob"], "clients"]) == 0  # bob's own: none
    assert "You have no clients yet (--team lists the team's)." in capsys.readouterr().out
    assert main(["--database-url", urls["bob"], "clients", "--team"]) == 0
    assert "Ann Private" in capsys.readouterr().out
    assert main(["--database-url", urls["bob"], "log", "Ann", "call", "not mine"]) == 1
    err = capsys.readouterr().err
    assert "that client is another rep's" in err and "Traceback" not in err
    assert main(["--database-url", urls["alice"], "log", "Ann", "call", "mine"]) == 0


async def test_the_cockpit_on_a_server_shows_the_reps_clients_and_t_the_teams(team):
    from cockpit.ui.app import CockpitApp
    from tests.support.pilot import loaded, names

    urls, _ = team
    _alice_adds_a_client(urls["alice"])
    app = CockpitApp(resolve_location(database_url=urls["bob"]))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert names(app) == []  # bob owns nobody yet
        await pilot.press("t")
        await loaded(pilot)
        assert names(app) == ["Ann Private"]


def test_a_schema_3_book_on_postgres_is_upgraded_with_its_security(postgres_url, today):
    """Schema 4's step on PostgreSQL: owners, sensitivity and the rules, data kept."""
    import psycopg

    from cockpit.storage import migrations

    db = open_database(resolve_location(database_url=postgres_url))
    ann = book.add_client("Ann Older", "Acme")
    book.set_profile(ann.id, {"weight": "62 kg", "nickname": "Annie"})
    db.close()
    with psycopg.connect(postgres_url, autocommit=True) as admin:  # back to schema 3
        for statement in BEFORE_ACCOUNTS:  # nor schema 10's accounts
            admin.execute(statement)
        # Schema 8's import ledger (its rules name the client's owner) did not exist then.
        admin.execute("DROP TABLE import_change, import_rows, import_client, import_run")
        for table in (
            "client",
            "profile_value",
            "review",
            "review_action",
            "cockpit_meta",
            *team_tables(),
        ):
            admin.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
            for (policy,) in admin.execute(
                "SELECT policyname FROM pg_policies WHERE tablename = %s", (table,)
            ).fetchall():
                admin.execute(f'DROP POLICY {policy} ON "{table}"')
        admin.execute('ALTER TABLE "review" DROP COLUMN "owner"')
        admin.execute('ALTER TABLE "client" DROP COLUMN "owner"')
        admin.execute('ALTER TABLE "profile_value" DROP COLUMN "sensitive"')
        admin.execute('ALTER TABLE "client" DROP COLUMN "previous_touch_on"')  # version 6's
        admin.execute('ALTER TABLE "client" DROP COLUMN "first_touch_since_won"')
        admin.execute('ALTER TABLE "planned_communication" DROP COLUMN "kind"')
        admin.execute("UPDATE cockpit_meta SET value = '3' WHERE key = 'schema_version'")
    db = open_database(resolve_location(database_url=postgres_url))
    try:
        assert migrations.stored_version(db) == migrations.SCHEMA_VERSION
        rows = db.execute_sql(
            'SELECT field_key, "sensitive" FROM profile_value ORDER BY field_key'
        ).fetchall()
        assert rows == [("nickname", False), ("weight", True)]
        assert db.execute_sql('SELECT name, owner FROM "client"').fetchall() == [("Ann Older", "")]
        policies = db.execute_sql("SELECT COUNT(*) FROM pg_policies").fetchone()[0]
        assert policies > 20
    finally:
        db.close()


def team_tables() -> tuple[str, ...]:
    from cockpit.storage.team import CHILD_TABLES

    later = ("account_move", "client_tag", "import_source", "heard_from")  # 10's to 15's
    return tuple(table for table in CHILD_TABLES if table not in later)
