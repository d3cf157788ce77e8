"""Importing files and folders: reading each file, recognising it by its content, and
handing it to the importer it calls for; the whole import in one transaction.

`import_paths` takes the files and folders named (`folders.survey` lists a folder's
files); every file is read and recognised before anything is written, so a file named
that Cockpit cannot read stops the import at once, and a file of a folder that it
cannot read is skipped and listed. Then all of them go in, in one transaction, through
one `ImportWriter`, which records the import in the ledger under an id (`cockpit import
--undo ID` takes it back): a dry run, a fatal error or a crash half-way leaves the book
as it was. The contacts of all the files are matched against the book read once.

A file is read as UTF-16 when it starts with a UTF-16 byte-order mark (Excel's
"Unicode text", some Outlook exports), else as UTF-8 (with or without a BOM);
bytes that are not UTF-8 are kept as escapes, which the address-book parsers
read as Windows-1252. vCard files are recognised by their content, address-book
CSV exports and the interchange history CSV by their header, their cells
separated by commas, tabs ("Unicode text") or semicolons.

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
import gc
import io
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from cockpit.errors import CockpitError, UsageError
from cockpit.importers import contacts, folders, history_csv
from cockpit.importers.calendar_import import CalendarImport, CalendarOptions, CalendarSummary
from cockpit.importers.contact import windows_bytes_read
from cockpit.importers.folders import Source
from cockpit.importers.mail_import import MailSummary
from cockpit.importers.report import UTF8, ImportReport, ImportResult, SkippedFile
from cockpit.storage import book, import_matching
from cockpit.storage.import_ledger import ImportWriter

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
KEPT_TEXT = 64 * 2**20  # characters of the files read first kept for the import, at most
READING = 0.1  # of a progress bar: every file read a first time, to recognise it
FINISHING = 0.1  # and the summaries and the ledger, once the files are in
MBOX_PEEK = 1024  # bytes of a file read to tell an mbox, before reading it whole
KNOWN = (
    "Cockpit reads vCard files, iCalendar files (.ics), mailboxes (mbox files and Maildir "
    "folders), the CSV exports of Google Contacts, Outlook and LinkedIn, and interchange "
    "CSV files starting with the header " + ",".join(history_csv.COLUMNS)
)

# How far an import is: `progress(fraction, file)`, the fraction from 0 to 1.
Progress = Callable[[float, str], None]


class _DryRun(Exception):
    """Raised to roll a dry run back."""


class Cancelled(CockpitError):
    """Raised by a progress callback to stop an import: nothing is written."""

    def __init__(self) -> None:
        super().__init__("the import was cancelled; nothing was imported")


class _Unreadable(UsageError):
    """A file that cannot be imported: `message` says it of a file named, `reason` of
    one found in a folder (which is skipped)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _read(path: Path) -> tuple[str, str]:
    """The file's text and the name of its encoding."""
    if path.is_dir():
        raise _Unreadable(f"{path} is a folder; give the files to import", "a folder")
    if path.exists() and not path.is_file():  # a pipe would wait, a device never end
        raise _Unreadable(
            f"{path} is not a regular file (a pipe or a device); give a file",
            "not a regular file (a pipe or a device)",
        )
    if path.is_file() and path.stat().st_size > LARGEST_FILE:
        raise _Unreadable(
            f"{path} is larger than {LARGEST_FILE // 2**20} MB; split it into smaller files",
            f"larger than {LARGEST_FILE // 2**20} MB",
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _Unreadable(f"{path} does not exist", "it is gone") from None
    except OSError as error:
        raise _Unreadable(
            f"cannot read {path}: {error.strerror}", f"cannot be read ({error.strerror})"
        ) from None
    text, encoding = _decoded(data)
    if _looks_binary(text):
        raise _Unreadable(
            f"{path} is not a text file Cockpit can import: it looks like binary data "
            "(Cockpit reads vCard and CSV files in UTF-8, UTF-16 or Windows-1252)",
            "binary data, not a vCard or CSV file",
        )
    if not text.strip():
        raise _Unreadable(f"{path} is empty", "empty")
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


# --- What a file is ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    name: str  # "vcard", "history", "contacts" or "calendar"
    delimiter: str = ","


def _recognised(path: Path, text: str) -> _Kind:
    """What the text is; _Unreadable when Cockpit does not import it. A first line that
    is the interchange header makes a history, whatever the rows say; else a BEGIN:VCARD
    or END:VCARD line makes an address book, else the header of a known CSV layout."""
    from cockpit.importers import contacts_csv, vcard
    from cockpit.importers.calendar_reading import looks_like_calendar

    if looks_like_calendar(text):
        return _Kind("calendar")
    headers = []
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            header = next(reader, None)
        except csv.Error as error:
            if vcard.looks_like_vcard(text):
                return _Kind("vcard")
            raise _Unreadable(
                f"{path} is not a CSV file Cockpit can read ({error})",
                f"not a CSV file Cockpit can read ({error})",
            ) from None
        if header is not None and history_csv.is_history_header(header):
            return _Kind("history", delimiter)
        headers.append(delimiter)
    if vcard.looks_like_vcard(text):
        return _Kind("vcard")
    head = windows_bytes_read(text[:65536])
    for delimiter in headers:
        if contacts_csv.detect_layout(io.StringIO(head, newline=""), delimiter) is not None:
            return _Kind("contacts", delimiter)
    raise _Unreadable(f"{path}: not a file Cockpit knows. {KNOWN}", "not a file Cockpit knows")


# --- An import -----------------------------------------------------------------------------


@dataclass
class _Planned:
    source: Source
    kind: _Kind
    size: int
    text: str | None  # kept from the first reading, unless the files are large
    encoding: str


def _mailbox(source: Source) -> _Planned | None:
    """A mailbox, known before the file is read whole (an mbox may be gigabytes, read a
    block at a time later): a Maildir (the only folder a survey lists) or a file whose
    first line is an mbox From line; its size in bytes weighs it on the progress bar."""
    from cockpit.importers.mail.mailboxes import looks_like_mbox

    if source.path.is_dir():
        return _Planned(source, _Kind("mail"), _folder_size(source.path), None, "")
    if not source.path.is_file():  # a pipe would wait: the reader refuses it, at once
        return None
    try:
        with source.path.open("rb") as file:
            start = file.read(MBOX_PEEK)
            size = os.fstat(file.fileno()).st_size
    except OSError:  # the reader says what is wrong with it
        return None
    if not looks_like_mbox(start):
        return None
    return _Planned(source, _Kind("mail"), size, None, "")


def _folder_size(folder: Path) -> int:
    """The bytes of a Maildir's messages (its subfolders' too), as near as can be told."""
    total = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = [name for name in dirs if name != "tmp"]
        if os.path.basename(root) in folders.MAILDIR:
            for name in names:
                try:
                    total += os.stat(os.path.join(root, name)).st_size
                except OSError:
                    continue
    return total


def import_paths(
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    overwrite: bool = False,
    progress: Progress | None = None,
    merge_by_email: bool = True,
    calendar: CalendarOptions | None = None,
) -> ImportResult:
    """Import the files and folders in one transaction, recorded in the ledger; a dry
    run reports and then rolls back.

    A broken record is reported with its line or record number and the good ones still
    import; a file named that cannot be read, a Maildir or a mailbox raises UsageError
    and nothing is written (nor is anything if the import is cancelled or fails
    half-way). Without `merge_by_email` a contact is matched to a client by its name and
    company only, so one that shares an email with a client of another name is a client
    of its own. `calendar` says how calendars are read (`calendar_import.CalendarOptions`).
    """
    found = folders.survey(list(paths))
    result = ImportResult(
        passed_over=found.passed_over, deep_folders=found.deep_folders, dry_run=dry_run
    )
    planned: list[_Planned | SkippedFile] = []
    kept = 0
    for number, source in enumerate(found.sources):
        if progress is not None:  # the files read a first time: the first tenth of the bar
            progress(READING * number / len(found.sources), source.shown)
        mailbox = _mailbox(source)
        if mailbox is not None:
            planned.append(mailbox)
            continue
        try:
            text, encoding = _read(source.path)
            kind = _recognised(source.path, text)
            kept += len(text)
            planned.append(
                _Planned(source, kind, len(text), text if kept <= KEPT_TEXT else None, encoding)
            )
        except _Unreadable as error:
            if source.given:
                raise _fatal(error, len(found.sources)) from None
            planned.append(SkippedFile(source.path, source.shown, error.reason))
    if not any(isinstance(entry, _Planned) for entry in planned):
        raise _nothing_to_import(paths, len(planned))
    if any(isinstance(e, _Planned) and e.kind.name == "mail" for e in planned):
        from cockpit.config import my_addresses

        calendar = replace(
            calendar or CalendarOptions(), me=my_addresses(calendar.me if calendar else ())
        )
    meter = _Meter(progress, sum(e.size for e in planned if isinstance(e, _Planned)))
    try:
        with (
            _no_cycle_collection(),
            import_matching.pages_kept_in_memory(),
            import_matching.transaction(),
        ):
            writer = ImportWriter([str(path.absolute()) for path in paths])
            session = _Session(writer, overwrite, merge_by_email, calendar or CalendarOptions())
            with book.batch_writes(), import_matching.touches_indexed_at_the_end():
                for entry in planned:
                    if isinstance(entry, SkippedFile):
                        result.files.append(entry)
                        continue
                    result.files.append(session.one(entry, meter, len(found.sources)))
                session.done()
                result.prospects = session.prospects()
                result.mail = session.mail_summary(meter, dry_run)
                result.calendar = session.calendar_summary(dry_run)
                meter.finishing()
            result.import_id = writer.run_id
            writer.finish(len(result.reports), result.counts())
            if dry_run:
                raise _DryRun
    except _DryRun:
        result.import_id = None
    meter.done()
    return result


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector kept off while an import makes its rows: with hundreds of
    thousands of them alive it would walk them all again and again (1.5 s of a 250,000-row
    history), and they hold no cycles to collect. On again after, whatever happened."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def import_file(path: Path, *, dry_run: bool = False, overwrite: bool = False) -> ImportReport:
    """Import one file in one transaction (see `import_paths`); its report."""
    result = import_paths([path], dry_run=dry_run, overwrite=overwrite)
    return result.reports[0]


def _fatal(error: _Unreadable, files: int) -> UsageError:
    message = error.message
    if files > 1 and "nothing was imported" not in message:
        message += f"; nothing was imported (the {files} files of an import go in together)"
    return UsageError(message)


def _nothing_to_import(paths: Sequence[Path], skipped: int) -> UsageError:
    named = ", ".join(str(path) for path in paths)
    if not skipped:
        return UsageError(f"{named}: no files to import there; nothing was imported")
    files = "file" if skipped == 1 else "files"
    return UsageError(
        f"{named}: none of its {skipped} {files} is one Cockpit imports; nothing was "
        f"imported. {KNOWN}"
    )


class _Meter:
    """How far the import is: after the files' first reading (the first tenth), by the
    size of the files done; the last tenth is the summaries and the ledger."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = max(1, total)
        self.done_size = 0
        self.shown = ""

    def at(self, fraction: float) -> None:
        if self.progress is not None:
            share = 1 - READING - FINISHING
            self.progress(READING + share * min(1.0, fraction), self.shown)

    def file(self, shown: str, size: int) -> Callable[[float], None]:
        """The file about to be read; what it says of itself moves the meter on."""
        self.shown = shown
        start = self.done_size
        self.done_size += size

        def within(fraction: float) -> None:
            self.at((start + size * fraction) / self.total)

        within(0.0)
        return within

    def finishing(self) -> None:
        self.at(1.0)

    def done(self) -> None:
        if self.progress is not None:
            self.progress(1.0, "")


class _Session:
    """The files of one import going in, one after another, through one writer; the
    address books share one merge (the book's clients read once), which a history file
    makes read the book again (it may create clients)."""

    def __init__(
        self,
        writer: ImportWriter,
        overwrite: bool,
        merge_by_email: bool,
        calendar: CalendarOptions,
    ) -> None:
        self.writer = writer
        self.overwrite = overwrite
        self.merge_by_email = merge_by_email
        self.merger: contacts.Merger | None = None
        self.calendar_options = calendar
        self.calendars: CalendarImport | None = None
        self.mailboxes: list[tuple[Source, int, ImportReport]] = []

    def one(self, planned: _Planned, meter: _Meter, files: int) -> ImportReport | SkippedFile:
        source = planned.source
        if planned.kind.name == "mail":  # read and sorted with the others (`mail_summary`)
            report = ImportReport(source.path, shown=source.shown, mail=True)
            self.mailboxes.append((source, planned.size, report))
            return report
        step = meter.file(source.shown, planned.size)
        text, encoding, kind = planned.text, planned.encoding, planned.kind
        planned.text = None
        if text is None:  # read again: large files are not all kept in memory at once
            text, encoding = _read(source.path)
            kind = _recognised(source.path, text)
        report = ImportReport(source.path, encoding=encoding, shown=source.shown)
        if kind.name == "calendar":
            self._calendar(text, report)
            step(1.0)
            return report
        if kind.name == "history":
            self._merged()
            try:
                _import_history(source.path, text, kind.delimiter, report, self.writer, step)
            except _BrokenCsv as error:
                if source.given:
                    raise UsageError(_fatal_broken(error.message, files)) from None
                return SkippedFile(source.path, source.shown, error.reason, failed=True)
            return report
        from cockpit.importers import contacts_csv, vcard

        report.contacts = True
        if kind.name == "vcard":
            records = vcard.parse_vcards(text, str(source.path))
        else:
            records = contacts_csv.parse_contacts_csv(text, str(source.path), kind.delimiter)
        if self.merger is None:
            self.merger = contacts.Merger(self.writer, self.overwrite, self.merge_by_email)
        self.merger.merge(records or [], report)
        step(1.0)
        return report

    def _merged(self) -> None:
        """Write the new clients of the address books so far; the next one reads the book
        again."""
        if self.merger is not None:
            self.merger.write_new_clients()
            self.merger = None

    def _calendar(self, text: str, report: ImportReport) -> None:
        """Read a calendar's occurrences; they are judged and written with every other
        calendar's once all the files are read (`done`)."""
        from cockpit.importers.calendar_reading import read_calendar

        if self.calendars is None:
            self.calendars = CalendarImport(self.writer, self.calendar_options)
        report.calendar = True
        reading = read_calendar(text, *self.calendars.window())
        report.events = reading.events
        report.occurrences = len(reading.occurrences)
        for line, why in reading.failures:
            report.fail(line, why)
        for line, what in reading.warnings:
            report.warn(line, what)
        self.calendars.add(report, reading.occurrences)

    def done(self) -> None:
        self._merged()

    def prospects(self) -> list[str]:
        """The prospects asked for made, before the calendars and mailboxes are matched
        (a new client is counted in the calendar that met its address first, else in the
        first mailbox)."""
        options = self.calendar_options
        if not options.prospects:
            return []
        from cockpit.importers.correspondents import Me
        from cockpit.importers.prospects import make_prospects

        names, reports = self.calendars.names_met() if self.calendars else ({}, {})
        fallback = self.mailboxes[0][2] if self.mailboxes else None
        made = make_prospects(
            self.writer,
            options.prospects,
            Me.of(options.me),
            names,
            lambda key: reports.get(key, fallback),
        )
        if self.calendars is not None:
            self.calendars.created = made.ids
        return made.names

    def mail_summary(self, meter: _Meter, dry_run: bool) -> MailSummary | None:
        """The mailboxes read one after another as one stream of messages, sorted and
        written together (a client's day is one touch whichever mailbox its messages are
        in), after the address books' new clients are in."""
        if not self.mailboxes:
            return None
        from cockpit.importers.mail_import import MailImport

        self._merged()
        run = MailImport(self.writer, self.calendar_options.me, self.calendar_options.with_notes)
        for source, size, report in self.mailboxes:
            run.add(
                source.path, report, lambda source=source, size=size: meter.file(source.shown, size)
            )
        return run.finish(dry_run)

    def calendar_summary(self, dry_run: bool) -> CalendarSummary | None:
        """The calendars' occurrences judged and written, once every file is in (the
        address books' new clients are there to be matched)."""
        if self.calendars is None:
            return None
        return self.calendars.finish(dry_run)


class _BrokenCsv(UsageError):
    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _fatal_broken(message: str, files: int) -> str:
    if files > 1:
        return message + f" (none of the {files} files: an import goes in whole or not at all)"
    return message


def _import_history(
    path: Path,
    text: str,
    delimiter: str,
    report: ImportReport,
    writer: ImportWriter,
    step: Callable[[float], None],
) -> None:
    if report.encoding == WINDOWS_1252:
        report.encoding = UTF8  # its bytes that are not UTF-8 fail their rows
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    try:
        history_csv.import_history(
            path, reader, header, report, writer, lines=text.count("\n") + 1, progress=step
        )
    except csv.Error as error:
        raise _BrokenCsv(
            f"{path}:{reader.line_num}: broken CSV ({error}); nothing was imported",
            f"broken CSV at line {reader.line_num} ({error}); nothing of it was imported",
        ) from None
