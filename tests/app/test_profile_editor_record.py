"""Items 1-3 of the Mackay 66 profile (name, company, job title) are the client's own
record: one value, shown and changed alike in the editor, the list, `cockpit profile`."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from cockpit.cli import main
from cockpit.storage import book
from cockpit.storage.models import Client, ProfileValue
from cockpit.ui.screens.profile_editor import ProfileEditor
from tests.support.pilot import app_for, loaded, names, screen_text
from tests.support.profile_editor import open_editor


@pytest.fixture
def ann(db, today) -> int:
    return book.add_client("Ann Smith", "Acme", title="CFO").id


async def test_the_editor_shows_the_clients_name_company_and_title(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        assert editor.query_one("#f-name", Input).value == "Ann Smith"
        assert editor.query_one("#f-company_name", Input).value == "Acme"
        assert editor.query_one("#f-job_title", Input).value == "CFO"
        assert "Customer 2/6" in screen_text(app)  # items 1 and 2 are answered


async def test_changing_them_in_the_editor_changes_the_client(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#f-name", Input).value = "Ann Smith-Jones"
        editor.query_one("#f-job_title", Input).value = "CEO"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert not isinstance(app.screen, ProfileEditor)
        assert names(app) == ["Ann Smith-Jones"]
    client = Client.get_by_id(ann)
    assert (client.name, client.company, client.title) == ("Ann Smith-Jones", "Acme", "CEO")
    assert not ProfileValue.select().exists()  # kept once, in the record


async def test_a_blank_name_is_refused_and_kept_in_the_editor(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#f-name", Input).value = "  "
        editor.query_one("#f-nickname", Input).value = "Annie"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, ProfileEditor)
        said = str(editor.query_one("#save-error", Static).render())
        assert said.startswith("Nothing was saved") and "name" in said
    assert Client.get_by_id(ann).name == "Ann Smith"
    assert "nickname" not in book.profile_answers(ann)


def test_cockpit_profile_shows_the_record(ann, book_path, capsys):
    assert main(["profile", "ann", "--db", str(book_path)]) == 0
    out = capsys.readouterr().out
    assert "Name: Ann Smith" in out
    assert "Job title: CFO" in out
    assert "Company: Acme" in out


def test_an_answer_kept_before_shows_until_the_record_has_one(ann):
    ProfileValue.insert(
        client=ann,
        field_key="job_title",
        row_no=0,
        column_key="",
        text="Old title",
        updated_at=Client.get_by_id(ann).updated_at,
    ).execute()
    assert book.profile_shown(ann)["job_title"] == "CFO"  # the record wins
    Client.update(title="").where(Client.id == ann).execute()
    assert book.profile_shown(ann)["job_title"] == "Old title"  # nothing is lost
