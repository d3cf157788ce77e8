"""`cockpit import`: files and folders in, in one transaction (`PATH...`), the imports listed
(`--list`) and one taken back (`--undo [ID]`)."""

from __future__ import annotations

import argparse
import sys
import time

from cockpit.cli.arguments import open_book

SHOW_AFTER = 1.0  # seconds: an import quicker than this shows no progress bar
REDRAW_EVERY = 0.1  # seconds


def run_import(args: argparse.Namespace) -> int:
    from cockpit.errors import UsageError

    if args.list_imports or args.undo is not None:
        if args.paths:
            raise UsageError(
                "--list and --undo take no files; import them without it, or undo first"
            )
        for given, flag in (
            (args.overwrite, "--overwrite"),
            (args.no_merge_by_email, "--no-merge-by-email"),
            (args.since is not None, "--since"),
            (args.with_notes, "--with-notes"),
            (args.max_attendees is not None, "--max-attendees"),
            (args.me, "--me"),
            (args.add_prospect, "--add-prospect"),
        ):
            if given:
                raise UsageError(f"{flag} is for an import, not for --list or --undo")
    if args.list_imports and args.undo is not None:
        raise UsageError("give --list or --undo, not both")
    if args.keep_changed and args.undo is None:
        raise UsageError("--keep-changed goes with --undo")
    if args.list_imports:
        if args.dry_run:
            raise UsageError("--dry-run is for an import or an undo, not for --list")
        return _list(args)
    if args.undo is not None:
        return _undo(args)
    if not args.paths:
        raise UsageError(
            "give the files or folders to import, or --list, or --undo "
            "(see 'cockpit import --help')"
        )
    return _import(args)


def calendar_options(args: argparse.Namespace):
    """The calendar options given, checked: a bad one is one line (UsageError)."""
    from cockpit.errors import UsageError, ValidationError
    from cockpit.importers.calendar_import import MAX_ATTENDEES, CalendarOptions
    from cockpit.importers.correspondents import checked_addresses
    from cockpit.importers.prospects import AskedProspect

    since = None
    if args.since is not None:
        from datetime import date

        from cockpit import clock
        from cockpit.date_limits import FIRST_DAY

        try:
            since = date.fromisoformat(args.since.strip())
        except ValueError:
            raise UsageError(
                f"--since {args.since!r}: give a day as YYYY-MM-DD, such as 2026-01-01"
            ) from None
        if not FIRST_DAY <= since <= clock.today():
            raise UsageError(f"--since {args.since}: give a day from {FIRST_DAY} to today")
    most = MAX_ATTENDEES
    if args.max_attendees is not None:
        text = args.max_attendees.strip()
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 10_000:
            raise UsageError(
                f"--max-attendees {args.max_attendees!r}: give a whole number from 1 to 10000"
            )
        most = int(text)
    from cockpit.config import settings

    try:
        me = checked_addresses(args.me, "--me") or checked_addresses(
            settings().me, "config.toml: me"
        )
        prospects = tuple(
            AskedProspect.parsed(given, "--add-prospect") for given in args.add_prospect
        )
    except ValidationError as error:
        raise UsageError(error.message) from None
    return CalendarOptions(
        since=since,
        with_notes=args.with_notes,
        max_attendees=most,
        me=me,
        prospects=prospects,
    )


def _import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cockpit.importers.files import import_paths
    from cockpit.text import printable

    calendar = calendar_options(args)
    db = open_book(args)
    progress = TerminalProgress.on_stderr()
    try:
        result = import_paths(
            [Path(name) for name in args.paths],
            dry_run=args.dry_run,
            overwrite=args.overwrite,
            progress=progress,
            merge_by_email=not args.no_merge_by_email,
            calendar=calendar,
        )
    finally:
        if progress is not None:
            progress.close()
        db.close()
    from cockpit.importers.report import ImportReport

    for file in result.files:
        if isinstance(file, ImportReport):
            for line in [*file.failure_lines(), *file.warning_lines()]:
                print(printable(line), file=sys.stderr)
            for line in [
                *file.merge_lines(dry_run=args.dry_run),
                *file.change_lines(dry_run=args.dry_run),
                *file.difference_lines(),
            ]:
                print(printable(line))
            print(printable(file.summary(dry_run=args.dry_run)))
        else:
            if file.failed:
                print(printable(f"{file.path}: {file.reason}"), file=sys.stderr)
            print(printable(file.line()))
    for line in result.file_lines()[len(result.files) :]:  # the folders not read
        print(printable(line))
    from cockpit import clock

    for line in [
        *result.prospect_lines(),
        *result.mail_lines(),
        *result.calendar_lines(clock.today()),
    ]:
        print(printable(line))
    print(printable(result.total()))
    return 1 if result.incomplete else 0


def _list(args: argparse.Namespace) -> int:
    from cockpit.cli.render.imports import import_lines
    from cockpit.storage.import_ledger import imports

    db = open_book(args)
    try:
        entries = imports()
    finally:
        db.close()
    for line in import_lines(entries):
        print(line)
    return 0


def _undo(args: argparse.Namespace) -> int:
    from cockpit.errors import UsageError
    from cockpit.storage.import_undo import UndoRefused, undo_import
    from cockpit.text import printable

    wanted = args.undo.strip().removeprefix("#")
    if wanted and not (wanted.isascii() and wanted.isdigit()):
        raise UsageError(
            f"--undo {args.undo!r}: give an import's number ('cockpit import --list' lists them)"
        )
    db = open_book(args)
    try:
        report = undo_import(
            int(wanted) if wanted else None,
            keep_changed=args.keep_changed,
            dry_run=args.dry_run,
        )
    except UndoRefused as refused:
        for changed in refused.changed:
            print(printable(changed.line()), file=sys.stderr)
        raise
    finally:
        db.close()
    for kept in report.kept:
        print(printable(f"kept as it is: {kept.line()}"))
    print(printable(report.summary()))
    return 0


class TerminalProgress:
    """A progress bar on the terminal (stderr), drawn once an import has run a second;
    none at all when stderr is not a terminal (a pipe, a file, the tests)."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.drawn_at: float | None = None

    @classmethod
    def on_stderr(cls) -> TerminalProgress | None:
        try:
            return cls(sys.stderr) if sys.stderr.isatty() else None
        except (AttributeError, ValueError):  # replaced or closed
            return None

    def __call__(self, fraction: float, name: str) -> None:
        now = time.monotonic()
        if now - self.started < SHOW_AFTER:
            return
        if self.drawn_at is not None and now - self.drawn_at < REDRAW_EVERY:
            return
        import shutil

        from cockpit.cli.render.imports import progress_line

        columns = shutil.get_terminal_size((80, 24)).columns
        self.stream.write("\r" + progress_line(fraction, name, columns) + "\x1b[K")
        self.stream.flush()
        self.drawn_at = now

    def close(self) -> None:
        """Take the bar away, so what the import says starts on a clean line."""
        if self.drawn_at is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
