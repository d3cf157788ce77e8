"""Output to a terminal or pipe that cannot encode every character (PYTHONIOENCODING=ascii,
LC_ALL=C): each command degrades to plain text, never to a traceback.

Typographic characters become their ASCII look-alikes ("…" as "...", "“" as '"'),
letters lose their accents ("Zoë Ångström" as "Zoe Angstrom"), and JSON keeps the
data exact with \\u escapes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.output_encoding import plain
from cockpit.storage import book
from tests.support.paths import ROOT

NAME, COMPANY = "Zoë Ångström", "Acme “Ltd” \u2013 Malmö"  # an en dash


@pytest.fixture
def zoe_book(db, book_path: Path, today) -> Path:
    client = book.add_client(NAME, COMPANY)
    book.add_deal(client, "1200", won_on=date(2026, 1, 2))
    for day in (5, 20, 35, 50):  # a touch a fortnight, then silence: drifting
        when = datetime(2026, 1, 1, 10) + timedelta(days=day)
        book.add_interaction(client, "call", when=when, summary="Kick-off… all good")
    db.close()
    return book_path


def cockpit(*args: str, encoding: str = "ascii") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cockpit", *args],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": encoding, "LC_ALL": "C", "COLUMNS": "120"},
        cwd=ROOT,
        timeout=60,
    )


def _text(output: bytes) -> str:
    """The output, which must be plain ASCII."""
    assert output.isascii(), output
    return output.decode("ascii")


def test_clients_shows_the_names_without_accents(zoe_book):
    result = cockpit("--db", str(zoe_book), "clients")
    assert result.returncode == 0, result.stderr
    assert 'Zoe Angstrom  Acme "Ltd" - Malmo' in _text(result.stdout)
    assert _text(result.stderr) == ""


@pytest.mark.parametrize("args", [["drift"], ["drift", "--all"]])
def test_drift_degrades_too(zoe_book, args):
    result = cockpit("--db", str(zoe_book), *args)
    assert result.returncode == 0, result.stderr
    assert 'Zoe Angstrom  Acme "Ltd" - Malmo' in _text(result.stdout)
    assert _text(result.stderr) == ""


def test_json_keeps_the_data_exact(zoe_book):
    result = cockpit("--db", str(zoe_book), "clients", "--json")
    assert result.returncode == 0, result.stderr
    [row] = json.loads(_text(result.stdout))
    assert (row["client"], row["company"]) == (NAME, COMPANY)


def test_help_is_plain_text():
    result = cockpit("--help")
    assert result.returncode == 0
    assert _text(result.stdout).startswith("usage: cockpit")


def test_an_argument_error_names_the_argument_without_accents():
    result = cockpit("clients", "--Zoë…")
    assert result.returncode == 2
    assert "unrecognized arguments: --Zoe..." in _text(result.stderr)


def test_an_error_message_names_the_file_without_accents(zoe_book):
    result = cockpit("--db", str(zoe_book), "import", "Zoë Ångström….csv")
    assert result.returncode == 2
    assert _text(result.stderr) == "cockpit: Zoe Angstrom....csv does not exist\n"


def test_an_encoding_with_accents_keeps_them_and_plain_punctuation(zoe_book):
    result = cockpit("--db", str(zoe_book), "clients", encoding="latin-1")
    assert result.returncode == 0, result.stderr
    assert 'Zoë Ångström  Acme "Ltd" - Malmö' in result.stdout.decode("latin-1")


@pytest.mark.parametrize(
    ("char", "expected"),
    [("…", "..."), ("—", "--"), ("\u2019", "'"), ("→", "->"), ("ß", "ss"), ("Å", "A"), ("漢", "?")],
)
def test_each_character_has_a_plain_form(char, expected):
    assert plain(char, "ascii") == expected
