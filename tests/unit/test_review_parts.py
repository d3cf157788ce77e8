"""The weekly review's parts: one ordered list with stable keys, the lapsed clients in the
first review of each month (and let go in one key), and a review of the demo book that
holds at most 30 items and never advises one client two opposite ways."""

from __future__ import annotations

import itertools
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from cockpit import health
from cockpit.cli import main
from cockpit.errors import ValidationError
from cockpit.review import build_agenda
from cockpit.review import keeping as reviews
from cockpit.review.items import PARTS, Part, insert_part
from cockpit.storage import book
from cockpit.storage.models import Client, ReviewAction
from cockpit.vocabulary import Lifecycle
from tests.support.review_book import TODAY, build_review_book, by_part

# The parts, in the order `cockpit review --json` gives them (README lists the same).
KEYS = [
    "capacity",
    "unkept",
    "replies",
    "drifting-high",
    "renewals",
    "plan-actions",
    "plan-reviews",
    "drifting-other",
    "follow-ups",
    "plans",
    "occasions",
    "give-ask",
    "referrals",
    "eating",
    "lapsed",
]

# Parts that advise one client opposite ways: a client is never in both.
CONTRADICTING = {
    frozenset(pair)
    for pair in [
        # Ask for a referral, or first mend or rethink the relationship.
        ("referrals", "drifting-high"),
        ("referrals", "drifting-other"),
        ("referrals", "give-ask"),
        ("referrals", "eating"),
        ("referrals", "lapsed"),
        # Not worth saving, or reach out / give more.
        ("eating", "drifting-high"),
        ("eating", "drifting-other"),
        ("eating", "give-ask"),
        # Win back or let go, or keep up a running relationship.
        ("lapsed", "drifting-high"),
        ("lapsed", "drifting-other"),
        ("lapsed", "give-ask"),
        ("lapsed", "eating"),
        # One drifting client, one place.
        ("drifting-high", "drifting-other"),
    ]
}


@pytest.fixture
def db(db_on_both):
    """These tests hold on SQLite and on PostgreSQL alike."""
    return db_on_both


@pytest.fixture
def clients(db, today):
    return build_review_book()


def _clients_by_part(data: dict) -> dict[str, list[int]]:
    return {part["key"]: [item["id"] for item in part["items"]] for part in data["parts"]}


