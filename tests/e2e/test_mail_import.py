"""`cockpit import mail.mbox` and `cockpit import MAILDIR` (issue 25, mail): your messages
to a client become email touches, a client's messages heard-from lines; your address is
required; a mailbox imported again adds nothing; `--undo` takes it all back; a truncated
mbox and a Maildir holding a message that cannot be read import, each problem said with
its file and line."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from tests.support.commands import run_cockpit
from tests.support.mailboxes import ANN, BOB, ME, message, write_maildir, write_mbox


def run(*args: str) -> subprocess.CompletedProcess:
    return run_cockpit(*args, env={"COCKPIT_TODAY": "2026-11-23"})


def _book(tmp_path: Path) -> list[str]:
    """A book holding Ann Lee (ANN); the --db arguments."""
    db = ["--db", str(tmp_path / "book.db")]
    card = tmp_path / "ann.vcf"
    card.write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nORG:Client\r\nEMAIL:{ANN}\r\nEND:VCARD\r\n"
    )
    assert run(*db, "import", str(card)).returncode == 0
    return db


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def _mail() -> list:
    return [
        message(ME, ANN, at=_at(16), subject="Pricing"),
        message(ME, ANN, at=_at(16, 15), subject="Re: Pricing"),  # the same day: one touch
        message(ANN, ME, at=_at(17), subject="Re: Pricing"),
        message(BOB, ME, at=_at(17), subject="Hello"),
        message(ANN, ME, at=_at(18), subject="News", List_Id="<news.client.example>"),
    ]


def _rows(tmp_path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(tmp_path / "book.db") as db:
        return db.execute(sql).fetchall()


def test_an_mbox_imports_once_and_undoes(tmp_path):
    db = _book(tmp_path)
    box = write_mbox(tmp_path / "mail.mbox", _mail())
    refused = run(*db, "import", str(box))
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("cockpit: which mail is yours? Give your address with --me")
    assert 'me = ["' in refused.stderr
    assert _rows(tmp_path, "SELECT count(*) FROM interaction") == [(0,)]

    done = run(*db, "import", str(box), "--me", ME)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "mail.mbox: mbox, 4 messages read; 1 skipped (lists, automated, bulk, drafts)" in lines
    assert "Ann Lee: 1 email touch added; 1 day heard from them added" in lines
    assert "Messages not brought in: 1 from mailing lists" in lines
    assert f"  {BOB}: 1" in lines
    assert _rows(tmp_path, "SELECT kind, day, summary FROM interaction") == [
        ("email", "2026-11-16", "Pricing")
    ]
    assert _rows(tmp_path, "SELECT day, summary FROM heard_from") == [("2026-11-17", "Re: Pricing")]

    again = run(*db, "import", str(box), "--me", ME)
    assert again.returncode == 0, again.stderr
    assert "Ann Lee: 2 days already there" in again.stdout.splitlines()
    assert _rows(tmp_path, "SELECT count(*) FROM interaction") == [(1,)]
    assert _rows(tmp_path, "SELECT count(*) FROM heard_from") == [(1,)]

    undone = run(*db, "import", "--undo", "2")
    assert undone.returncode == 0, undone.stderr
    assert "removed 1 touch and 1 heard-from line" in undone.stdout
    assert _rows(tmp_path, "SELECT count(*) FROM interaction") == [(0,)]
    assert _rows(tmp_path, "SELECT count(*) FROM heard_from") == [(0,)]
    assert _rows(tmp_path, "SELECT count(*) FROM import_source") == [(0,)]


def test_a_truncated_mbox_imports_what_it_can_and_says_where(tmp_path):
    db = _book(tmp_path)
    whole = write_mbox(tmp_path / "whole.mbox", _mail()[:3])
    data = whole.read_bytes()
    cut = tmp_path / "cut.mbox"
    cut.write_bytes(data[: data.rindex(b"Subject: Re: Pricing") - 40])  # in the last headers
    result = run(*db, "import", str(cut), "--me", ME)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1  # a message left out, as a failed row is
    problems = [line for line in result.stderr.splitlines() if line.startswith(f"{cut}:")]
    assert len(problems) == 1 and "message 3 is cut off" in problems[0]
    assert "Ann Lee: 1 email touch added" in result.stdout
    assert _rows(tmp_path, "SELECT count(*) FROM interaction") == [(1,)]


def test_a_maildir_imports_with_a_message_that_cannot_be_read(tmp_path):
    db = _book(tmp_path)
    folder = tmp_path / "Maildir"
    write_maildir(folder, _mail()[:3])
    (folder / "new" / "1700000000.broken.host").mkdir()  # a folder where a message should be
    result = run(*db, "import", str(folder), "--me", ME)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert f"{folder} (new/1700000000.broken.host): message " in result.stderr
    assert "is a folder, not a message" in result.stderr
    assert "Ann Lee: 1 email touch added; 1 day heard from them added" in result.stdout
    assert _rows(tmp_path, "SELECT count(*) FROM heard_from") == [(1,)]
