"""Meetings from calendars (issue 25, points 1, 3 and 5): `cockpit import calendar.ics` and
a vdir turn the meetings held with clients into meeting touches, and each client's next
meeting into a scheduled touch; recurring events are expanded within the window with
their exceptions; cancelled, declined, all-day and crowded events are skipped and
counted; importing again changes nothing, moves what moved and keeps what the user
edited; `--undo` takes it all back; broken calendars say what is wrong, line by line."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.fields import TouchFields
from cockpit.importers.calendar_import import CalendarOptions
from cockpit.importers.files import import_paths
from cockpit.storage import book
from cockpit.storage.models import Client, ImportSource, Interaction, ScheduledTouch
from tests.support.calendars import event, write
from tests.support.paths import SHARED_DATA

ME = "me@seller.example"
ANN = "ann@acme.example"
BEN = "ben@beta.example"


@pytest.fixture
def clients(db, today, write_config):
    write_config('timezone = "Europe/Paris"\n')
    ann = book.add_client("Ann Lee", "Acme", emails=[ANN])
    ben = book.add_client("Ben Ode", "Beta", emails=[BEN])
    book.add_deal(ben, "5000", won_on=date(2026, 6, 1))
    return ann.id, ben.id


def _import(book_path: Path, *paths: Path, options: tuple[str, ...] = ()) -> int:
    return main(["--db", str(book_path), "import", *map(str, paths), "--me", ME, *options])


def _touches(client_id: int) -> list[tuple]:
    query = (
        Interaction.select(
            Interaction.day,
            Interaction.kind,
            Interaction.duration_min,
            Interaction.summary,
            Interaction.intent,
        )
        .where(Interaction.client == client_id)
        .order_by(Interaction.occurred_at)
    )
    return [
        (day, kind, minutes, summary, intent)
        for day, kind, minutes, summary, intent in query.tuples()
    ]


def _promises(client_id: int) -> list[date]:
    query = ScheduledTouch.select(ScheduledTouch.due_on).where(ScheduledTouch.client == client_id)
    return sorted(day for (day,) in query.tuples())


# --- Which events, and what of them --------------------------------------------------------


def test_a_meeting_held_is_a_touch_of_every_client_at_it(clients, book_path, tmp_path, capsys):
    ann, ben = clients
    path = write(
        tmp_path / "work.ics",
        event(
            "review@x",
            "20261110T233000Z",  # Wednesday 11 November 00:30 in Paris: the local day
            "20261111T000500Z",
            summary="Quarterly review",
            organizer=BEN,
            attendees=("CN=Ann Lee;PARTSTAT=ACCEPTED:" + ANN, ME),
            extra=("DESCRIPTION:Numbers went well",),
        ),
    )
    assert _import(book_path, path) == 0
    out = capsys.readouterr().out
    # An ask while Ann is a prospect, a give with Ben, won since June.
    assert _touches(ann) == [(date(2026, 11, 11), "meeting", 35, "Quarterly review", "sales")]
    assert _touches(ben) == [
        (date(2026, 11, 11), "meeting", 35, "Quarterly review", "relationship")
    ]
    assert "Ann Lee: 1 meeting added\n" in out
    assert "Ben Ode: 1 meeting added\n" in out
    assert "work.ics: 1 event, 1 occurrence in the window; added 2 meetings" in out


def test_the_description_comes_only_with_with_notes(clients, book_path, tmp_path):
    ann, _ = clients
    lines = ("DESCRIPTION:Budget for 2027\\, and a pilot",)
    path = write(
        tmp_path / "a.ics", event("a@x", "20261110T090000Z", attendees=(ANN,), extra=lines)
    )
    assert _import(book_path, path) == 0
    assert _touches(ann)[0][3] == "Meeting"
    other = write(
        tmp_path / "b.ics", event("b@x", "20261112T090000Z", attendees=(ANN,), extra=lines)
    )
    assert _import(book_path, other, options=("--with-notes",)) == 0
    assert _touches(ann)[1][3] == "Meeting\n\nBudget for 2027, and a pilot"


def test_minutes_come_from_the_end_or_the_duration_else_the_usual_hour(
    clients, book_path, tmp_path
):
    ann, _ = clients
    path = write(
        tmp_path / "cal.ics",
        event("d@x", "20261102T090000Z", attendees=(ANN,), extra=("DURATION:PT1H30M",)),
        event("n@x", "20261103T090000Z", attendees=(ANN,)),  # no end: the usual 60
        event("a@x", ";VALUE=DATE:20261104", ";VALUE=DATE:20261105", attendees=(ANN,)),
        event("l@x", "20261105T090000Z", "20261107T090000Z", attendees=(ANN,)),  # two days
    )
    assert _import(book_path, path) == 0
    assert [(day, minutes) for day, _, minutes, _, _ in _touches(ann)] == [
        (date(2026, 11, 2), 90),
        (date(2026, 11, 3), 60),
        (date(2026, 11, 4), 60),  # all day with Ann: a meeting of the usual hour
        (date(2026, 11, 5), 1440),  # counted as a day at most
    ]


def test_recurring_meetings_honour_exdate_rdate_and_moved_occurrences(clients, book_path, tmp_path):
    ann, _ = clients
    path = write(
        tmp_path / "weekly.ics",
        event(
            "weekly@x",
            ";TZID=Europe/Paris:20261005T140000",
            ";TZID=Europe/Paris:20261005T143000",
            summary="Weekly sync",
            attendees=(ANN,),
            extra=(
                "RRULE:FREQ=WEEKLY;COUNT=5",  # 5, 12, 19, 26 October, 2 November
                "EXDATE;TZID=Europe/Paris:20261012T140000",
                "RDATE;TZID=Europe/Paris:20261008T100000",
            ),
        ),
        event(
            "weekly@x",
            ";TZID=Europe/Paris:20261020T160000",
            ";TZID=Europe/Paris:20261020T170000",
            summary="Weekly sync, moved",
            attendees=(ANN,),
            extra=("RECURRENCE-ID;TZID=Europe/Paris:20261019T140000",),
        ),
    )
    assert _import(book_path, path) == 0
    assert [(day, minutes, summary) for day, _, minutes, summary, _ in _touches(ann)] == [
        (date(2026, 10, 5), 30, "Weekly sync"),
        (date(2026, 10, 8), 30, "Weekly sync"),
        (date(2026, 10, 20), 60, "Weekly sync, moved"),
        (date(2026, 10, 26), 30, "Weekly sync"),
        (date(2026, 11, 2), 30, "Weekly sync"),
    ]


def test_only_the_window_is_read(clients, book_path, tmp_path, capsys):
    ann, _ = clients
    path = write(
        tmp_path / "cal.ics",
        event("old@x", "20250601T090000Z", attendees=(ANN,)),  # over a year ago
        event("recent@x", "20260601T090000Z", attendees=(ANN,)),
    )
    assert _import(book_path, path) == 0
    assert [day for day, *_ in _touches(ann)] == [date(2026, 6, 1)]
    assert _import(book_path, path, options=("--since", "2025-01-01")) == 0
    assert [day for day, *_ in _touches(ann)] == [date(2025, 6, 1), date(2026, 6, 1)]
    capsys.readouterr()


def test_an_overridden_occurrence_without_its_master_is_a_meeting_of_its_own(
    clients, book_path, tmp_path
):
    ann, _ = clients
    path = write(
        tmp_path / "cal.ics",
        event(
            "orphan@x",
            "20261103T160000Z",
            "20261103T162500Z",
            attendees=(ANN,),
            extra=("RECURRENCE-ID:20261103T160000Z",),
        ),
    )
    assert _import(book_path, path) == 0
    assert [(day, minutes) for day, _, minutes, _, _ in _touches(ann)] == [(date(2026, 11, 3), 25)]


def test_what_is_skipped_is_counted_by_reason(clients, book_path, tmp_path, capsys):
    ann, ben = clients
    crowd = tuple(f"guest{n}@fair.example" for n in range(16))
    path = write(
        tmp_path / "cal.ics",
        event("c@x", "20261102T090000Z", attendees=(ANN,), extra=("STATUS:CANCELLED",)),
        event("d@x", "20261103T090000Z", attendees=(ANN, "PARTSTAT=DECLINED:" + ME)),
        event("b@x", ";VALUE=DATE:20261104", organizer=ANN),  # a block: nobody invited
        event("f@x", "20261105T090000Z", attendees=(ANN, *crowd)),  # 17: a conference
        event("birthday-1@cockpit", ";VALUE=DATE:20261106", attendees=(ANN,)),
        event("o@x", "20261109T090000Z", attendees=("PARTSTAT=DECLINED:" + ANN, BEN)),
        event("s@x", "20261110T090000Z", attendees=("x@nowhere.example",)),
    )
    assert _import(book_path, path) == 0
    out = capsys.readouterr().out
    assert _touches(ann) == []  # she declined the last one
    assert [day for day, *_ in _touches(ben)] == [date(2026, 11, 9)]  # Ben was there
    assert (
        "Events not brought in: 1 Cockpit's own exported events; 1 cancelled; 1 declined by "
        "you; 1 all-day with nobody invited; 1 with more than 15 attendees (a conference); "
        "1 with nobody from your book\n"
    ) in out
    assert _import(book_path, path, options=("--max-attendees", "20")) == 0
    assert [day for day, *_ in _touches(ann)] == [date(2026, 11, 5)]


def test_without_your_addresses_a_meeting_you_declined_is_not_known_as_such(
    clients, book_path, tmp_path, capsys
):
    ann, _ = clients
    path = write(
        tmp_path / "cal.ics",
        event("d@x", "20261103T090000Z", attendees=(ANN, "PARTSTAT=DECLINED:" + ME)),
    )
    assert main(["--db", str(book_path), "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert len(_touches(ann)) == 1
    assert f"  {ME}: 1\n" in out  # your own address matched nobody
    assert 'me = ["you@example.com"] in config.toml, or --me' in out


def test_the_me_setting_names_your_addresses(clients, book_path, tmp_path, write_config):
    ann, _ = clients
    write_config(f'timezone = "Europe/Paris"\nme = ["{ME}"]\n')
    path = write(
        tmp_path / "cal.ics",
        event("d@x", "20261103T090000Z", attendees=(ANN, "PARTSTAT=DECLINED:" + ME.upper())),
    )
    assert main(["--db", str(book_path), "import", str(path)]) == 0
    assert _touches(ann) == []


def test_the_next_meeting_is_the_clients_next_scheduled_touch(clients, book_path, tmp_path, capsys):
    ann, _ = clients
    path = write(
        tmp_path / "cal.ics",
        event("n1@x", "20261203T090000Z", summary="Renewal talk", attendees=(ANN,)),
        event("n2@x", "20261210T090000Z", attendees=(ANN,)),
    )
    assert _import(book_path, path) == 0
    assert "Ann Lee: next touch Thu 3 Dec from 'Renewal talk'\n" in capsys.readouterr().out
    assert _promises(ann) == [date(2026, 12, 3)]
    assert _touches(ann) == []
    moved = write(
        tmp_path / "cal.ics",
        event("n1@x", "20261204T090000Z", summary="Renewal talk", attendees=(ANN,)),
        event("n2@x", "20261210T090000Z", attendees=(ANN,)),
    )
    assert _import(book_path, moved) == 0
    assert "Ann Lee: next touch Fri 4 Dec from 'Renewal talk' (moved)\n" in capsys.readouterr().out
    assert _promises(ann) == [date(2026, 12, 4)]


def test_unmatched_addresses_are_listed_most_often_first_without_rooms_and_colleagues(
    clients, book_path, tmp_path, capsys
):
    events = [
        event(
            f"e{n}@x",
            f"202611{n + 1:02d}T090000Z",
            attendees=(
                "CN=Zoe Quist:zoe@prospect.example",
                "CUTYPE=ROOM;CN=Room 4:room4@seller.example",
                "colleague@seller.example",
                *((f"guest{n}@else.example",) if n < 3 else ()),
            ),
        )
        for n in range(22)
    ]
    path = write(tmp_path / "cal.ics", *events)
    assert _import(book_path, path) == 0
    out = capsys.readouterr().out
    assert "Addresses that matched nobody in your book (4), with how many events:\n" in out
    assert "  Zoe Quist <zoe@prospect.example>: 22\n  guest0@else.example: 1\n" in out
    assert "room4" not in out and "colleague@" not in out and f"{ME}:" not in out


def test_a_prospect_is_made_of_an_address_in_one_step(clients, book_path, tmp_path, capsys):
    path = write(
        tmp_path / "cal.ics",
        event("e@x", "20261102T090000Z", attendees=("CN=Zoe Quist:zoe@prospect.example",)),
        event("f@x", "20261103T090000Z", attendees=("carl.max@prospect.example",)),
    )
    assert _import(book_path, path) == 0
    options = (
        "--add-prospect",
        "zoe@prospect.example",
        "--add-prospect",
        "carl.max@prospect.example",
    )
    assert _import(book_path, path, options=options) == 0
    out = capsys.readouterr().out
    assert "Prospects made from addresses: Zoe Quist, Carl Max" in out
    zoe = Client.get(Client.name == "Zoe Quist")
    assert zoe.lifecycle == "prospect"
    assert [day for day, *_ in _touches(zoe.id)] == [date(2026, 11, 2)]
    assert main(["--db", str(book_path), "import", "--undo"]) == 0
    assert not Client.select().where(Client.name == "Zoe Quist").exists()


# --- Again, moved, edited, cancelled, undone -------------------------------------------------


def _rows() -> dict[str, list[tuple]]:
    return {
        model._meta.table_name: list(model.select().order_by(model.id).tuples())
        for model in (Interaction, ScheduledTouch, ImportSource, Client)
    }


def test_importing_again_changes_nothing(clients, book_path, tmp_path, capsys):
    path = write(
        tmp_path / "cal.ics",
        event("a@x", "20261102T090000Z", attendees=(ANN, BEN)),
        event(
            "w@x",
            "20261005T090000Z",
            attendees=(ANN,),
            extra=("RRULE:FREQ=WEEKLY;COUNT=20",),  # to 15 February: the next one is coming
        ),
    )
    assert _import(book_path, path) == 0
    before = _rows()
    capsys.readouterr()
    assert _import(book_path, path) == 0
    out = capsys.readouterr().out
    assert _rows() == before
    assert "added 0 meetings; 9 already there" in out
    assert "Ann Lee:" not in out and "Ben Ode:" not in out


def test_a_moved_meeting_moves_its_touch_and_the_undo_puts_it_back(
    clients, book_path, tmp_path, capsys
):
    ann, _ = clients
    path = write(tmp_path / "cal.ics", event("a@x", "20261102T090000Z", attendees=(ANN,)))
    assert _import(book_path, path) == 0
    before = _rows()
    write(
        tmp_path / "cal.ics",
        event("a@x", "20261104T140000Z", "20261104T150000Z", summary="Moved", attendees=(ANN,)),
    )
    assert _import(book_path, path) == 0
    assert "Ann Lee: 1 meeting moved\n" in capsys.readouterr().out
    assert _touches(ann) == [(date(2026, 11, 4), "meeting", 60, "Moved", "sales")]
    assert len(_rows()["interaction"]) == 1
    assert main(["--db", str(book_path), "import", "--undo"]) == 0
    assert _rows() == before


def test_a_one_off_meeting_made_a_series_and_back_keeps_its_touch(
    clients, book_path, tmp_path, capsys
):
    """Its first occurrence is the one-off's touch (and scheduled touch): never twice."""
    ann, _ = clients
    past = ("a@x", "20261102T090000Z", "20261102T100000Z")
    coming = ("n@x", "20261202T090000Z", "20261202T100000Z")

    def calendar(*extra: str) -> Path:
        return write(
            tmp_path / "cal.ics",
            event(*past, attendees=(ANN,), extra=extra),
            event(*coming, attendees=(ANN,), extra=extra),
        )

    assert _import(book_path, calendar()) == 0
    before = _rows()
    weekly = "RRULE:FREQ=WEEKLY;COUNT=3"
    assert _import(book_path, calendar(weekly)) == 0
    assert "Ann Lee: 2 meetings added\n" in capsys.readouterr().out  # 9 and 16 November
    assert [day for day, *_ in _touches(ann)] == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]
    assert _promises(ann) == [date(2026, 12, 2)]
    assert _import(book_path, calendar(weekly)) == 0  # again: nothing
    assert len(_touches(ann)) == 3 and _promises(ann) == [date(2026, 12, 2)]
    assert _import(book_path, calendar()) == 0  # a one-off again
    assert len(_touches(ann)) == 3 and _promises(ann) == [date(2026, 12, 2)]
    for run in ("4", "3", "2"):
        assert main(["--db", str(book_path), "import", "--undo", run]) == 0
    assert _rows() == before
    assert _import(book_path, calendar()) == 0
    assert _rows() == before  # known by its first key again


