"""`cockpit search` on a team book (issue 20, point 18): the notes are read through the
tables the server guards, so a rep finds only what the rules let them read, their own
clients by default (the team's with --team), and a sensitive answer never."""

from __future__ import annotations

import json

from cockpit.cli import main
from cockpit.storage import book
from cockpit.storage.database import open_database, resolve_location


def _add(url: str, name: str, touch: str, hobby: str, secret: str) -> None:
    db = open_database(resolve_location(database_url=url))
    try:
        client = book.add_client(name)
        book.add_interaction(client, "call", summary=touch)
        book.set_profile(
            client.id, {"hobbies": [{"value": hobby}], "confidential_subjects": secret}
        )
    finally:
        db.close()


def _found(url: str, *args: str, capsys) -> tuple[int, list[tuple[str, str]]]:
    code = main(["--database-url", url, "search", *args, "--json"])
    return code, [(m["client"], m["snippet"]) for m in json.loads(capsys.readouterr().out)]


def test_two_reps_find_only_what_the_rules_let_them_read(team, capsys):
    urls, _ = team
    _add(urls["alice"], "Ann Private", "Talked about Sofía's SAILING trip", "chess", "sailing x")
    _add(urls["bob"], "Ben Other", "Sailing season is over", "Sailboats", "Secret sailing ranch")

    assert _found(urls["alice"], "sofia sail", capsys=capsys) == (
        0,
        [("Ann Private", "Talked about Sofía's SAILING trip")],
    )
    assert _found(urls["alice"], "sail", capsys=capsys) == (
        0,
        [("Ann Private", "Talked about Sofía's SAILING trip")],
    )
    # The team's touches and plain answers are the team's to read; Bob's secret is not.
    code, found = _found(urls["alice"], "sail", "--team", capsys=capsys)
    assert code == 0
    assert sorted(found) == [
        ("Ann Private", "Talked about Sofía's SAILING trip"),
        ("Ben Other", "Sailboats"),
        ("Ben Other", "Sailing season is over"),
    ]
    assert _found(urls["alice"], "ranch", "--team", capsys=capsys) == (1, [])
    assert _found(urls["bob"], "sofia", capsys=capsys) == (1, [])
    # Not even the owner finds a sensitive answer: it is never searched.
    assert _found(urls["bob"], "ranch", capsys=capsys) == (1, [])
    assert _found(urls["carol"], "ranch", "--team", capsys=capsys) == (1, [])
