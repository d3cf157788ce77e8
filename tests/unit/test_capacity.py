"""Capacity (issue 23, point 2): what the cadences, planned communications and open
account-plan actions need each week, against the hours the user said they have: in the
portfolio, in `cockpit portfolio` (which needs the setting or --capacity), and as the
weekly review's first part when over, where `r` relaxes a peripheral client's cadence."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cockpit import capacity
from cockpit.cli import main
from cockpit.errors import ConfigError, ValidationError
from cockpit.health_cache import cached_compute
from cockpit.review import keeping
from cockpit.review.agenda import build_agenda
from cockpit.storage import account_plans, book, plans
from cockpit.storage.account_plans import PlanFor
from cockpit.storage.models import Client
from tests.support.histories import TODAY, History, every, make

MONTH = 365.25 / 12


@pytest.fixture
def db(db_on_both, today):
    return db_on_both


@pytest.fixture
def clients(db):
    """Cy keeps a 14-day cadence (45-minute touches); Pia's weekly call plan makes more
    touches than her 30-day cadence asks; Newt has no touch in a year (a call's 15 minutes
    then); a plan action with Cy; a former and an archived client need nothing."""
    cy = make(
        "Cy Cadence", History(touches=every(7, 200), deals=[(300, 50_000)], keep=14, minutes=45)
    )
    pia = make(
        "Pia Plan", History(touches=every(10, 200), deals=[(300, 9_000)], keep=30, minutes=20)
    )
    plans.add_plan(pia, "Weekly call", 1, "weeks", TODAY + timedelta(days=3), kind="call")
    make("Newt Quiet", History(touches=[500], deals=[(600, 700)], keep=7))
    fay = make(
        "Fay Former", History(touches=every(5, 100), deals=[(300, 900)], keep=7, lifecycle="former")
    )
    gone = make("Archie Archived", History(touches=every(5, 100), deals=[(300, 900)], keep=7))
    Client.update(archived=True).where(Client.id == gone.id).execute()
    account_plans.add_action(
        PlanFor(client_id=cy.id), "Quarterly business review", "me", TODAY, client_id=cy.id
    )
    return {"cy": cy.id, "pia": pia.id, "fay": fay.id}


def expected() -> dict[str, float]:
    return {
        "Cy Cadence": 7 / 14 * 45 + 60 / 13,  # the action: a meeting's default hour, a quarter
        "Pia Plan": 20.0,  # the weekly call, her usual 20 minutes; the cadence asks no more
        "Newt Quiet": 7 / 7 * 15,
    }


def test_the_demand_sums_each_clients_cadence_plans_and_actions(clients):
    found = capacity.demand(TODAY, None)
    assert found.minutes == pytest.approx(sum(expected().values()))
    assert found.source_minutes("cadences") == pytest.approx(7 / 14 * 45 + 15)
    assert found.source_minutes("planned") == pytest.approx(20.0)
    assert found.source_minutes("actions") == pytest.approx(60 / 13)
    tier_of = {v.name: v.tier.value for v in cached_compute(TODAY)}
    for tier in capacity.TIERS:
        wanted = sum(m for name, m in expected().items() if tier_of[name] == tier)
        assert found.tier_minutes(tier) == pytest.approx(wanted)
    assert capacity.demand(TODAY, None) == found  # kept beside the verdicts


def test_the_sentence_says_what_the_plans_need_against_the_hours():
    found = capacity.Demand(
        {"core": (300.0, 0.0, 0.0), "other": (330.0, 0.0, 0.0), "peripheral": (240.0, 0, 0)}, []
    )
    assert capacity.sentence(found, 10) == (
        "Your plans need 14.5 h a week; you said 10 h. Peripheral clients take 4 h of it."
    )
    assert (
        capacity.sentence(found, 20)
        == "Your plans need 14.5 h a week of the 20 h you said you have."
    )
    assert capacity.sentence(found, None) == "Your plans need 14.5 h a week."
    assert capacity.hours(25) == "25 min"


def test_the_command_needs_the_hours_and_says_which_setting(clients, db, capsys, write_config):
    assert main(["portfolio", *db.book_args]) == 2
    error = capsys.readouterr().err
    assert "capacity_hours_per_week = 10" in error and "--capacity HOURS" in error
    assert main(["portfolio", "--capacity", "0.1", *db.book_args]) == 0
    out = capsys.readouterr().out
    need = capacity.hours(sum(expected().values()))
    assert f"Your plans need {need} a week; you said 6 min." in out
    assert "What your plans need each week, by tier; you said 6 min" in out
    write_config("capacity_hours_per_week = 40\n")
    assert main(["portfolio", "--json", *db.book_args]) == 0
    document = json.loads(capsys.readouterr().out)["capacity"]
    assert document["hours_per_week"] == 40
    assert document["over"] is False
    assert document["needed_minutes_per_week"] == pytest.approx(sum(expected().values()), abs=0.1)
    assert main(["portfolio", "--capacity", "200", *db.book_args]) == 2
    assert "at most 168" in capsys.readouterr().err


def test_a_capacity_setting_out_of_range_is_refused_by_name(write_config):
    from cockpit.config import settings

    write_config("capacity_hours_per_week = -3\n")
    with pytest.raises(ConfigError, match="capacity_hours_per_week = -3 is out of range"):
        settings()
    write_config('capacity_hours_per_week = "ten"\n')
    with pytest.raises(ConfigError, match="must be a number of hours"):
        settings()


def test_over_capacity_is_the_reviews_first_part_and_r_relaxes_a_cadence(db, write_config):
    # Peripheral Pete: 90-minute calls on his own 20-day cadence; Cora brings the revenue.
    make("Cora Core", History(touches=every(10, 300), deals=[(200, 90_000)], minutes=30))
    pete = make(
        "Pete Peri", History(touches=every(3, 300), deals=[(300, 500)], minutes=90, keep=20)
    )
    assert build_agenda(TODAY, book.my_reps()).parts[0].key == "unkept"  # none set
    write_config("capacity_hours_per_week = 100\n")
    assert build_agenda(TODAY, book.my_reps()).parts[0].key == "unkept"  # the plans fit
    write_config("capacity_hours_per_week = 0.5\n")
    agenda = build_agenda(TODAY, book.my_reps())
    first = agenda.parts[0]
    assert first.key == "capacity"
    found = capacity.demand(TODAY, book.my_reps())
    assert first.lead == capacity.sentence(found, 0.5)
    assert "Peripheral clients take" in first.lead
    [item] = first.items
    assert (item.client, item.cadence_days) == ("Pete Peri", 40)
    assert item.text.startswith(
        "Every 20 days (set by you), 90 min a touch: 31 min a week. r: every 40 days frees 16 min."
    )
    assert build_agenda(TODAY, None).parts[0].key == "unkept"  # a whole team: one has no hours
    review_id = keeping.open_review(TODAY, lambda day: build_agenda(day, book.my_reps())).id
    keeping.relax_cadence(review_id, item)
    assert Client.get_by_id(pete.id).keep_in_touch_days == 40
    with pytest.raises(ValidationError, match="already answered"):
        keeping.relax_cadence(review_id, item)


def test_the_setting_is_written_among_the_top_level_ones_and_nothing_else_moves(write_config):
    from cockpit.config import settings
    from cockpit.config_writing import set_setting

    path = write_config('# my settings\ncurrency = "EUR"\n\n[health]\ncore_share = 0.75\n')
    set_setting("capacity_hours_per_week", 12.0)
    assert path.read_text() == (
        '# my settings\ncurrency = "EUR"\ncapacity_hours_per_week = 12\n\n'
        "[health]\ncore_share = 0.75\n"
    )
    assert settings().capacity_hours_per_week == 12
    set_setting("capacity_hours_per_week", 7.5)  # the same line, changed
    assert path.read_text().count("capacity_hours_per_week") == 1
    assert "capacity_hours_per_week = 7.5\n" in path.read_text()
    assert settings().capacity_hours_per_week == 7.5 and settings().currency == "EUR"


def test_a_broken_config_file_is_left_as_it_is(write_config):
    from cockpit.config_writing import set_setting

    path = write_config("currency = \n")
    with pytest.raises(ConfigError, match=r"is not valid TOML.*add capacity_hours_per_week = 9"):
        set_setting("capacity_hours_per_week", 9.0)
    assert path.read_text() == "currency = \n"


def test_without_a_config_file_one_is_made(home):
    from cockpit.config_writing import set_setting

    path = set_setting("capacity_hours_per_week", 10.0)
    assert path == home / "config" / "cockpit" / "config.toml"
    assert path.read_text() == "capacity_hours_per_week = 10\n"


def test_a_plan_or_action_added_later_counts_at_once(clients):
    before = capacity.demand(TODAY, None).minutes
    # Fay is former: no cadence, so the plan's touches are all new ones.
    plans.add_plan(clients["fay"], "Monthly note", 1, "months", TODAY, kind="handwritten-note")
    assert capacity.demand(TODAY, None).minutes == pytest.approx(before + 7 / MONTH * 10)
    account_plans.add_action(
        PlanFor(client_id=clients["cy"]), "Site visit", "me", None, client_id=clients["cy"]
    )
    assert capacity.demand(TODAY, None).minutes == pytest.approx(before + 7 / MONTH * 10 + 60 / 13)