def test_a_touch_you_edited_keeps_your_edit(clients, book_path, tmp_path, capsys):
    ann, _ = clients
    path = write(tmp_path / "cal.ics", event("a@x", "20261102T090000Z", attendees=(ANN,)))
    assert _import(book_path, path) == 0
    (touch,) = Interaction.select().where(Interaction.client == ann)
    book.update_interaction(
        touch.id,
        TouchFields(
            "meeting", None, datetime(2026, 11, 2, 11, 0), 45, "Lunch, not a meeting", None
        ),
    )
    write(tmp_path / "cal.ics", event("a@x", "20261105T090000Z", attendees=(ANN,)))
    capsys.readouterr()
    assert _import(book_path, path) == 0
    assert "Ann Lee: 1 meeting you edited kept as you left it\n" in capsys.readouterr().out
    assert _touches(ann) == [(date(2026, 11, 2), "meeting", 45, "Lunch, not a meeting", "sales")]


def test_a_touch_you_deleted_is_not_added_again(clients, book_path, tmp_path, capsys):
    ann, _ = clients
    path = write(tmp_path / "cal.ics", event("a@x", "20261102T090000Z", attendees=(ANN,)))
    assert _import(book_path, path) == 0
    (touch,) = Interaction.select().where(Interaction.client == ann)
    book.delete_interaction(touch.id)
    capsys.readouterr()
    assert _import(book_path, path) == 0
    assert "Ann Lee: 1 meeting you deleted not added again\n" in capsys.readouterr().out
    assert _touches(ann) == []


