"""Accounts on a team book (issue 21): everyone reads them; the key account manager (or a
manager) changes one; a rep links their own people to anyone's account but renames or
merges an account only where all its people are theirs, psql included."""

from __future__ import annotations

from cockpit.cli import main
from cockpit.storage import accounts, book
from cockpit.storage.database import open_database, resolve_location


def _adds(url: str, name: str, company: str) -> int:
    db = open_database(resolve_location(database_url=url))
    try:
        return book.add_client(name, company).account_id
    finally:
        db.close()


def test_a_rep_works_with_accounts_under_the_servers_rules(team, capsys):
    import psycopg

    urls, roles = team
    acme = _adds(urls["alice"], "Ann Private", "Acme")
    assert _adds(urls["bob"], "Bo Other", "ACME") == acme  # bob's person at alice's account
    beta = _adds(urls["bob"], "Bea Beta", "Beta")
    with psycopg.connect(urls["bob"], autocommit=True) as bob:
        assert bob.execute("SELECT name, owner FROM account ORDER BY id").fetchall() == [
            ("Acme", roles["alice"]),
            ("Beta", roles["bob"]),
        ]
        renamed = bob.execute("UPDATE account SET name = 'Mine' WHERE id = %s", (acme,))
        assert renamed.rowcount == 0  # the server lets bob change only his own accounts
    # Through Cockpit too: refused, naming whose it is, and nothing said to be kept.
    status = main(["--database-url", urls["bob"], "account", "Acme", "--notes", "mine now"])
    said = capsys.readouterr()
    assert status == 2 and "Notes kept" not in said.out
    assert f"the account is {roles['alice']}'s: they or a manager change it" in said.err
    status = main(["--database-url", urls["bob"], "merge-accounts", "Beta", "Acme"])
    assert status == 2
    assert "other reps' clients work there: a manager merges them" in capsys.readouterr().err
    assert main(["--database-url", urls["carol"], "merge-accounts", "Beta", "Acme"]) == 0
    db = open_database(resolve_location(database_url=urls["owner"]))
    try:
        names = {row.name: row.owner for row in accounts.account_rows()}
        assert names == {"Beta": roles["bob"]}
        ann = book.client_candidates(holding="Ann Private")[0]
        assert ann.company == "Beta"
        assert accounts.account_named("acme") == beta  # the merged spelling finds Beta
    finally:
        db.close()
    alice = roles["alice"]
    assert main(["--database-url", urls["carol"], "assign", "--account", "Beta", alice]) == 0
    said = capsys.readouterr().out
    assert f"Beta is now managed by {alice} (was {roles['bob']}'s); 2 people handed over" in said
