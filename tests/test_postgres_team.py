"""A team book on PostgreSQL: each rep connects as their own role; the server's row-level
security lets everyone read the team's clients, only the owner (or a manager) change them,
and only the owner (or a manager) read their sensitive profile answers, psql included."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest

from cockpit.cli import main
from cockpit.storage import book
from cockpit.storage.database import open_database, resolve_location


def _as(url: str, role: str) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port}").geturl()


@pytest.fixture
def team(postgres_url, today):
    import psycopg

    open_database(resolve_location(database_url=postgres_url)).close()  # tables, roles, rules
    suffix = uuid.uuid4().hex[:8]
    roles = {
        "alice": f"alice_{suffix}",
        "bob": f"bob_{suffix}",
        "carol": f"carol_{suffix}",
    }
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {roles['alice']} LOGIN IN ROLE cockpit_rep")
        admin.execute(f"CREATE ROLE {roles['bob']} LOGIN IN ROLE cockpit_rep")
        admin.execute(f"CREATE ROLE {roles['carol']} LOGIN IN ROLE cockpit_manager")
    yield {name: _as(postgres_url, role) for name, role in roles.items()}, roles
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        for role in roles.values():
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")


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
