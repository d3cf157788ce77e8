"""`cockpit import`, `export`, `backup`, `restore` and `migrate-to`: the book in and out of files
and other books."""

from __future__ import annotations

import argparse
import sys

from cockpit.cli.arguments import book_location, open_book
from cockpit.cli.options import (
    add_command,
    add_database_options,
    add_file_to_write,
    add_flag,
)


def register(commands: argparse._SubParsersAction) -> None:
    imports = add_command(
        commands,
        "import",
        run_import,
        help="bring contacts, touches and won deals in from files and folders",
        description=(
            "Import address books and touch histories, all of them in one transaction, as one "
            "import with a number: vCard (.vcf, versions 2.1, 3.0 and 4.0), the CSV exports of "
            "Google Contacts, Outlook and LinkedIn, and interchange CSV files (client,company,"
            "date,kind,intent,duration_min,amount,note). A folder is read with one level of "
            "subfolders (a vdirsyncer vdir); its files Cockpit does not know are skipped. "
            "Contacts are matched by email, then by name and company; an import fills empty "
            "fields and adds new emails and phones, says what it changed of each client and "
            "names each contact merged by a shared email into a client of another name, and "
            "lists the differences it left alone (--overwrite replaces them). Importing a file "
            "again changes nothing. A broken "
            "record is reported with its line or record number and the good ones still "
            "import; the exit status is 1 when any record failed. Each file gets a line, then "
            "the total with the import's number: --undo takes an import back, --list lists "
            "them. Calendars (iCalendar .ics files, or a vdir of them as khal and vdirsyncer "
            "keep) bring the meetings held with clients (an ATTENDEE's or the ORGANIZER's "
            "address is a client's) as meeting touches, and each client's next meeting as "
            "their next scheduled touch; importing them again moves what moved."
        ),
    )
    imports.add_argument("paths", nargs="*", metavar="PATH", help="the files and folders to import")
    add_flag(imports, "--dry-run", "report what would change (or be undone), and change nothing")
    add_flag(
        imports, "--overwrite", "let the file's values replace different ones already in the book"
    )
    add_flag(
        imports,
        "--no-merge-by-email",
        "match contacts by name and company only: one that shares an email with a client of "
        "another name becomes a client of its own",
    )
    calendars = imports.add_argument_group("calendars and mail")
    calendars.add_argument(
        "--since",
        metavar="DATE",
        help="the first day of the calendars to read (YYYY-MM-DD; default: a year ago)",
    )
    add_flag(
        calendars,
        "--with-notes",
        "keep each event's description and each message's text with its touch, under its "
        "summary or subject",
    )
    calendars.add_argument(
        "--max-attendees",
        metavar="N",
        help="an event with more attendees is a conference, not a meeting, and skipped "
        "(default 15)",
    )
    calendars.add_argument(
        "--me",
        action="append",
        default=[],
        metavar="ADDR",
        help="an email address of yours (again for several; else the me setting of "
        "config.toml): mail from it is yours, an event you declined is skipped, and your "
        "addresses match nobody",
    )
    calendars.add_argument(
        "--add-prospect",
        action="append",
        default=[],
        metavar="ADDR",
        help="make a prospect of an address that matched nobody, then bring in its meetings "
        "and mail too (again for several); 'Name <ADDR>' names them, else the calendar "
        "does, else the address",
    )
    imports.add_argument(
        "--undo",
        nargs="?",
        const="",
        metavar="ID",
        help="take back import ID (the latest one when no ID is given): what it added is "
        "removed, what it changed is put back; refused if some of it was changed since",
    )
    add_flag(
        imports,
        "--keep-changed",
        "with --undo: undo the rest and keep the clients changed since, as they are",
    )
    imports.add_argument(
        "--list", dest="list_imports", action="store_true", help="list your imports, latest first"
    )
    add_database_options(imports)

    export = add_command(
        commands,
        "export",
        run_export,
        help="write calendar, contacts, history or account plans to a file",
        description=(
            "Write FILE from the book. ics: an iCalendar file of birthdays, wedding "
            "anniversaries and children's birthdays (yearly), open follow-ups, planned "
            "communications, drift alerts (the day each of your core clients needs attention) "
            "and renewals (the day each contract ends, with an alarm 14 days ahead), each "
            "with a stable UID, so importing a later export updates the events. vcard: a "
            "vCard 3.0 address book, one card per client. csv: every "
            "interaction and deal in the interchange CSV that 'cockpit import' reads. markdown: "
            "every account plan in one Markdown document. portfolio: the portfolio's tables "
            "(yours, the last 12 months) in one CSV file for a spreadsheet. Archived "
            "clients are left out of ics and vcard (vcard --all includes them); sensitive "
            "profile answers never leave the book. The file is written whole or not at all, "
            "and an existing FILE is replaced only with --force."
        ),
    )
    export.add_argument(
        "format",
        choices=("ics", "vcard", "csv", "markdown", "portfolio"),
        metavar="FORMAT",
        help="ics, vcard, csv, markdown or portfolio",
    )
    add_file_to_write(export, "the file to write")
    add_flag(export, "--all", "vcard: include archived clients")
    add_database_options(export)

    backup = add_command(
        commands,
        "backup",
        run_backup,
        help="save everything in the book to a JSON file",
        description=(
            "Write everything in the book, row for row, to FILE as JSON, readable by any "
            "Cockpit on any database; 'cockpit restore' reads it back. The file is private "
            "(mode 0600): it holds the sensitive profile answers too. An existing FILE is "
            "replaced only with --force."
        ),
    )
    add_file_to_write(backup, "the backup file to write")
    add_database_options(backup)

    restore = add_command(
        commands,
        "restore",
        run_restore,
        help="bring a backup back into an empty book",
        description=(
            "Restore a file written by 'cockpit backup' into an empty book (a new file given "
            "with --db is created), in one transaction: the same rows, ids included. A book "
            "that holds anything, a damaged file, or a backup from a newer Cockpit is refused "
            "and nothing is changed."
        ),
    )
    restore.add_argument("file", metavar="FILE", help="the backup file to read")
    add_database_options(restore)

    migrate = add_command(
        commands,
        "migrate-to",
        run_migrate_to,
        help="copy the book into another, empty book (a PostgreSQL database, or back)",
        description=(
            "Copy everything in the book, row for row and ids included, into the empty book "
            "at URL (postgresql://USER@HOST/DATABASE, or sqlite:///PATH to come back), in one "
            "transaction, through the same format as 'cockpit backup'. The book you copy "
            "from is left as it is. A target that holds anything is refused."
        ),
    )
    migrate.add_argument("url", metavar="URL", help="the book to copy into")
    add_database_options(migrate)


