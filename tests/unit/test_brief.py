"""The pre-call brief (issue 22, point 2): `cockpit brief` in text, Markdown and JSON, each
section from a hand-made client, and no sensitive answer in any of them unless
--show-sensitive, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from cockpit.cli import main
from cockpit.errors import ValidationError
from cockpit.profile.schema import FIELDS, FieldType
from cockpit.storage import book
from cockpit.storage.models import Interaction
from tests.support.brief_book import build_brief_book
from tests.support.histories import History, ago, make
from tests.support.sensitive import every_sensitive_answer

MASK = "••••••"


@pytest.fixture
def db(db_on_both, today):
    return db_on_both


@pytest.fixture
def ann(db):
    return build_brief_book()


def _brief(capsys, db, *options: str) -> str:
    assert main(["brief", "Ann Park", *options, *db.book_args]) == 0
    return capsys.readouterr().out


def test_the_brief_holds_every_section_in_order(ann, db, capsys):
    out = _brief(capsys, db)
    assert out.startswith("Brief: Ann Park · Brightline (decision maker, signs off IT)\n")
    assert "Health: drifting: " in out and "no touch for 70 days now" in out
    assert "Stake: core, 99% of your revenue; $138,000 won in the last 12 months;" in out
    assert "Brightline renews $48,000 on Sat 2 Jan, at risk." in out
    assert "Overdue Sat 21 Nov (2 days ago): Asked about [bold]pricing[/]" in out  # as typed
    last = out.split("Last touches:\n")[1].split("\n\n")[0].splitlines()
    assert last == [
        "  Mon 14 Sep (2 months ago): Call, a relationship touch: Asked about [bold]pricing[/]",
        "  Wed 9 Sep (2 months ago): Call, a relationship touch",
        "  Fri 4 Sep (3 months ago): Call, a relationship touch",
    ]
    assert "Mia's birthday on Sat 28 Nov (in 5 days), turning 8" in out
    assert "sailing\n" in out and "Boston Celtics (follows)" in out
    assert "Business, now: Cut costs by 10%" in out and "Their main problems: Their ERP" in out
    assert "Children: Mia (7), Leo" in out
    assert "Brightline: drifting, core\n" in out
    assert "Bo Lee (champion): recovering" in out  # the other people at the account
    gives = out.split("Gives to offer:\n")[1].split("\n\n")[0]
    assert "A card or a small gift for Mia's birthday on Sat 28 Nov" in gives
    assert "Something on sailing" in gives and "Lunch at Chez Lou" in gives
    assert "An introduction to someone who can help with: Their ERP rollout is late" in gives
    raise_not = out.split("Do not raise:\n")[1]
    assert raise_not.startswith(f"  Do not raise: {MASK}\n  Health: {MASK}\n")  # item 39 first
    titles = [line for line in out.splitlines() if line.endswith(":") and not line[0].isspace()]
    assert titles == [
        "Follow-ups and promises:",
        "Last touches:",
        "Next occasion:",
        "What they care about:",
        "Goals:",
        "Family:",
        "Account:",
        "Gives to offer:",
        "Do not raise:",
    ]


def test_the_brief_as_json_has_the_promised_keys(ann, db, capsys):
    document = json.loads(_brief(capsys, db, "--json"))
    assert list(document) == [
        "client",
        "company",
        "roles",
        "health",
        "why",
        "stake",
        "follow_ups",
        "last_touches",
        "next_occasion",
        "interests",
        "goals",
        "family",
        "account",
        "suggested_gives",
        "do_not_raise",
    ]
    assert document["health"] == "drifting" and isinstance(document["suggested_gives"], list)
    assert document["next_occasion"].startswith("Mia's birthday")


def test_the_brief_in_markdown_shows_user_text_as_text(ann, db, capsys):
    out = _brief(capsys, db, "--markdown")
    assert out.startswith("# Brief: Ann Park · Brightline \\(decision maker, signs off IT\\)")
    assert "## Do not raise" in out and "Asked about \\[bold\\]pricing\\[/\\]" in out


def test_a_client_with_nothing_known_gets_a_brief_that_says_so(db, capsys):
    make("Cy New", History(lifecycle="prospect"))
    assert main(["brief", "Cy New", *db.book_args]) == 0
    out = capsys.readouterr().out
    assert "None open." in out and "No touch yet." in out and "None within 30 days." in out
    assert "No account: no company is known." in out
    assert "Nothing known to give yet" in out and "Nothing sensitive is known." in out


def test_an_unknown_client_is_named(db, capsys):
    assert main(["brief", "Nobody Here", *db.book_args]) != 0
    assert "Nobody Here" in capsys.readouterr().err


def test_no_sensitive_answer_leaks_without_show_sensitive(ann, db, capsys):
    answers = every_sensitive_answer()
    book.set_profile(ann, answers)
    markers = [value for value in answers.values() if str(value).startswith("SECRET-")]
    labels = {FIELDS[key].label for key in answers}
    for shape in ((), ("--markdown",), ("--json",)):
        out = _brief(capsys, db, *shape)
        assert not [marker for marker in markers if marker in out], shape
    document = json.loads(_brief(capsys, db, "--json"))
    masked = document["do_not_raise"]
    assert {line.rsplit(": ", 1)[0] for line in masked} == labels  # every one named
    assert all(line.endswith(f": {MASK}") for line in masked)
    for key in answers:  # a choice or yes/no: only ever in "do not raise", and masked there
        if FIELDS[key].type in (FieldType.CHOICE, FieldType.YESNO):
            others = {k: v for k, v in document.items() if k != "do_not_raise"}
            assert str(answers[key]) not in json.dumps(others) or answers[key] == "yes", key
    shown = json.loads(_brief(capsys, db, "--json", "--show-sensitive"))
    assert all(marker in json.dumps(shown["do_not_raise"]) for marker in markers)


def test_a_call_logged_from_the_brief_closes_the_follow_ups_ticked_and_undo_opens_them(ann):
    follow_up = book.add_interaction(ann, "email", summary="Send the deck", follow_up_on=ago(1))
    logged = book.log_touch(ann.id, "call", close_follow_ups=[follow_up.id])
    assert logged.closed_follow_ups == (follow_up.id,)
    assert Interaction.get_by_id(follow_up.id).follow_up_done
    book.undo_log(logged)
    assert not Interaction.get_by_id(follow_up.id).follow_up_done
    cy = make("Cy", History())
    with pytest.raises(ValidationError):  # another client's follow-up: nothing is logged
        book.log_touch(cy.id, "call", close_follow_ups=[follow_up.id])
    assert Interaction.select().where(Interaction.client == cy.id).count() == 0
