"""What `--db PATH` accepts: a regular file (or a path where none is yet), nothing else.

A FIFO, a device or a folder is refused with one line and left exactly as it was;
Cockpit makes a file private (mode 0600) only when it created it, or when an empty
file is plainly the user's own: named directly, owned by them, with no other name.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.cli import main
from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database
from tests.support.paths import ROOT

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, devices and modes are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _refusal(capsys, *args: str) -> str:
    """What `cockpit ... clients` printed on stderr, having failed with status 1."""
    assert main([*args, "clients"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err  # one line
    return captured.err


@posix_only
def test_a_fifo_is_refused_at_once_and_left_as_it_is(tmp_path):
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo, 0o644)
    result = subprocess.run(  # in a process of its own: opening the FIFO would hang a test
        [sys.executable, "-m", "cockpit", "--db", str(fifo), "clients"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"cockpit: {fifo} is a named pipe (FIFO), not a Cockpit book; it was left as it is. "
        "Give the path of a regular file\n"
    )
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert _mode(fifo) == 0o644


@posix_only
def test_cockpit_info_on_a_fifo_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "cockpit", "--db", str(fifo), "info"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
    )
    assert result.returncode == 0
    assert "not a regular file" in result.stdout


@posix_only
def test_dev_null_keeps_its_mode(capsys):
    null = Path(os.devnull)
    if not null.exists() or not stat.S_ISCHR(null.stat().st_mode):
        pytest.skip(f"{null} is not a character device here")
    before = _mode(null)
    try:
        error = _refusal(capsys, "--db", str(null))
    finally:
        after = _mode(null)
        if after != before:  # as root the old code took it from everyone: give it back
            null.chmod(before)
    assert after == before
    assert error.startswith(f"cockpit: {null} is a device, not a Cockpit book")


def test_a_directory_is_refused_and_left_as_it_is(tmp_path, capsys):
    folder = tmp_path / "folder"
    folder.mkdir(mode=0o755)
    error = _refusal(capsys, "--db", str(folder))
    assert error == f"cockpit: {folder} is a directory, not a Cockpit book; give a file path\n"
    assert list(folder.iterdir()) == []
    assert _mode(folder) == 0o755


@posix_only
def test_a_link_to_a_book_opens_the_book_and_stays_a_link(tmp_path, capsys):
    target = tmp_path / "real.db"
    with_client = open_database(DatabaseLocation(target, "--db"))
    book.add_client("Ann Smith", "Acme")
    with_client.close()
    link = tmp_path / "link.db"
    link.symlink_to(target)
    assert main(["--db", str(link), "clients"]) == 0
    assert "Ann Smith" in capsys.readouterr().out
    assert link.is_symlink()
    assert _mode(target) == 0o600


@posix_only
def test_an_empty_file_reached_through_a_link_keeps_its_mode(tmp_path, capsys):
    target = tmp_path / "shared.db"
    target.touch()
    target.chmod(0o644)
    link = tmp_path / "link.db"
    link.symlink_to(target)
    assert main(["--db", str(link), "clients"]) == 0
    assert _mode(target) == 0o644
    assert link.is_symlink()


@posix_only
def test_a_dangling_link_is_refused_and_nothing_is_created(tmp_path, capsys):
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "nowhere.db")
    error = _refusal(capsys, "--db", str(link))
    assert "is a symbolic link to" in error and "which does not exist" in error
    assert not (tmp_path / "nowhere.db").exists()


@posix_only
def test_an_empty_file_of_the_users_own_becomes_a_private_book(tmp_path, capsys):
    touched = tmp_path / "new.db"
    touched.touch()
    touched.chmod(0o644)
    assert main(["--db", str(touched), "clients"]) == 0
    assert _mode(touched) == 0o600


@posix_only
def test_an_empty_file_with_another_name_keeps_its_mode(tmp_path, capsys):
    original = tmp_path / "original"
    original.touch()
    original.chmod(0o644)
    hard_link = tmp_path / "book.db"
    os.link(original, hard_link)
    assert main(["--db", str(hard_link), "clients"]) == 0
    assert _mode(original) == 0o644


@posix_only
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_root_leaves_the_mode_of_another_users_empty_file_alone(tmp_path, capsys):
    theirs = tmp_path / "theirs.db"
    theirs.touch()
    theirs.chmod(0o666)
    os.chown(theirs, 65534, 65534)
    assert main(["--db", str(theirs), "clients"]) == 0
    assert _mode(theirs) == 0o666
