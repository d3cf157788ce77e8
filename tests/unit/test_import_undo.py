"""`cockpit import --undo [ID]` (issue 19, point 5): every import has a number, and taking it
back removes what it added and puts back what it changed, merges included, exactly; what
was changed since is never clobbered (the undo is refused, or keeps it with
--keep-changed); an import is undone once. On SQLite and on PostgreSQL alike."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.errors import UsageError
from cockpit.fields import ClientFields
from cockpit.importers.files import import_paths
from cockpit.storage import book, import_ledger, revision
from cockpit.storage.forgetting import forget_profile_for_good
from cockpit.storage.import_undo import UndoRefused, undo_import
from cockpit.storage.models import (
    Client,
    ClientEmail,
    ClientPhone,
    ClientTag,
    Deal,
    ImportChange,
    ImportRun,
    Interaction,
    ProfileValue,
    database_proxy,
)
from tests.support.paths import FIXTURES, SHARED_DATA

HEADER = "client,company,date,kind,intent,duration_min,amount,note\n"
TABLES = (Client, ClientEmail, ClientPhone, ClientTag, Interaction, Deal, ProfileValue)


@pytest.fixture
def db(db_on_both):
    """These tests hold on SQLite and on PostgreSQL alike."""
    return db_on_both


def _book() -> dict[str, list[tuple]]:
    """Every row of the client tables, as stored (the summaries of a client included)."""
    return {
        model._meta.table_name: list(model.select().order_by(model.id).tuples()) for model in TABLES
    }


def _card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD", ""])


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def ann(db, today) -> Client:
    """A client with a bit of everything an import can touch."""
    ann = book.add_client(
        "Ann Smith",
        "Acme",
        title="Head of Buying",
        emails=["ann@acme.example"],
        phones=["+1 555 0100"],
    )
    book.set_profile(ann, {"birth_date": "1979-03-14", "spouse_name": "Erik"})
    book.add_interaction(ann, "call", summary="Before the import")
    return ann


def _merging_import(tmp_path: Path, *, overwrite: bool = True):
    """A folder whose files add clients, merge into Ann (a new title, email, phone,
    nickname, spouse and note) and bring touches and deals."""
    folder = tmp_path / "in"
    _write(
        folder / "cards",
        "ann.vcf",
        _card(
            "FN:Ann Smith",
            "ORG:Acme",
            "TITLE:Buyer",
            "EMAIL:ann@acme.example",
            "EMAIL:ann.smith@home.example",
            "TEL:+1 555 0199",
            "NICKNAME:Annie",
            "X-SPOUSE:Erika",
            "NOTE:Met at the fair.",
        ),
    )
    _write(folder / "cards", "bob.vcf", _card("FN:Bob Jones", "EMAIL:bob@jones.example"))
    _write(
        folder,
        "history.csv",
        HEADER + "Ann Smith,Acme,2026-01-10,deal,,,1200,Renewal\n"
        "Ann Smith,Acme,2026-01-12,call,,20,,After the import\n"
        "Cleo Tan,,2026-02-01,email,,,,Hello\n",
    )
    return import_paths([folder], overwrite=overwrite)


def test_an_import_taken_back_leaves_the_book_exactly_as_it_was(ann, tmp_path):
    before = _book()
    changes_before = revision.current(database_proxy.obj).changes
    result = _merging_import(tmp_path)
    assert result.import_id == 1
    assert Client.get_by_id(ann.id).title == "Buyer"
    assert book.profile_answers(ann)["spouse_name"] == "Erika"
    counted = revision.current(database_proxy.obj).changes
    assert counted > changes_before  # the revision counts the import's changes

    report = undo_import(1)
    assert report.summary() == (
        "Undid import #1: removed 2 clients, 2 touches, 1 note, 1 deal, 2 emails and "
        "1 phone number; put back 3 changed values of 1 client."
    )
    assert _book() == before
    assert revision.current(database_proxy.obj).changes > counted  # the undo too


def test_the_values_put_back_are_the_very_ones_stored_before(ann, tmp_path):
    stored = list(
        ProfileValue.select(ProfileValue.field_key, ProfileValue.text, ProfileValue.updated_at)
        .where(ProfileValue.client == ann.id)
        .order_by(ProfileValue.field_key)
        .tuples()
    )
    row = Client.get_by_id(ann.id)
    _merging_import(tmp_path)
    undo_import()
    again = Client.get_by_id(ann.id)
    assert (again.title, again.updated_at, again.lifecycle) == (row.title, row.updated_at, "active")
    assert (
        list(
            ProfileValue.select(ProfileValue.field_key, ProfileValue.text, ProfileValue.updated_at)
            .where(ProfileValue.client == ann.id)
            .order_by(ProfileValue.field_key)
            .tuples()
        )
        == stored
    )


def test_a_client_worked_on_since_is_never_clobbered(ann, tmp_path):
    _merging_import(tmp_path)
    cleo = Client.get(Client.name == "Cleo Tan")
    book.add_interaction(cleo, "call", summary="Logged after the import")
    before = _book()
    with pytest.raises(UndoRefused) as refused:
        undo_import(1)
    assert [changed.line() for changed in refused.value.changed] == [
        f"Cleo Tan (#{cleo.id}): 1 touch or note was added since"
    ]
    assert "nothing was changed" in refused.value.message
    assert _book() == before
    assert ImportRun.get_by_id(1).undone_at is None

    report = undo_import(1, keep_changed=True)
    assert [kept.client_id for kept in report.kept] == [cleo.id]
    assert "kept 1 client changed since, as they are" in report.summary()
    assert [client.name for client in Client.select().order_by(Client.id)] == [
        "Ann Smith",
        "Cleo Tan",
    ]
    assert Client.get_by_id(ann.id).title == "Head of Buying"
    assert Interaction.select().where(Interaction.client == cleo.id).count() == 2


def test_a_value_the_import_set_and_the_user_changed_since_is_kept(ann, tmp_path):
    _merging_import(tmp_path)
    fields = ClientFields(
        name="Ann Smith",
        company="Acme",
        title="Chief Buyer",
        emails=["ann@acme.example"],
        phones=["+1 555 0100"],
    )
    book.update_client(ann.id, fields)
    with pytest.raises(UndoRefused) as refused:
        undo_import(1)
    (changed,) = refused.value.changed
    assert changed.client_id == ann.id
    assert "the title this import set changed since" in changed.line()
    report = undo_import(1, keep_changed=True)
    assert Client.get_by_id(ann.id).title == "Chief Buyer"
    assert report.removed["clients"] == 2


def test_a_touch_the_import_added_and_the_user_edited_is_kept(ann, tmp_path):
    _merging_import(tmp_path)
    call = Interaction.get(Interaction.summary == "After the import")
    Interaction.update(summary="After the import, edited").where(
        Interaction.id == call.id
    ).execute()
    with pytest.raises(UndoRefused) as refused:
        undo_import(1)
    assert "a touch or note this import added edited since" in refused.value.changed[0].line()


def test_an_import_is_undone_once_and_plain_undo_means_the_latest(ann, tmp_path):
    _merging_import(tmp_path)
    later = _write(tmp_path / "later", "dan.vcf", _card("FN:Dan Lee"))
    assert import_paths([later]).import_id == 2
    undo_import()  # the latest: #2
    assert not Client.select().where(Client.name == "Dan Lee").exists()
    with pytest.raises(UsageError, match="the latest import, #2, was undone already"):
        undo_import()
    with pytest.raises(UsageError, match="import #2 was undone already"):
        undo_import(2)
    with pytest.raises(UsageError, match="there is no import #9"):
        undo_import(9)
    undo_import(1)
    assert [client.name for client in Client.select()] == ["Ann Smith"]


def test_a_later_import_that_changed_the_same_client_is_named(db, today, tmp_path):
    first = _write(tmp_path / "a", "cy.vcf", _card("FN:Cy Tan", "EMAIL:cy@tan.example"))
    second = _write(
        tmp_path / "b", "cy.vcf", _card("FN:Cy Tan", "EMAIL:cy@tan.example", "TEL:+1 555 0123")
    )
    import_paths([first])
    import_paths([second])
    cy = Client.get()
    with pytest.raises(UndoRefused) as refused:
        undo_import(1)
    assert refused.value.changed[0].line() == (
        f"Cy Tan (#{cy.id}): 1 phone number was added since "
        "(the later import #2 changed it too: undo #2 first)"
    )
    undo_import(2)
    assert [phone.number for phone in ClientPhone.select()] == []
    undo_import(1)
    assert Client.select().count() == 0


def test_a_prospect_made_active_by_the_import_is_a_prospect_again(db, today, tmp_path):
    lead = book.add_client("Lead Co", lifecycle="prospect")
    path = _write(tmp_path, "h.csv", HEADER + "Lead Co,,2026-01-10,deal,,,500,First order\n")
    import_paths([path])
    assert Client.get_by_id(lead.id).lifecycle == "active"
    undo_import()
    again = Client.get_by_id(lead.id)
    assert (again.lifecycle, again.won_on) == ("prospect", None)
    assert Deal.select().count() == 0


def test_a_dry_run_writes_nothing_and_has_no_number(ann, tmp_path):
    before = _book()
    folder = tmp_path / "dry"
    _write(folder, "x.vcf", _card("FN:Xu Li"))
    result = import_paths([folder], dry_run=True)
    assert result.import_id is None
    assert result.total().startswith("Total, 1 file (a dry run: nothing was written): 1 client")
    assert _book() == before and ImportRun.select().count() == 0
    number = _merging_import(tmp_path).import_id  # 2 on PostgreSQL: its sequences go on
    report = undo_import(number, dry_run=True)
    assert report.summary().startswith(f"Would undo import #{number}: would remove 2 clients")
    assert ImportRun.get_by_id(number).undone_at is None
    assert Client.select().count() == 3


def test_an_import_that_changed_nothing_is_undone_with_nothing_to_take_back(db, today, tmp_path):
    path = _write(tmp_path, "cy.vcf", _card("FN:Cy Tan"))
    import_paths([path])
    assert import_paths([path]).import_id == 2
    assert undo_import(2).summary() == "Undid import #2: removed nothing."
    assert Client.select().count() == 1


def test_forgetting_a_profile_erases_the_answers_the_ledger_kept(ann, tmp_path, db):
    _merging_import(tmp_path)
    kept = ImportChange.select().where(ImportChange.what.startswith("profile:"))
    assert {change.what for change in kept} == {"profile:nickname", "profile:spouse_name"}
    assert any("Erik" in change.before for change in kept)  # what the undo would put back
    location = db.location if hasattr(db, "location") else None
    if book.on_server():
        from cockpit.storage.profile_answers import forget_profile

        with database_proxy.atomic():
            forget_profile(ann.id)
            import_ledger.forget_profile_copies(ann.id)
    else:
        from cockpit.storage.database import DatabaseLocation

        forget_profile_for_good(db, ann.id, location or DatabaseLocation(Path(db.database), "--db"))
    assert not ImportChange.select().where(ImportChange.what.startswith("profile:")).exists()
    undo_import(1)  # the rest is taken back; the answers erased for good are not put back
    assert book.profile_answers(ann) == {}
    assert Client.get_by_id(ann.id).title == "Head of Buying"


def test_the_commands_list_undo_and_refuse(ann, tmp_path, capsys, db):
    _merging_import(tmp_path)
    args = db.book_args
    assert main(["import", "--list", *args]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("#1  ")
    assert line.endswith(
        "  in (3 files): 2 clients created, 2 updated, 0 unchanged; added 2 touches, "
        "1 note and 1 deal; 0 rows already there; 0 failed"
    )
    cleo = Client.get(Client.name == "Cleo Tan")
    book.add_interaction(cleo, "call", summary="since")
    assert main(["import", "--undo", *args]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"Cleo Tan (#{cleo.id}): 1 touch or note was added since",
        "cockpit: import #1 was not undone: 1 of its client was changed since, and undoing "
        "it would lose that; nothing was changed. Undo the later imports first, or undo the "
        "rest and keep these as they are (--keep-changed)",
    ]
    assert main(["import", "--undo", "#1", "--keep-changed", "--dry-run", *args]) == 0
    assert capsys.readouterr().out.startswith(f"kept as it is: Cleo Tan (#{cleo.id})")
    assert main(["import", "--undo", "1", "--keep-changed", *args]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("Undid import #1: removed 1 client")
    assert main(["import", "--list", *args]) == 0
    assert "[undone " in capsys.readouterr().out
    for wrong, message in (
        (["--undo", "x"], "give an import's number"),
        (["--undo", "1", "file.vcf"], "--list and --undo take no files"),
        (["--list", "--undo"], "give --list or --undo, not both"),
        (["--keep-changed", "file.vcf"], "--keep-changed goes with --undo"),
        ([], "give the files or folders to import"),
    ):
        assert main(["import", *wrong, *args]) == 2
        assert message in capsys.readouterr().err


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not here")
def test_every_sample_file_together_is_one_import_taken_back_whole(db, today, capsys):
    book.add_client("Kemi Okafor", "Crescent Health", title="Old title")
    before = _book()
    samples = sorted(SHARED_DATA.glob("vcard/*.vcf")) + sorted(SHARED_DATA.glob("csv/*.csv"))
    assert main(["import", *map(str, samples), "--overwrite", *db.book_args]) in (0, 1)
    total = capsys.readouterr().out.splitlines()[-1]
    assert total.startswith(f"Total, {len(samples)} files, import #1: ")
    undo_import(1)
    assert _book() == before


def test_an_upgraded_book_keeps_its_ledger(tmp_path):
    """The fixture of schema 8 holds an import; a later Cockpit still takes it back."""
    import shutil

    from cockpit.storage.database import DatabaseLocation, open_database

    copy = tmp_path / "book.db"
    shutil.copy(FIXTURES / "schema_v8.db", copy)
    opened = open_database(DatabaseLocation(copy, "--db"))
    try:
        assert Client.select().where(Client.name == "Cy Fixture").exists()
        report = undo_import(1)
        assert report.removed["clients"] == 1
        assert not Client.select().where(Client.name == "Cy Fixture").exists()
        assert "nickname" not in book.profile_answers(Client.get(Client.name == "Ann Fixture"))
    finally:
        opened.close()
    with sqlite3.connect(copy) as connection:
        (summary,) = connection.execute("SELECT undo_summary FROM import_run").fetchone()
    assert summary.startswith("Undid import #1")


def test_a_restored_backup_keeps_the_ledger_and_the_import_is_undone_there(
    ann, tmp_path, db, capsys
):
    _merging_import(tmp_path)
    backup = tmp_path / "book.json"
    assert main(["backup", str(backup), *db.book_args]) == 0
    copy = tmp_path / "copy.db"
    assert main(["restore", str(backup), "--db", str(copy)]) == 0
    capsys.readouterr()
    assert main(["import", "--undo", "--db", str(copy)]) == 0
    assert capsys.readouterr().out.startswith("Undid import #1: removed 2 clients")
    with sqlite3.connect(copy) as restored:
        names = [name for (name,) in restored.execute("SELECT name FROM client")]
        (title,) = restored.execute("SELECT title FROM client").fetchone()
    assert names == ["Ann Smith"] and title == "Head of Buying"


def test_a_client_taken_back_leaves_no_item_in_a_stored_review(db, today, tmp_path):
    import json
    from datetime import date

    from cockpit.storage.models import Review

    path = _write(tmp_path, "cy.vcf", _card("FN:Cy Tan") + _card("FN:Di Lu"))
    import_paths([path])
    cy, di = (Client.get(Client.name == name).id for name in ("Cy Tan", "Di Lu"))
    items = [
        {"client_id": client, "part": "follow-ups", "key": f"f:{client}"} for client in (cy, di)
    ]
    Review.create(
        week_start=date(2026, 11, 23),
        started_at=date(2026, 11, 23),
        agenda=json.dumps(
            {"as_of": "2026-11-23", "parts": [{"key": "follow-ups", "items": items}]}
        ),
        owner=book.current_rep(),
    )
    book.add_interaction(di, "call", summary="worked on since: kept")
    undo_import(1, keep_changed=True)
    (agenda,) = [json.loads(review.agenda) for review in Review.select()]
    assert [item["client_id"] for item in agenda["parts"][0]["items"]] == [di]
