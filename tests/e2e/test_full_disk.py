"""A full disk: the write that does not fit is refused with a message naming the book and
what to do, nothing written before is lost, and once there is room again it all works.

The real thing needs a small file system of our own: a tmpfs, which only root may
mount (as in CI); elsewhere the OS error is injected instead.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.storage import book
from tests.support.paths import ROOT

NOTE = "A long note. " * 4000  # about 52 KB


@pytest.fixture
def tiny_disk(tmp_path):
    mount_point = tmp_path / f"tiny-{uuid.uuid4().hex[:8]}"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1536k,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def _cockpit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cockpit", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def _fill(folder: Path, leave: int) -> Path:
    """A file taking all the room of the file system but `leave` bytes."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * 4096)
    size = filler.stat().st_size
    with open(filler, "r+b") as out:
        out.truncate(max(0, size - leave))
    return filler


def test_a_full_disk_refuses_the_write_and_loses_nothing(tiny_disk, today):
    path = tiny_disk / "book.db"
    assert _cockpit("--db", str(path), "log", "Ann Example", "call", "first").returncode != 0
    from cockpit.storage.database import DatabaseLocation, open_database

    db = open_database(DatabaseLocation(path, "--db"))
    book.add_client("Ann Example", "Acme")
    db.close()
    assert _cockpit("--db", str(path), "log", "Ann", "call", "kept").returncode == 0
    filler = _fill(tiny_disk, leave=64 * 1024)
    refused = None
    for n in range(40):
        done = _cockpit("--db", str(path), "log", "Ann", "call", f"{n} {NOTE}")
        if done.returncode != 0:
            refused = done
            break
    assert refused is not None, "the disk never filled up"
    assert refused.returncode == 1
    assert f"cannot write {path}" in refused.stderr
    assert "free some disk space" in refused.stderr
    assert "Traceback" not in refused.stderr
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        summaries = [s for (s,) in connection.execute("SELECT summary FROM interaction")]
    finally:
        connection.close()
    assert "kept" in summaries
    filler.unlink()
    assert _cockpit("--db", str(path), "log", "Ann", "call", "after").returncode == 0


def test_a_disk_full_error_is_named_where_it_cannot_be_made_real(
    db, book_path, monkeypatch, capsys, today
):
    book.add_client("Ann Example", "Acme")

    def disk_full(*_args, **_kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(book, "log_touch", disk_full)  # what `cockpit log` writes with
    assert main(["--db", str(book_path), "log", "Ann", "call", "too much"]) == 1
    err = capsys.readouterr().err
    assert f"cannot write {book_path}: database or disk is full" in err
    assert "free some disk space" in err
