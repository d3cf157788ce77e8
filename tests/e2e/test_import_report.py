"""`cockpit import` says what it did to each client (issue 20, points 8 and 16): a line for
each contact merged by a shared email into a client of another name, a line for each
client updated with what changed, and `--no-merge-by-email` keeps such contacts apart."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.commands import run_cockpit


def run(*args: str) -> subprocess.CompletedProcess:
    return run_cockpit(*args, env={"COCKPIT_TODAY": "2026-11-23"})


def _cards(path: Path, *cards: list[str]) -> Path:
    text = "".join(
        "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD", ""]) for lines in cards
    )
    path.write_text(text, encoding="utf-8")
    return path


def _book(tmp_path: Path) -> list[str]:
    """A book holding Ralf Engels (f@x.com) and Ann Smith; the --db arguments."""
    db = ["--db", str(tmp_path / "book.db")]
    first = _cards(
        tmp_path / "first.vcf",
        ["FN:Ralf Engels", "ORG:Acme", "EMAIL:f@x.com"],
        ["FN:Ann Smith", "ORG:Acme", "EMAIL:ann@acme.example"],
    )
    assert run(*db, "import", str(first)).returncode == 0
    return db


def _people(tmp_path: Path) -> Path:
    return _cards(
        tmp_path / "people.vcf",
        ["FN:Frank Dawson", "EMAIL:f@x.com"],
        ["FN:Ann Smith", "ORG:Acme", "EMAIL:ann@acme.example", "TEL:+1 555 0100", "X-CHILD:Mia"],
    )


def test_the_report_names_merges_and_what_changed(tmp_path):
    db = _book(tmp_path)
    people = _people(tmp_path)
    result = run(*db, "import", str(people))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{people} (record 1): Frank Dawson merged into Ralf Engels (same email f@x.com)",
        f"{people} (record 2): Ann Smith updated: phone +1 555 0100 added; children added",
        f"{people} (record 1): Ralf Engels: kept the name 'Ralf Engels'; the file has "
        "'Frank Dawson'",
        "people.vcf: contacts created 0, updated 1, unchanged 1, failed 0; 1 merged by email "
        "(--no-merge-by-email keeps them apart); 1 differences left alone (--overwrite "
        "replaces them)",
        "Total, 1 file, import #2: 0 clients created, 1 updated, 1 unchanged; 0 failed; "
        "1 merged by email (--no-merge-by-email keeps them apart); 1 differences left alone "
        "(--overwrite replaces them) ('cockpit import --undo 2' takes it back)",
    ]


def test_no_merge_by_email_keeps_the_contact_apart_and_undo_takes_it_back(tmp_path):
    db = _book(tmp_path)
    people = _people(tmp_path)
    dry = run(*db, "import", "--dry-run", "--no-merge-by-email", str(people))
    assert dry.stdout.splitlines()[0] == (
        f"{people} (record 2): Ann Smith would be updated: phone +1 555 0100 added; children added"
    )
    result = run(*db, "import", "--no-merge-by-email", str(people))
    assert "people.vcf: contacts created 1, updated 1, unchanged 0, failed 0" in result.stdout
    assert "merged" not in result.stdout
    clients = run(*db, "clients").stdout
    assert "Frank Dawson" in clients and "Ralf Engels" in clients
    assert run(*db, "import", "--undo").returncode == 0
    assert "Frank Dawson" not in run(*db, "clients").stdout


def test_no_merge_by_email_is_for_an_import(tmp_path):
    db = _book(tmp_path)
    result = run(*db, "import", "--list", "--no-merge-by-email")
    assert result.returncode == 2
    assert "--no-merge-by-email is for an import, not for --list or --undo" in result.stderr
