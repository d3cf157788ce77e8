"""Issue 20, point 8: Cockpit's own vCard export, imported back, changes nothing: every
client of the demo book comes back "unchanged", the client, profile and touch tables byte
for byte the same; and imported into an empty book it brings the children with their
birthdays and the hobbies back as profile answers, not as a note."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.models import Client, Interaction, ProfileValue
from tests.support.paths import SHARED_DATA

TODAY = date(2026, 11, 23)
TABLES = (
    "client",
    "client_email",
    "client_phone",
    "client_tag",
    "profile_value",
    "interaction",
    "deal",
)


@pytest.fixture
def demo_copy(demo_path, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("COCKPIT_TODAY", TODAY.isoformat())
    path = tmp_path / "demo.db"
    shutil.copy(demo_path, path)
    return path


def _tables(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        return {
            table: connection.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
            for table in TABLES
        }


def _export(path: Path, target: Path) -> None:
    assert main(["--db", str(path), "export", "vcard", "--all", str(target)]) == 0


def test_every_client_of_the_demo_book_comes_back_unchanged(demo_copy, tmp_path, capsys):
    before = _tables(demo_copy)
    clients = len(before["client"])
    cards = tmp_path / "clients.vcf"
    _export(demo_copy, cards)
    capsys.readouterr()
    assert main(["--db", str(demo_copy), "import", str(cards)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        f"clients.vcf: contacts created 0, updated 0, unchanged {clients}, failed 0"
    )
    assert len(lines) == 2  # and the total: no client updated, no difference left alone
    assert _tables(demo_copy) == before


def _children_and_hobbies() -> dict[str, tuple[list, list]]:
    found = {}
    for client in Client.select():
        answers = book.profile_answers(client.id)
        children = [
            (row.get("name", ""), row.get("birthday", "")) for row in answers.get("children", [])
        ]
        hobbies = [row["value"] for row in answers.get("hobbies", [])]
        if children or hobbies:
            found[client.name] = (children, hobbies)
    return found


def test_an_export_brings_children_and_hobbies_into_an_empty_book(demo_copy, tmp_path, capsys):
    db = open_database(DatabaseLocation(demo_copy, "--db"))
    wanted = _children_and_hobbies()
    db.close()
    assert wanted  # the demo has some
    cards = tmp_path / "clients.vcf"
    _export(demo_copy, cards)
    empty = tmp_path / "empty.db"
    assert main(["--db", str(empty), "import", str(cards)]) == 0
    db = open_database(DatabaseLocation(empty, "--db"))
    try:
        assert _children_and_hobbies() == wanted
        assert not Interaction.select().where(Interaction.kind == "note").exists()
    finally:
        db.close()


def test_what_only_the_profile_holds_comes_back_unchanged(db, book_path, today, tmp_path, capsys):
    """The card's company, title and numbers taken from the profile, a child known by the
    birthday alone, a hobby with a comma, an address of two lines, and a birthday stored
    before Cockpit checked dates (the card leaves its year out)."""
    eve = book.add_client("Eve Adams", "", emails=["eve@example.com"])
    book.set_profile(
        eve,
        {
            "company_name": "Globex",
            "job_title": "Buyer",
            "phones": [{"number": "+44 20 7946 0000", "label": "mobile"}],
            "children": [{"name": "", "birthday": "2015-06-01"}, {"name": "Tom"}],
            "hobbies": [{"value": "painting, mostly oils"}],
            "home_address": "1 High Street\nLondon",
            "birth_date": "1980-01-02",
        },
    )
    ProfileValue.update(text="1850-01-02").where(ProfileValue.field_key == "birth_date").execute()
    before = _tables(book_path)
    cards = tmp_path / "eve.vcf"
    _export(book_path, cards)
    capsys.readouterr()
    assert main(["--db", str(book_path), "import", str(cards)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "eve.vcf: contacts created 0, updated 0, unchanged 1, failed 0"
    )
    assert _tables(book_path) == before


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not here")
def test_what_the_sample_address_books_brought_comes_back_unchanged(
    db, book_path, today, tmp_path, capsys
):
    samples = sorted(SHARED_DATA.glob("vcard/*.vcf")) + sorted(SHARED_DATA.glob("csv/*.csv"))
    assert main(["--db", str(book_path), "import", *map(str, samples)]) in (0, 1)
    before = _tables(book_path)
    cards = tmp_path / "clients.vcf"
    _export(book_path, cards)
    capsys.readouterr()
    assert main(["--db", str(book_path), "import", str(cards)]) == 0
    clients = len(before["client"])
    assert capsys.readouterr().out.splitlines()[0] == (
        f"clients.vcf: contacts created 0, updated 0, unchanged {clients}, failed 0"
    )
    assert _tables(book_path) == before
