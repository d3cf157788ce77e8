"""`cockpit import` of files as other programs write them: UTF-16 (Excel's "Unicode text",
tab-separated), Windows-1252, stray NUL bytes, binary files, and bad values in good contacts.

The rules: a stray NUL or control character is the trouble of the row or field holding
it, wherever it is in the file; a file whose first 4,096 characters are more than one in
twenty control characters is binary and refused; an email, phone number or date that
cannot be stored is left out and listed, and the rest of its contact comes in.
"""

from __future__ import annotations

import csv
import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from textual.widgets import Static

from cockpit.cli import main
from cockpit.storage import book
from cockpit.storage.models import Client, ClientEmail, ClientPhone, Interaction
from cockpit.ui.screens.import_screen import ImportForm, ImportResult
from tests.support.forms import fill
from tests.support.paths import SHARED_DATA
from tests.support.pilot import app_for, loaded

DATA = SHARED_DATA
OUTLOOK = DATA / "csv" / "outlook-contacts.csv"
needs_outlook_sample = pytest.mark.skipif(not OUTLOOK.is_file(), reason="no shared samples")

HISTORY = [
    ["client", "company", "date", "kind", "intent", "duration_min", "amount", "note"],
    ["Zoë Ångström", "Acme", "2026-01-10", "call", "", "", "", "Kick-off… “quoted”"],
    ["Bob Ray", "Acme", "2026-01-12", "meeting", "", "30", "", ""],
]


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _import(capsys, path: Path, book_path: Path) -> tuple[int, str, str]:
    code = main(["import", str(path), "--db", str(book_path)])
    out, err = capsys.readouterr()
    return code, out, err


def _touches() -> list[tuple[str, str]]:
    query = Interaction.select(Client.name, Interaction.summary).join(Client)
    return sorted(query.tuples())


# Encodings and separators ------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "codec", "named"),
    [("\ufeff", "utf-16-le", "UTF-16 LE"), ("\ufeff", "utf-16-be", "UTF-16 BE")],
)
def test_excel_unicode_text_imports_and_the_report_names_it(
    db, book_path, tmp_path, today, capsys, bom, codec, named
):
    path = tmp_path / "history.txt"
    path.write_bytes((bom + _csv(HISTORY, delimiter="\t")).encode(codec))
    code, out, err = _import(capsys, path, book_path)
    assert (code, err) == (0, "")
    assert out.startswith(f"history.txt (read as {named}): 2 clients created")
    assert _touches() == [("Bob Ray", ""), ("Zoë Ångström", "Kick-off… “quoted”")]


def test_a_utf16_comma_separated_file_imports_too(db, book_path, tmp_path, today, capsys):
    path = tmp_path / "history.csv"
    path.write_text(_csv(HISTORY), encoding="utf-16")  # Python writes the BOM
    code, out, _ = _import(capsys, path, book_path)
    assert code == 0 and "(read as UTF-16 " in out
    assert len(_touches()) == 2


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_a_utf8_file_separated_by_tabs_or_semicolons_imports(
    db, book_path, tmp_path, today, capsys, delimiter
):
    path = tmp_path / "history.csv"
    path.write_text(_csv(HISTORY, delimiter), encoding="utf-8-sig")
    code, out, _ = _import(capsys, path, book_path)
    assert code == 0
    assert out.startswith("history.csv: 2 clients created")  # UTF-8 is not worth a word
    assert len(_touches()) == 2


@needs_outlook_sample
def test_an_outlook_export_saved_as_unicode_text_imports_its_contacts(
    db, book_path, tmp_path, today, capsys
):
    rows = list(csv.reader(io.StringIO(OUTLOOK.read_text(encoding="utf-8-sig"))))
    path = tmp_path / "contacts.txt"
    path.write_bytes(("\ufeff" + _csv(rows, delimiter="\t")).encode("utf-16-le"))
    code, out, err = _import(capsys, path, book_path)
    assert (code, err) == (0, "")
    assert out.startswith("contacts.txt (read as UTF-16 LE): contacts created 2,")
    assert Client.select().count() == 2


@needs_outlook_sample
def test_an_address_book_in_windows_1252_is_named_so(db, book_path, tmp_path, today, capsys):
    text = OUTLOOK.read_text(encoding="utf-8-sig").replace("Dmitri", "Dmítri")
    path = tmp_path / "contacts.csv"
    path.write_bytes(text.encode("cp1252"))
    code, out, _ = _import(capsys, path, book_path)
    assert code == 0
    assert out.startswith("contacts.csv (read as Windows-1252): contacts created 2,")
    assert Client.select().where(Client.name.startswith("Dmítri")).exists()


# NUL bytes and binary files -----------------------------------------------------------


