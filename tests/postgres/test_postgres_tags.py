"""Tags on a team book (issue 23, point 3): everyone reads every client's tags; the client's
rep or a manager changes them, which the server enforces for any program (psql included),
and Cockpit says whose the client is instead of pretending."""

from __future__ import annotations

import pytest

from cockpit.cli import main
from cockpit.errors import ValidationError
from cockpit.storage import book
from tests.support.postgres_server import BEFORE_TAGS, as_role, upgraded_from


def test_a_clients_tags_are_read_by_all_and_changed_by_its_rep_or_a_manager(team, capsys):
    import psycopg

    urls, roles = team
    ann = as_role(urls["alice"], lambda: book.add_client("Ann Private", "Acme", tags=["golf"]).id)
    bo = as_role(urls["bob"], lambda: book.add_client("Bo Own", "Beta", tags=["Golf", "board"]).id)
    # Bob reads Alice's tags with his own.
    assert as_role(urls["bob"], lambda: book.clients_tagged("golf")) == [ann, bo]
    assert as_role(urls["bob"], lambda: [(t.key, t.clients) for t in book.tag_counts()]) == [
        ("board", 1),
        ("golf", 2),
    ]
    # He changes nothing of hers: refused before anything is tried, saying whose she is.
    for change in (
        lambda: book.set_tags(ann, ["mine"]),
        lambda: book.add_tags(ann, ["mine"]),
        lambda: book.remove_tags(ann, ["golf"]),
    ):
        with pytest.raises(ValidationError) as refused:
            as_role(urls["bob"], change)
        assert refused.value.message == (
            f"Ann Private is {roles['alice']}'s client: only {roles['alice']} or a manager "
            "changes their tags"
        )
    # Nor does psql: the server writes none of it.
    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        assert (
            bob.execute("UPDATE client_tag SET tag = 'x' WHERE client_id = %s", (ann,)).rowcount
            == 0
        )
        assert bob.execute("DELETE FROM client_tag WHERE client_id = %s", (ann,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute(
                "INSERT INTO client_tag (client_id, tag, tag_key) VALUES (%s, 'x', 'x')", (ann,)
            )
    # And from the shell: one line saying whose she is, status 2, nothing written.
    assert main(["--database-url", urls["bob"], "tag", "Ann Private", "mine"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"cockpit: Ann Private is {roles['alice']}'s client: only {roles['alice']} or a "
        "manager changes their tags\n"
    )
    # His own are his to change; a manager changes hers.
    as_role(urls["bob"], lambda: book.set_tags(bo, ["board"]))
    as_role(urls["carol"], lambda: book.add_tags(ann, ["Key account"]))
    assert main(["--database-url", urls["carol"], "untag", "Ann Private", "golf"]) == 0
    assert as_role(urls["owner"], lambda: book.tags_by_client()) == {
        ann: ["Key account"],
        bo: ["board"],
    }


def test_a_schema_11_book_on_postgres_takes_tags_with_their_rules(team):
    import psycopg

    from cockpit.storage import migrations

    urls, roles = team
    ann = as_role(urls["alice"], lambda: book.add_client("Ann Older", "Acme").id)
    alice = roles["alice"]
    assert upgraded_from(urls["owner"], BEFORE_TAGS, 11) == migrations.SCHEMA_VERSION
    as_role(urls["alice"], lambda: book.set_tags(ann, ["golf"]))
    with pytest.raises(ValidationError, match=f"only {alice} or a manager changes their tags"):
        as_role(urls["bob"], lambda: book.set_tags(ann, ["board"]))
    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        assert bob.execute("SELECT tag FROM client_tag").fetchall() == [("golf",)]
        assert bob.execute("DELETE FROM client_tag").rowcount == 0
