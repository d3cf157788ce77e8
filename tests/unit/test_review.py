"""The weekly review: its agenda, its actions and what they change, resuming, promises."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from cockpit.cli import main
from cockpit.errors import ValidationError
from cockpit.fields import ClientFields
from cockpit.review import build_agenda
from cockpit.review import keeping as reviews
from cockpit.storage import book
from cockpit.storage.models import (
    Client,
    Interaction,
    PlannedCommunication,
    Review,
    ReviewAction,
    ScheduledTouch,
)
from tests.support.review_book import EXPECTED, TODAY, build_review_book, by_part


@pytest.fixture
def db(db_on_both):
    """These tests hold on SQLite and on PostgreSQL alike."""
    return db_on_both


@pytest.fixture
def clients(db, today):
    return build_review_book()


def test_the_agenda_of_a_fixed_book_on_a_fixed_date(clients):
    agenda = build_agenda(TODAY)
    assert by_part(agenda) == EXPECTED
    assert agenda.week_end == date(2026, 11, 29)


def test_archived_clients_and_snoozed_ones_stay_out(clients):
    Client.update(snoozed_until=date(2026, 12, 1)).where(Client.id == clients["other"]).execute()
    agenda = build_agenda(TODAY)
    assert "Arch Ived" not in {i.client for i in agenda.items}
    assert "Otto Other" not in {i.client for i in agenda.items}
    assert by_part(agenda)["drifting-other"] == []


def _item(agenda, part: str, index: int = 0):
    return next(p for p in agenda.parts if p.key == part).items[index]


@pytest.fixture
def review(clients):
    return reviews.open_review(TODAY, build_agenda)


def test_done_closes_a_clients_follow_ups_and_moves_a_plan_on_from_today(review):
    follow_up = _item(review.agenda, "follow-ups")  # both of Stella's follow-ups due
    assert len(follow_up.also_ids) == 1
    reviews.record(review.id, follow_up, "done")
    for touch_id in (follow_up.interaction_id, *follow_up.also_ids):
        assert Interaction.get_by_id(touch_id).follow_up_done
    plan_item = _item(review.agenda, "plans")
    reviews.record(review.id, plan_item, "done")
    assert PlannedCommunication.get_by_id(plan_item.plan_id).next_due == date(2027, 2, 23)


def test_logging_moves_a_plan_on_from_the_day_of_the_touch(review):
    plan_item = _item(review.agenda, "plans")
    reviews.record(review.id, plan_item, "logged", date(2026, 11, 21))
    assert PlannedCommunication.get_by_id(plan_item.plan_id).next_due == date(2027, 2, 21)
    assert ReviewAction.get().step == "logged"


def test_schedule_promises_a_touch(review, clients):
    core = _item(review.agenda, "drifting-high")
    reviews.record(review.id, core, "scheduled", date(2026, 11, 27))
    promise = ScheduledTouch.get()
    assert (promise.client_id, promise.due_on, promise.review_id) == (
        clients["core"],
        date(2026, 11, 27),
        review.id,
    )


def test_snooze_moves_what_the_item_is_about(review, clients):
    reviews.record(review.id, _item(review.agenda, "drifting-high"), "snoozed", date(2026, 12, 7))
    assert Client.get_by_id(clients["core"]).snoozed_until == date(2026, 12, 7)
    follow_up = _item(review.agenda, "follow-ups")
    reviews.record(review.id, follow_up, "snoozed", date(2026, 12, 1))
    for touch_id in (follow_up.interaction_id, *follow_up.also_ids):
        touch = Interaction.get_by_id(touch_id)
        assert (touch.follow_up_on, touch.follow_up_done) == (date(2026, 12, 1), False)
    plan_item = _item(review.agenda, "plans")
    reviews.record(review.id, plan_item, "snoozed", date(2026, 12, 4))
    assert PlannedCommunication.get_by_id(plan_item.plan_id).next_due == date(2026, 12, 4)
    # Snoozing a follow-up does not snooze its client.
    assert Client.get_by_id(clients["steady"]).snoozed_until is None


def test_skip_changes_nothing_but_is_remembered(review):
    follow_up = _item(review.agenda, "follow-ups")
    reviews.record(review.id, follow_up, "skipped")
    assert not Interaction.get_by_id(follow_up.interaction_id).follow_up_done
    assert reviews.load(review.id).choices[follow_up.key].step.value == "skipped"
    assert reviews.load(review.id).handled == 0


@pytest.mark.parametrize(
    ("step", "day", "message"),
    [
        ("scheduled", None, "scheduled needs a day"),
        ("snoozed", date(2026, 11, 23), "2026-11-23 is not after today"),
        ("scheduled", date(2026, 11, 1), "2026-11-01 is not after today"),
    ],
)
def test_a_day_that_is_missing_or_past_changes_nothing(review, step, day, message):
    with pytest.raises(ValidationError, match=message):
        reviews.record(review.id, _item(review.agenda, "drifting-high"), step, day)
    assert ScheduledTouch.select().count() == 0
    assert ReviewAction.select().count() == 0


def test_the_review_resumes_within_the_week_with_the_same_agenda(review, monkeypatch):
    first = _item(review.agenda, "follow-ups")
    reviews.record(review.id, first, "done")  # gone from a fresh agenda
    assert first.key not in {i.key for i in build_agenda(TODAY).items}
    monkeypatch.setenv("COCKPIT_TODAY", "2026-11-26")
    again = reviews.open_review(date(2026, 11, 26), build_agenda)
    assert again.id == review.id
    assert [i.key for i in again.agenda.items] == [i.key for i in review.agenda.items]
    assert again.choices[first.key].step.value == "done"
    later = reviews.open_review(date(2026, 11, 30), build_agenda)  # the week is over
    assert later.id != review.id
    assert later.choices == {}


def test_finishing_keeps_the_summary_and_the_next_review_starts_afresh(review):
    reviews.record(review.id, _item(review.agenda, "drifting-high"), "done")
    reviews.record(
        review.id, _item(review.agenda, "drifting-other"), "scheduled", date(2026, 12, 1)
    )
    reviews.record(review.id, _item(review.agenda, "follow-ups"), "snoozed", date(2026, 12, 2))
    reviews.record(review.id, _item(review.agenda, "occasions"), "skipped")
    summary = reviews.finish(review.id)
    total = len(review.agenda.items)
    assert summary == {
        "done": 1,
        "logged": 0,
        "scheduled": 1,
        "snoozed": 1,
        "skipped": 1,
        "items": total,
        "untouched": total - 4,
    }
    stored = Review.get_by_id(review.id)
    assert stored.finished_at is not None
    assert json.loads(stored.summary) == summary
    shown = reviews.open_review(TODAY, build_agenda)  # the same week: shown as it ended
    assert (shown.id, shown.finished, shown.summary) == (review.id, True, summary)
    again = reviews.open_review(TODAY, build_agenda, again=True)
    assert (again.id != review.id, again.finished, again.choices) == (True, False, {})


def test_last_weeks_unkept_promises_open_the_next_review(clients, monkeypatch):
    monkeypatch.setenv("COCKPIT_TODAY", "2026-11-16")
    last_week = reviews.open_review(date(2026, 11, 16), build_agenda)
    core = _item(last_week.agenda, "drifting-high")
    other = _item(last_week.agenda, "drifting-other")
    reviews.record(last_week.id, core, "scheduled", date(2026, 11, 19))
    reviews.record(last_week.id, other, "scheduled", date(2026, 11, 20))
    reviews.record(
        last_week.id, _item(last_week.agenda, "give-ask"), "scheduled", date(2026, 11, 25)
    )
    reviews.finish(last_week.id)
    monkeypatch.setenv("COCKPIT_TODAY", "2026-11-19")
    book.add_interaction(clients["other"], "call", when=datetime(2026, 11, 19, 9))  # kept
    book.add_interaction(clients["core"], "note", when=datetime(2026, 11, 19, 9))  # not a touch
    monkeypatch.setenv("COCKPIT_TODAY", "2026-11-23")
    agenda = build_agenda(TODAY)
    unkept = next(p for p in agenda.parts if p.key == "unkept")
    assert [(i.client, i.text) for i in unkept.items] == [
        ("Cora Core", "You planned a touch by Thu 19 Nov; none was logged.")
    ]  # the promise for the 25th is not due yet
    this_week = reviews.open_review(TODAY, build_agenda)
    assert this_week.agenda.parts[0].items == unkept.items


def test_cockpit_review_prints_every_part_with_counts(clients, db, capsys):
    assert main(["review", "--as-of", "2026-11-23", *db.book_args]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Weekly review, Mon 23 Nov to Sun 29 Nov 2026: 10 items\n")
    assert (
        "Drifting clients with much at stake (1)\n  - Cora Core (Big Inc): 88% of your revenue."
        in out
    )
    assert "Promises from the last review not kept (0)\n  nothing this week" in out
    assert (
        "  - Stella Steady (Fine Ltd): 56th birthday on Wed 25 Nov (in 2 days); "
        "Mia's 6th birthday on Tue 1 Dec (in 8 days)\n" in out
    )
    assert "Lapsed: win back or let go (0)\n  listed in the first review of each month" in out


def test_cockpit_review_json(clients, db, capsys):
    assert main(["review", "--json", "--as-of", "2026-11-23", *db.book_args]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2026-11-23"
    assert [p["key"] for p in data["parts"]] == list(EXPECTED)
    for part in data["parts"]:
        assert part["count"] == len(EXPECTED[part["key"]])
        assert part["title"]
        assert [(i["client"], i["text"]) for i in part["items"]] == EXPECTED[part["key"]]
    core = next(p for p in data["parts"] if p["key"] == "drifting-high")["items"][0]
    assert (core["id"], core["client"], core["company"]) == (
        clients["core"],
        "Cora Core",
        "Big Inc",
    )


def test_cockpit_review_markdown_keeps_names_literal(clients, db, capsys):
    fields = ClientFields(name="[Cora](http://x) *Core*", company="Big_Inc")
    book.update_client(clients["core"], fields)
    assert main(["review", "--markdown", "--as-of", "2026-11-23", *db.book_args]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Weekly review, Mon 23 Nov to Sun 29 Nov 2026\n\n10 items.\n")
    assert (
        "## Drifting clients with much at stake (1)\n\n"
        "- **\\[Cora\\](http://x) \\*Core\\* (Big\\_Inc)**:" in out
    )
    assert "## Promises from the last review not kept (0)\n\nNothing this week." in out


@pytest.mark.parametrize("output", [[], ["--json"], ["--markdown"]])
def test_sensitive_answers_never_appear(clients, db, capsys, output):
    assert main(["review", *output, *db.book_args]) == 0
    assert "Secret Faith" not in capsys.readouterr().out


def test_cockpit_review_refuses_a_bad_date(db, capsys):
    assert main(["review", "--as-of", "2026-02-30", *db.book_args]) == 2
    assert "--as-of" in capsys.readouterr().err


def _promise(review, part, day):
    item = _item(review.agenda, part)
    reviews.record(review.id, item, "scheduled", day)
    return item


def test_every_promise_past_its_day_comes_back_until_answered(clients, monkeypatch):
    monkeypatch.setenv("COCKPIT_TODAY", "2026-11-16")
    first = reviews.open_review(date(2026, 11, 16), build_agenda)
    _promise(first, "drifting-high", date(2026, 11, 23))  # the day of the next review
    _promise(first, "drifting-other", date(2026, 12, 2))  # after the next review
    reviews.finish(first.id)
    monkeypatch.setenv("COCKPIT_TODAY", "2026-11-23")
    second = reviews.open_review(TODAY, build_agenda)
    assert [i.client for i in second.agenda.parts[0].items] == []  # not due before today
    reviews.finish(second.id)
    monkeypatch.setenv("COCKPIT_TODAY", "2026-12-07")
    third = reviews.open_review(date(2026, 12, 7), build_agenda)
    unkept = third.agenda.parts[0].items
    assert [i.client for i in unkept] == ["Cora Core", "Otto Other"]
    reviews.record(third.id, unkept[0], "done")
    reviews.record(third.id, unkept[1], "skipped")
    reviews.finish(third.id)
    later = build_agenda(date(2026, 12, 14))
    assert [i.client for i in later.parts[0].items] == ["Otto Other"]  # skipped: comes back


def test_an_answer_cannot_be_changed_but_a_skip_can(review):
    follow_up = _item(review.agenda, "follow-ups")
    reviews.record(review.id, follow_up, "skipped")
    reviews.record(review.id, follow_up, "done")
    with pytest.raises(ValidationError, match="already answered \\(done\\)"):
        reviews.record(review.id, follow_up, "scheduled", date(2026, 12, 1))
    assert ScheduledTouch.select().count() == 0


def test_an_occasion_cannot_be_snoozed(review):
    with pytest.raises(ValidationError, match="an occasion cannot be snoozed"):
        reviews.record(review.id, _item(review.agenda, "occasions"), "snoozed", date(2026, 12, 1))


def test_a_finished_review_takes_no_more_answers(review):
    reviews.finish(review.id)
    with pytest.raises(ValidationError, match="this review is finished"):
        reviews.record(review.id, _item(review.agenda, "plans"), "done")


def test_deleting_a_client_or_their_profile_leaves_no_copy_in_reviews(review, clients):
    book.forget_profile(clients["steady"])
    stored = Review.get_by_id(review.id).agenda
    assert "Mia" not in stored
    assert "Stella Steady" in stored  # her other items stay
    book.delete_client(clients["steady"])
    assert "Stella Steady" not in Review.get_by_id(review.id).agenda


def test_a_resumed_review_says_what_is_true_today_and_drops_deleted_clients(
    review, clients, monkeypatch
):
    book.delete_client(clients["other"])
    monkeypatch.setenv("COCKPIT_TODAY", "2026-11-27")
    again = reviews.open_review(date(2026, 11, 27), build_agenda)
    assert again.id == review.id
    assert "Otto Other" not in {i.client for i in again.agenda.items}
    pricing = next(i for i in again.agenda.items if "Pricing talk" in i.text)
    assert pricing.text.endswith(" Also due today; from the meeting of Wed 18 Nov: Pricing talk")


def test_the_review_keeps_to_its_budget_and_counts_what_it_leaves_out(
    clients, db, capsys, monkeypatch
):
    from cockpit.review import agenda as review_module

    monkeypatch.setattr(review_module, "REVIEW_BUDGET", 5)
    monkeypatch.setattr(review_module, "PART_FLOOR", 1)
    data = build_agenda(TODAY).as_json()
    shown = {p["key"]: [i["client"] for i in p["items"]] for p in data["parts"]}
    # One each while the budget lasts, in the order of the parts: the most pressing first.
    assert shown == {
        "unkept": [],
        "replies": [],
        "drifting-high": ["Cora Core"],
        "renewals": [],
        "plan-actions": [],
        "plan-reviews": [],
        "drifting-other": ["Otto Other"],
        "follow-ups": ["Stella Steady"],
        "plans": ["Stella Steady"],
        "occasions": ["Cora Core"],
        "give-ask": [],
        "referrals": [],
        "eating": [],
        "lapsed": [],
    }
    counts = {p["key"]: (p["count"], p["more"]) for p in data["parts"] if p["more"]}
    assert counts == {
        "occasions": (2, 1),
        "give-ask": (1, 1),
        "referrals": (2, 2),
        "eating": (1, 1),
    }
    assert main(["review", "--as-of", "2026-11-23", *db.book_args]) == 0
    assert capsys.readouterr().out.startswith(
        "Weekly review, Mon 23 Nov to Sun 29 Nov 2026: 5 items (5 less pressing left out)\n"
    )


def test_the_occasion_window_crosses_the_year_and_keeps_leap_days(db, monkeypatch):
    from cockpit.review.agenda import _window

    assert _window(date(2026, 12, 25)) == {12: [25, 26, 27, 28, 29, 30, 31], 1: list(range(1, 8))}
    assert _window(date(2027, 2, 20))[2] == [20, 21, 22, 23, 24, 25, 26, 27, 28, 29]
    monkeypatch.setenv("COCKPIT_TODAY", "2027-02-20")
    leap = book.add_client("Leap Day", "Rare Co")
    book.set_profile(leap, {"birth_date": "2000-02-29"})
    new_year = book.add_client("New Year", "Jan Co")
    book.set_profile(new_year, {"children": [{"name": "Noor", "birthday": "2019-03-02"}]})
    texts = [
        i.text
        for i in next(
            p for p in build_agenda(date(2027, 2, 20)).parts if p.key == "occasions"
        ).items
    ]
    assert texts == [
        "27th birthday on Sun 28 Feb (in 8 days)",
        "Noor's 8th birthday on Tue 2 Mar (in 10 days)",
    ]