def test_a_meeting_cancelled_since_is_taken_away(clients, book_path, tmp_path, capsys):
    ann, _ = clients
    path = write(
        tmp_path / "cal.ics",
        event("a@x", "20261102T090000Z", attendees=(ANN,)),
        event("n@x", "20261202T090000Z", attendees=(ANN,)),
    )
    assert _import(book_path, path) == 0
    before = _rows()
    write(
        tmp_path / "cal.ics",
        event("a@x", "20261102T090000Z", attendees=(ANN,), extra=("STATUS:CANCELLED",)),
        event("n@x", "20261202T090000Z", attendees=("PARTSTAT=DECLINED:" + ANN,)),
    )
    capsys.readouterr()
    assert _import(book_path, path) == 0
    assert "Ann Lee: 2 meetings removed (cancelled or declined since)\n" in capsys.readouterr().out
    assert (_touches(ann), _promises(ann)) == ([], [])
    assert main(["--db", str(book_path), "import", "--undo"]) == 0
    assert _rows() == before


def test_a_meeting_logged_by_hand_that_day_is_not_added_twice(clients, book_path, tmp_path):
    ann, _ = clients
    book.add_interaction(ann, "meeting", when=datetime(2026, 11, 2, 15, 0), summary="Lunch")
    path = write(tmp_path / "cal.ics", event("a@x", "20261102T090000Z", attendees=(ANN,)))
    assert _import(book_path, path) == 0
    assert [summary for _, _, _, summary, _ in _touches(ann)] == ["Lunch"]


