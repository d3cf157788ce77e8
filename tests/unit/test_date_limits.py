"""The dates Cockpit keeps (1900-01-01 to 2200-12-31): refused outside at every way in,
and never a crash on a date stored before the limits were checked."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import vobject
from icalendar import Calendar
from textual.widgets import Input, Static

from cockpit.cli import main
from cockpit.errors import ValidationError
from cockpit.importers.files import import_file
from cockpit.storage import book
from cockpit.storage.models import Client, Deal, Interaction, PlannedCommunication, ProfileValue
from cockpit.ui.screens.profile_editor import ProfileEditor
from tests.support.forms import FORMS, counts, fill
from tests.support.pilot import app_for, loaded

OUTSIDE = "outside the dates Cockpit keeps \\(1900-01-01 to 2200-12-31\\)"


@pytest.fixture
def ann(db, today) -> int:
    """A client with a touch the forms open (as in test_bad_input)."""
    client = book.add_client("Ann Smith", "Acme", emails=["ann@acme.example"])
    book.add_interaction(
        client,
        "call",
        when=datetime(2026, 11, 2, 10),
        summary="Budget call",
        follow_up_on=date(2026, 11, 20),
    )
    return client.id


def run(capsys, *argv: str, book_path) -> tuple[int, str, str]:
    code = main([*argv, "--db", str(book_path)])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_refusal(code: int, out: str, err: str, message: str) -> None:
    assert code != 0 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("cockpit: ")
    assert re.search(message, err), err


# Every command that takes a date -----------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("log", "ann", "call", "--follow-up", "9999-12-31"), f"9999-12-31 is {OUTSIDE}"),
        (("log", "ann", "call", "--follow-up", "2201-01-01"), f"2201-01-01 is {OUTSIDE}"),
        (("log", "ann", "call", "--follow-up", "in 100000 days"), f"2300-09-08 is {OUTSIDE}"),
        (("log", "ann", "call", "--when", "0001-01-01"), f"0001-01-01 is {OUTSIDE}"),
        (("log", "ann", "call", "--when", "1899-12-31 23:59"), f"1899-12-31 is {OUTSIDE}"),
        (("log", "ann", "call", "--when", "0001-01-01T10:00"), f"0001-01-01 is {OUTSIDE}"),
        (("deal", "ann", "100", "--on", "0001-01-01"), f"0001-01-01 is {OUTSIDE}"),
        (("deal", "ann", "100", "--on", "15 April 1850"), f"1850-04-15 is {OUTSIDE}"),
        (("review", "--as-of", "9999-12-31"), f"9999-12-31 is {OUTSIDE}"),
        (("drift", "--as-of", "0001-01-01"), f"0001-01-01 is {OUTSIDE}"),
    ],
)
def test_commands_refuse_a_date_outside_the_range_in_one_line(
    ann, book_path, capsys, argv, message
):
    before = counts()
    one_line_refusal(*run(capsys, *argv, book_path=book_path), message)
    assert counts() == before


def test_year_one_in_a_time_zone_east_of_utc_is_refused_and_the_edges_are_kept(
    ann, book_path, capsys, write_config
):
    write_config('timezone = "Pacific/Auckland"\n')
    before = counts()
    code, out, err = run(
        capsys, "log", "ann", "call", "--when", "0001-01-01 00:00", book_path=book_path
    )
    one_line_refusal(code, out, err, f"0001-01-01 is {OUTSIDE}")
    assert counts() == before
    code, _, err = run(
        capsys, "log", "ann", "call", "--when", "1900-01-01 00:00", book_path=book_path
    )
    assert code == 0, err
    assert Interaction.select().order_by(Interaction.id.desc()).get().day == date(1900, 1, 1)
    code, _, err = run(
        capsys, "log", "ann", "call", "--follow-up", "2200-12-31", book_path=book_path
    )
    assert code == 0, err
    assert run(capsys, "review", "--as-of", "2200-12-31", book_path=book_path)[0] == 0


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"])
@pytest.mark.parametrize("command", [("clients",), ("log", "ann", "call")])
def test_a_fixed_today_outside_the_range_is_one_line_of_error(
    ann, book_path, capsys, monkeypatch, write_config, value, command
):
    write_config('timezone = "Pacific/Auckland"\n')
    monkeypatch.setenv("COCKPIT_TODAY", value)
    before = counts()
    code, out, err = run(capsys, *command, book_path=book_path)
    assert (code, out) == (1, "")
    assert err == (
        f"cockpit: COCKPIT_TODAY='{value}' is outside the dates Cockpit keeps "
        "(1900-01-01 to 2200-12-31)\n"
    )
    assert counts() == before


# The book's own writes, and the profile ----------------------------------------------------


def test_the_book_refuses_days_outside_the_range_whoever_calls_it(ann):
    before = counts()
    outside = (date(1, 1, 1), date(1899, 12, 31), date(2201, 1, 1), date(9999, 12, 31))
    for day in outside:
        with pytest.raises(ValidationError, match=OUTSIDE):
            book.add_interaction(ann, "call", follow_up_on=day)
        with pytest.raises(ValidationError, match=OUTSIDE):
            book.add_deal(ann, "10", won_on=day)
        with pytest.raises(ValidationError, match=OUTSIDE):
            book.add_plan(ann, "Update", 3, "months", day)
        with pytest.raises(ValidationError, match=OUTSIDE):
            book.add_client("Bo", client_since=day)
        with pytest.raises(ValidationError, match=OUTSIDE):
            book.add_interaction(ann, "call", when=datetime.combine(day, datetime.min.time()))
    assert counts() == before


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"birth_date": "1850-04-15"}, f"Birthday: 1850-04-15 is {OUTSIDE}"),
        ({"birth_date": "0001-01-01"}, f"Birthday: 0001-01-01 is {OUTSIDE}"),
        ({"birth_date": "2026-11-24"}, "Birthday: 2026-11-24 is in the future"),
        ({"wedding_anniversary": "9999-12-31"}, f"9999-12-31 is {OUTSIDE}"),
        ({"wedding_anniversary": "2030-06-02"}, "2030-06-02 is in the future"),
        ({"children": [{"name": "Mia", "birthday": "2027-01-01"}]}, "2027-01-01 is in the future"),
    ],
)
def test_profile_dates_are_past_and_from_1900(ann, answers, message):
    with pytest.raises(ValidationError, match=message):
        book.set_profile(ann, answers)
    assert ProfileValue.select().count() == 0
    # A day without a year, the first day kept and today are fine.
    book.set_profile(
        ann,
        {
            "birth_date": "--02-29",
            "wedding_anniversary": "1900-01-01",
            "children": [{"name": "Mia", "birthday": "2026-11-23"}],
        },
    )
    assert book.profile_answers(ann)["birth_date"] == "--02-29"


def test_an_address_book_import_leaves_a_birthday_before_1900_out(db, today, tmp_path):
    path = tmp_path / "cards.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
        "BDAY:1815-12-10\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    report = import_file(path)
    assert report.clients_created == 1
    assert any("1815-12-10" in line and "outside" in line for line in report.failure_lines())
    assert ProfileValue.select().count() == 0


def test_a_history_import_reports_rows_outside_the_range_and_takes_the_rest(db, today, tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(
        "client,company,date,kind,intent,duration_min,amount,note\r\n"
        "Ann,,1850-01-01,call,,,,\r\n"
        "Ann,,0001-01-01T10:00,meeting,,,,\r\n"
        "Ann,,1899-12-31,deal,,,100,\r\n"
        "Ann,,2026-11-20,call,,,,fine\r\n",
        encoding="utf-8",
    )
    report = import_file(path)
    reasons = dict(report.failures)
    assert [re.search(OUTSIDE, reason) is not None for reason in reasons.values()] == [True] * 3
    assert sorted(reasons) == [2, 3, 4]
    assert [touch.summary for touch in Interaction.select()] == ["fine"]
    assert Deal.select().count() == 0


# The forms of the cockpit ------------------------------------------------------------------

FORM_REFUSALS = {
    "client form": [
        ({"since": "0001-01-01"}, f"Client since: 0001-01-01 is {OUTSIDE}"),
        ({"snooze": "9999-12-31"}, f"Snoozed until: 9999-12-31 is {OUTSIDE}"),
    ],
    "log form": [
        ({"when": "0001-01-01 00:00"}, f"When: 0001-01-01 is {OUTSIDE}"),
        ({"follow_up": "9999-12-31"}, f"Follow up: 9999-12-31 is {OUTSIDE}"),
    ],
    "deal form": [({"won_on": "1899-12-31"}, f"Won on: 1899-12-31 is {OUTSIDE}")],
    "plan form": [({"next_due": "9999-12-31"}, f"Next due: 9999-12-31 is {OUTSIDE}")],
    "touch form": [
        ({"when": "0001-01-01 10:00"}, f"When: 0001-01-01 is {OUTSIDE}"),
        ({"follow_up": "2201-01-01"}, f"Follow up on: 2201-01-01 is {OUTSIDE}"),
    ],
    "date prompt (review)": [({"Input": "9999-12-31"}, f"9999-12-31 is {OUTSIDE}")],
}


@pytest.mark.parametrize("name", FORM_REFUSALS)
async def test_every_form_refuses_a_date_outside_the_range(ann, book_path, name):
    form = FORMS[name]
    app = app_for(book_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await loaded(pilot)
        await form.open(app, pilot)
        await loaded(pilot)
        screen = app.screen
        before = counts()
        blank = {key: "" for values, _ in FORM_REFUSALS[name] for key in values}
        for values, message in FORM_REFUSALS[name]:
            fill(screen, {**blank, **form.good, **values})
            await pilot.press("ctrl+s")
            await loaded(pilot)
            assert app.screen is screen, f"{values!r} was accepted"
            shown = str(screen.query_one("#error", Static).render())
            assert re.search(message, shown), f"{values!r}: {shown!r}"
        assert counts() == before


async def test_the_profile_editor_refuses_a_birthday_outside_the_range_at_the_field(ann, book_path):
    app = app_for(book_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await loaded(pilot)
        await pilot.press("enter")
        await loaded(pilot)
        editor = app.screen
        assert isinstance(editor, ProfileEditor)
        for typed, message in (
            ("1850-04-15", f"Birthday: 1850-04-15 is {OUTSIDE}"),
            ("15 April 2030", "Birthday: 2030-04-15 is in the future"),
        ):
            editor.query_one("#f-birth_date", Input).value = typed
            await pilot.press("ctrl+s")
            await pilot.pause()
            shown = str(editor.query_one("#f-birth_date-error", Static).render())
            assert re.search(message, shown), shown
        assert ProfileValue.select().count() == 0


# Exports of a book holding dates stored before the limits ---------------------------------


@pytest.fixture
def old_dates(ann) -> int:
    """A book whose dates were stored before Cockpit checked them, beside good ones."""
    book.set_profile(ann, {"birth_date": "1975-03-14"})
    ProfileValue.update(text="9999-12-31", date_year=9999, date_month=12, date_day=31).execute()
    bo = book.add_client("Bo Good", "Fine Co")
    book.set_profile(bo, {"birth_date": "1980-05-01", "wedding_anniversary": "--06-02"})
    zed = book.add_client("Zed Ancient")
    book.set_profile(zed, {"birth_date": "1975-03-14"})
    ProfileValue.update(text="0001-01-01", date_year=1, date_month=1, date_day=1).where(
        ProfileValue.client == zed.id
    ).execute()
    late = book.add_interaction(bo, "call", summary="late", follow_up_on=date(2026, 12, 1))
    early = book.add_interaction(bo, "email", summary="early", follow_up_on=date(2026, 12, 2))
    book.add_interaction(bo, "meeting", summary="kept", follow_up_on=date(2026, 12, 3))
    Interaction.update(follow_up_on=date(9999, 12, 31)).where(Interaction.id == late.id).execute()
    Interaction.update(occurred_at=datetime(1, 1, 1), day=date(1, 1, 1)).where(
        Interaction.id == early.id
    ).execute()
    plan = book.add_plan(bo, "Quarterly update", 3, "months", date(2026, 12, 1))
    PlannedCommunication.update(next_due=date(9999, 12, 31)).where(
        PlannedCommunication.id == plan.id
    ).execute()
    book.add_plan(bo, "Yearly lunch", 1, "months", date(2026, 12, 5))
    deal = book.add_deal(bo, "500", won_on=date(2026, 1, 5))
    Deal.update(won_on=date(9999, 12, 31)).where(Deal.id == deal.id).execute()
    book.add_deal(bo, "700", won_on=date(2026, 2, 5))
    return bo.id


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/New_York"])
def test_the_calendar_export_leaves_out_what_it_cannot_date_and_keeps_the_rest(
    old_dates, book_path, tmp_path, capsys, write_config, zone
):
    write_config(f'timezone = "{zone}"\n')
    target = tmp_path / "cockpit.ics"
    code, out, err = run(capsys, "export", "ics", str(target), book_path=book_path)
    assert code == 0, err
    assert "cockpit: note: 2 follow-ups and planned communications are not in the file" in err
    assert "2 birthdays and anniversaries are written without their year" in err
    events = list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert sorted(str(event["summary"]) for event in events) == [
        "Birthday: Ann Smith (Acme)",
        "Birthday: Bo Good (Fine Co)",
        "Birthday: Zed Ancient",
        "Drifting: Bo Good (Fine Co)",  # core (the only revenue) with no touch but a call
        "Follow up: Ann Smith (Acme)",  # the fixture's own
        "Follow up: Bo Good (Fine Co)",
        "Follow up: Bo Good (Fine Co)",
        "Wedding anniversary: Bo Good (Fine Co)",
        "Yearly lunch: Bo Good (Fine Co)",
    ]
    ann_birthday = next(e for e in events if e["summary"] == "Birthday: Ann Smith (Acme)")
    assert ann_birthday.decoded("dtstart") == date(2000, 12, 31)  # as a day without a year
    assert "born in" not in str(ann_birthday["description"])
    assert out.startswith("Wrote 9 events")


def test_the_history_export_leaves_out_what_it_cannot_date_and_keeps_the_rest(
    old_dates, book_path, tmp_path, capsys, write_config
):
    write_config('timezone = "America/New_York"\n')  # year 1 at midnight UTC is year 0 here
    target = tmp_path / "history.csv"
    code, _, err = run(capsys, "export", "csv", str(target), book_path=book_path)
    assert code == 0, err
    assert (
        "cockpit: note: 2 touches, notes and deals are not in the file: their date is outside "
        "the dates Cockpit keeps (1900-01-01 to 2200-12-31)"
    ) in err
    text = target.read_text(encoding="utf-8")
    assert "early" not in text and "9999" not in text and "0001" not in text
    for kept in ("late", "kept", "Budget call", "700.00"):
        assert kept in text
    imported_again = import_file(target, dry_run=True)
    assert not imported_again.failures


def test_the_vcard_export_writes_a_birthday_outside_the_range_without_its_year(
    old_dates, book_path, tmp_path, capsys
):
    Client.update(updated_at=datetime(1, 1, 1)).execute()
    target = tmp_path / "contacts.vcf"
    code, _, err = run(capsys, "export", "vcard", str(target), book_path=book_path)
    assert code == 0, err
    cards = {card.fn.value: card for card in vobject.readComponents(target.read_text("utf-8"))}
    assert cards["Ann Smith"].bday.value == "--12-31"
    assert cards["Zed Ancient"].bday.value == "--01-01"
    assert cards["Bo Good"].bday.value == "1980-05-01"
    assert not any(hasattr(card, "rev") for card in cards.values())
    assert "birthdays and anniversaries are written without their year" in err
