"""Merging address-book contacts into the book: match, fill, never overwrite unless asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.importers import contacts
from cockpit.importers.contact import BrokenRecord, Child, Contact
from cockpit.importers.report import ImportReport
from cockpit.storage import book
from cockpit.storage.models import Client, ClientEmail, ClientPhone, Interaction, ProfileValue


@pytest.fixture
def db(db_on_both):
    """These tests hold on SQLite and on PostgreSQL alike."""
    return db_on_both


def _merge(*records, overwrite=False) -> ImportReport:
    report = ImportReport(Path("people.vcf"), contacts=True)
    contacts.merge(records, report, overwrite=overwrite)
    return report


def _marta(**changes) -> Contact:
    values = dict(
        record="record 1",
        name="Marta Lindqvist",
        company="Bluefin",
        title="Buyer",
        emails=["marta@bluefin.example"],
        phones=["+46 70 123 45 67"],
        nickname="Tati",
        birthday="1979-03-14",
        anniversary="--06-01",
        spouse="Erik",
        children=[Child("Elin", "2012-05-03"), Child("Oskar")],
        hobbies=["sailing"],
        note="Met at the Lisbon fair.",
    )
    values.update(changes)
    return Contact(**values)


def test_a_new_contact_becomes_a_client_with_its_profile(db, today):
    report = _merge(_marta())
    assert (report.clients_created, report.clients_updated, report.failures) == (1, 0, [])
    client = Client.get()
    assert (client.name, client.company, client.title) == ("Marta Lindqvist", "Bluefin", "Buyer")
    assert [e.address for e in client.emails] == ["marta@bluefin.example"]
    assert [p.number for p in client.phones] == ["+46 70 123 45 67"]
    answers = book.profile_answers(client)
    assert answers["birth_date"] == "1979-03-14"
    assert answers["wedding_anniversary"] == "--06-01"
    assert answers["spouse_name"] == "Erik"
    assert answers["nickname"] == "Tati"
    assert answers["children"] == [{"name": "Elin", "birthday": "2012-05-03"}, {"name": "Oskar"}]
    assert answers["hobbies"] == [{"value": "sailing"}]
    note = Interaction.get()
    assert (note.kind, note.summary) == ("note", "From the address book: Met at the Lisbon fair.")


def test_importing_the_same_contact_again_changes_nothing(db, today):
    _merge(_marta())
    report = _merge(_marta(record="record 7"))
    assert (report.clients_created, report.clients_updated, report.clients_unchanged) == (0, 0, 1)
    assert report.differences == []
    assert Client.select().count() == 1
    assert Interaction.select().count() == 1
    assert ClientEmail.select().count() == 1


def test_a_match_by_email_fills_empty_fields_and_adds_new_contacts(db, today):
    ann = book.add_client("M. Lindqvist", "", emails=["MARTA@bluefin.example"])
    report = _merge(_marta(emails=["marta@bluefin.example", "m@home.example"]))
    assert (report.clients_created, report.clients_updated) == (0, 1)
    client = Client.get_by_id(ann.id)
    assert client.company == "Bluefin"  # was empty: filled
    assert client.name == "M. Lindqvist"  # had a value: kept, and said so
    emails = client.emails.order_by(ClientEmail.position)
    assert [e.address for e in emails] == ["MARTA@bluefin.example", "m@home.example"]
    assert [p.number for p in client.phones] == ["+46 70 123 45 67"]
    assert report.difference_lines() == [
        "people.vcf (record 1): M. Lindqvist: kept the name 'M. Lindqvist'; "
        "the file has 'Marta Lindqvist'"
    ]


def test_a_match_by_name_and_company_ignores_case_and_spacing(db, today):
    book.add_client("marta  LINDQVIST", "bluefin")
    report = _merge(_marta(emails=[]))
    assert report.clients_created == 0
    assert Client.select().count() == 1


def test_values_already_there_are_kept_unless_overwrite(db, today):
    client = book.add_client("Marta Lindqvist", "Bluefin", title="Head of Buying")
    book.set_profile(client, {"birth_date": "1979-03-15", "children": [{"name": "Elin"}]})
    report = _merge(_marta())
    assert book.profile_answers(client)["birth_date"] == "1979-03-15"
    assert Client.get_by_id(client.id).title == "Head of Buying"
    assert [line.split(": ", 2)[2] for line in report.difference_lines()] == [
        "kept the title 'Head of Buying'; the file has 'Buyer'",
        "kept the birth date '1979-03-15'; the file has '1979-03-14'",
    ]
    # A child already there gets the birthday the file knows; a new child is added.
    assert book.profile_answers(client)["children"] == [
        {"name": "Elin", "birthday": "2012-05-03"},
        {"name": "Oskar"},
    ]
    report = _merge(_marta(), overwrite=True)
    assert report.differences == []
    assert book.profile_answers(client)["birth_date"] == "1979-03-14"
    assert Client.get_by_id(client.id).title == "Buyer"


def test_the_same_date_written_differently_is_no_difference(db, today):
    client = book.add_client("Marta Lindqvist", "Bluefin")
    book.set_profile(client, {"wedding_anniversary": "June 1"})
    report = _merge(_marta())
    assert report.differences == []


def test_broken_and_refused_records_are_reported_and_the_rest_imports(db, today):
    report = _merge(
        BrokenRecord("record 1", "no END:VCARD line"),
        _marta(record="record 2", name="Bad\x1b[31mName"),
        _marta(record="record 3", emails=["not-an-email"]),
        _marta(record="record 4"),
    )
    assert report.clients_created == 1
    assert [where for where, _ in report.failures] == ["record 1", "record 2"]
    assert "no END:VCARD line" in report.failure_lines()[0]
    # A bad email costs the email, not the contact.
    assert [where for where, _ in report.left_out] == ["record 3"]
    assert "'not-an-email' is not an email address" in report.failure_lines()[2]
    assert Client.select().count() == 1
    assert ClientPhone.select().count() == 1  # nothing left behind by the refused ones


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_summary_counts(db, today, dry_run):
    report = _merge(_marta(), BrokenRecord("record 2", "no name"))
    summary = report.summary(dry_run=dry_run)
    would = "would be " if dry_run else ""
    assert summary == f"people.vcf: contacts {would}created 1, updated 0, unchanged 0, failed 1"


def test_a_contact_matches_one_created_earlier_in_the_same_file(db, today):
    report = _merge(
        _marta(record="record 1", title="", phones=[], spouse=""),
        _marta(record="record 2", name="MARTA lindqvist", emails=[], spouse="Erik"),
        _marta(record="record 3", name="M. L.", company="", emails=["Marta@Bluefin.example"]),
    )
    assert (report.clients_created, report.clients_updated, report.clients_unchanged) == (1, 1, 1)
    client = Client.get()
    assert client.title == "Buyer"  # filled by record 2
    assert [p.number for p in client.phones] == ["+46 70 123 45 67"]
    assert book.profile_answers(client)["spouse_name"] == "Erik"
    assert report.difference_lines() == [  # "MARTA lindqvist" is the same name
        "people.vcf (record 3): Marta Lindqvist: kept the name 'Marta Lindqvist'; "
        "the file has 'M. L.'",
    ]
    assert Interaction.select().count() == 1  # the same note, once


def test_the_same_email_twice_in_a_file_is_one_client(db, today):
    report = _merge(
        _marta(record="record 1", name="Ann", company="Acme", emails=["ann@acme.example"]),
        _marta(record="record 2", name="Bo", company="Beta", emails=["ANN@acme.example", "b@x.io"]),
    )
    assert (report.clients_created, report.clients_updated) == (1, 1)
    client = Client.get()
    emails = client.emails.order_by(ClientEmail.position)
    assert [e.address for e in emails] == ["ann@acme.example", "b@x.io"]


def test_a_refused_contact_in_the_middle_costs_only_itself(db, today):
    report = _merge(
        _marta(record="record 1", name="Ann", emails=["ann@acme.example"]),
        _marta(record="record 2", name="Bad", emails=["bad@acme.example"], spouse="E\x1b[31m"),
        _marta(record="record 3", name="Cy", emails=["cy@acme.example"], note="A\x07bell"),
        _marta(record="record 4", name="Dee", emails=["dee@acme.example"]),
        _marta(record="record 5", name="Bad again", emails=["bad@acme.example"]),
    )
    assert [where for where, _ in report.failures] == ["record 2", "record 3"]
    assert "Bad: Partner's name cannot contain control characters" in report.failures[0][1]
    assert (report.clients_created, report.clients_updated) == (3, 0)  # nothing matched "Bad"
    assert [c.name for c in Client.select().order_by(Client.id)] == ["Ann", "Dee", "Bad again"]
    assert ClientPhone.select().count() == 3
    assert Interaction.select().count() == 3


def test_a_refused_update_leaves_the_client_as_it_was_for_the_next_contacts(db, today):
    ann = book.add_client("Ann", "", emails=["ann@acme.example"])
    report = _merge(
        _marta(record="record 1", name="Ann", company="Acme", spouse="E\x1b[31m"),
        _marta(record="record 2", name="Ann", company="Acme", emails=[]),
    )
    assert [where for where, _ in report.failures] == ["record 1"]
    assert Client.get_by_id(ann.id).company == ""  # the fill was rolled back
    assert report.clients_created == 1  # so "Ann" of "Acme" is someone else
    assert book.profile_answers(ann) == {}


def test_a_client_renamed_by_one_contact_is_matched_by_its_new_name_further_on(db, today):
    ann = book.add_client("Ann Old", "Acme", emails=["ann@acme.example"])
    report = _merge(
        _marta(record="record 1", name="Ann New", company="Acme", emails=["ann@acme.example"]),
        _marta(record="record 2", name="ann new", company="ACME", emails=[]),
        _marta(record="record 3", name="Ann Old", company="Acme", emails=[]),
        overwrite=True,
    )
    assert (report.clients_created, report.clients_updated, report.clients_unchanged) == (1, 1, 1)
    assert Client.get_by_id(ann.id).name == "Ann New"
    assert Client.select().where(Client.name == "Ann Old").count() == 1


def test_a_client_not_archived_is_matched_first(db, today):
    archived = book.add_client("Ann", "Acme", emails=["ann@acme.example"])
    book.set_archived(archived.id, True)
    current = book.add_client("Ann", "Acme", emails=["ann@acme.example"])
    report = _merge(_marta(name="Ann", company="Acme", emails=["ann@acme.example"]))
    assert report.clients_updated == 1
    assert book.profile_answers(current)["spouse_name"] == "Erik"
    assert book.profile_answers(archived) == {}


def test_a_new_client_is_stored_as_add_client_stores_it(db, today):
    emails, phones = ["ann@acme.example", "ANN@acme.example", "ann@home.example"], ["1", "1"]
    _merge(_marta(name=" Ann ", company="Acme", title="CFO", emails=emails, phones=phones))
    imported = Client.get()
    made = book.add_client(" Ann ", "Acme", title="CFO", emails=emails, phones=phones)
    columns = ("name", "name_key", "company", "company_key", "title", "lifecycle", "archived")
    assert [getattr(imported, c) for c in columns] == [getattr(made, c) for c in columns]
    assert _contacts_of(imported) == _contacts_of(made)


def _contacts_of(client: Client) -> tuple[list, list]:
    emails = ClientEmail.select().where(ClientEmail.client == client.id).order_by(ClientEmail.id)
    phones = ClientPhone.select().where(ClientPhone.client == client.id).order_by(ClientPhone.id)
    return (
        [(e.address, e.address_key, e.position) for e in emails],
        [(p.number, p.position) for p in phones],
    )


def test_new_clients_written_in_several_batches(db, today, monkeypatch):
    monkeypatch.setattr(contacts.Merger, "BATCH", 2)
    people = [_marta(record=f"record {n}", name=f"P{n}", emails=[f"p{n}@x.io"]) for n in range(5)]
    again = _marta(record="record 5", name="P1", emails=["p1@x.io"], phones=["+1 555 0100"])
    report = _merge(*people, again)
    assert (report.clients_created, report.clients_updated) == (5, 1)
    assert [c.name for c in Client.select().order_by(Client.id)] == [f"P{n}" for n in range(5)]
    whole = book.profile_answers(Client.get(Client.name == "P0"))
    assert [book.profile_answers(c) for c in Client.select()] == [whole] * 5
    assert ProfileValue.select().count() == 5 * 8
    assert Interaction.select().count() == 5


def test_an_email_added_by_one_contact_matches_the_next(db, today):
    ann = book.add_client("Ann", "Acme")
    report = _merge(
        _marta(record="record 1", name="Ann", company="Acme", emails=["ann@acme.example"]),
        _marta(record="record 2", name="A. N.", company="", emails=["ANN@acme.example"]),
    )
    assert (report.clients_created, report.clients_updated, report.clients_unchanged) == (0, 1, 1)
    assert [e.address for e in Client.get_by_id(ann.id).emails] == ["ann@acme.example"]
