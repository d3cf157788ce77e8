"""`cockpit import` of the interchange history CSV."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.errors import UsageError
from cockpit.importers.files import import_file
from cockpit.storage import book
from cockpit.storage.import_ledger import ImportWriter
from cockpit.storage.models import Client, Deal, ImportRun, Interaction

HEADER = "client,company,date,kind,intent,duration_min,amount,note\n"


@pytest.fixture
def db(db_on_both):
    """These tests hold on SQLite and on PostgreSQL alike."""
    return db_on_both


def write(tmp_path: Path, body: str, name: str = "history.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


GOOD = (
    "Ann Smith,Acme,2026-01-10,deal,,,12000,Annual contract\n"
    "Ann Smith,Acme,2026-01-12,call,,20,,Kick-off call\n"
    'ann smith,ACME,2026-01-20T14:30,meeting,sales,60,,"Review, with notes"\n'
    "Ann Smith,Acme,2026-02-01,note,,,,Internal: prefers mornings\n"
    "Bob Jones,,2026-03-01,email,,,,\n"
    "Zoë Ünal,Café Ltd,2026-03-05,handwritten_note,relationship,,,Merci 😊\n"
)


def test_a_history_imports_clients_touches_and_deals(db, tmp_path, today):
    report = import_file(write(tmp_path, GOOD))
    assert report.failures == []
    assert (report.clients_created, report.touches_added, report.deals_added) == (3, 4, 1)
    assert report.notes_added == 1
    assert Client.select().count() == 3
    ann = Client.get(Client.name == "Ann Smith")
    assert ann.won_on == date(2026, 1, 10) and ann.last_touch_on == date(2026, 1, 20)
    meeting = Interaction.get(Interaction.kind == "meeting")
    assert (meeting.intent, meeting.duration_min, meeting.summary) == (
        "sales",
        60,
        "Review, with notes",
    )
    call = Interaction.get(Interaction.kind == "call")
    assert (call.intent, call.duration_min) == ("relationship", 20)  # two days after the deal
    email = Interaction.get(Interaction.kind == "email")
    assert email.duration_min == 5  # the kind's default duration
    assert Deal.get().amount_cents == 1_200_000
    zoe = Client.get(Client.company == "Café Ltd")
    assert zoe.name == "Zoë Ünal"
    assert zoe.interactions.get().summary == "Merci 😊"


def test_importing_a_file_twice_adds_nothing_the_second_time(db, tmp_path, today):
    path = write(tmp_path, GOOD)
    import_file(path)
    counts = (Client.select().count(), Interaction.select().count(), Deal.select().count())
    again = import_file(path)
    assert (Client.select().count(), Interaction.select().count(), Deal.select().count()) == counts
    assert (again.clients_created, again.touches_added, again.deals_added) == (0, 0, 0)
    assert again.already_there == 6
    assert (again.clients_updated, again.clients_unchanged) == (0, 3)


def test_duplicate_rows_within_a_file_count_once(db, tmp_path, today):
    rows = "Ann,Acme,2026-01-12,call,,,,Hi\n" * 3 + "Ann,Acme,2026-01-12T16:00,call,,,,Hi\n"
    report = import_file(write(tmp_path, rows))
    assert report.touches_added == 1 and report.already_there == 3


def test_bad_rows_are_reported_by_line_and_the_good_ones_import(db, tmp_path, today):
    rows = (
        "Ann,Acme,2026-01-12,call,,,,fine\n"  # line 2
        ",Acme,2026-01-12,call,,,,no name\n"  # 3
        "Ann,Acme,2026-02-30,call,,,,impossible day\n"  # 4
        "Ann,Acme,2026-01-12,fax,,,,unknown kind\n"  # 5
        "Ann,Acme,2026-01-12,call,greedy,,,bad intent\n"  # 6
        "Ann,Acme,2026-01-12,call,,ten,,bad duration\n"  # 7
        "Ann,Acme,2026-01-12,deal,,,,no amount\n"  # 8
        "Ann,Acme,2026-01-12,deal,,,-5,negative\n"  # 9
        "Ann,Acme,2026-01-12,deal,,,NaN,not a number\n"  # 10
        "Ann,Acme,2026-01-12,call,,,100,amount on a call\n"  # 11
        "Ann,Acme,2030-01-01,call,,,,future\n"  # 12
        "Ann,Acme,2026-01-12,call,,,,x,extra\n"  # 13
        "Ann\x1b[2J,Acme,2026-01-12,call,,,,escape in name\n"  # 14
        "Bob,,2026-01-13,meeting,,,,fine too\n"  # 15
    )
    report = import_file(write(tmp_path, rows))
    failed = dict(report.failures)
    assert sorted(failed) == list(range(3, 15))
    assert "client cannot be empty" in failed[3]
    assert "not an ISO date" in failed[4]
    assert "kind 'fax' is not one of" in failed[5]
    assert "not an intent" in failed[6]
    assert "not a whole number" in failed[7]
    assert "needs an amount" in failed[8]
    assert "more than zero" in failed[9]
    assert "not an amount" in failed[10]
    assert "only deal rows" in failed[11]
    assert "in the future" in failed[12]
    assert "9 values for 8 columns" in failed[13]
    assert "control characters" in failed[14]
    assert report.touches_added == 2
    assert str(tmp_path / "history.csv") + ":4: " in report.failure_lines()[1]


def test_an_ambiguous_client_is_refused_not_guessed(db, tmp_path, today):
    book.add_client("John Smith", "Acme")
    book.add_client("John Smith", "Acme")
    report = import_file(write(tmp_path, "john smith,acme,2026-01-12,call,,,,Hi\n"))
    assert "more than one client is named john smith at acme" in report.failures[0][1]
    assert Interaction.select().count() == 0


def test_a_date_without_a_time_zone_is_local_time(db, tmp_path, today, write_config):
    write_config('timezone = "America/New_York"\n')
    rows = "Ann,,2026-03-01T23:30,call,,,,late\nAnn,,2026-03-02T09:00+09:00,call,,,,Tokyo\n"
    import_file(write(tmp_path, rows))
    tokyo, late = Interaction.select().order_by(Interaction.occurred_at)
    assert late.day == date(2026, 3, 1)
    assert late.occurred_at == datetime(2026, 3, 2, 4, 30)  # stored in UTC
    assert tokyo.day == date(2026, 3, 1)  # 09:00 in Tokyo is the evening before in New York


def test_a_dry_run_reports_and_changes_nothing(db, tmp_path, today):
    report = import_file(write(tmp_path, GOOD), dry_run=True)
    assert (report.clients_created, report.touches_added) == (3, 4)
    assert Client.select().count() == 0 and Interaction.select().count() == 0
    assert "would add 4 touches, 1 note and 1 deal" in report.summary(dry_run=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("name,phone\nAnn,123\n", "not a file Cockpit knows"),
        ("client,date\nAnn,2026-01-01\n", "not a file Cockpit knows"),
    ],
)
def test_files_that_are_not_histories_are_refused(db, tmp_path, content, message):
    path = tmp_path / "other.csv"
    path.write_text(content)
    with pytest.raises(UsageError, match=message):
        import_file(path)


def test_bytes_that_are_not_utf8_fail_their_row_only(db, tmp_path, today):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        HEADER.encode() + b"Ren\xe9,Acme,2026-01-12,call,,,,x\nAnn,,2026-01-12,call,,,,y\n"
    )
    report = import_file(path)
    assert report.failures == [(2, "client is not valid UTF-8 text")]
    assert report.touches_added == 1


def test_the_command_prints_a_summary_and_the_failures(db, tmp_path, today, capsys):
    path = write(tmp_path, GOOD + "Ann Smith,Acme,someday,call,,,,\n")
    assert main(["import", str(path), *db.book_args]) == 1
    out, err = capsys.readouterr()
    assert out.strip().splitlines() == [
        "history.csv: 3 clients created, 0 updated, 0 unchanged; "
        "added 4 touches, 1 note and 1 deal; 0 rows already there; 1 row failed. "
        "2 of the 3 clients created have no won deal yet: prospects until one is won",
        "Total, 1 file, import #1: 3 clients created, 0 updated, 0 unchanged; "
        "added 4 touches, 1 note and 1 deal; 0 rows already there; 1 failed "
        "('cockpit import --undo 1' takes it back)",
    ]
    assert (
        err.strip()
        == f"{path}:8: date 'someday' is not an ISO date such as 2026-03-01 or 2026-03-01T14:30"
    )
    assert main(["import", str(path), *db.book_args]) == 1
    assert "0 clients created, 0 updated, 3 unchanged" in capsys.readouterr().out


def test_the_command_refuses_a_missing_file_in_one_line(db, tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope.csv"), *db.book_args]) == 2
    assert capsys.readouterr().err.strip() == f"cockpit: {tmp_path / 'nope.csv'} does not exist"


def test_a_bad_row_leaves_no_empty_client_behind(db, tmp_path, today):
    rows = "Carl,Nowhere,2030-01-01,call,,,,\nDora,X,2026-01-12,call,greedy,,,\n"
    report = import_file(write(tmp_path, rows))
    assert len(report.failures) == 2
    assert report.clients_created == 0
    assert Client.select().count() == 0


def test_deals_are_dated_on_the_local_day_and_never_in_the_future(
    db, tmp_path, today, write_config
):
    write_config('timezone = "Europe/Paris"\n')
    rows = (
        "Ann,,2026-01-10T23:30-08:00,deal,,,500,\n"  # 08:30 on 11 January in Paris
        "Ann,,2026-01-10T23:30-08:00,call,,,,\n"
        "Ann,,2030-05-05,deal,,,500,\n"
    )
    report = import_file(write(tmp_path, rows))
    assert report.failures == [(4, "2030-05-05 is in the future; record a deal once it is won")]
    assert Deal.get().won_on == date(2026, 1, 11)
    assert Interaction.get().day == date(2026, 1, 11)


@pytest.mark.parametrize("duration", ["²", "1.5", "-3", "\u0661\u0665"])  # Arabic-Indic 15
def test_an_odd_duration_fails_its_row_only(db, tmp_path, today, duration):
    rows = f"Ann,,2026-03-01,call,,{duration},,x\nAnn,,2026-03-02,call,,15,,y\n"
    report = import_file(write(tmp_path, rows))
    assert [line for line, _ in report.failures] == [2]
    assert report.touches_added == 1


def test_a_reimport_after_a_time_zone_change_adds_nothing(db, tmp_path, today, write_config):
    path = write(tmp_path, "Ann,,2026-03-01T20:00Z,call,,,,late call\n")
    write_config('timezone = "America/New_York"\n')
    import_file(path)
    write_config('timezone = "Asia/Tokyo"\n')
    again = import_file(path)
    assert (again.touches_added, again.already_there) == (0, 1)
    assert Interaction.select().count() == 1


def test_a_crash_half_way_leaves_the_book_as_it_was(db, tmp_path, today, monkeypatch):
    book.add_client("Existing", "Acme")
    real_add_history = ImportWriter.add_history

    def crash_after_touches(writer, interactions, deals, progress=None):
        real_add_history(writer, interactions, [])
        raise RuntimeError("power cut")

    monkeypatch.setattr(ImportWriter, "add_history", crash_after_touches)
    with pytest.raises(RuntimeError, match="power cut"):
        import_file(write(tmp_path, GOOD))
    assert [client.name for client in Client.select()] == ["Existing"]
    assert Interaction.select().count() == 0 and Deal.select().count() == 0
    assert ImportRun.select().count() == 0  # nor is the import in the ledger
