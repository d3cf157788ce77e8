"""Tags from address books (issue 23, point 3): vCard CATEGORIES, Google's labels (its older
"Group Membership") and Outlook's categories become tags; an import adds tags and never
takes one away, says what it added, and its undo takes back exactly those. On SQLite and
on PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.importers.contacts_csv import parse_contacts_csv
from cockpit.importers.files import import_paths
from cockpit.importers.vcard import parse_vcards
from cockpit.storage import book
from cockpit.storage.import_undo import UndoRefused, undo_import
from tests.support.paths import SHARED_DATA

needs_samples = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not here")


@pytest.fixture
def db(db_on_both):
    """These tests hold on SQLite and on PostgreSQL alike."""
    return db_on_both


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "surrogateescape")


def _tags_by_name(records) -> dict[str, list[str]]:
    return {record.name: record.tags for record in records if hasattr(record, "tags")}


@needs_samples
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ezvcard-John_Doe_EVOLUTION.vcf", {"Mr. John Richter, James Doe Sr.": ["VIP"]}),
        ("khard-vcards-category.vcf", {"contact with category": ["bar"]}),
        # Thunderbird escapes the commas between its categories: still three tags.
        ("ezvcard-thunderbird-MoreFunctionsForAddressBook-extension.vcf",
         {"John Doe": ["category1", "category2", "category3"]}),
        # A category holding a comma (which separates tags) is cut there.
        ("l0b0vcard-maximal.vcf",
         {"John Doe": ["Worker drones", "Finance", "marketing and bull****ing"]}),
    ],
)  # fmt: skip
def test_vcard_categories_become_tags(name, expected):
    path = SHARED_DATA / "vcard" / name
    found = _tags_by_name(parse_vcards(_read(path), name))
    assert {person: found[person] for person in expected} == expected


@needs_samples
def test_androids_my_contacts_is_no_tag():
    path = SHARED_DATA / "vcard" / "ezvcard-John_Doe_ANDROID.vcf"
    assert "CATEGORIES:My Contacts" in _read(path)
    assert all(tags == [] for tags in _tags_by_name(parse_vcards(_read(path), "a")).values())


@needs_samples
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # "* myContacts ::: Clients": Google's own group left out.
        ("google-contacts-legacy.csv", {"Marta Lindqvist": ["Clients"], "José Álvarez": []}),
        ("google-contacts.csv", {"Kemi Okafor": ["Core clients"], "Hiro Tanaka": []}),
        ("outlook-contacts.csv", {"Dmitri Petrov": ["Clients", "Core"], "Grace O'Brien": []}),
        (
            "outlook-desktop-wizard.csv",
            {"Henrike Brüning": ["Customers", "Key Accounts"], "Tom O'Neill": []},
        ),
    ],
)
def test_google_labels_and_outlook_categories_become_tags(name, expected):
    path = SHARED_DATA / "csv" / name
    found = _tags_by_name(parse_contacts_csv(_read(path), name))
    assert {person: found[person] for person in expected} == expected


def test_google_system_groups_are_left_out_of_the_labels():
    text = (
        "First Name,Last Name,Organization Name,Labels\n"
        "Ann,Smith,Acme,* myContacts ::: * starred ::: Golf ::: Board ::: golf\n"
    )
    (ann,) = parse_contacts_csv(text, "google.csv")
    assert ann.tags == ["Golf", "Board"]


def _card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD", ""])


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@needs_samples
def test_the_sample_files_bring_their_tags_in_and_again_change_nothing(db, today, capsys):
    samples = [
        SHARED_DATA / "vcard" / "ezvcard-John_Doe_EVOLUTION.vcf",
        SHARED_DATA / "csv" / "google-contacts-legacy.csv",
        SHARED_DATA / "csv" / "outlook-contacts.csv",
    ]
    assert main(["import", *map(str, samples), *db.book_args]) in (0, 1)
    capsys.readouterr()
    counts = {count.tag: count.clients for count in book.tag_counts()}
    assert counts == {"Clients": 2, "Core": 1, "VIP": 1}
    assert main(["import", *map(str, samples), *db.book_args]) in (0, 1)
    out = capsys.readouterr().out
    assert "tag" not in out.replace("import #2", "")
    assert {count.tag: count.clients for count in book.tag_counts()} == counts


def test_an_import_adds_tags_to_a_clients_own_never_takes_one_away(db, today, tmp_path):
    ann = book.add_client("Ann Smith", "Acme", emails=["ann@acme.example"], tags=["Board"])
    card = _write(
        tmp_path,
        "ann.vcf",
        _card("FN:Ann Smith", "ORG:Acme", "EMAIL:ann@acme.example", "CATEGORIES:golf,BOARD"),
    )
    result = import_paths([card], overwrite=True)
    assert book.tags_of(ann.id) == ["Board", "golf"]  # her spelling of Board kept
    assert result.change_lines() == [f"{card} (record 1): Ann Smith updated: tag golf added"]
    # The same file again adds nothing; one without categories takes nothing away.
    assert import_paths([card], overwrite=True).change_lines() == []
    bare = _write(tmp_path, "bare.vcf", _card("FN:Ann Smith", "ORG:Acme", "TITLE:CFO"))
    import_paths([bare], overwrite=True)
    assert book.tags_of(ann.id) == ["Board", "golf"]


def test_a_bad_category_is_left_out_and_listed_and_the_rest_comes_in(db, today, tmp_path):
    long = "x" * 41
    card = _write(tmp_path, "cy.vcf", _card("FN:Cy New", f"CATEGORIES:golf,{long}"))
    result = import_paths([card])
    (report,) = result.reports
    assert report.left_out == [
        (
            "record 1",
            f"Cy New: tag '{long}' left out: the tag '{long}' is longer than 40 characters",
        )
    ]
    (cy,) = book.client_candidates()
    assert book.tags_of(cy.id) == ["golf"]


def test_undo_takes_back_the_tags_the_import_added_and_keeps_the_users(db, today, tmp_path):
    ann = book.add_client("Ann Smith", "Acme", emails=["ann@acme.example"], tags=["Board"])
    card = _write(
        tmp_path,
        "people.vcf",
        _card("FN:Ann Smith", "EMAIL:ann@acme.example", "CATEGORIES:golf,Key account")
        + _card("FN:Bob New", "CATEGORIES:golf"),
    )
    import_paths([card])
    assert [(t.key, t.clients) for t in book.tag_counts()] == [
        ("board", 1),
        ("golf", 2),
        ("key account", 1),
    ]
    report = undo_import(1)
    assert report.summary() == "Undid import #1: removed 1 client and 3 tags."  # Bob's too
    assert book.tags_of(ann.id) == ["Board"]
    assert [(t.key, t.clients) for t in book.tag_counts()] == [("board", 1)]


def test_a_tag_the_import_added_and_the_user_retyped_is_kept(db, today, tmp_path):
    ann = book.add_client("Ann Smith", "Acme", emails=["ann@acme.example"])
    card = _write(
        tmp_path, "ann.vcf", _card("FN:Ann Smith", "EMAIL:ann@acme.example", "CATEGORIES:golf")
    )
    import_paths([card])
    book.set_tags(ann.id, ["Golf"])  # the same tag, her spelling
    with pytest.raises(UndoRefused) as refused:
        undo_import(1)
    assert refused.value.changed[0].reasons == ["a tag this import added edited since"]
    undo_import(1, keep_changed=True)
    assert book.tags_of(ann.id) == ["Golf"]


def test_a_client_the_import_created_and_the_user_tagged_since_is_kept(db, today, tmp_path):
    card = _write(tmp_path, "bob.vcf", _card("FN:Bob New", "CATEGORIES:golf"))
    import_paths([card])
    (bob,) = book.client_candidates()
    book.add_tags(bob.id, ["board"])
    with pytest.raises(UndoRefused) as refused:
        undo_import(1)
    assert "1 tag was added since" in refused.value.changed[0].reasons
