"""`cockpit import` on real address books: every sample file, re-imports, crashes half-way."""

from __future__ import annotations

import pytest

from cockpit.cli import main
from cockpit.importers import contacts
from cockpit.importers.files import import_file
from cockpit.storage import book
from cockpit.storage.models import Client, ClientEmail, Interaction, ProfileValue
from tests.support.paths import SHARED_DATA

DATA = SHARED_DATA
SAMPLES = sorted(DATA.glob("vcard/*.vcf")) + sorted(DATA.glob("csv/*.csv"))

needs_samples = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not here")


def _table_rows() -> tuple:
    return tuple(
        Model.select().count() for Model in (Client, ClientEmail, Interaction, ProfileValue)
    )


@needs_samples
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_imports_and_a_second_import_changes_nothing(
    sample, db, today, book_path, capsys
):
    status = main(["import", str(sample), "--db", str(book_path)])
    out, err = capsys.readouterr()
    assert status in (0, 1), err
    assert "Traceback" not in out + err
    summary, total = out.strip().splitlines()[-2:]
    assert summary.startswith(f"{sample.name}: contacts created ")
    assert total.startswith("Total, 1 file, import #1: ")
    if status == 1:  # every failure names the file and the record or line, and why
        for line in err.strip().splitlines():
            assert line.startswith(f"{sample} (record ") or line.startswith(f"{sample} (line ")
            assert line.split("): ", 1)[1]
    before = _table_rows()
    db.connect(reuse_if_open=True)
    main(["import", str(sample), "--db", str(book_path)])
    again = capsys.readouterr().out.strip().splitlines()[-2]
    assert ": contacts created 0, updated 0, unchanged " in again
    assert _table_rows() == before


@needs_samples
@pytest.mark.parametrize(
    ("sample", "name", "company", "email", "birthday"),
    [
        (
            "csv/google-contacts.csv",
            "Kemi Okafor",
            "Crescent Health",
            "kemi.okafor@crescent.example",
            "1983-09-30",
        ),
        (
            "csv/google-contacts-legacy.csv",
            "Marta Lindqvist",
            None,
            "marta.lindqvist@bluefin.example",
            "1979-03-14",
        ),
        (
            "csv/outlook-contacts.csv",
            "Dmitri Petrov",
            "Ironbark Mining",
            "dpetrov@ironbark.example",
            "1971-04-15",
        ),
        (
            "csv/outlook-desktop-wizard.csv",
            "Henrike Brüning",
            "Acme Kältetechnik GmbH",
            None,
            "1979-04-15",
        ),
    ],
)
def test_people_come_through_with_their_details(sample, name, company, email, birthday, db, today):
    import_file(DATA / sample)
    client = Client.get(Client.name == name)
    if company is not None:
        assert client.company == company
    if email is not None:
        assert email in [e.address for e in client.emails]
    assert book.profile_answers(client)["birth_date"] == birthday


@needs_samples
def test_a_dry_run_changes_nothing(db, today, capsys):
    report = import_file(DATA / "csv" / "google-contacts.csv", dry_run=True)
    assert report.clients_created > 0
    assert Client.select().count() == 0
    assert "would be created" in report.summary(dry_run=True)


def test_a_crash_half_way_leaves_the_book_as_it_was(db, today, tmp_path, monkeypatch):
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEMAIL:p{n}@example.com\r\nEND:VCARD\r\n"
        for n in range(5)
    )
    path = tmp_path / "people.vcf"
    path.write_text(cards, encoding="utf-8")
    real = contacts.Merger.one
    seen = []

    def crash_on_the_third(merging, contact):
        seen.append(contact.name)
        if len(seen) == 3:
            raise RuntimeError("the disk went away")
        real(merging, contact)

    monkeypatch.setattr(contacts.Merger, "one", crash_on_the_third)
    monkeypatch.setattr(contacts.Merger, "BATCH", 1)  # the first two are written by then
    with pytest.raises(RuntimeError):
        import_file(path)
    assert Client.select().count() == 0


def test_a_broken_card_is_reported_and_the_good_ones_import(db, today, tmp_path, book_path, capsys):
    path = tmp_path / "mixed.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good One\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:+1 555 0100\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good Two\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    assert main(["import", str(path), "--db", str(book_path)]) == 1
    out, err = capsys.readouterr()
    assert err.startswith(f"{path} (record 2): ")
    assert "mixed.vcf: contacts created 2, updated 0, unchanged 0, failed 1" in out
    assert sorted(c.name for c in Client.select()) == ["Good One", "Good Two"]


def test_a_file_of_another_kind_is_refused_in_one_line(db, today, tmp_path, book_path, capsys):
    path = tmp_path / "numbers.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    assert main(["import", str(path), "--db", str(book_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"cockpit: {path}: not a file Cockpit knows")
    assert len(err.splitlines()) == 1


def test_vcard_export_then_import_gives_the_same_contact(db, today, tmp_path, book_path):
    ann = book.add_client(
        "Ann Export", "Acme", title="CFO", emails=["ann@acme.example"], phones=["+1 555 0100"]
    )
    book.set_profile(ann, {"birth_date": "--04-15", "nickname": "Annie", "spouse_name": "Secret"})
    out = tmp_path / "out.vcf"
    assert main(["export", "vcard", str(out), "--db", str(book_path)]) == 0
    assert "Secret" not in out.read_text(encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    assert main(["import", str(out), "--db", str(fresh)]) == 0
    from cockpit.storage.database import DatabaseLocation, open_database

    open_database(DatabaseLocation(fresh, "--db"))
    client = Client.get()
    assert (client.name, client.company, client.title) == ("Ann Export", "Acme", "CFO")
    assert [e.address for e in client.emails] == ["ann@acme.example"]
    assert [p.number for p in client.phones] == ["+1 555 0100"]
    answers = book.profile_answers(client)
    assert (answers["birth_date"], answers["nickname"]) == ("--04-15", "Annie")
    assert "spouse_name" not in answers


@needs_samples
def test_an_address_book_written_as_windows_text_imports_its_accents(db, today, tmp_path):
    text = (DATA / "csv" / "outlook-desktop-wizard.csv").read_text(encoding="utf-8")
    path = tmp_path / "windows.csv"
    path.write_bytes(text.encode("cp1252"))
    report = import_file(path)
    assert report.failures == []
    assert Client.get(Client.name == "Henrike Brüning").company == "Acme Kältetechnik GmbH"
