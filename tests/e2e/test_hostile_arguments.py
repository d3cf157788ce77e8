"""Arguments a hostile or unlucky user passes: bytes that are not text, files that are not
books or backups, URLs that cannot be. One line each, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.extras import needs_psycopg


def _cockpit(home: Path, *arguments: str | bytes) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "LANG": "C.UTF-8",
    }
    environment.pop("COCKPIT_DB", None)
    environment.pop("COCKPIT_DATABASE_URL", None)
    command = [sys.executable, "-m", "cockpit", *arguments]
    return subprocess.run(command, env=environment, capture_output=True, timeout=60)


def _one_clean_line(result: subprocess.CompletedProcess) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode in (1, 2), err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


@pytest.mark.parametrize("command", ["log", "clients", "deal", "profile", "forget"])
def test_a_client_named_in_bytes_that_are_not_text_is_refused_in_one_line(home, command):
    book = home / "book.db"
    assert _cockpit(home, "--db", str(book), "info").returncode == 0
    extra = {"log": ["call"], "deal": ["100"], "forget": ["--profile"]}.get(command, [])
    result = _cockpit(home, "--db", str(book), command, b"Zo\xeb", *extra)
    assert "not valid text" in _one_clean_line(result)


def test_restore_refuses_a_device_without_reading_it(home):
    result = _cockpit(home, "--db", str(home / "new.db"), "restore", "/dev/zero")
    assert "is not a regular file" in _one_clean_line(result)
    assert not (home / "new.db").exists()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_an_empty_file_whose_mode_cannot_change_is_refused_in_one_line(home):
    _one_clean_line(_cockpit(home, "--db", "/proc/self/status", "clients"))


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("postgresql://alice@127.0.0.1:99999/db", marks=needs_psycopg),
        "postgresql://alice@[::1/db",
        pytest.param("postgresql://a:b@h:p/d", marks=needs_psycopg),
    ],
)
def test_a_postgresql_url_that_cannot_be_is_refused_in_one_line(home, url):
    result = _cockpit(home, "--database-url", url, "clients")
    assert "not a usable PostgreSQL URL" in _one_clean_line(result)


@pytest.mark.parametrize("command", [["export", "csv"], ["export", "ics"], ["backup"]])
def test_force_never_replaces_a_pipe_or_a_device(home, command):
    book = home / "book.db"
    assert _cockpit(home, "--db", str(book), "info").returncode == 0
    assert _cockpit(home, "--db", str(book), "clients").returncode == 0
    pipe = home / "out.pipe"
    os.mkfifo(pipe)
    result = _cockpit(home, "--db", str(book), *command, str(pipe), "--force")
    assert "is not a regular file" in _one_clean_line(result)
    assert pipe.is_fifo()
