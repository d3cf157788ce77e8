"""Opening a file to import and handing it to the importer its content calls for.

vCard files are recognised by their content, address-book CSV exports and
the interchange history CSV by their header. Each file is one transaction:
a dry run, or anything unexpected half-way, leaves the book as it was.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cockpit.errors import UsageError
from cockpit.importers import contacts, history_csv
from cockpit.importers.report import ImportReport
from cockpit.storage import book
from cockpit.storage.models import database_proxy


class _DryRun(Exception):
    """Raised to roll a dry run back."""


def _read(path: Path) -> str:
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give the files to import")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    if b"\x00" in data[:4096]:
        raise UsageError(f"{path} is not a text file Cockpit can import")
    # Bytes that are not UTF-8 survive as surrogates: a history row holding them fails
    # on its own; the address-book parsers read them as Windows-1252.
    return data.decode("utf-8-sig", errors="surrogateescape")


def import_file(path: Path, *, dry_run: bool = False, overwrite: bool = False) -> ImportReport:
    """Import one file in one transaction; a dry run reports and then rolls back.

    A broken record is reported with its line or record number and the good
    ones still import; a file that cannot be read at all raises UsageError
    and changes nothing.
    """
    text = _read(path)
    if not text.strip():
        raise UsageError(f"{path} is empty")
    report = ImportReport(path)
    try:
        with database_proxy.atomic():
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
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise UsageError(f"{path} is not a CSV file Cockpit can read ({error})") from None
    if header is not None and history_csv.is_history_header(header):
        try:
            history_csv.import_history(path, reader, header, report)
        except csv.Error as error:
            raise UsageError(
                f"{path}:{reader.line_num}: broken CSV ({error}); nothing was imported"
            ) from None
        return
    records = contacts_csv.parse_contacts_csv(text, str(path))
    if records is None:
        raise UsageError(
            f"{path}: not a file Cockpit knows. It reads vCard files, the CSV exports of "
            "Google Contacts, Outlook and LinkedIn, and interchange CSV files starting with "
            f"the header {','.join(history_csv.COLUMNS)}"
        )
    report.contacts = True
    contacts.merge(records, report, overwrite=overwrite)