def contradictions(data: dict, as_of: date) -> list[str]:
    """Every piece of opposite advice in an agenda (as JSON), and every client advised
    against its verdict: each client once per part; no client in two contradicting parts;
    drifting parts only drifting clients (never a recovering or lapsed one), referrals
    only those the engine says are due (never peripheral, never mostly asked)."""
    parts = _clients_by_part(data)
    found = []
    for key, ids in parts.items():
        found += [f"#{i} twice in {key}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for first, second in itertools.combinations(parts, 2):
        if frozenset((first, second)) in CONTRADICTING:
            both = set(parts[first]) & set(parts[second])
            found += [f"#{i} in {first} and in {second}" for i in sorted(both)]
    verdict = {v.id: v for v in health.compute(as_of)}
    for key in ("drifting-high", "drifting-other"):
        found += [f"#{i} in {key} but not drifting" for i in parts[key] if not verdict[i].drifting]
    found += [
        f"#{i}: referral ask not due"
        for i in parts["referrals"]
        if not verdict[i].referral_ask_due
        or verdict[i].health is not health.Health.STEADY
        or verdict[i].mostly_asks
        or verdict[i].tier is health.Tier.PERIPHERAL
    ]
    found += [
        f"#{i} in lapsed but not lapsed"
        for i in parts["lapsed"]
        if verdict[i].health is not health.Health.LAPSED
    ]
    return found


def test_the_parts_are_one_ordered_list_with_stable_keys_documented_in_readme(clients, db, capsys):
    assert main(["review", "--json", "--as-of", "2026-11-23", *db.book_args]) == 0
    data = json.loads(capsys.readouterr().out)
    # The capacity part only when the plans need more hours than the user has (none set).
    assert [part["key"] for part in data["parts"]] == KEYS[1:]
    assert [part.key for part in PARTS] == KEYS
    assert all(part["title"] for part in data["parts"])
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The weekly review", 1)[1].split("\n### ", 1)[0]
    assert re.findall(r"^\d+\. `([a-z-]+)`", section, flags=re.MULTILINE) == KEYS


def test_a_later_part_goes_in_at_a_named_place(clients, monkeypatch):
    from cockpit.review import agenda as review_module

    later = Part("later", "A later feature's part", 5)
    with_later = insert_part(PARTS, later, after="eating")
    at = KEYS.index("eating") + 1
    assert [part.key for part in with_later] == [*KEYS[:at], "later", *KEYS[at:]]
    with pytest.raises(ValueError, match="already has a part 'plans'"):
        insert_part(PARTS, Part("plans", "Plans again", 5), after="unkept")
    with pytest.raises(ValueError, match="no part 'account-plans'"):
        insert_part(PARTS, later, after="account-plans")
    before = by_part(build_agenda(TODAY))
    monkeypatch.setattr(review_module, "PARTS", with_later)
    after = by_part(build_agenda(TODAY))
    shown = [key for key in KEYS if key != "capacity"]  # the plans fit: no capacity part
    at = shown.index("eating") + 1
    assert list(after) == [*shown[:at], "later", *shown[at:]]
    assert after == {**before, "later": []}  # empty until its feature fills it


def _lapsed(agenda) -> list[str]:
    return [name for name, _ in by_part(agenda)["lapsed"]]


def test_lapsed_clients_come_in_the_first_review_of_each_month(clients, monkeypatch):
    # No review kept yet: the agenda of a day in a month's first week lists them.
    first_week = build_agenda(date(2026, 12, 1))
    assert by_part(first_week)["lapsed"] == [
        ("Lou Lapsed", "No touch for 508 days: win back or let go.")
    ]
    assert [i.client for i in first_week.items].count("Lou Lapsed") == 1  # nowhere else
    later = next(p for p in build_agenda(TODAY).parts if p.key == "lapsed")
    assert (later.items, later.more, later.note) == (
        [],
        0,
        "listed in the first review of each month",
    )
    # With reviews kept: the first review begun in a month lists them, whatever its day.
    reviews.finish(reviews.open_review(TODAY, build_agenda).id)
    monkeypatch.setenv("COCKPIT_TODAY", "2026-12-09")
    december = reviews.open_review(date(2026, 12, 9), build_agenda)
    assert _lapsed(december.agenda) == ["Lou Lapsed"]
    assert _lapsed(build_agenda(date(2026, 12, 9))) == ["Lou Lapsed"]  # as the review began
    reviews.finish(december.id)
    assert _lapsed(build_agenda(date(2026, 12, 16))) == []  # December's came already
    assert _lapsed(build_agenda(date(2027, 1, 13))) == ["Lou Lapsed"]


def test_a_lapsed_client_is_let_go_from_the_review(clients, monkeypatch):
    monkeypatch.setenv("COCKPIT_TODAY", "2026-12-01")
    review = reviews.open_review(date(2026, 12, 1), build_agenda)
    lapsed = next(i for i in review.agenda.items if i.part == "lapsed")
    drifting = next(i for i in review.agenda.items if i.part == "drifting-high")
    with pytest.raises(ValidationError, match="only a lapsed client, or one eating your time"):
        reviews.let_go(review.id, drifting)
    assert reviews.let_go(review.id, lapsed).step.value == "done"
    assert Client.get_by_id(clients["lapsed"]).lifecycle == Lifecycle.FORMER.value
    assert ReviewAction.get(ReviewAction.item_key == lapsed.key).step == "done"
    with pytest.raises(ValidationError, match="already answered"):
        reviews.let_go(review.id, lapsed)
    assert "Lou Lapsed" not in {i.client for i in build_agenda(date(2027, 1, 4)).items}


def test_a_clients_unkept_promises_are_one_item_and_one_answer_answers_them(clients, monkeypatch):
    monkeypatch.setenv("COCKPIT_TODAY", "2026-11-16")
    first = reviews.open_review(date(2026, 11, 16), build_agenda)
    for part, day in (("drifting-high", date(2026, 11, 23)), ("occasions", date(2026, 11, 24))):
        item = next(i for i in first.agenda.items if i.part == part)
        assert item.client == "Cora Core"
        reviews.record(first.id, item, "scheduled", day)
    reviews.finish(first.id)
    monkeypatch.setenv("COCKPIT_TODAY", "2026-12-07")
    later = reviews.open_review(date(2026, 12, 7), build_agenda)
    assert by_part(later.agenda)["unkept"] == [
        ("Cora Core", "You planned touches by Mon 23 Nov and Tue 24 Nov; none was logged.")
    ]
    reviews.record(later.id, later.agenda.parts[0].items[0], "done")
    reviews.finish(later.id)
    assert by_part(build_agenda(date(2026, 12, 14)))["unkept"] == []


@pytest.mark.parametrize("day", [TODAY, date(2026, 12, 1)])
def test_the_review_book_never_advises_one_client_two_ways(clients, day):
    assert contradictions(build_agenda(day).as_json(), day) == []


# The demo book, as `cockpit demo` builds it on a day, reviewed that day: the 23rd is
# a week without the lapsed clients, the 1st one with them.
DEMO_DAYS = ["2026-11-23", "2026-12-01"]


def _demo_review(tmp_path, monkeypatch, capsys, day: str, *, lapsed_kept: bool = False):
    monkeypatch.setenv("COCKPIT_TODAY", day)
    path = tmp_path / "demo.db"
    assert main(["demo", "--no-open", "--db", str(path)]) == 0
    if lapsed_kept:  # a book where the lapsed clients were never let go
        from cockpit.storage.database import DatabaseLocation, open_database

        book = open_database(DatabaseLocation(path, "--db"))
        Client.update(lifecycle=Lifecycle.ACTIVE.value).where(
            Client.lifecycle == Lifecycle.FORMER.value
        ).execute()
        book.close()
    capsys.readouterr()
    assert main(["review", "--json", "--db", str(path)]) == 0
    return path, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("day", DEMO_DAYS)
def test_the_demo_review_lists_at_most_30_items(tmp_path, monkeypatch, capsys, day):
    path, data = _demo_review(tmp_path, monkeypatch, capsys, day)
    shown = {part["key"]: len(part["items"]) for part in data["parts"]}
    assert sum(shown.values()) <= 30
    caps = {part.key: part.cap for part in PARTS}
    assert all(shown[key] <= caps[key] for key in shown)
    # The most pressing are kept: every drifting client with much at stake, every
    # follow-up and plan due this week; every part has its most pressing ones.
    for part in data["parts"]:
        if part["key"] in ("drifting-high", "follow-ups", "plans"):
            assert part["more"] == 0, part["key"]
        assert part["count"] == 0 or part["items"], part["key"]
    assert main(["review", "--db", str(path)]) == 0
    heading = capsys.readouterr().out.splitlines()[0]
    assert re.fullmatch(r"Weekly review, .*: (\d+) items \(\d+ less pressing left out\)", heading)
    assert int(heading.split(": ")[1].split()[0]) == sum(shown.values())


@pytest.mark.parametrize("day", DEMO_DAYS)
@pytest.mark.parametrize("lapsed_kept", [False, True])
def test_the_demo_review_never_advises_one_client_two_ways(
    tmp_path, monkeypatch, capsys, day, lapsed_kept
):
    path, data = _demo_review(tmp_path, monkeypatch, capsys, day, lapsed_kept=lapsed_kept)
    from cockpit.storage.database import DatabaseLocation, open_database

    book = open_database(DatabaseLocation(path, "--db"))
    try:
        assert contradictions(data, date.fromisoformat(day)) == []
    finally:
        book.close()
    lapsed = next(part for part in data["parts"] if part["key"] == "lapsed")
    assert bool(lapsed["items"]) == (lapsed_kept and day.endswith("-01"))


def test_a_plan_kept_since_the_review_began_is_not_kept_twice(clients):
    from cockpit.storage.models import Interaction
    from cockpit.ui.screens.plans_screen import done_in_review

    review = reviews.open_review(TODAY, build_agenda)
    item = next(i for i in review.agenda.items if i.part == "plans")
    touches = Interaction.select().where(Interaction.client == item.client_id)
    before = touches.count()
    book.keep_plan(item.plan_id, TODAY)  # x in the cockpit while the review was open
    _choice, logged = done_in_review(review.id, item, TODAY)
    assert logged == [] and touches.count() == before + 1


def test_a_client_let_go_leaves_every_part_of_the_review(clients):
    steady = Client.get_by_id(clients["steady"])
    named = [i.client for i in build_agenda(TODAY).items if i.client_id == steady.id]
    assert named  # a follow-up, a plan, an occasion...
    steady.lifecycle = "former"
    steady.save()
    assert all(i.client_id != steady.id for i in build_agenda(TODAY).items)


def test_a_resumed_review_acts_on_what_its_item_now_names(clients, monkeypatch):
    from cockpit.storage.models import Interaction

    reviews.open_review(TODAY, build_agenda)
    monkeypatch.setenv("COCKPIT_TODAY", "2026-11-25")
    later = book.add_interaction(
        clients["steady"], "call", when=datetime(2026, 11, 24, 9), follow_up_on=date(2026, 11, 28)
    )
    resumed = reviews.open_review(date(2026, 11, 25), build_agenda)
    item = next(
        i
        for i in resumed.agenda.items
        if i.part == "follow-ups" and later.id in (i.interaction_id, *i.also_ids)
    )
    reviews.record(resumed.id, item, "done")
    assert Interaction.get_by_id(later.id).follow_up_done
