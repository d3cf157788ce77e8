"""Tags from the shell and out of the book (issue 23, point 3): `cockpit tag`, `untag`,
`tags`, `clients --tag`, the tags in `clients --json` and in the vCard export (CATEGORIES),
which an import into another book brings back. On SQLite and on PostgreSQL alike."""

from __future__ import annotations

import json

import pytest
import vobject

from cockpit.cli import main
from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.models import database_proxy


@pytest.fixture
def db(db_on_both):
    """These tests hold on SQLite and on PostgreSQL alike."""
    return db_on_both


@pytest.fixture
def people(db, today):
    ann = book.add_client("Ann Smith", "Acme", tags=["Golf"])
    bob = book.add_client("Bob Jones", "Beta", tags=["golf", "board"])
    cy = book.add_client("Cy Young", "Acme")
    return {"ann": ann.id, "bob": bob.id, "cy": cy.id}


def run(db, capsys, *words: str) -> tuple[int, str, str]:
    code = main([*words, *db.book_args])
    out, err = capsys.readouterr()
    return code, out, err


def test_tag_adds_tags_and_says_what_the_client_has_now(people, db, capsys):
    code, out, _ = run(db, capsys, "tag", "cy young", "golf", "key account, [bold]VIP")
    assert code == 0
    assert out == (
        "Tagged #3 Cy Young (Acme): [bold]VIP, golf, key account. "
        "Tags now: [bold]VIP, golf, key account.\n"
    )
    code, out, _ = run(db, capsys, "tag", "#3", "GOLF")
    assert (code, out) == (
        0,
        "#3 Cy Young (Acme) has those tags already. Tags now: [bold]VIP, golf, key account.\n",
    )
    assert book.tags_of(people["cy"]) == ["[bold]VIP", "golf", "key account"]


def test_untag_takes_tags_off_in_any_case(people, db, capsys):
    code, out, _ = run(db, capsys, "untag", "Bob", "GOLF", "chess")
    assert (code, out) == (0, "Took golf off #2 Bob Jones (Beta). Tags now: board.\n")
    code, out, _ = run(db, capsys, "untag", "Bob", "golf")
    assert (code, out) == (0, "#2 Bob Jones (Beta) has none of those tags. Tags now: board.\n")


def test_an_unknown_client_or_a_bad_tag_is_said_and_nothing_is_written(people, db, capsys):
    code, out, err = run(db, capsys, "tag", "Zed Nobody", "golf")
    assert (code, out) == (2, "")
    assert err == "cockpit: no client matches 'Zed Nobody'\n"
    code, _, err = run(db, capsys, "tag", "#99", "golf")
    assert (code, err) == (2, "cockpit: there is no client #99\n")
    code, _, err = run(db, capsys, "tag", "Ann", "fine", "x" * 41)
    assert code == 2
    assert err == f"cockpit: the tag '{'x' * 41}' is longer than 40 characters\n"
    code, _, err = run(db, capsys, "untag", "Ann", "#")
    assert (code, err) == (2, "cockpit: the tag '#' is empty: a tag needs a letter or a digit\n")
    assert book.tags_by_client() == {people["ann"]: ["Golf"], people["bob"]: ["board", "golf"]}


def test_clients_with_a_tag_and_every_tag_with_its_count(people, db, capsys):
    code, out, _ = run(db, capsys, "clients", "--tag", "GOLF")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["Ann", "Bob"]
    code, out, _ = run(db, capsys, "clients", "acme", "--tag", "golf")
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["Ann"]
    code, out, _ = run(db, capsys, "clients", "--tag", "golf", "--tag", "board", "--json")
    assert [(row["client"], row["tags"]) for row in json.loads(out)] == [
        ("Bob Jones", ["board", "golf"])
    ]
    code, out, _ = run(db, capsys, "clients", "acme", "--tag", "chess")
    assert out == (
        "None of your clients matches 'acme' and is tagged 'chess' (--team searches the team's).\n"
    )
    code, out, _ = run(db, capsys, "tags")
    assert out == "TAG    CLIENTS\nboard        1\ngolf         2\n"
    code, out, _ = run(db, capsys, "tags", "--json")
    assert json.loads(out) == [
        {"tag": "board", "key": "board", "clients": 1},
        {"tag": "golf", "key": "golf", "clients": 2},
    ]


def test_the_vcard_export_writes_the_tags_and_another_book_takes_them(people, db, capsys, tmp_path):
    book.set_tags(people["ann"], ["Golf", "[bold]key account[/bold]", "a;b"])
    cards = tmp_path / "clients.vcf"
    assert main(["export", "vcard", str(cards), *db.book_args]) == 0
    text = cards.read_text(encoding="utf-8")
    assert "\nCATEGORIES:[bold]key account[/bold],a\\;b,Golf\n" in text
    read = {card.fn.value: card for card in vobject.readComponents(text)}
    assert "categories" not in read["Cy Young"].contents  # no tag, no line
    database_proxy.obj.close()
    other = tmp_path / "other.db"
    assert main(["--db", str(other), "import", str(cards)]) == 0
    capsys.readouterr()
    reopened = open_database(DatabaseLocation(other, "--db"))
    try:
        assert {c.name: book.tags_of(c.id) for c in book.client_candidates()} == {
            "Ann Smith": ["[bold]key account[/bold]", "a;b", "Golf"],
            "Bob Jones": ["board", "golf"],
            "Cy Young": [],
        }
    finally:
        reopened.close()
