"""Tags on clients (issue 23, point 3): what a tag may be, a client's tags kept as typed and
told apart by their folded key, the clients carrying a tag and every tag with its count."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from cockpit.errors import ValidationError
from cockpit.fields import ClientFields
from cockpit.search import Candidate, FilterIndex, FilterQuery, filter_query, filtered, tag_entry
from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.models import Client
from cockpit.validation import clean_tag, clean_tags, parse_tags, tag_key
from tests.support.paths import FIXTURES


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("golf", "golf"),
        ("  Key   account ", "Key account"),
        ("#golf", "golf"),
        ('#"key  account"', "key account"),  # as the filter box writes a tag with a space
        ("[bold]VIP[/bold]", "[bold]VIP[/bold]"),
        ("x" * 40, "x" * 40),
        ("Café", "Café"),
    ],
)
def test_a_tag_is_kept_trimmed_with_single_spaces_and_without_a_leading_hash(typed, kept):
    assert clean_tag(typed) == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "the tag '' is empty"),
        ("#", "the tag '#' is empty"),
        ("golf, chess", "the tag 'golf, chess' holds a comma, which separates tags"),
        ("y" * 41, f"the tag '{'y' * 41}' is longer than 40 characters"),
        ("golf\tclub", "the tag 'golf\\tclub' cannot contain control characters"),
        ("bad \x1b[2J", "cannot contain control characters"),
        ("lone \udc80", "holds a character that is not valid text"),
    ],
)
def test_a_tag_that_cannot_be_one_is_refused_naming_it(typed, message):
    with pytest.raises(ValidationError) as refused:
        clean_tag(typed)
    assert message in refused.value.message


def test_tags_of_one_key_collapse_to_the_first_typed():
    assert clean_tags(["Golf", "golf ", "GOLF", "Board", "#board"]) == ["Golf", "Board"]
    assert parse_tags("golf, , Key account,,café, CAFE") == ["golf", "Key account", "café"]
    assert tag_key("Café  Crème") == tag_key("cafe creme") == "cafe creme"


def test_a_bad_tag_among_several_names_it_and_nothing_is_written(db):
    ann = book.add_client("Ann Smith", "Acme", tags=["golf"])
    with pytest.raises(ValidationError, match="the tag 'a, b' holds a comma"):
        book.set_tags(ann.id, ["board", "a, b"])
    with pytest.raises(ValidationError, match="is longer than 40"):
        book.update_client(ann.id, ClientFields(name="Ann Smith", tags=["z" * 41]))
    assert book.tags_of(ann.id) == ["golf"]


def test_a_clients_tags_are_set_shown_in_order_and_changed_in_place(db):
    ann = book.add_client("Ann Smith", "Acme", tags=["Golf", "board", "Key account"])
    assert book.tags_of(ann.id) == ["board", "Golf", "Key account"]
    kept = {row.tag_key: row.id for row in Client.get_by_id(ann.id).tag_rows}
    assert book.set_tags(ann.id, ["golf", "Sailing", "Key account"]) == [
        "golf",
        "Key account",
        "Sailing",
    ]
    rows = {row.tag_key: (row.id, row.tag) for row in Client.get_by_id(ann.id).tag_rows}
    assert rows["golf"] == (kept["golf"], "golf")  # the same row, the new spelling
    assert rows["key account"][0] == kept["key account"]
    assert "board" not in rows
    assert book.add_tags(ann.id, ["GOLF", "chess"]) == ["chess"]
    assert book.remove_tags(ann.id, ["SAILING", "nope"]) == ["Sailing"]
    assert book.tags_of(ann.id) == ["chess", "golf", "Key account"]


def test_a_tag_change_marks_the_client_updated_and_no_change_does_not(db):
    ann = book.add_client("Ann Smith", "Acme")
    before = Client.get_by_id(ann.id).updated_at
    book.set_tags(ann.id, [])
    assert Client.get_by_id(ann.id).updated_at == before
    book.set_tags(ann.id, ["golf"])
    assert Client.get_by_id(ann.id).updated_at > before


def test_the_clients_with_a_tag_and_every_tag_with_its_count(db):
    ann = book.add_client("Ann Smith", "Acme", tags=["Golf", "Board"])
    bob = book.add_client("Bob Jones", "Beta", tags=["golf"])
    cy = book.add_client("Cy Old", "Gamma", tags=["golf", "Café"])
    book.add_client("Dee Untagged", "Delta")
    book.set_archived(cy.id, True)
    assert book.clients_tagged("GOLF") == [ann.id, bob.id]
    assert book.clients_tagged("golf", include_archived=True) == [ann.id, bob.id, cy.id]
    assert book.clients_tagged("cafe", include_archived=True) == [cy.id]
    assert book.clients_tagged("chess") == []
    assert [(t.tag, t.key, t.clients) for t in book.tag_counts()] == [
        ("Board", "board", 1),
        ("golf", "golf", 2),
    ]
    counted = {t.key: (t.tag, t.clients) for t in book.tag_counts(include_archived=True)}
    assert counted == {"board": ("Board", 1), "cafe": ("Café", 1), "golf": ("golf", 3)}
    assert book.tag_keys_by_client() == {
        ann.id: ("board", "golf"),
        bob.id: ("golf",),
        cy.id: ("cafe", "golf"),
    }
    assert book.tags_by_client([bob.id, ann.id]) == {ann.id: ["Board", "Golf"], bob.id: ["golf"]}


def test_a_client_deleted_takes_its_tags_along(db):
    ann = book.add_client("Ann Smith", "Acme", tags=["golf"])
    bob = book.add_client("Bob Jones", "Beta", tags=["golf"])
    book.delete_client(ann.id)
    assert book.clients_tagged("golf") == [bob.id]
    assert [(t.key, t.clients) for t in book.tag_counts()] == [("golf", 1)]
    assert db.execute_sql("SELECT COUNT(*) FROM client_tag").fetchone() == (1,)


def test_tags_of_an_unknown_client_are_refused(db):
    with pytest.raises(ValidationError, match="there is no client #99"):
        book.set_tags(99, ["golf"])


def test_the_same_tag_twice_on_a_client_is_refused_by_the_book_itself(db):
    ann = book.add_client("Ann Smith", "Acme", tags=["golf"])
    with pytest.raises(Exception, match="UNIQUE"):
        db.execute_sql(
            "INSERT INTO client_tag (client_id, tag, tag_key) VALUES (?, 'GOLF', 'golf')",
            (ann.id,),
        )


@pytest.mark.parametrize("version", [10, 11])
def test_a_book_from_before_tags_upgrades_with_none_and_takes_them(tmp_path, version):
    copy = tmp_path / f"schema_v{version}.db"
    shutil.copy(FIXTURES / f"schema_v{version}.db", copy)
    db = open_database(DatabaseLocation(copy, "--db"))
    try:
        ann = Client.get(Client.name == "Ann Fixture")
        assert book.tags_of(ann.id) == []
        book.set_tags(ann.id, ["golf"])
        assert book.clients_tagged("Golf") == [ann.id]
    finally:
        db.close()


def test_the_schema_12_fixture_keeps_its_tags(tmp_path):
    copy = tmp_path / "schema_v12.db"
    shutil.copy(FIXTURES / "schema_v12.db", copy)
    with sqlite3.connect(copy) as connection:
        rows = connection.execute("SELECT tag, tag_key FROM client_tag ORDER BY id").fetchall()
    assert rows == [("Golf", "golf"), ("Key account", "key account"), ("Café", "cafe")]
    db = open_database(DatabaseLocation(copy, "--db"))
    try:
        ann = Client.get(Client.name == "Ann Fixture")
        assert book.tags_of(ann.id) == ["Café", "Golf", "Key account"]
    finally:
        db.close()


def test_the_filter_text_gives_its_tag_terms_and_the_rest():
    assert filter_query("#golf acme") == FilterQuery(("golf",), "acme")
    assert filter_query('acme #"Key  Acc" #Café ?') == FilterQuery(("key acc", "cafe"), "acme ?")
    assert filter_query('#"key acc') == FilterQuery(("key acc",), "")  # the quote still open
    assert filter_query("#") == FilterQuery(("",), "")
    assert filter_query("Studio#9 ann") == FilterQuery((), "Studio#9 ann")  # no tag mid-word


def _brute_force(query: str, candidates, tags) -> list[str]:
    asked = filter_query(query)
    names = {c.name for c in filtered(asked.rest, candidates)}
    return [
        c.name
        for c, held in zip(candidates, tags, strict=True)
        if c.name in names
        and all(any(key.startswith(prefix) for key in held) for prefix in asked.tags)
    ]


def test_the_list_filter_keeps_the_clients_with_the_tags_as_letters_come_and_go():
    """`#word` terms typed a letter at a time, erased and mixed with names, keep exactly
    the clients with a tag beginning with each, whatever the earlier queries remembered."""
    people = [
        ("Ann Smith", "Acme", ("golf", "key account")),
        ("Bob Jones", "Beta", ("golfing", "board")),
        ("Cara Golf", "Acme", ("board",)),
        ("Dan Brown", "Acme", ()),
        ("Émile Zola", "Café", ("cafe", "golf")),
    ] * 3
    candidates = [Candidate(n, name, company) for n, (name, company, _) in enumerate(people)]
    tags = [held for _, _, held in people]
    index = FilterIndex(candidates, [tag_entry(held) for held in tags])
    typed = [
        q[:n]
        for q in ("#golf acme", '#"key acc', "#g #b", "acme #bo", "#café", "golf")
        for n in range(1, len(q) + 1)
    ]
    for query in typed + typed[::-1] + ["#", "# ", "#golfing", "#golf #golfi", "#zz", ""]:
        found = [candidates[n].name for n in index.positions(query)]
        assert found == _brute_force(query, candidates, tags), query
    assert [candidates[n].name for n in index.positions("#golf acme")] == ["Ann Smith"] * 3
