"""Naming clients on the command line, `cockpit clients` and `cockpit deal`."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from cockpit.cli import main
from cockpit.resolve import ClientNotResolved, resolve_client
from cockpit.search import Candidate, fold, matching
from cockpit.storage import book
from cockpit.storage.models import Client, Deal


@pytest.fixture
def db(db_on_both):
    """These tests hold on SQLite and on PostgreSQL alike."""
    return db_on_both


@pytest.fixture
def people(db):
    ids = {
        "ann": book.add_client("Ann Smith", "Acme").id,
        "bob": book.add_client("Bob Jones", "Acme").id,
        "zoe": book.add_client("Zoë Ünal", "Café Ltd").id,
        "john1": book.add_client("John Smith", "Globex").id,
        "john2": book.add_client("john smith", "Initech").id,
        "annabel": book.add_client("Annabel Lee", "Poe & Co").id,
    }
    archived = book.add_client("Old Timer", "Gone")
    archived.archived = True
    archived.save()
    ids["old"] = archived.id
    return ids


def test_folding_ignores_case_accents_and_spacing():
    assert fold("  Zoë   ÜNAL ") == "zoe unal"
    assert fold("Café") == fold("cafe")


def test_matching_needs_every_word_and_ranks_name_starts_first():
    candidates = [
        Candidate(1, "Maria Ann", "Beta"),
        Candidate(2, "Ann Smith", "Acme"),
        Candidate(3, "Bob", "Annex Corp"),
        Candidate(4, "Carl Joanne", "Acme"),
    ]
    assert [c.id for c in matching("ann", candidates)] == [2, 1, 3, 4]
    assert [c.id for c in matching("ann acme", candidates)] == [2, 4]
    assert [c.id for c in matching("", candidates)] == [2, 3, 4, 1]  # everyone, by name


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("#{ann}", "ann"),
        ("#{old}", "old"),  # an id finds archived clients too
        ("ANN SMITH", "ann"),  # an exact name, any case
        ("annabel", "annabel"),  # a unique match on part of a name
        ("zoe", "zoe"),  # accents do not matter
        ("cafe", "zoe"),  # nor do they in the company
        ("bob acme", "bob"),
        ("ann s", "ann"),
    ],
)
def test_a_client_is_named_by_id_exact_name_or_unique_match(people, typed, who):
    assert resolve_client(typed.format(**people)).id == people[who]


@pytest.mark.parametrize(
    ("typed", "message", "listed"),
    [
        ("John Smith", "2 clients are named 'John Smith'", ["john1", "john2"]),
        ("acme", "'acme' matches 2 clients", ["ann", "bob"]),
        ("ann", "'ann' matches 2 clients", ["ann", "annabel"]),
        ("Jon Smiht", "no client matches 'Jon Smiht'; the closest are:", ["john1", "john2"]),
        ("#999", "there is no client #999", []),
        ("Old Timer", "no client matches 'Old Timer'", []),  # archived: only by id
    ],
)
def test_none_or_several_list_the_candidates(people, typed, message, listed):
    with pytest.raises(ClientNotResolved) as caught:
        resolve_client(typed)
    assert caught.value.message.startswith(message)
    assert caught.value.exit_code == 2
    assert {c.id for c in caught.value.candidates} >= {people[key] for key in listed}
    for key in listed:
        assert f"#{people[key]} " in caught.value.message


def test_deal_records_a_won_deal(people, db, today, capsys):
    argv = ["deal", "annabel", "12,000.50", "Annual", "contract", "--on", "2026-11-01"]
    assert main([*argv, *db.book_args]) == 0
    out = capsys.readouterr().out.strip()
    assert out == (
        f"Recorded a won deal for #{people['annabel']} Annabel Lee (Poe & Co): "
        "12,000.50 USD on 2026-11-01."
    )
    deal = Deal.get()
    assert (deal.client_id, deal.amount_cents, deal.description, deal.won_on) == (
        people["annabel"],
        1_200_050,
        "Annual contract",
        date(2026, 11, 1),
    )


def test_deal_takes_its_note_after_the_options_too(people, db, today, capsys):
    argv = ["deal", "annabel", "500", "--on", "2026-11-20", "Extra", "seats"]
    assert main([*argv, *db.book_args]) == 0
    assert Deal.get().description == "Extra seats"


def test_the_strategic_mark_is_shown_where_its_legend_is(people, db, today, capsys):
    Client.update(strategic=True).where(Client.id == people["ann"]).execute()
    assert main(["clients", "smith", *db.book_args]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("Ann Smith") and "prospect  *" in out[1]
    assert "*" not in out[2]  # John Smith is not pinned
    assert out[-1] == "* pinned as strategic."
    assert main(["drift", "--all", *db.book_args]) == 0
    drift = capsys.readouterr().out.splitlines()
    (ann,) = [line for line in drift if "Ann Smith" in line]
    assert "*" in ann.split("Acme", 1)[1]
    assert drift[-1] == "Marks: ! needs attention, * pinned as strategic."
    Client.update(strategic=False).where(Client.id == people["ann"]).execute()
    assert main(["clients", "smith", *db.book_args]) == 0
    assert "pinned as strategic" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["deal", "acme", "100"], "'acme' matches 2 clients"),
        (["deal", "Nobody", "100"], "no client matches 'Nobody'"),
        (["deal", "annabel", "-5"], "more than zero"),
        (["deal", "annabel", "12,50"], "decimals with a point"),
        (["deal", "annabel", "100", "--on", "2026-02-30"], "--on '2026-02-30' is not a date"),
        (["deal", "annabel", "100", "--on", "2027-01-01"], "in the future"),
        (["deal", "annabel", "100", "--currency", "euro"], "not a currency code"),
    ],
)
def test_deal_refuses_and_writes_nothing(people, db, today, capsys, argv, message):
    assert main([*argv, *db.book_args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cockpit: ") and message in err
    assert "Traceback" not in err
    assert Deal.select().count() == 0


def test_clients_lists_what_the_filter_shows(people, db, today, capsys):
    book.add_interaction(people["ann"], "call", when=datetime(2026, 11, 16, 10))
    assert main(["clients", "acme", *db.book_args]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["CLIENT", "COMPANY", "HEALTH", "TIER", "LAST", "TOUCH"]
    assert [line.split("  ")[0] for line in lines[1:]] == ["Ann Smith", "Bob Jones"]
    assert "7 days ago" in lines[1] and "never" in lines[2]


def test_clients_json(people, db, today, capsys):
    book.add_interaction(people["zoe"], "call", when=datetime(2026, 11, 16, 10))
    assert main(["clients", "--json", *db.book_args]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["client"] for row in rows] == [
        "Ann Smith",
        "Annabel Lee",
        "Bob Jones",
        "John Smith",
        "john smith",
        "Zoë Ünal",
    ]
    zoe = rows[-1]
    assert set(zoe) == {
        "id",
        "client",
        "company",
        "lifecycle",
        "health",
        "tier",
        "strategic",
        "last_touch",
        "tags",
    }
    assert zoe["strategic"] is False
    assert zoe["tags"] == []
    assert (zoe["company"], zoe["last_touch"], zoe["health"]) == (
        "Café Ltd",
        "2026-11-16",
        "prospect",
    )


def test_clients_shows_names_literally(db, today, capsys):
    client = book.add_client("[red]Evil[/red]", "Co")
    client.name += "\x1b[2J"
    client.save()
    assert main(["clients", "evil", *db.book_args]) == 0
    out = capsys.readouterr().out
    assert "[red]Evil[/red]␛[2J" in out and "\x1b" not in out