def run_import(args: argparse.Namespace) -> int:
    from cockpit.cli.imports import run_import as run

    return run(args)


def _output_file(args: argparse.Namespace, verb: str, noun: str):
    """The file an export or backup goes to, checked before any work: a mistake writes
    nothing, an existing file needs --force, and the book itself is never the target."""
    from pathlib import Path

    from cockpit.errors import UsageError
    from cockpit.exporters.atomic import check_target

    path = Path(args.file).expanduser()
    check_target(path, force=args.force)
    location = book_location(args)
    if location.is_server:
        return path, location
    if not location.path.exists():
        raise UsageError(f"there is no book at {location.path} yet, so nothing to {verb}")
    if path.resolve() == location.path.resolve():
        raise UsageError(f"{path} is the book itself; write the {noun} to another file")
    return path, location


def run_export(args: argparse.Namespace) -> int:
    from cockpit.cli.render import book as render
    from cockpit.errors import UsageError
    from cockpit.exporters.atomic import write_file

    if args.all and args.format != "vcard":
        raise UsageError(
            "--all is for the vcard export (ics leaves archived clients out; csv has everyone)"
        )
    path, _ = _output_file(args, "export", "export")
    db = open_book(args)
    try:
        if args.format == "ics":
            from cockpit.exporters.ics import export_calendar

            export = export_calendar()
            done = render.calendar_written(export)
        elif args.format == "vcard":
            from cockpit.exporters.vcard import export_vcards

            export = export_vcards(include_archived=args.all)
            done = render.cards_written(export)
        elif args.format == "markdown":
            from cockpit import clock
            from cockpit.exporters.plans_markdown import export_plans

            export = export_plans(clock.today())
            done = export.done
        elif args.format == "portfolio":
            from cockpit import clock
            from cockpit.exporters.portfolio_csv import export_portfolio
            from cockpit.storage.reps import my_reps

            export = export_portfolio(clock.today(), my_reps())
            done = export.done
        else:
            from cockpit.exporters.history import export_history

            export = export_history()
            done = render.history_written(export)
        data, warnings = export.data, export.warnings()
    finally:
        db.close()
    write_file(path, data, force=args.force)
    for warning in warnings:
        print(render.note(warning), file=sys.stderr)
    print(render.wrote(done, path))
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from cockpit.cli.book_copies import dump_whole_book, restorable
    from cockpit.cli.render.book import backed_up
    from cockpit.exporters.atomic import write_file
    from cockpit.storage.backup import counts_line

    path, location = _output_file(args, "back up", "backup")
    data, counts = dump_whole_book(args, "back it up")
    write_file(path, data, force=args.force, private=True)
    print(backed_up(location.label, path, counts_line(counts)))
    return restorable(path)


def run_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cockpit.cli.render.book import restored
    from cockpit.storage.backup import counts_line, read_backup, restore
    from cockpit.storage.database import remove_book_files

    backup = read_backup(Path(args.file).expanduser())  # all of it checked before the book opens
    location = book_location(args)
    created = not location.is_server and not location.path.exists()
    try:
        db = open_book(args)
        try:
            counts = restore(backup, location.label)
        finally:
            db.close()
    except BaseException:  # whatever stopped it, even an interrupt: no half-made book is left
        if created:
            remove_book_files(location.path)
        raise
    print(restored(backup.path, location.label, counts_line(counts)))
    return 0


def run_migrate_to(args: argparse.Namespace) -> int:
    from cockpit.cli.book_copies import dump_whole_book, restore_into
    from cockpit.cli.render.book import copied
    from cockpit.errors import UsageError
    from cockpit.storage.backup import counts_line
    from cockpit.storage.database import resolve_location

    source = book_location(args)
    target = resolve_location(database_url=args.url)
    if target.label == source.label or (
        target.path is not None and source.path is not None and target.path == source.path
    ):
        raise UsageError(f"{args.url} is the book itself; copy it into another, empty one")
    data, _counts = dump_whole_book(args, "copy it")
    counts = restore_into(target, data)
    print(copied(source.label, target.label, counts_line(counts)))
    return 0
