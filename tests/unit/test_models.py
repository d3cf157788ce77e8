"""The tables, their constraints and indexes, and the book API that writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from peewee import IntegrityError

from cockpit.errors import ValidationError
from cockpit.storage import book
from cockpit.storage.models import (
    Client,
    ClientEmail,
    Deal,
    Interaction,
    PlannedCommunication,
    ProfileValue,
)
from cockpit.vocabulary import KIND_INFO, Intent, Kind


def _raw_client(**overrides) -> dict:
    now = datetime(2026, 1, 1)
    values = dict(
        name="Raw",
        company="",
        name_key="raw",
        company_key="",
        title="",
        lifecycle="active",
        strategic=False,
        archived=False,
        created_at=now,
        updated_at=now,
    )
    values.update(overrides)
    return values


def test_a_new_client_has_defaults_and_no_null_company(db):
    client = book.add_client("Ann Smith")
    stored = Client.get_by_id(client.id)
    assert stored.company == ""
    assert stored.lifecycle == "active"
    assert stored.strategic is False and stored.archived is False
    assert stored.client_since is None and stored.keep_in_touch_days is None
    assert stored.created_at == stored.updated_at


def test_names_are_not_unique(db):
    book.add_client("John Smith", "Acme")
    book.add_client("John Smith", "Acme")
    assert Client.select().where(Client.name == "John Smith").count() == 2


def test_match_keys_fold_case_and_spacing(db):
    client = book.add_client("  Zoë   O'Brien ", "ACME  Corp", emails=["Zoe@Example.COM"])
    assert client.name == "Zoë   O'Brien"
    assert (client.name_key, client.company_key) == ("zoë o'brien", "acme corp")
    assert ClientEmail.get(ClientEmail.client == client).address_key == "zoe@example.com"


@pytest.mark.parametrize(
    ("overrides", "constraint"),
    [
        ({"name": "  "}, "CHECK"),
        ({"company": None}, "NOT NULL"),
        ({"lifecycle": "lost"}, "CHECK"),
        ({"keep_in_touch_days": 0}, "CHECK"),
    ],
)
def test_the_database_itself_refuses_bad_clients(db, overrides, constraint):
    with pytest.raises(IntegrityError, match=constraint):
        Client.insert(**_raw_client(**overrides)).execute()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": ""}, "name cannot be empty"),
        ({"name": "Evil\x1b[2J"}, "control characters"),
        ({"name": "x" * 201}, "longer than 200"),
        ({"name": "Ann", "lifecycle": "lost"}, "not a lifecycle"),
        ({"name": "Ann", "keep_in_touch_days": -3}, "above zero"),
        ({"name": "Ann", "emails": ["not-an-email"]}, "not an email"),
    ],
)
def test_add_client_rejects_bad_input_and_writes_nothing(db, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        book.add_client(**kwargs)
    assert Client.select().count() == 0


def test_markup_in_names_is_stored_as_typed(db):
    client = book.add_client("[bold]Evil[/bold]", "[link=http://x]Co[/link]")
    assert Client.get_by_id(client.id).name == "[bold]Evil[/bold]"


def test_interaction_minutes_come_from_its_kind(db):
    client = book.add_client("Ann")
    for kind in Kind:
        interaction = book.add_interaction(client, kind, when=datetime(2026, 3, 1, 10, 0))
        assert interaction.duration_min == KIND_INFO[kind].minutes
    meeting = book.add_interaction(client, "meeting", intent="relationship", duration_min=90)
    assert (meeting.intent, meeting.duration_min) == ("relationship", 90)


def test_interaction_stores_utc_and_the_local_day(db, write_config):
    write_config('timezone = "Pacific/Auckland"\n')
    client = book.add_client("Ann")
    # 23:30 on 1 March in Auckland is 10:30 UTC the same day ...
    late = book.add_interaction(client, "call", when=datetime(2026, 3, 1, 23, 30))
    # ... and 08:00 on 2 March there is still 1 March in UTC.
    early = book.add_interaction(client, "call", when=datetime(2026, 3, 2, 8, 0))
    late, early = Interaction.get_by_id(late.id), Interaction.get_by_id(early.id)
    assert late.occurred_at == datetime(2026, 3, 1, 10, 30)
    assert late.day == date(2026, 3, 1)
    assert early.occurred_at == datetime(2026, 3, 1, 19, 0)
    assert early.day == date(2026, 3, 2)
    aware = book.add_interaction(client, "call", when=datetime(2026, 3, 5, 12, 0, tzinfo=UTC))
    assert Interaction.get_by_id(aware.id).day == date(2026, 3, 6)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "fax"}, "not a kind of interaction"),
        ({"kind": "call", "intent": "greed"}, "not an intent"),
        ({"kind": "call", "duration_min": -5}, "zero or more"),
        ({"kind": "call", "duration_min": 5000}, "longer than a day"),
        ({"kind": "call", "summary": "nul\x00here"}, "NUL"),
    ],
)
def test_add_interaction_rejects_bad_input(db, kwargs, message):
    client = book.add_client("Ann")
    with pytest.raises(ValidationError, match=message):
        book.add_interaction(client, **kwargs)
    assert Interaction.select().count() == 0


def test_the_database_refuses_unknown_kinds(db):
    client = book.add_client("Ann")
    with pytest.raises(IntegrityError, match="CHECK"):
        Interaction.insert(
            client=client,
            occurred_at=datetime(2026, 1, 1),
            day=date(2026, 1, 1),
            kind="fax",
            intent="sales",
            duration_min=1,
            created_at=datetime(2026, 1, 1),
        ).execute()


def test_deals_use_the_home_currency_and_exact_amounts(db, write_config):
    write_config('currency = "EUR"\n')
    client = book.add_client("Ann")
    deal = book.add_deal(client, "12,500.50", won_on=date(2026, 2, 1))
    other = book.add_deal(client, 300, currency="gbp", won_on=date(2026, 2, 2))
    assert Deal.get_by_id(deal.id).amount == Decimal("12500.50")
    assert Deal.get_by_id(deal.id).currency == "EUR"
    assert Deal.get_by_id(other.id).currency == "GBP"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "more than zero"),
        ("0", "more than zero"),
        ("NaN", "not an amount"),
        ("1e309", "not an amount|larger than"),
        ("Infinity", "not an amount"),
        ("abc", "not an amount"),
        ("10.555", "two decimals"),
        ("1e15", "larger than"),
    ],
)
def test_bad_amounts_are_refused(db, amount, message):
    client = book.add_client("Ann")
    with pytest.raises(ValidationError, match=message):
        book.add_deal(client, amount)
    assert Deal.select().count() == 0


def test_deleting_a_client_removes_everything_of_theirs(db):
    client = book.add_client("Ann", emails=["ann@example.com"], phones=["+1 555 0100"])
    other = book.add_client("Bob")
    book.add_interaction(client, "call")
    book.add_interaction(other, "call")
    book.add_deal(client, 100)
    book.add_plan(client, "Quarterly update", 3, "months", date(2026, 12, 1))
    book.set_profile(client, {"hobbies": [{"value": "golf"}]})
    client.delete_instance()
    assert Interaction.select().count() == 1
    assert Deal.select().count() == 0
    assert PlannedCommunication.select().count() == 0
    assert ProfileValue.select().count() == 0
    assert ClientEmail.select().count() == 0


def test_profile_answers_round_trip_with_partial_dates(db):
    client = book.add_client("Ann")
    book.set_profile(
        client,
        {
            "birth_date": "--04-15",
            "wedding_anniversary": date(2001, 6, 30),
            "spouse_name": "Sam",
            "marital_status": "married",
            "children": [
                {"name": "Mia", "birthday": "2015-11-02"},
                {"name": "Leo", "birthday": "--11-20"},
            ],
            "children_custody": "Every other week.",
            "drinks": "Yes",
        },
    )
    assert book.profile_answers(client) == {
        "birth_date": "--04-15",
        "wedding_anniversary": "2001-06-30",
        "spouse_name": "Sam",
        "marital_status": "married",
        "children": [
            {"name": "Mia", "birthday": "2015-11-02"},
            {"name": "Leo", "birthday": "--11-20"},
        ],
        "children_custody": "Every other week.",
        "drinks": "yes",
    }
    birthday = ProfileValue.get(ProfileValue.field_key == "birth_date")
    assert (birthday.date_year, birthday.date_month, birthday.date_day) == (None, 4, 15)


def test_every_childs_birthday_in_a_month_is_one_query(db):
    ann, bob = book.add_client("Ann"), book.add_client("Bob")
    book.set_profile(ann, {"children": [{"name": "Mia", "birthday": "2015-11-02"}]})
    book.set_profile(bob, {"children": [{"name": "Ed", "birthday": "--11-20"}, {"name": "Jo"}]})
    book.set_profile(bob, {"birth_date": "1970-11-05"})
    november = (
        ProfileValue.select(ProfileValue.client, ProfileValue.date_day)
        .where(
            (ProfileValue.field_key == "children")
            & (ProfileValue.column_key == "birthday")
            & (ProfileValue.date_month == 11)
        )
        .order_by(ProfileValue.date_day)
    )
    assert [(row.client_id, row.date_day) for row in november] == [(ann.id, 2), (bob.id, 20)]
    plan = db.execute_sql(
        "EXPLAIN QUERY PLAN SELECT client_id FROM profile_value "
        "WHERE field_key = 'children' AND date_month = 11"
    ).fetchall()
    assert "profile_value_field_key_date_month_date_day" in str(plan)


def test_setting_a_profile_field_replaces_it_and_keeps_the_others(db):
    client = book.add_client("Ann")
    book.set_profile(client, {"hobbies": [{"value": "golf"}, {"value": "chess"}], "cars": "Volvo"})
    book.set_profile(client, {"hobbies": [{"value": "sailing"}]})
    assert book.profile_answers(client) == {"hobbies": [{"value": "sailing"}], "cars": "Volvo"}
    book.set_profile(client, {"cars": ""})
    assert book.profile_answers(client) == {"hobbies": [{"value": "sailing"}]}


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"shoe_size": "44"}, "not a field"),
        ({"birth_date": "2026-02-30"}, "not a date on the calendar"),
        ({"birth_date": "next spring"}, "not a date"),
        ({"marital_status": "complicated"}, "choose one of"),
        ({"drinks": "sometimes"}, "yes or no"),
        ({"children": [{"shoe": "44"}]}, "no column"),
        ({"cars": [{"value": "Volvo"}]}, "single value"),
    ],
)
def test_bad_profile_answers_are_refused_and_nothing_is_written(db, answers, message):
    client = book.add_client("Ann")
    book.set_profile(client, {"cars": "Volvo"})
    with pytest.raises(ValidationError, match=message):
        book.set_profile(client, {"hobbies": [{"value": "golf"}], **answers})
    assert book.profile_answers(client) == {"cars": "Volvo"}


def test_plans_are_validated(db):
    client = book.add_client("Ann")
    plan = book.add_plan(client, "Quarterly market update", 3, "months", date(2026, 12, 1))
    assert PlannedCommunication.get_by_id(plan.id).unit == "months"
    with pytest.raises(ValidationError, match="not a unit"):
        book.add_plan(client, "Update", 3, "fortnights", date(2026, 12, 1))
    with pytest.raises(ValidationError, match="every 1 to 1000 days"):
        book.add_plan(client, "Update", 0, "days", date(2026, 12, 1))
    with pytest.raises(ValidationError, match="cannot be empty"):
        book.add_plan(client, " ", 1, "days", date(2026, 12, 1))


def test_client_rows_show_the_last_touch_not_the_last_note(db):
    ann = book.add_client("Ann", "Acme")
    bob = book.add_client("bob", "Zeta")
    archived = book.add_client("Old", "Gone")
    archived.archived = True
    archived.save()
    book.add_interaction(ann, "call", when=datetime(2026, 3, 1, 10))
    book.add_interaction(ann, "note", when=datetime(2026, 3, 9, 10))
    rows = book.client_rows()
    assert [(row.name, row.last_touch) for row in rows] == [
        ("Ann", date(2026, 3, 1)),
        ("bob", None),
    ]
    assert len(book.client_rows(include_archived=True)) == 3
    assert bob.id in {row.id for row in rows}


def _plan(db, sql: str) -> str:
    return str(db.execute_sql("EXPLAIN QUERY PLAN " + sql).fetchall())


def test_per_client_aggregates_are_answered_from_the_covering_index(db):
    sql = (
        "SELECT client_id, COUNT(DISTINCT day), SUM(duration_min), "
        "SUM(CASE WHEN intent = 'relationship' THEN 1 ELSE 0 END) "
        "FROM interaction WHERE day >= '2026-01-01' AND kind <> 'note' GROUP BY client_id"
    )
    assert "COVERING INDEX interaction_client_id_day_kind_intent_duration_min" in _plan(db, sql)


def test_a_clients_timeline_and_due_follow_ups_use_indexes(db):
    timeline = "SELECT * FROM interaction WHERE client_id = 1 ORDER BY occurred_at DESC LIMIT 50"
    assert "interaction_client_id_occurred_at" in _plan(db, timeline)
    assert "TEMP B-TREE" not in _plan(db, timeline)
    due = "SELECT * FROM interaction WHERE follow_up_on <= '2026-11-23' AND follow_up_done = 0"
    assert "interaction_follow_up_on" in _plan(db, due)
    emails = "SELECT client_id FROM client_email WHERE address_key = 'a@b.c'"
    assert "client_email_address_key" in _plan(db, emails)
    names = "SELECT id FROM client WHERE name_key = 'ann' AND company_key = 'acme'"
    assert "client_name_key_company_key" in _plan(db, names)


def test_intent_values_are_the_two_the_domain_knows():
    assert {intent.value for intent in Intent} == {"sales", "relationship"}


def test_the_honeymoon_starts_on_client_since_else_on_the_first_won_deal(db):
    client = book.add_client("Ann")
    assert Client.get_by_id(client.id).won_on is None
    book.add_deal(client, 500, won_on=date(2025, 3, 1))
    book.add_deal(client, 900, won_on=date(2024, 6, 1))
    book.add_deal(client, 900, won_on=date(2026, 6, 1))  # a later deal does not restart it
    stored = Client.get_by_id(client.id)
    assert (stored.won_on, stored.honeymoon_end) == (date(2024, 6, 1), date(2024, 8, 30))
    since = book.add_client("Bob", client_since=date(2023, 1, 10))
    book.add_deal(since, 500, won_on=date(2024, 3, 1))
    assert Client.get_by_id(since.id).won_on == date(2023, 1, 10)
