"""Opening a file to import and handing it to the importer its content calls for."""

from __future__ import annotations

import csv
from pathlib import Path

from cockpit.errors import UsageError
from cockpit.importers import history_csv
from cockpit.importers.report import ImportReport
from cockpit.storage import book
from cockpit.storage.models import database_proxy


class _DryRun(Exception):
    """Raised to roll a dry run back."""


def import_file(path: Path, *, dry_run: bool = False) -> ImportReport:
    """Import one file in one transaction; a dry run reports and then rolls back.

    A broken row is reported with its line number and the good rows still
    import; a file that cannot be read at all raises UsageError and changes nothing.
    """
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give the files to import")
    try:
        handle = path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    report = ImportReport(path)
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
        except csv.Error as error:
            raise UsageError(f"{path} is not a CSV file Cockpit can read ({error})") from None
        if header is None:
            raise UsageError(f"{path} is empty")
        if not history_csv.is_history_header(header):
            raise UsageError(
                f"{path}: not a file Cockpit knows; an interchange CSV starts with the header "
                f"{','.join(history_csv.COLUMNS)}"
            )
        try:
            with database_proxy.atomic():
                with book.batch_writes():
                    history_csv.import_history(path, reader, header, report)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        except csv.Error as error:
            raise UsageError(
                f"{path}:{reader.line_num}: broken CSV ({error}); nothing was imported"
            ) from None
    return report