def test_a_nul_byte_fails_its_row_wherever_it_is_and_the_rest_imports(
    db, book_path, tmp_path, today, capsys
):
    early = ["Ann\x00Smith", "Acme", "2026-01-11", "call", "", "", "", "early"]
    filler = [
        [f"Client {n}", "Acme", "2026-01-13", "email", "", "", "", "x" * 100] for n in range(50)
    ]
    late = ["Cy Late", "Acme", "2026-01-14", "call", "", "", "", "a NUL\x00 in the note"]
    text = _csv([*HISTORY, early, *filler, late])
    assert text.index("\x00") < 4096 < text.rindex("\x00")
    path = tmp_path / "history.csv"
    path.write_text(text, encoding="utf-8")
    code, out, err = _import(capsys, path, book_path)
    assert code == 1
    assert err.splitlines() == [
        f"{path}:4: client cannot contain control characters (tabs, newlines, escapes, "
        "direction overrides)",
        f"{path}:55: the summary cannot contain NUL characters",
    ]
    summary, total = out.splitlines()
    assert summary.endswith(
        "added 52 touches, 0 notes and 0 deals; 0 rows already there; 2 rows failed. "
        "The 52 clients created have no won deal yet: prospects until one is won"
    )
    assert total.startswith("Total, 1 file, import #1: 52 clients created")
    assert Interaction.select().count() == 52
    assert not Client.select().where(Client.name.contains("Ann")).exists()


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    pixels = b"".join(b"\x00" + os.urandom(48) for _ in range(16))
    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("history.csv", _csv(HISTORY))
    return out.getvalue()


@pytest.mark.parametrize("kind", ["png", "zip", "book"])
def test_a_binary_file_is_refused_as_such(db, book_path, tmp_path, today, capsys, kind):
    path = tmp_path / f"file.{kind}"
    path.write_bytes({"png": _png, "zip": _zip, "book": book_path.read_bytes}[kind]())
    code, out, err = _import(capsys, path, book_path)
    assert code == 2 and out == ""
    assert err == (
        f"cockpit: {path} is not a text file Cockpit can import: it looks like binary data "
        "(Cockpit reads vCard and CSV files in UTF-8, UTF-16 or Windows-1252)\n"
    )
    assert Client.select().count() == 0


# Bad values in good contacts ----------------------------------------------------------

CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nBDAY:2000-02-30\r\n"
    "TEL:+44 20 7946 0000\r\nTEL:call me\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Charles Babbage\r\nBDAY:0000-00-00\r\n"
    "ANNIVERSARY:19991301\r\nNICKNAME:Charlie\r\nEND:VCARD\r\n"
)


def test_bad_vcard_dates_and_phones_are_reported_and_the_rest_of_the_card_kept(
    db, book_path, tmp_path, today, capsys
):
    path = tmp_path / "cards.vcf"
    path.write_text(CARDS, encoding="utf-8")
    code, out, err = _import(capsys, path, book_path)
    assert code == 1
    assert err.splitlines() == [
        f"{path} (record 1): Ada Lovelace: birthday '2000-02-30' left out: "
        "it is not a calendar date",
        f"{path} (record 1): Ada Lovelace: phone number 'call me' left out: "
        "'call me' is not a phone number: it has no digits",
        f"{path} (record 2): Charles Babbage: birthday '0000-00-00' left out: "
        "it is not a calendar date",
        f"{path} (record 2): Charles Babbage: anniversary '19991301' left out: "
        "it is not a calendar date",
    ]
    assert out.splitlines()[0] == (
        "cards.vcf: contacts created 2, updated 0, unchanged 0, failed 0; 4 bad fields left out"
    )
    ada = Client.get(Client.name == "Ada Lovelace")
    assert [p.number for p in ClientPhone.select().where(ClientPhone.client == ada)] == [
        "+44 20 7946 0000"
    ]
    assert [e.address for e in ClientEmail.select().where(ClientEmail.client == ada)] == [
        "ada@example.org"
    ]
    charles = Client.get(Client.name == "Charles Babbage")
    assert book.profile_answers(charles) == {"nickname": "Charlie"}


def test_a_bad_birthday_in_a_csv_export_is_reported_too(db, book_path, tmp_path, today, capsys):
    path = tmp_path / "contacts.csv"
    path.write_text(
        "First Name,Last Name,Company,E-mail Address,Birthday,Mobile Phone\n"
        "Ada,Lovelace,,ada@example.org,2/30/1979,+44 20 7946 0000\n"
        "Grace,Hopper,,grace@example.org,0/0/00,\n",
        encoding="utf-8",
    )
    code, _, err = _import(capsys, path, book_path)
    assert code == 1
    assert err == (
        f"{path} (line 2): Ada Lovelace: birthday '2/30/1979' left out: it is not a calendar date\n"
    )
    assert Client.select().count() == 2
    assert ClientPhone.select().count() == 1


async def test_the_cockpit_shows_the_fields_left_out(db, book_path, tmp_path, today):
    path = tmp_path / "cards.vcf"
    path.write_text(CARDS, encoding="utf-8")
    db.close()
    app = app_for(book_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.main.action_import_file()
        await pilot.pause()
        assert isinstance(app.screen, ImportForm)
        fill(app.screen, {"path": str(path)})
        await pilot.press("ctrl+s")
        await loaded(pilot)
        assert isinstance(app.screen, ImportResult)
        text = "\n".join(str(shown.render()) for shown in app.screen.query(Static))
        assert "failed 0; 4 bad fields left out" in text
        assert "Ada Lovelace: phone number 'call me' left out" in text
        assert "Charles Babbage: birthday '0000-00-00' left out" in text


def test_a_pipe_or_a_device_given_to_import_is_refused_without_waiting(db, tmp_path, capsys):
    pipe = tmp_path / "contacts.vcf"
    os.mkfifo(pipe)
    for path in (pipe, Path("/dev/zero")):
        assert main(["--db", str(db.database), "import", str(path)]) == 2
        assert "is not a regular file" in capsys.readouterr().err