def test_undo_takes_an_import_back_whole(clients, book_path, tmp_path, capsys):
    before = _rows()
    path = write(
        tmp_path / "cal.ics",
        event("a@x", "20261102T090000Z", attendees=(ANN, BEN)),
        event("n@x", "20261202T090000Z", attendees=(ANN,)),
    )
    assert _import(book_path, path) == 0
    assert main(["--db", str(book_path), "import", "--undo"]) == 0
    assert "Undid import #1: removed 2 touches and 1 scheduled touch." in capsys.readouterr().out
    assert _rows() == before


def test_cockpits_own_export_adds_nothing(clients, book_path, tmp_path, capsys):
    ann, _ = clients
    book.add_interaction(ann, "call", follow_up_on=date(2026, 12, 1))
    book.set_profile(ann, {"birth_date": "1980-12-05"})
    exported = tmp_path / "cockpit.ics"
    assert main(["--db", str(book_path), "export", "ics", str(exported)]) == 0
    before = _rows()
    capsys.readouterr()
    assert _import(book_path, exported) == 0
    assert _rows() == before
    assert "Cockpit's own exported events" in capsys.readouterr().out


def test_a_vdir_of_calendars_is_read_as_one(clients, book_path, tmp_path, capsys):
    ann, _ = clients
    folder = tmp_path / "calendars"
    write(folder / "work" / "a.ics", event("a@x", "20261102T090000Z", attendees=(ANN,)))
    write(folder / "work" / "b.ics", event("b@x", "20261202T090000Z", attendees=(ANN,)))
    write(folder / "home" / "c.ics", event("c@x", "20261201T090000Z", attendees=(ANN,)))
    (folder / "work" / "displayname").write_text("Work\n")
    assert _import(book_path, folder) == 0
    out = capsys.readouterr().out
    assert [day for day, *_ in _touches(ann)] == [date(2026, 11, 2)]
    assert _promises(ann) == [date(2026, 12, 1)]  # the next one, from the other calendar
    assert "work/displayname: skipped" in out


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (("--since", "last year"), "--since 'last year': give a day as YYYY-MM-DD"),
        (("--since", "2027-01-01"), "--since 2027-01-01: give a day from 1900-01-01 to today"),
        (("--max-attendees", "0"), "--max-attendees '0': give a whole number from 1 to 10000"),
        (("--me", "not-an-address"), "--me:"),
    ],
)
def test_bad_options_are_one_line_and_status_2(clients, book_path, tmp_path, capsys, options, said):
    path = write(tmp_path / "cal.ics", event("a@x", "20261102T090000Z", attendees=(ANN,)))
    capsys.readouterr()
    assert main(["--db", str(book_path), "import", str(path), *options]) == 2
    err = capsys.readouterr().err
    assert said in err and len(err.strip().splitlines()) == 1
    assert not Interaction.select().exists()


