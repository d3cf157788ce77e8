"""Date phrases and durations, and `cockpit log` from the shell."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

import pytest

from cockpit.cli import main
from cockpit.errors import ValidationError
from cockpit.phrases import parse_date, parse_duration, parse_moment
from cockpit.storage import book
from cockpit.storage.models import Client, Interaction

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("today", MONDAY),
        ("tomorrow", date(2026, 11, 24)),
        ("yesterday", date(2026, 11, 22)),
        ("friday", date(2026, 11, 27)),
        ("Fri", date(2026, 11, 27)),
        ("monday", date(2026, 11, 30)),  # a bare weekday is the next one to come
        ("this monday", MONDAY),
        ("next friday", date(2026, 12, 4)),
        ("last friday", date(2026, 11, 20)),
        ("in 2 weeks", date(2026, 12, 7)),
        ("in 1 month", date(2026, 12, 23)),
        ("3 days ago", date(2026, 11, 20)),
        ("2026-12-01", date(2026, 12, 1)),
        ("15 April", date(2027, 4, 15)),
        ("April 15 2030", date(2030, 4, 15)),
    ],
)
def test_date_phrases(typed, expected):
    assert parse_date(typed, MONDAY) == expected


@pytest.mark.parametrize("typed", ["", "someday", "next blursday", "2026-02-30", "in two weeks"])
def test_bad_date_phrases_are_named(typed):
    with pytest.raises(ValidationError, match="date"):
        parse_date(typed, MONDAY)


def test_moments_default_to_the_past():
    now = datetime(2026, 11, 23, 15, 10)
    assert parse_moment("yesterday 16:00", now) == datetime(2026, 11, 22, 16, 0)
    assert parse_moment("friday 9am", now) == datetime(2026, 11, 20, 9, 0)  # the last one
    assert parse_moment("11:30", now) == datetime(2026, 11, 23, 11, 30)
    assert parse_moment("15 April", now) == datetime(2026, 4, 15, 12, 0)
    assert parse_moment("2026-11-20T08:15", now) == datetime(2026, 11, 20, 8, 15)
    with pytest.raises(ValidationError, match="not a time"):
        parse_moment("yesterday 25:00", now)


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("15", 15), ("15m", 15), ("1h", 60), ("1h30", 90), ("1h 30m", 90), ("90 min", 90)],
)
def test_durations(typed, minutes):
    assert parse_duration(typed) == minutes


@pytest.mark.parametrize("typed", ["", "soon", "-5", "25h", "1.5h"])
def test_bad_durations_are_named(typed):
    with pytest.raises(ValidationError):
        parse_duration(typed)


@pytest.fixture
def clients(db, today):
    return {
        "ann": book.add_client("Ann Smith", "Acme").id,
        "ben": book.add_client("Ben Jones", "Zeta").id,
        "bea": book.add_client("Bea Jones", "Zeta").id,
    }


def test_log_saves_a_touch_and_says_so_in_one_line(clients, book_path, capsys):
    argv = ["log", "ann", "call", "Talked", "budgets", "--duration", "20m"]
    argv += ["--follow-up", "in 2 weeks", "--sales", "--db", str(book_path)]
    assert main(argv) == 0
    assert capsys.readouterr().out == (
        f"Logged a call (sales, 20 min) with #{clients['ann']} Ann Smith (Acme) on 2026-11-23; "
        "follow up on 2026-12-07.\n"
    )
    touch = Interaction.get()
    assert (touch.summary, touch.duration_min, touch.intent) == ("Talked budgets", 20, "sales")
    assert touch.follow_up_on == date(2026, 12, 7)


def test_log_when_in_the_past(clients, book_path, capsys):
    argv = ["log", "#1", "meeting", "--when", "yesterday 16:00", "--db", str(book_path)]
    assert main(argv) == 0
    assert Interaction.get().day == date(2026, 11, 22)


def test_log_takes_the_summary_after_the_options_too(clients, book_path, capsys):
    argv = ["log", "ann", "call", "Talked", "--when", "yesterday 16:00", "budgets", "again"]
    assert main([*argv, "--db", str(book_path)]) == 0
    touch = Interaction.get()
    assert (touch.summary, touch.day) == ("Talked budgets again", date(2026, 11, 22))
    with pytest.raises(SystemExit) as exited:  # an option nobody knows is still an error
        main(["log", "ann", "call", "Talked", "--bogus", "x", "--db", str(book_path)])
    assert exited.value.code == 2
    assert "unrecognized arguments: --bogus x" in capsys.readouterr().err
    assert Interaction.select().count() == 1


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("c", "call"),
        ("m", "meeting"),
        ("h", "handwritten-note"),
        ("r", "referral-asked"),
        ("R", "referral-received"),
        ("G", "referral-given"),
        ("Handwritten note", "handwritten-note"),
        ("referral_given", "referral-given"),
    ],
)
def test_log_takes_the_quick_logs_kind_keys_and_names(clients, book_path, typed, kind):
    assert main(["log", "ann", typed, "--db", str(book_path)]) == 0
    assert Interaction.get().kind == kind


def test_log_every_sets_the_keep_in_touch_interval(clients, book_path, capsys):
    argv = ["log", "ann", "c", "--every", "monthly", "--db", str(book_path)]
    assert main(argv) == 0
    assert "Keep in touch every 30 days from now on (was the tier's cadence)." in (
        capsys.readouterr().out
    )
    assert Client.get_by_id(clients["ann"]).keep_in_touch_days == 30
    assert main(["log", "ann", "e", "--every", "every 6 weeks", "--db", str(book_path)]) == 0
    assert "every 42 days from now on (was every 30 days)" in capsys.readouterr().out
    assert main(["log", "ann", "e", "--every", "6 weeks", "--db", str(book_path)]) == 0
    assert "Keep in touch" not in capsys.readouterr().out  # unchanged: nothing to say


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["log", "jones", "call"], "'jones' matches 2 clients"),
        (["log", "nobody", "call"], "no client matches 'nobody'"),
        (["log", "ann", "fax"], "not a kind of interaction"),
        (["log", "ann", "call", "--duration", "soon"], "not a duration"),
        (["log", "ann", "call", "--follow-up", "someday"], "not a date"),
        (["log", "ann", "call", "--when", "tomorrow 9am"], "in the future"),
        (["log", "ann", "call", "--follow-up", "yesterday"], "2026-11-22 is past"),
        (["log", "ann", "x"], "not a kind of interaction"),
        (["log", "ann", "call", "--every", "never"], "not an interval"),
    ],
)
def test_log_refuses_and_writes_nothing(clients, book_path, capsys, argv, message):
    assert main([*argv, "--db", str(book_path)]) == 2
    assert message in capsys.readouterr().err
    assert Interaction.select().count() == 0


def test_log_does_not_import_textual(clients, book_path, db):
    db.close()
    code = (
        "import sys; from cockpit.cli import main; "
        f"main(['log', 'ann', 'call', '--db', {str(book_path)!r}]); "
        "print('TEXTUAL' if 'textual' in sys.modules else 'NO-TEXTUAL')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "COCKPIT_TODAY": "2026-11-23"},
    )
    assert result.stdout.strip().endswith("NO-TEXTUAL"), result.stderr
