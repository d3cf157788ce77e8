"""`cockpit demo --with-calendar` (issue 25, "Done when"): the demo writes a calendar beside
its book, and importing it changes the drift verdicts as expected: the drifting clients it
met twice within their cadence are steady again, the one whose meetings were cancelled or a
conference stays drifting, and nobody else changes."""

from __future__ import annotations

from datetime import date

from cockpit.cli import main
from cockpit.demo import build_demo
from cockpit.demo.calendar import ME, calendar_path
from cockpit.health.engine import compute
from cockpit.storage.database import DatabaseLocation, open_database

TODAY = date(2026, 11, 23)


def _verdicts(path) -> dict[str, str]:
    db = open_database(DatabaseLocation(path, "--db"))
    try:
        return {verdict.name: verdict.health.value for verdict in compute(TODAY)}
    finally:
        db.close()


def test_importing_the_demo_calendar_makes_the_clients_it_met_steady(tmp_path, today, capsys):
    path = tmp_path / "demo.db"
    summary = build_demo(path, TODAY, with_calendar=True)
    calendar = summary.calendar
    assert calendar is not None and calendar.path == calendar_path(path) == tmp_path / (
        "demo-calendar.ics"
    )
    assert len(calendar.met) == 3 and calendar.missed is not None
    before = _verdicts(path)
    assert all(before[name] == "drifting" for name in (*calendar.met, calendar.missed))

    assert main(["--db", str(path), "import", str(calendar.path), "--me", ME]) == 0
    out = capsys.readouterr().out
    after = _verdicts(path)
    for name in calendar.met:
        assert after[name] == "steady", name
        assert f"{name}: 2 meetings added" in out
    assert after[calendar.missed] == "drifting"
    assert {name: health for name, health in after.items() if name not in calendar.met} == {
        name: health for name, health in before.items() if name not in calendar.met
    }
    assert "Nora Vance <nora.vance@brightwave.example>: 2" in out  # someone new, twice
    assert "1 cancelled; 1 all-day with nobody invited; 1 with more than 15 attendees" in out


def test_the_demo_command_writes_the_calendar_and_says_how_to_import_it(tmp_path, today, capsys):
    path = tmp_path / "demo.db"
    assert main(["demo", "--db", str(path), "--no-open", "--with-calendar"]) == 0
    out = capsys.readouterr().out
    calendar = tmp_path / "demo-calendar.ics"
    assert calendar.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert f"cockpit --db {path} import {calendar} --me {ME}" in out
    assert main(["demo", "--db", str(tmp_path / "plain.db"), "--no-open"]) == 0
    assert not (tmp_path / "plain-calendar.ics").exists()
