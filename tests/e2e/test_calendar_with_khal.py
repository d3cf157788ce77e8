"""A calendar kept by khal (issue 25, "Done when"): a meeting in a vdir that khal reads, with a
client's email as ATTENDEE, imports once; moved (its start changed, as a sync or `khal edit`
leaves it) and imported again, the touch moves; importing Cockpit's own `export ics` adds
nothing. `cockpit` and `khal` run as programs."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.calendars import event, write
from tests.support.paths import ROOT

pytestmark = pytest.mark.skipif(shutil.which("khal") is None, reason="khal is not installed")

ANN = "ann@acme.example"


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "COCKPIT_TODAY": "2026-11-23",
        "TZ": "Europe/Paris",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }


def cockpit(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cockpit", "--db", str(tmp_path / "book.db"), *args],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        cwd=ROOT,
        timeout=60,
    )


def khal(tmp_path: Path, *args: str) -> str:
    done = subprocess.run(
        ["khal", "-c", str(tmp_path / "khal.conf"), *args],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _khal_calendar(tmp_path: Path) -> Path:
    """A vdir khal reads (one calendar, `work`), and khal's configuration for it."""
    vdir = tmp_path / "calendars" / "work"
    vdir.mkdir(parents=True)
    (tmp_path / "khal.conf").write_text(
        "[calendars]\n"
        "[[work]]\n"
        f"path = {vdir}\n"
        "[locale]\n"
        "local_timezone = Europe/Paris\n"
        "default_timezone = Europe/Paris\n"
        "timeformat = %H:%M\n"
        "dateformat = %Y-%m-%d\n"
        "longdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\n"
        "longdatetimeformat = %Y-%m-%d %H:%M\n"
        "[sqlite]\n"
        f"path = {tmp_path / 'khal.db'}\n",
        encoding="utf-8",
    )
    return vdir


def _book_with_ann(tmp_path: Path) -> None:
    """The book at tmp_path, holding Ann Lee (ann@acme.example), made by another process."""
    subprocess.run(
        [sys.executable, "-c", _ADD_ANN, str(tmp_path / "book.db")],
        check=True,
        env=_env(tmp_path),
        cwd=ROOT,
        timeout=60,
    )


def _touches(tmp_path: Path) -> list[tuple]:
    with sqlite3.connect(tmp_path / "book.db") as book:
        return book.execute(
            "SELECT day, kind, duration_min, summary FROM interaction ORDER BY occurred_at"
        ).fetchall()


def test_a_meeting_khal_shows_imports_once_and_moves_with_its_event(tmp_path):
    vdir = _khal_calendar(tmp_path)
    _book_with_ann(tmp_path)
    meeting = event(
        "pricing-2026@seller.example",
        ";TZID=Europe/Paris:20261110T100000",
        ";TZID=Europe/Paris:20261110T104500",
        summary="Pricing call",
        organizer="me@seller.example",
        attendees=("CN=Ann Lee;PARTSTAT=ACCEPTED:" + ANN,),
    )
    write(vdir / "pricing.ics", meeting)
    assert "Pricing call" in khal(tmp_path, "list", "2026-11-10", "2026-11-11")

    first = cockpit(tmp_path, "import", str(vdir.parent), "--me", "me@seller.example")
    assert first.returncode == 0, first.stderr
    assert "Ann Lee: 1 meeting added" in first.stdout
    assert _touches(tmp_path) == [("2026-11-10", "meeting", 45, "Pricing call")]
    again = cockpit(tmp_path, "import", str(vdir.parent), "--me", "me@seller.example")
    assert "added 0 meetings; 1 already there" in again.stdout
    assert len(_touches(tmp_path)) == 1

    moved = event(
        "pricing-2026@seller.example",
        ";TZID=Europe/Paris:20261112T150000",
        ";TZID=Europe/Paris:20261112T160000",
        summary="Pricing call",
        organizer="me@seller.example",
        attendees=("CN=Ann Lee;PARTSTAT=ACCEPTED:" + ANN,),
        extra=("SEQUENCE:1",),
    )
    # Written beside it and renamed over it, as vdirsyncer and khal write: khal sees a
    # calendar changed by its folder's time.
    os.replace(write(tmp_path / "pricing.ics", moved), vdir / "pricing.ics")
    shown = khal(tmp_path, "list", "2026-11-12", "2026-11-13")
    assert "15:00-16:00 Pricing call" in shown
    third = cockpit(tmp_path, "import", str(vdir.parent), "--me", "me@seller.example")
    assert "Ann Lee: 1 meeting moved" in third.stdout
    assert _touches(tmp_path) == [("2026-11-12", "meeting", 60, "Pricing call")]


def test_importing_cockpits_own_export_adds_nothing(tmp_path):
    vdir = _khal_calendar(tmp_path)
    _book_with_ann(tmp_path)
    assert (
        cockpit(tmp_path, "log", "Ann Lee", "call", "Call", "--follow-up", "2026-12-01").returncode
        == 0
    )
    exported = vdir / "cockpit.ics"
    assert cockpit(tmp_path, "export", "ics", str(exported)).returncode == 0
    assert "Follow up" in khal(tmp_path, "list", "2026-12-01", "2026-12-02")
    before = _touches(tmp_path)
    done = cockpit(tmp_path, "import", str(exported))
    assert done.returncode == 0, done.stderr
    assert "Cockpit's own exported events" in done.stdout
    assert "added 0 meetings" in done.stdout
    assert _touches(tmp_path) == before


_ADD_ANN = """
import sys
from pathlib import Path
from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database
db = open_database(DatabaseLocation(Path(sys.argv[1]), "--db"))
book.add_client("Ann Lee", "Acme", emails=["ann@acme.example"])
db.close()
"""
