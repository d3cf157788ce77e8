"""A process killed outright (SIGKILL, a power cut for the process) in the middle of
writing loses nothing it said was saved, and leaves a book that is whole."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cockpit.storage import book
from tests.support.paths import ROOT

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
    pytest.mark.timing,
]


# `cockpit log` over and over in one process, saying what it saved as it goes.
LOGGER = """
import sys
from cockpit.cli import main
book_path, start = sys.argv[1], int(sys.argv[2])
print("ready", flush=True)
for n in range(start, start + 100_000):
    status = main(["--db", book_path, "log", "#1", "call", f"crash test {n}"])
    print(f"saved {n}" if status == 0 else f"failed {n}", flush=True)
"""

IMPORTER = """
import sys
from cockpit.cli import main
print("ready", flush=True)
sys.exit(main(["--db", sys.argv[1], "import", sys.argv[2]]))
"""


def _start(script: str, *args: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout.readline().strip() == "ready"
    return process


def _kill_after(process: subprocess.Popen, seconds: float, *, head: str = "") -> tuple[str, str]:
    time.sleep(seconds)
    os.kill(process.pid, signal.SIGKILL)
    out, err = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    return head + out, err


def _first_line_starting(process: subprocess.Popen, prefix: str, timeout: float = 60) -> str:
    """Read the output up to the first line starting with `prefix` (the process has got that
    far: a positive sync point however loaded the machine is); the lines read."""
    deadline = time.monotonic() + timeout
    head = ""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"the process ended before {prefix!r}: {process.stderr.read()}")
        head += line
        if line.startswith(prefix):
            return head
    raise AssertionError(f"no {prefix!r} in {timeout} s")


def _whole(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()


def _summaries(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {summary for (summary,) in connection.execute("SELECT summary FROM interaction")}
    finally:
        connection.close()


@pytest.mark.slow
def test_every_touch_reported_saved_survives_being_killed_at_random_moments(db, book_path):
    book.add_client("Crash Test", "Acme")
    db.close()
    rng = random.Random(20261123)
    reported: set[str] = set()
    start = 0
    for _ in range(12):
        process = _start(LOGGER, str(book_path), str(start))
        # Killed at a random moment once it is writing (not while a busy machine still
        # imports Cockpit): each kill lands among the writes.
        head = _first_line_starting(process, "saved")
        out, err = _kill_after(process, rng.uniform(0.0, 0.6), head=head)
        assert "Traceback" not in err
        saved = [int(line.split()[1]) for line in out.splitlines() if line.startswith("saved")]
        reported |= {f"crash test {n}" for n in saved}
        start += 100_000  # each run its own numbers: none is reported twice
        _whole(book_path)
        assert reported <= _summaries(book_path)
    assert len(reported) > 10  # the kills came while it was writing, not before it began


def _import_time(cards, book) -> float:
    """How long a whole import takes here (the quicker of two, so a kill lands inside)."""
    started = time.perf_counter()
    assert _start(IMPORTER, str(book), str(cards)).wait(timeout=120) == 0
    return time.perf_counter() - started


@pytest.mark.slow
def test_an_import_killed_half_way_leaves_all_of_its_file_or_none(db, book_path, tmp_path):
    db.close()
    cards = tmp_path / "contacts.vcf"
    cards.write_text(
        "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n:04d}\r\nORG:Firm {n % 50}\r\n"
            f"EMAIL:person{n}@example.com\r\nEND:VCARD\r\n"
            for n in range(3000)
        ),
        encoding="utf-8",
    )
    duration = min(_import_time(cards, tmp_path / f"timed-{n}.db") for n in range(2))
    rng = random.Random(7)
    seen = set()
    for _ in range(5):
        process = _start(IMPORTER, str(book_path), str(cards))
        time.sleep(rng.uniform(0.3, 0.9) * duration)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        if process.returncode == 0:  # quicker than when it was timed (a machine less busy):
            duration *= 0.6  # the next kill comes sooner; this run still ends whole
        else:
            assert process.returncode == -signal.SIGKILL
        _whole(book_path)
        connection = sqlite3.connect(book_path)
        try:
            (count,) = connection.execute("SELECT COUNT(*) FROM client").fetchone()
        finally:
            connection.close()
        assert count in (0, 3000)
        seen.add(count)
    assert 0 in seen  # the kills came in the middle of the import
