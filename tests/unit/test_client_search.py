"""Finding clients by typed words in SQL (`client.search_key`) keeps exactly the clients
that matching in Python keeps: accents, case, spacing, and LIKE's own characters."""

from __future__ import annotations

import shutil

import pytest

from cockpit.fields import ClientFields
from cockpit.resolve import resolve_client
from cockpit.search import Candidate, FilterIndex, filtered, matching
from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.models import Client
from tests.support.paths import FIXTURES

NAMES = [
    ("José Álvarez", "Café Olé"),
    ("Jose Alvarez", ""),
    ("ANN   Smith", "Acme 100%"),
    ("Zoë Ångström", "Straße AG"),
    ("Kim_Lee", "Under_score Inc"),
    ("Back\\slash", "Path\\Works"),
    ("Ирина Петрова", "Ромашка"),
    ("Nobody", "Plain Co"),
]
QUERIES = [
    "jose",
    "JOSÉ alv",
    "cafe ole",
    "ann smith",
    "100%",
    "%",
    "_",
    "kim_",
    "\\",
    "strasse",
    "zoe ang",
    "ирина",
    "co",
    "nothing here",
]


@pytest.fixture
def names_book(db):
    for name, company in NAMES:
        book.add_client(name, company)
    return db


@pytest.mark.parametrize("query", QUERIES)
def test_sql_keeps_what_matching_keeps(names_book, query):
    everyone = book.client_candidates()
    narrowed = book.client_candidates(holding=query)
    assert matching(query, narrowed) == matching(query, everyone)
    assert {c.id for c in narrowed} == {c.id for c in matching(query, everyone)}


def test_a_renamed_client_is_found_by_its_new_name(names_book):
    nobody = Client.get(Client.name == "Nobody")
    book.update_client(nobody.id, ClientFields(name="Émile Zola", company="Plain Co"))
    assert [c.name for c in book.client_candidates(holding="emile")] == ["Émile Zola"]
    nobody = Client.get_by_id(nobody.id)
    nobody.company = "Rougon Macquart"
    nobody.save()
    assert [c.name for c in book.client_candidates(holding="rougon")] == ["Émile Zola"]


def test_a_name_on_the_command_line_still_gets_typo_suggestions(names_book):
    with pytest.raises(Exception) as raised:
        resolve_client("Nobodi")
    assert "closest" in str(raised.value) and "Nobody" in str(raised.value)


def test_an_older_book_gets_its_search_keys_when_upgraded(tmp_path):
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_v2.db", copy)
    db = open_database(DatabaseLocation(copy, "--db"))
    try:
        assert [c.name for c in book.client_candidates(holding="fixture ann")] == ["Ann Fixture"]
        assert [c.name for c in book.client_candidates(holding="ACME")] == ["Ann Fixture"]
    finally:
        db.close()


def test_the_list_filter_keeps_what_filtered_keeps_as_letters_come_and_go():
    """The folded index narrows from earlier queries and remembers them: typed a letter
    at a time, erased, retyped with other words, it keeps exactly what `filtered` keeps,
    in the list's order."""
    candidates = [Candidate(n, name, company) for n, (name, company) in enumerate(NAMES * 3)]
    index = FilterIndex(candidates)
    typed = [
        q[:n]
        for q in ("JOSÉ alv", "cafe ole", "ann smith", "zoe ang", "co")
        for n in range(1, len(q) + 1)
    ]
    for query in typed + typed[::-1] + QUERIES + ["", "  ", "o c", "c o", "alv jose"]:
        found = [candidates[n] for n in index.positions(query)]
        assert found == filtered(query, candidates), query
