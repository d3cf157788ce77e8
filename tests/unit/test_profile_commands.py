"""`cockpit profile` and `cockpit forget --profile`; dates as people write them."""

from __future__ import annotations

import json

import pytest

from cockpit.cli import main
from cockpit.errors import ValidationError
from cockpit.partial_date import PartialDate
from cockpit.storage import book
from cockpit.storage.models import ProfileValue

SECRET = "TOPSECRET-DIVORCE-7731"


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("15 April", PartialDate(None, 4, 15)),
        ("April 15", PartialDate(None, 4, 15)),
        ("15 Apr 1975", PartialDate(1975, 4, 15)),
        ("April 15, 1975", PartialDate(1975, 4, 15)),
        ("1st May", PartialDate(None, 5, 1)),
        ("sept 3", PartialDate(None, 9, 3)),
        ("29 February", PartialDate(None, 2, 29)),
    ],
)
def test_dates_as_people_write_them(typed, parsed):
    assert PartialDate.parse(typed) == parsed


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("29 February 2023", "not a date on the calendar"),
        ("31 June", "not a date on the calendar"),
        ("15 Avril", "'Avril' is not a month"),
        ("next spring", "not a date; use YYYY-MM-DD, --MM-DD, 15 April"),
    ],
)
def test_impossible_dates_are_named(typed, message):
    with pytest.raises(ValidationError, match=message):
        PartialDate.parse(typed)


@pytest.fixture
def profiled(db):
    ann = book.add_client("Ann Smith", "Acme")
    bob = book.add_client("Bob Jones", "Zeta")
    book.set_profile(
        ann,
        {
            "birth_date": "15 April",
            "hobbies": [{"value": "sailing"}, {"value": "[bold]chess[/bold]"}],
            "children": [{"name": "Mia", "birthday": "2015-11-02"}],
            "confidential_subjects": SECRET,
            "health": "Knee surgery",
        },
    )
    book.set_profile(bob, {"hobbies": [{"value": "golf"}]})
    return ann.id, bob.id


def test_profile_prints_answers_with_sensitive_ones_masked(profiled, book_path, capsys):
    assert main(["profile", "ann", "--db", str(book_path)]) == 0
    out = capsys.readouterr().out
    # Items 1 and 2 (name, company) are the client's record.
    assert out.startswith("Ann Smith — Acme\nMackay 66: 7 of 66 items answered")
    assert "Birthday: --04-15" in out
    assert "Hobbies: sailing; [bold]chess[/bold]" in out
    assert "Children: Mia · 2015-11-02" in out
    assert SECRET not in out and "Knee surgery" not in out
    assert "Do not raise: •••••• (sensitive)" in out
    assert "2 sensitive answers are masked" in out
    assert main(["profile", "ann", "--show-sensitive", "--db", str(book_path)]) == 0
    out = capsys.readouterr().out
    assert SECRET in out and "Knee surgery" in out


def test_one_masked_answer_is_said_in_the_singular(profiled, book_path, capsys):
    _, bob = profiled
    book.set_profile(bob, {"health": "Back pain"})
    assert main(["profile", "bob", "--db", str(book_path)]) == 0
    assert "1 sensitive answer is masked; --show-sensitive shows them." in capsys.readouterr().out


def test_profile_json_has_all_66_items(profiled, book_path, capsys):
    assert main(["profile", "Ann Smith", "--json", "--db", str(book_path)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["client"], document["company"]) == ("Ann Smith", "Acme")
    assert [item["number"] for item in document["items"]] == list(range(1, 67))
    item = document["items"][38]
    assert (item["number"], item["section"]) == (39, "Special interests")
    (field,) = item["fields"]
    assert field == {
        "key": "confidential_subjects",
        "type": "multiline",
        "sensitive": True,
        "value": None,
        "masked": True,
    }
    children = document["items"][17]["fields"][0]
    assert children["value"] == [{"name": "Mia", "birthday": "2015-11-02"}]
    assert children["masked"] is False
    name = document["items"][0]["fields"][0]  # the client's record
    assert (name["value"], name["masked"]) == ("Ann Smith", False)
    unanswered = document["items"][0]["fields"][1]
    assert (unanswered["value"], unanswered["masked"]) == (None, False)
    assert document["completeness"]["answered"] == 7
    assert SECRET not in json.dumps(document)
    assert main(["profile", "ann", "--json", "--show-sensitive", "--db", str(book_path)]) == 0
    shown = json.loads(capsys.readouterr().out)["items"][38]["fields"][0]
    assert (shown["value"], shown["masked"]) == (SECRET, False)


def test_profile_of_an_unknown_client_exits_2(profiled, book_path, capsys):
    assert main(["profile", "nobody", "--db", str(book_path)]) == 2
    assert "no client matches 'nobody'" in capsys.readouterr().err


def test_forget_erases_the_answers_and_their_trace_in_the_file(profiled, db, book_path, capsys):
    ann, bob = profiled
    # The book stays open here (as the TUI may be), so its write-ahead log still holds
    # the page the secret was written on: forgetting must clear that too.
    assert SECRET.encode() in b"".join(p.read_bytes() for p in book_path.parent.glob("book.db*"))
    assert main(["forget", "ann", "--profile", "--db", str(book_path)]) == 0
    assert "Erased 7 profile answers of #1 Ann Smith (Acme) for good." in capsys.readouterr().out
    assert ProfileValue.select().where(ProfileValue.client == ann).count() == 0
    assert ProfileValue.select().where(ProfileValue.client == bob).count() == 1
    for path in book_path.parent.glob("book.db*"):
        assert SECRET.encode() not in path.read_bytes(), path


def test_forget_needs_to_be_told_what(profiled, book_path, capsys):
    assert main(["forget", "ann", "--db", str(book_path)]) == 2
    assert "--profile" in capsys.readouterr().err
    assert ProfileValue.select().count() == 8


def test_forget_fails_loudly_while_another_reader_holds_the_log(profiled, db, book_path, capsys):
    import sqlite3

    reader = sqlite3.connect(book_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM profile_value").fetchone()
    try:
        assert main(["forget", "ann", "--profile", "--db", str(book_path)]) == 1
        err = capsys.readouterr().err
        assert "close other Cockpit windows and run the command again" in err
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    assert main(["forget", "ann", "--profile", "--db", str(book_path)]) == 0
    for path in book_path.parent.glob("book.db*"):
        assert SECRET.encode() not in path.read_bytes(), path