def test_calendar_options_are_for_an_import(db, book_path, capsys):
    assert main(["--db", str(book_path), "import", "--undo", "--since", "2026-01-01"]) == 2
    assert "--since is for an import" in capsys.readouterr().err


def test_a_broken_event_is_reported_with_its_line_and_the_rest_imports(
    clients, book_path, tmp_path, capsys
):
    ann, _ = clients
    path = tmp_path / "broken.ics"
    good = "\r\n".join(event("g@x", "20261102T090000Z", attendees=(ANN,)))
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "BEGIN:VEVENT\r\nUID:nostart@x\r\nSUMMARY:No start\r\nATTENDEE:mailto:ann@acme.example\r\n"
        "END:VEVENT\r\n"
        "this line is no iCalendar\r\n"
        f"{good}\r\n"
        "BEGIN:VEVENT\r\nUID:tz@x\r\nDTSTART;TZID=Mars/Olympus:20261103T090000\r\n"
        "ATTENDEE:mailto:ann@acme.example\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:cut@x\r\nDTSTART:20261104T090000Z\r\n",
        encoding="utf-8",
    )
    assert _import(book_path, path) == 1  # something did not come in
    captured = capsys.readouterr()
    assert f"{path}:3: an event without a start (DTSTART); left out" in captured.err
    assert f"{path}:8: not an iCalendar line; left out" in captured.err
    assert f"{path}:17: unknown time zone 'Mars/Olympus'" in captured.err
    assert f"{path}:20: the file ends inside an event (cut short?); it was left out" in captured.err
    assert [day for day, *_ in _touches(ann)] == [date(2026, 11, 2), date(2026, 11, 3)]


