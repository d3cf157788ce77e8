"""Issue 20, points 8 and 16: an import names each client it updated with what it changed,
and each contact it merged into a client of another name because they share an email;
`merge_by_email=False` (`--no-merge-by-email`) keeps such a contact a client of its own,
and undoing either import puts the book back exactly."""

from __future__ import annotations

from pathlib import Path

from cockpit.importers.files import import_paths
from cockpit.storage import book
from cockpit.storage.import_undo import undo_import
from cockpit.storage.models import (
    Client,
    ClientEmail,
    ClientPhone,
    Interaction,
    ProfileValue,
)

TABLES = (Client, ClientEmail, ClientPhone, Interaction, ProfileValue)


def _book() -> dict[str, list[tuple]]:
    return {
        model._meta.table_name: list(model.select().order_by(model.id).tuples()) for model in TABLES
    }


def _cards(tmp_path: Path, *cards: list[str]) -> Path:
    path = tmp_path / "people.vcf"
    text = "".join(
        "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD", ""]) for lines in cards
    )
    path.write_text(text, encoding="utf-8")
    return path


def _ralf() -> Client:
    ralf = book.add_client("Ralf Engels", "Acme", emails=["f@x.com"], phones=["+1 555 0100"])
    book.set_profile(ralf, {"children": [{"name": "Mia"}]})
    return ralf


FRANK = ["FN:Frank Dawson", "EMAIL:F@x.com", "TEL:+1 555 0199"]


def test_a_merge_by_email_names_both_and_the_email_and_is_taken_back_exactly(db, today, tmp_path):
    _ralf()
    before = _book()
    result = import_paths([_cards(tmp_path, FRANK)])
    (report,) = result.reports
    assert report.merge_lines() == [
        f"{report.path} (record 1): Frank Dawson merged into Ralf Engels (same email F@x.com)"
    ]
    assert report.summary() == (
        "people.vcf: contacts created 0, updated 1, unchanged 0, failed 0; 1 merged by email "
        "(--no-merge-by-email keeps them apart); 1 differences left alone (--overwrite "
        "replaces them)"
    )
    assert "; 1 merged by email (" in result.total()
    assert Client.select().count() == 1
    undo_import(result.import_id)
    assert _book() == before


def test_the_same_person_found_by_email_is_no_merge(db, today, tmp_path):
    _ralf()
    (report,) = import_paths([_cards(tmp_path, ["FN:ralf  ENGELS", "EMAIL:f@x.com"])]).reports
    assert report.merge_lines() == []
    assert "merged" not in report.summary()


def test_without_merge_by_email_the_contact_is_a_client_of_its_own(db, today, tmp_path):
    ralf = _ralf()
    before = _book()
    result = import_paths([_cards(tmp_path, FRANK)], merge_by_email=False)
    (report,) = result.reports
    assert (report.clients_created, report.clients_updated, report.merges) == (1, 0, [])
    assert sorted(client.name for client in Client.select()) == ["Frank Dawson", "Ralf Engels"]
    assert [e.address for e in Client.get_by_id(ralf.id).emails] == ["f@x.com"]
    undo_import(result.import_id)
    assert _book() == before


def test_each_client_updated_is_named_with_what_changed(db, today, tmp_path):
    _ralf()
    path = _cards(
        tmp_path,
        [
            "FN:Ralf Engels",
            "ORG:Acme",
            "TITLE:Buyer",
            "EMAIL:f@x.com",
            "EMAIL:ralf@home.example",
            "TEL:+1 555 0100",
            "TEL:+1 555 0177",
            "BDAY:1970-05-06",
            "X-CHILD:Mia",
            "X-CHILD:Noah",
            "X-HOBBY:sailing",
            "NOTE:Met in Lisbon",
        ],
        ["FN:Zoe Quinn", "EMAIL:zoe@example.com"],
    )
    dry = import_paths([path], dry_run=True)
    assert dry.change_lines() == [
        f"{path} (record 1): Ralf Engels would be updated: title, birth date filled; "
        "email ralf@home.example added; phone +1 555 0177 added; hobbies added; "
        "children added; note added"
    ]
    result = import_paths([path])
    assert result.change_lines() == [
        f"{path} (record 1): Ralf Engels updated: title, birth date filled; "
        "email ralf@home.example added; phone +1 555 0177 added; hobbies added; "
        "children added; note added"
    ]
    assert import_paths([path]).change_lines() == []  # again: nothing changes
