"""Importing from the cockpit (issue 19, point 5): a folder as well as a file, a progress bar
that moves while the import runs in a worker (the screen keeps answering), Esc to stop it
with nothing written, the result with the import's number, and `u` to take it back."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.widgets import ProgressBar, Static

from cockpit.importers import files
from cockpit.storage import book
from cockpit.storage.models import Client, ImportRun, Interaction
from cockpit.ui.screens.import_screen import (
    ImportForm,
    ImportProgress,
    ImportResult,
    UndoRefusedScreen,
)
from tests.support.forms import fill
from tests.support.pilot import app_for, loaded, notices, screen_text


def _card(name: str, company: str = "", email: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{name}"]
    if company:
        lines.append(f"ORG:{company}")
    if email:
        lines.append(f"EMAIL:{email}")
    return "\r\n".join([*lines, "END:VCARD", ""])


def _vdir(tmp_path: Path) -> Path:
    """A vdirsyncer-style folder: one subfolder per collection, one card a file, a note
    Cockpit does not know, and a hidden file."""
    folder = tmp_path / "contacts"
    (folder / "work").mkdir(parents=True)
    (folder / "home").mkdir()
    (folder / "work" / "a.vcf").write_text(_card("[bold]Vic[/bold]", "[red]Co[/red]"))
    (folder / "work" / "b.vcf").write_text(_card("Ann Smith", "Acme", "ann@acme.example"))
    (folder / "home" / "c.vcf").write_text(_card("Cy Tan"))
    (folder / "home" / "displayname").write_text("Home\n")
    (folder / ".vdirsyncer-status").write_text("x")
    return folder


async def _open_form(app, pilot) -> ImportForm:
    await loaded(pilot)
    app.main.action_import_file()
    await pilot.pause()
    assert isinstance(app.screen, ImportForm)
    return app.screen


async def test_a_folder_imports_under_a_progress_bar_and_names_show_literally(
    db, book_path, tmp_path, today
):
    folder = _vdir(tmp_path)
    db.close()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(app, pilot)
        fill(form, {"path": str(folder)})
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, ImportResult)
        text = "\n".join(str(shown.render()) for shown in app.screen.query(Static))
        assert "Total, 3 files, import #1: 3 clients created, 0 updated, 0 unchanged" in text
        assert "home/displayname: skipped, not a file Cockpit knows" in text
        assert "work/a.vcf: contacts created 1" in text
        await pilot.press("escape")
        await loaded(pilot)
        assert "[bold]Vic[/bold]" in screen_text(app)  # text, never markup
    assert sorted(client.name for client in Client.select()) == [
        "Ann Smith",
        "Cy Tan",
        "[bold]Vic[/bold]",
    ]
    assert Client.get(Client.name == "[bold]Vic[/bold]").company == "[red]Co[/red]"


async def test_the_bar_moves_while_the_screen_keeps_answering_and_esc_writes_nothing(
    db, book_path, tmp_path, today, monkeypatch
):
    """The import waits half-way (a slow disk, say) until the test lets it go on: the bar
    shows how far it is, the screen answers keys meanwhile, and Esc stops it."""
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(4):
        (folder / f"{number}.vcf").write_text(_card(f"Person {number}"))
    half_way, go_on = threading.Event(), threading.Event()
    real_meter_file = files._Meter.file

    def slow_file(meter, shown, size):
        if shown == "2.vcf":
            half_way.set()
            assert go_on.wait(10)
        return real_meter_file(meter, shown, size)

    monkeypatch.setattr(files._Meter, "file", slow_file)
    db.close()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(app, pilot)
        fill(form, {"path": str(folder)})
        await pilot.press("ctrl+s")
        for _ in range(100):
            await pilot.pause(0.05)
            if half_way.is_set():
                break
        assert half_way.is_set()
        await pilot.pause(0.1)
        assert isinstance(app.screen, ImportProgress)
        bar = app.screen.query_one("#bar", ProgressBar)
        assert 0 < bar.progress < 100  # two of four files read
        assert "1.vcf" in str(app.screen.query_one("#file", Static).render())
        await pilot.press("escape")  # the screen answers while the worker waits
        await pilot.pause()
        assert "Cancelling" in str(app.screen.query_one("#file", Static).render())
        go_on.set()
        await loaded(pilot)
        assert not isinstance(app.screen, ImportProgress)
        assert "the import was cancelled; nothing was imported" in notices(app)
    assert Client.select().count() == 0
    assert ImportRun.select().count() == 0


async def test_u_on_the_result_takes_the_import_back(db, book_path, tmp_path, today):
    folder = _vdir(tmp_path)
    ann = book.add_client("Ann Smith", "Acme", title="Buyer")
    db.close()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(app, pilot)
        fill(form, {"path": str(folder)})
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, ImportResult)
        await pilot.press("u")
        await loaded(pilot)
        assert "Undid import #1: removed 2 clients and 1 email." in notices(app)
    assert [client.name for client in Client.select()] == ["Ann Smith"]
    assert [email.address for email in Client.get_by_id(ann.id).emails] == []


async def test_an_undo_refused_lists_what_changed_and_can_undo_the_rest(
    db, book_path, tmp_path, today
):
    folder = _vdir(tmp_path)
    assert files.import_paths([folder]).import_id == 1
    cy = Client.get(Client.name == "Cy Tan")
    book.add_interaction(cy, "call", summary="Met since")
    db.close()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        from cockpit.ui.screens.import_screen import undo_import

        undo_import(app.main, 1)
        await loaded(pilot)
        assert isinstance(app.screen, UndoRefusedScreen)
        text = "\n".join(str(shown.render()) for shown in app.screen.query(Static))
        assert f"Cy Tan (#{cy.id}): 1 touch or note was added since" in text
        assert Client.select().count() == 3  # nothing changed yet
        await pilot.press("r")
        await loaded(pilot)
        assert "kept 1 client changed since" in notices(app)
    assert [client.name for client in Client.select()] == ["Cy Tan"]
    assert Interaction.select().count() == 1


def _merging_file(tmp_path: Path) -> Path:
    """Frank Dawson shares Ralf Engels's email; Ann Smith brings a phone number."""
    path = tmp_path / "people.vcf"
    path.write_text(
        _card("Frank Dawson", email="f@x.com")
        + _card("Ann Smith", "Acme", "ann@acme.example").replace(
            "END:VCARD", "TEL:+1 555 0100\r\nEND:VCARD"
        )
    )
    return path


