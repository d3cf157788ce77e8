"""The Mackay 66 editor: every field type round-trips, mistakes keep what was typed."""

from __future__ import annotations

from textual.widgets import Button, Input, Select, Static, TextArea

from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation
from cockpit.ui.app import CockpitApp
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.screens.profile_editor import ProfileEditor
from cockpit.ui.widgets.client_list import ClientList
from cockpit.ui.widgets.profile_pane import ProfilePane
from tests.support.pilot import loaded, screen_text
from tests.support.profile_editor import STORED, open_editor


async def test_every_field_type_round_trips(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        assert app.focused.id == "f-name"  # typing starts at the first field
        assert editor.query_one("#f-nickname", Input).value == "Annie"
        assert editor.query_one("#f-company_address", TextArea).text == "1 Main St\nSpringfield"
        assert editor.query_one("#f-birth_date", Input).value == "--04-15"
        assert editor.query_one("#f-children-1-name", Input).value == "Leo"
        assert editor.query_one("#f-drinks", Select).value == "no"
        assert editor.query_one("#f-marital_status", Select).value == "married"
        assert not editor.changed
        # Change one of each type, with dates as people type them.
        editor.query_one("#f-nickname", Input).value = "Ann"
        editor.query_one("#f-company_address", TextArea).text = "2 High St"
        editor.query_one("#f-birth_date", Input).value = "15 May 1970"
        editor.query_one("#f-children-1-birthday", Input).value = "3 March"
        editor.query_one("#f-children-2-name", Input).value = "Zoe"
        editor.query_one("#f-hobbies-0-value", Input).value = ""
        editor.query_one("#f-drinks", Select).value = "yes"
        editor.query_one("#f-marital_status", Select).value = "partnered"
        assert editor.changed
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert not isinstance(app.screen, ProfileEditor)
    answers = book.profile_answers(profiled)
    assert answers["nickname"] == "Ann"
    assert answers["company_address"] == "2 High St"
    assert answers["birth_date"] == "1970-05-15"
    assert answers["children"] == [
        {"name": "Mia", "birthday": "2015-11-02"},
        {"name": "Leo", "birthday": "--03-03"},
        {"name": "Zoe"},
    ]
    assert "hobbies" not in answers  # cleared
    assert (answers["drinks"], answers["marital_status"]) == ("yes", "partnered")
    assert answers["confidential_subjects"] == "Her divorce"  # untouched fields stay


async def test_a_wrong_date_is_reported_at_its_field_and_nothing_is_saved(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#f-nickname", Input).value = "Typed and kept"
        editor.query_one("#f-wedding_anniversary", Input).value = "31 June"
        editor.query_one("#f-children-0-birthday", Input).value = "soon"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProfileEditor)
        error = str(editor.query_one("#f-wedding_anniversary-error", Static).render())
        assert "Anniversary: --06-31 is not a date on the calendar" in error
        assert "not a date" in str(editor.query_one("#f-children-error", Static).render())
        assert editor.query_one("#f-nickname", Input).value == "Typed and kept"
        assert app.focused is editor.query_one("#f-wedding_anniversary", Input)
    assert book.profile_answers(profiled)["nickname"] == "Annie"


async def test_leaving_with_unsaved_changes_asks_first(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        await pilot.press("escape")  # nothing changed: it just closes
        await pilot.pause()
        assert not isinstance(app.screen, ProfileEditor)
        editor = await open_editor(pilot)
        editor.query_one("#f-nickname", Input).value = "Changed"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.click("#discard")
        await loaded(pilot)
        assert not isinstance(app.screen, ProfileEditor)
    assert book.profile_answers(profiled)["nickname"] == "Annie"


async def test_sections_jump_with_ctrl_arrows(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_editor(pilot)
        await pilot.press("ctrl+down", "ctrl+down")
        await pilot.pause()
        assert app.focused.id == "f-marital_status"  # the first field of Family
        assert "Family 3/7" in screen_text(app)


async def test_the_pane_masks_sensitive_answers_until_revealed(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 100)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert "Do not raise" in text
        assert "Her divorce" not in text and "Knee" not in text and "married" not in text
        app.query_one(ProfilePane).focus()
        await pilot.press("r")
        text = screen_text(app)
        assert "married" in text and "Her divorce" not in text  # one at a time
        assert "Family 3/7" in text  # completeness by section
        # Fresh data comes masked again: a reveal never carries over to new answers.
        app.main.load_book(app.query_one(ClientList).selected.id)
        await loaded(pilot)
        assert "married" not in screen_text(app)


async def test_the_list_sorts_by_profile_completeness(profiled, book_path):
    book.add_client("Zed Empty")
    book.add_client("Aaron Empty")  # first by name: the profile sort puts Ann first
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("s", "s", "s", "s")
        await loaded(pilot)  # the profiles are counted for this sort only
        assert app.sub_title.endswith("sorted by profile")
        assert [row.health.name for row in app.query_one(ClientList).rows] == [
            "Ann Smith",
            "Aaron Empty",
            "Zed Empty",
        ]


async def test_values_the_form_cannot_show_exactly_are_left_alone(profiled, book_path):
    from cockpit.storage.models import ProfileValue

    ProfileValue.update(text="engaged").where(ProfileValue.field_key == "marital_status").execute()
    book.set_profile(profiled, {"birthplace": "Oslo\nand Bergen"})
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        assert editor.query_one("#f-marital_status", Select).value == "engaged"  # kept as shown
        assert not editor.changed
        editor.query_one("#f-nickname", Input).value = "Ann"
        await pilot.press("ctrl+s")
        await loaded(pilot)
    answers = book.profile_answers(profiled)
    assert answers["nickname"] == "Ann"
    assert answers["marital_status"] == "engaged"
    assert answers["birthplace"] == "Oslo\nand Bergen"
    assert answers["company_address"] == STORED["company_address"]


async def test_a_failed_save_keeps_the_editor_and_what_was_typed(profiled, book_path, monkeypatch):
    from peewee import OperationalError

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(book, "set_profile", locked)
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#f-nickname", Input).value = "Kept"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert app.screen is editor
        assert editor.query_one("#f-nickname", Input).value == "Kept"
        assert "Nothing was saved" in str(editor.query_one("#save-error", Static).render())


async def test_each_bad_list_cell_is_named_and_focused(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#f-children-1-birthday", Input).value = "31 June"
        editor.query_one("#f-children-2-name", Input).value = "Zoe"
        editor.query_one("#f-children-2-birthday", Input).value = "bogus"
        await pilot.press("ctrl+s")
        await pilot.pause()
        message = str(editor.query_one("#f-children-error", Static).render())
        assert "Children, row 2, Birthday: --06-31 is not a date on the calendar" in message
        assert "Children, row 3, Birthday: 'bogus' is not a date" in message
        assert app.focused.id == "f-children-1-birthday"


async def test_a_section_starting_with_a_list_gets_its_first_cell(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#f-spouse_name", Input).focus()  # in Family
        await pilot.pause()
        await pilot.press("ctrl+down")  # Business background starts with a list
        await pilot.pause()
        assert app.focused.id == "f-earlier_employers-0-company"
        await pilot.press("ctrl+up", "ctrl+up")
        await pilot.pause()
        assert app.focused.id == "f-high_school"  # Education


async def test_saved_answers_come_back_in_the_editor(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        editor.query_one("#f-earlier_employers-0-company", Input).value = "Globex"
        editor.query_one("#f-earlier_employers-0-dates", Input).value = "2009-2014"
        editor.query_one("#f-no_college_touchy", Select).value = "yes"
        await pilot.press("ctrl+s")
        await loaded(pilot)
        editor = await open_editor(pilot)
        assert editor.query_one("#f-earlier_employers-0-company", Input).value == "Globex"
        assert editor.query_one("#f-earlier_employers-0-dates", Input).value == "2009-2014"
        assert editor.query_one("#f-no_college_touchy", Select).value == "yes"
        assert not editor.changed


async def test_a_list_grows_a_row_on_request(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        for row, name in enumerate(("A", "B", "C"), start=2):  # rows 3-5 (row 5 is new)
            if not editor.query(f"#f-children-{row}-name"):
                editor.query_one("#add-children", Button).press()
                await pilot.pause()
            editor.query_one(f"#f-children-{row}-name", Input).value = name
        editor.query_one("#add-children", Button).press()
        await pilot.pause()
        await pilot.pause()
        editor.query_one("#f-children-5-name", Input).value = "F"
        assert app.focused.id == "f-children-5-name"
        await pilot.press("ctrl+s")
        await loaded(pilot)
    names = [row["name"] for row in book.profile_answers(profiled)["children"]]
    assert names == ["Mia", "Leo", "A", "B", "C", "F"]
