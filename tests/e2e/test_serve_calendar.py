"""The calendar `cockpit serve` publishes for a phone to subscribe to: what the calendar
export writes, made afresh at each request, which calcurse and khal import; refused
without its key."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database
from tests.support.serving import get

pytestmark = pytest.mark.slow


async def _subscribed(served) -> bytes:
    """What a calendar subscribed to the printed address receives."""
    status, headers, body = await get(served, served.calendar.removeprefix(served.origin))
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    return body


def _events(data: bytes) -> dict[str, tuple[str, object]]:
    calendar = Calendar.from_ical(data)
    return {
        str(event["UID"]): (str(event["SUMMARY"]), event.decoded("DTSTART"))
        for event in calendar.walk("VEVENT")
    }


def _exported(book_file: Path, tmp_path: Path) -> bytes:
    target = tmp_path / "exported.ics"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cockpit",
            "--db",
            str(book_file),
            "export",
            "ics",
            str(target),
            "--force",
        ],
        check=True,
        capture_output=True,
        env=os.environ,
        timeout=60,
    )
    return target.read_bytes()


async def test_the_served_calendar_is_the_export_made_afresh(served, book_file, tmp_path):
    first = _events(await _subscribed(served))
    assert first == _events(_exported(book_file, tmp_path))
    assert ("Birthday: Ann Smith (Acme)", date(1975, 3, 14)) in first.values()
    assert ("Follow up: Ann Smith (Acme)", date(2026, 12, 1)) in first.values()

    # A follow-up logged meanwhile is in the next fetch, as a phone refreshes.
    db = open_database(DatabaseLocation(book_file, "--db"))
    try:
        (ann,) = book.client_candidates()
        book.add_interaction(
            ann.id, "meeting", when=datetime(2026, 11, 20, 10), follow_up_on=date(2027, 1, 8)
        )
    finally:
        db.close()
    second = _events(await _subscribed(served))
    assert ("Follow up: Ann Smith (Acme)", date(2027, 1, 8)) in second.values()
    assert second == _events(_exported(book_file, tmp_path))


async def test_the_calendar_is_refused_without_its_key(served):
    key = served.calendar.split("/calendar/")[1].split("/")[0]
    for path in (
        "/cockpit.ics",
        f"/calendar/{'x' * len(key)}/cockpit.ics",
        "/calendar//cockpit.ics",
    ):
        status, _, body = await get(served, path)
        assert status == 403, path  # refused by the guard, before any route
        assert b"BEGIN:VCALENDAR" not in body


async def test_many_phones_at_once_each_get_the_whole_calendar(served):
    bodies = await asyncio.gather(*(_subscribed(served) for _ in range(6)))
    assert len({tuple(sorted(_events(body))) for body in bodies}) == 1


@pytest.mark.skipif(shutil.which("calcurse") is None, reason="calcurse is not installed")
async def test_calcurse_imports_the_served_calendar(served, tmp_path):
    served_file = tmp_path / "served.ics"
    served_file.write_bytes(await _subscribed(served))
    data = tmp_path / "calcurse"
    data.mkdir()
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}

    def calcurse(*argv: str) -> str:
        result = subprocess.run(
            ["calcurse", "-D", str(data), *argv],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "0 skipped" in calcurse("-i", str(served_file))
    assert "Birthday: Ann Smith (Acme)" in calcurse("-Q", "--from", "03/14/2030", "--days", "1")
    assert "Follow up: Ann Smith (Acme)" in calcurse("-Q", "--from", "12/01/2026", "--days", "1")


@pytest.mark.skipif(shutil.which("khal") is None, reason="khal is not installed")
async def test_khal_imports_the_served_calendar(served, tmp_path):
    served_file = tmp_path / "served.ics"
    served_file.write_bytes(await _subscribed(served))
    calendar = tmp_path / "khal" / "calendar"
    calendar.mkdir(parents=True)
    config = tmp_path / "khal" / "config"
    config.write_text(
        f"[calendars]\n[[cockpit]]\npath = {calendar}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
    )
    env = {**os.environ, "HOME": str(tmp_path / "khal"), "XDG_DATA_HOME": str(tmp_path / "data")}

    def khal(*argv: str) -> str:
        result = subprocess.run(
            ["khal", "-c", str(config), *argv], capture_output=True, text=True, env=env, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    khal("import", "--batch", str(served_file))
    listed = khal("list", "-df", "", "-f", "{start-date} {title}", "2030-03-14", "1d")
    assert listed.strip().splitlines() == ["2030-03-14 Birthday: Ann Smith (Acme)"]
    listed = khal("list", "-df", "", "-f", "{start-date} {title}", "2026-12-01", "1d")
    assert listed.strip().splitlines() == ["2026-12-01 Follow up: Ann Smith (Acme)"]