async def _imported(app, pilot, path: Path, *checked: str) -> str:
    """Import the file through the form, these checkboxes ticked; the result's text."""
    form = await _open_form(app, pilot)
    fill(form, {"path": str(path)})
    for checkbox in checked:
        await pilot.click(checkbox)
    await pilot.press("ctrl+s")
    await loaded(pilot)
    assert isinstance(app.screen, ImportResult)
    return "\n".join(str(shown.render()) for shown in app.screen.query(Static))


async def test_the_result_names_merges_and_what_changed(db, book_path, tmp_path, today):
    path = _merging_file(tmp_path)
    book.add_client("Ralf Engels", "Acme", emails=["f@x.com"])
    book.add_client("Ann Smith", "Acme", emails=["ann@acme.example"])
    db.close()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        text = await _imported(app, pilot, path)
        assert "Frank Dawson merged into Ralf Engels (same email f@x.com)" in text
        assert "Ann Smith updated: phone +1 555 0100 added" in text
        assert "1 merged by email (--no-merge-by-email keeps them apart)" in text
    assert Client.select().count() == 2


async def test_no_merge_by_email_keeps_the_contact_a_client_of_its_own(
    db, book_path, tmp_path, today
):
    path = _merging_file(tmp_path)
    book.add_client("Ralf Engels", "Acme", emails=["f@x.com"])
    db.close()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        text = await _imported(app, pilot, path, "#no-merge-by-email")
        assert "Total, 1 file, import #1: 2 clients created, 0 updated" in text
        assert "merged" not in text
    assert sorted(client.name for client in Client.select()) == [
        "Ann Smith",
        "Frank Dawson",
        "Ralf Engels",
    ]
