"""Opening a file to import and handing it to the importer its content calls for.

A file is read as UTF-16 when it starts with a UTF-16 byte-order mark (Excel's
"Unicode text", some Outlook exports), else as UTF-8 (with or without a BOM);
bytes that are not UTF-8 are kept as escapes, which the address-book parsers
read as Windows-1252. vCard files are recognised by their content, address-book
CSV exports and the interchange history CSV by their header, their cells
separated by commas, tabs ("Unicode text") or semicolons. Each file is one
transaction: a dry run, or anything unexpected half-way, leaves the book as it was.

Text or binary: a stray NUL or other control character is the trouble of the row
or field holding it, reported there. A file is refused as binary (a picture, an
archive, a database) when more than one in twenty of its first 4,096 characters
are control characters other than tab, line feed, carriage return and form feed:
compressed data has about one in nine, and a text file with a few stray bytes
far fewer.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from cockpit.errors import UsageError
from cockpit.importers import contacts, history_csv
from cockpit.importers.report import UTF8, ImportReport
from cockpit.storage import book, import_matching

WINDOWS_1252 = "Windows-1252"
UTF16_BOMS = (
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)
DELIMITERS = (",", "\t", ";")  # the first that makes a header Cockpit knows
BINARY_SAMPLE = 4096  # characters
BINARY_SHARE = 1 / 20  # of them control characters, at most, in a text file
TEXT_CONTROLS = frozenset("\t\n\r\f")
LARGEST_FILE = 256 * 2**20  # bytes: some hundred thousand contacts or touches


class _DryRun(Exception):
    """Raised to roll a dry run back."""


def _read(path: Path) -> tuple[str, str]:
    """The file's text and the name of its encoding."""
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give the files to import")
    if path.exists() and not path.is_file():  # a pipe would wait, a device never end
        raise UsageError(f"{path} is not a regular file (a pipe or a device); give a file")
    if path.is_file() and path.stat().st_size > LARGEST_FILE:
        raise UsageError(
            f"{path} is larger than {LARGEST_FILE // 2**20} MB; split it into smaller files"
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    text, encoding = _decoded(data)
    if _looks_binary(text):
        raise UsageError(
            f"{path} is not a text file Cockpit can import: it looks like binary data "
            "(Cockpit reads vCard and CSV files in UTF-8, UTF-16 or Windows-1252)"
        )
    return text, encoding


def _decoded(data: bytes) -> tuple[str, str]:
    for bom, codec, name in UTF16_BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace"), name
    try:
        return data.decode("utf-8-sig"), UTF8
    except UnicodeDecodeError:
        # Bytes that are not UTF-8 survive as surrogates: a history row holding them
        # fails on its own; the address-book parsers read them as Windows-1252.
        return data.decode("utf-8-sig", errors="surrogateescape"), WINDOWS_1252


def _looks_binary(text: str) -> bool:
    sample = text[:BINARY_SAMPLE]
    controls = sum(1 for char in sample if _is_control(char))
    return controls > len(sample) * BINARY_SHARE


def _is_control(char: str) -> bool:
    return (char < " " and char not in TEXT_CONTROLS) or char == "\x7f"


def import_file(path: Path, *, dry_run: bool = False, overwrite: bool = False) -> ImportReport:
    """Import one file in one transaction; a dry run reports and then rolls back.

    A broken record is reported with its line or record number and the good
    ones still import; a file that cannot be read at all raises UsageError
    and changes nothing.
    """
    text, encoding = _read(path)
    if not text.strip():
        raise UsageError(f"{path} is empty")
    report = ImportReport(path, encoding=encoding)
    try:
        with import_matching.transaction():
            with book.batch_writes():
                _import_text(path, text, report, overwrite)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _import_text(path: Path, text: str, report: ImportReport, overwrite: bool) -> None:
    from cockpit.importers import contacts_csv, vcard

    if vcard.looks_like_vcard(text):
        report.contacts = True
        contacts.merge(vcard.parse_vcards(text, str(path)), report, overwrite=overwrite)
        return
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = next(reader, None)
        except csv.Error as error:
            raise UsageError(f"{path} is not a CSV file Cockpit can read ({error})") from None
        if header is not None and history_csv.is_history_header(header):
            _import_history(path, reader, header, report)
            return
        records = contacts_csv.parse_contacts_csv(text, str(path), delimiter)
        if records is not None:
            report.contacts = True
            contacts.merge(records, report, overwrite=overwrite)
            return
    raise UsageError(
        f"{path}: not a file Cockpit knows. It reads vCard files, the CSV exports of "
        "Google Contacts, Outlook and LinkedIn, and interchange CSV files starting with "
        f"the header {','.join(history_csv.COLUMNS)}"
    )


def _import_history(path: Path, reader, header: list[str], report: ImportReport) -> None:
    if report.encoding == WINDOWS_1252:
        report.encoding = UTF8  # its bytes that are not UTF-8 fail their rows
    try:
        history_csv.import_history(path, reader, header, report)
    except csv.Error as error:
        raise UsageError(
            f"{path}:{reader.line_num}: broken CSV ({error}); nothing was imported"
        ) from None