SHARED_CALENDARS = sorted((SHARED_DATA / "ics").glob("*.ics"))


@pytest.mark.skipif(not SHARED_CALENDARS, reason="the shared calendars are not here")
def test_the_shared_calendars_import_without_a_traceback_and_say_what_is_wrong(
    db, today, book_path, capsys
):
    book.add_client("Henry Cabot", emails=["hcabot@example.com"])
    book.add_client("Rembrand", emails=["rembrand@daxlab.com"])
    status = main(
        ["--db", str(book_path), "import", *map(str, SHARED_CALENDARS), "--since", "2000-01-01"]
    )
    captured = capsys.readouterr()
    assert status == 1  # two events without a start, two cut off from their time zone...
    assert "Traceback" not in captured.err
    ics = SHARED_DATA / "ics"
    for problem in (
        f"{ics / 'icalendar-rfc_7256_multi_value_parameters.ics'}:2: an event without a start",
        f"{ics / 'khal-event_dt_local_missing_tz.ics'}:6: unknown time zone 'FOO'",
        f"{ics / 'khal-event_rrule_recuid_invalid_tzid.ics'}:8: unknown time zone 'foo'",
        f"{ics / 'khal-without_uid.ics'}:4: an event without a UID",
        f"{ics / 'khal-event_dt_rrule_invalid_until.ics'}:9: the repeat rule's UNTIL is a time",
        f"{ics / 'khal-invalid_tzoffset.ics'}:3: a time zone this file defines cannot be read",
        f"{ics / 'khal-event_dt_rrule_until_before_start.ics'}:5: the repeat rule ends (UNTIL)",
    ):
        assert problem in captured.err, problem
    # khal's files share a UID between events that differ: the later file's counts.
    partstat = ics / "khal-event_dt_partstat.ics"
    assert f"the same event (UID V042MJ8B3SJNFXQOJL6P53OFMHJE8Z3VZWOU) as in {partstat.name}" in (
        captured.err
    )
    out = captured.out
    assert f"Total, {len(SHARED_CALENDARS)} files, import #1" in out
    assert "Rembrand: 1 meeting added" in out  # he organised the BlackBerry one
    assert main(["--db", str(book_path), "import", str(partstat), "--since", "2000-01-01"]) == 0
    assert "Henry Cabot: 1 meeting added" in capsys.readouterr().out  # an attendee there
    henry = Client.get(Client.name == "Henry Cabot")
    assert [(day, minutes) for day, _, minutes, _, _ in _touches(henry.id)] == [
        (date(2014, 4, 9), 60)
    ]


def test_the_reader_alone_reads_every_shared_calendar(today):
    from cockpit.importers.calendar_reading import read_calendar

    for path in SHARED_CALENDARS:
        reading = read_calendar(
            path.read_text(encoding="utf-8"), date(2000, 1, 1), date(2030, 1, 1)
        )
        assert reading.events >= 1, path.name
    khal = SHARED_DATA / "ics" / "khal-event_dt_recuid_no_master.ics"
    (only,) = read_calendar(khal.read_text(), date(2000, 1, 1), date(2030, 1, 1)).occurrences
    assert (only.minutes, only.summary) == (25, "Infrastructure Planning")


def test_import_paths_takes_the_calendar_options(clients, tmp_path):
    ann, _ = clients
    path = write(tmp_path / "cal.ics", event("a@x", "20250602T090000Z", attendees=(ANN,)))
    result = import_paths([path], calendar=CalendarOptions(since=date(2025, 1, 1), me=(ME,)))
    assert result.reports[0].touches_added == 1
    assert [day for day, *_ in _touches(ann)] == [date(2025, 6, 2)]
