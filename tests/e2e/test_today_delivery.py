"""`cockpit today` run as cron runs it (a program, no terminal, no input): mailed to a real
SMTP server with the password from a command, and shown through notify-send (a stand-in
on PATH that records what it was given), or said in one line when it cannot be."""

from __future__ import annotations

import html
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import smtp_server
from tests.support.paths import ROOT
from tests.support.sensitive import secrets
from tests.support.smtp_server import PASSWORD, USER
from tests.support.today_book import build_today_book


@pytest.fixture
def ids(db, today) -> dict[str, int]:
    return build_today_book()


def _program(path: Path, body: str) -> Path:
    """An executable Python script at `path`."""
    path.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _today(book_path: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cockpit", "today", "--db", str(book_path), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "COCKPIT_TODAY": "2026-11-23", **env},
        cwd=ROOT,
        timeout=120,
    )


def _config(tmp_path: Path, text: str) -> dict[str, str]:
    """An XDG_CONFIG_HOME of its own holding cockpit/config.toml."""
    home = tmp_path / "xdg-config"
    (home / "cockpit").mkdir(parents=True)
    (home / "cockpit" / "config.toml").write_text(text, encoding="utf-8")
    return {"XDG_CONFIG_HOME": str(home)}


def test_cron_mails_the_agenda_logging_in_with_a_password_command(ids, book_path, tmp_path):
    server = smtp_server.start(tmp_path, tls="starttls", logins=True)
    try:
        secret = _program(tmp_path / "secret", f"print({PASSWORD!r})\n")
        env = _config(
            tmp_path,
            "[mail]\n"
            'host = "127.0.0.1"\n'
            f"port = {server.port}\n"
            'from = "me@x.io"\n'
            f'user = "{USER}"\n'
            f'password_command = "{secret} --for smtp"\n'
            f'cafile = "{server.cafile}"\n',
        )
        done = _today(book_path, "--mail", "ann@example.com", env=env)
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
        assert server.handler.logins == [(USER, PASSWORD)]
        [arrived] = server.arrived
        assert arrived.recipients == ["ann@example.com"]
        assert arrived.message["Subject"].startswith("Cockpit — today, Monday 23 November: ")
        text = arrived.message.get_body(("plain",)).get_content()
        assert "Core clients drifting (1)" in text
        assert not [marker for marker in secrets() if marker in arrived.message.as_string()]
    finally:
        server.stop()


def test_a_failing_password_command_sends_nothing(ids, book_path, tmp_path):
    server = smtp_server.start(tmp_path, logins=True)
    try:
        failing = _program(tmp_path / "locked", "import sys\nsys.exit(1)\n")
        env = _config(
            tmp_path,
            f'[mail]\nhost = "127.0.0.1"\nport = {server.port}\nfrom = "me@x.io"\n'
            f'starttls = false\nuser = "{USER}"\npassword_command = "{failing}"\n',
        )
        done = _today(book_path, "--mail", "ann@example.com", env=env)
        assert done.returncode == 2
        assert done.stderr == (
            "cockpit: password_command failed (exit status 1); nothing was sent\n"
        )
        assert server.handler.logins == [] and server.arrived == []
    finally:
        server.stop()


FAILING = "sys.stderr.write('Cannot autolaunch D-Bus without X11 $DISPLAY\\n')\nsys.exit(1)\n"


def _recording_notify_send(folder: Path, *, fails: bool = False) -> Path:
    folder.mkdir()
    record = folder / "arguments.json"
    _program(
        folder / "notify-send",
        "import json, sys\n"
        f"open({str(record)!r}, 'w', encoding='utf-8').write(json.dumps(sys.argv[1:]))\n"
        + (FAILING if fails else ""),
    )
    return record


def test_notify_shows_the_day_through_notify_send(ids, book_path, tmp_path):
    record = _recording_notify_send(tmp_path / "bin")
    path = f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"
    done = _today(book_path, "--notify", env={"PATH": path})
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    arguments = json.loads(record.read_text("utf-8"))
    options, (summary, body) = arguments[:3], arguments[3:]
    assert options == ["--app-name=Cockpit", "--urgency=normal", "--"]
    assert summary == (
        "Cockpit — today: 4 follow-ups, 2 birthdays, 1 anniversary, 3 planned "
        "communications, 1 drifting, 1 renewal"
    )
    lines = body.splitlines()
    assert len(lines) == 9  # 8 of the 12 items, and how many more
    assert lines[0] == (
        "Follow up with Ann Lee (Acme): overdue by 3 days (due Fri 20 Nov); from the email of "
        "Tue 17 Nov: Price list"
    )
    assert lines[2].startswith(
        "Follow up with &lt;b&gt;Bold&lt;/b&gt; [bold]Kim[/bold] (Tags &amp; &lt;i&gt;Co"
    )
    assert all(len(html.unescape(line)) <= 110 for line in lines)  # shortened, then escaped
    assert lines[4:6] == [  # each section has a line
        "Mia's 11th birthday today, a child of Ann Lee (Acme)",
        "Check-in with Kofi Jensen (Ridgeway), a call every month: overdue by 5 days (due Wed "
        "18 Nov)",
    ]
    assert lines[6].startswith("Kofi Jensen (Ridgeway), core, drifting: 34% of your revenue.")
    assert lines[7].startswith("Renewal: Ridgeway's contract ends Sat 5 Dec ($40,000)")
    assert lines[7].endswith("…")
    assert lines[-1] == "… and 4 more: cockpit today lists them"
    assert not [marker for marker in secrets() if marker in body + summary]


def test_notify_without_notify_send_says_so_in_one_line(ids, book_path, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    done = _today(book_path, "--notify", env={"PATH": str(empty)})
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("cockpit: --notify needs notify-send, which is not installed")


def test_a_notify_send_that_fails_is_said(ids, book_path, tmp_path):
    _recording_notify_send(tmp_path / "bin", fails=True)
    path = f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"
    done = _today(book_path, "--notify", env={"PATH": path})
    assert done.returncode == 3 and done.stdout == ""
    assert done.stderr == (
        "cockpit: notify-send failed (exit status 1): Cannot autolaunch D-Bus without X11 "
        "$DISPLAY; from cron, set DBUS_SESSION_BUS_ADDRESS (README, Reminders)\n"
    )
