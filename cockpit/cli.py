"""The `cockpit` command line: parses options and dispatches to a command.

Start-up matters here: this module imports only the standard library at the
top. Each command imports what it needs, and only `cockpit` without a
command (the TUI) and `cockpit demo` import Textual.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from cockpit import __version__
from cockpit.text import json_printable, printable

DESCRIPTION = "Cockpit keeps the client relationships that matter alive."
EPILOG = (
    "The book is chosen by --database-url, then --db, then the COCKPIT_DATABASE_URL and "
    "COCKPIT_DB environment variables, else the default file in your data directory "
    "(see 'cockpit info'). COCKPIT_TODAY=YYYY-MM-DD fixes today's date."
)


class _Parser(argparse.ArgumentParser):
    """Bad arguments give one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        # The message quotes the arguments: shown, never obeyed by the terminal.
        self.exit(2, printable(f"{self.prog}: error: {message} (see '{self.prog} --help')") + "\n")


def _add_database_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # On every subcommand too, so `--db` works before or after the command;
    # SUPPRESS keeps a subcommand from resetting a value given before it.
    default = None if top else argparse.SUPPRESS
    group = parser.add_argument_group("database")
    group.add_argument("--db", metavar="PATH", default=default, help="the SQLite book to use")
    group.add_argument(
        "--database-url",
        metavar="URL",
        default=default,
        help="the book as a URL (sqlite:///PATH)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cockpit", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"cockpit {__version__}")
    _add_database_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    demo = commands.add_parser(
        "demo",
        help="build a demo book and open Cockpit on it",
        description=(
            "Build a realistic demo book (about 60 clients, dated relative to today) and open "
            "Cockpit on it. It goes to --db PATH, else demo.db in your data directory; it never "
            "uses your own book, whatever COCKPIT_DB says, and only ever replaces an earlier "
            "demo book."
        ),
    )
    demo.add_argument("--no-open", action="store_true", help="only build the book")
    _add_database_options(demo, top=False)

    imports = commands.add_parser(
        "import",
        help="bring contacts, touches and won deals in from files",
        description=(
            "Import address books and touch histories, each file in one transaction: vCard "
            "(.vcf, versions 2.1, 3.0 and 4.0), the CSV exports of Google Contacts, Outlook and "
            "LinkedIn, and interchange CSV files (client,company,date,kind,intent,duration_min,"
            "amount,note). Contacts are matched by email, then by name and company; an import "
            "fills empty fields and adds new emails and phones, and lists the differences it "
            "left alone (--overwrite replaces them). Importing a file again changes nothing. A "
            "broken record is reported with its line or record number and the good ones still "
            "import; the exit status is 1 when any record failed."
        ),
    )
    imports.add_argument("files", nargs="+", metavar="FILE", help="the files to import")
    imports.add_argument(
        "--dry-run", action="store_true", help="report what would change, and change nothing"
    )
    imports.add_argument(
        "--overwrite",
        action="store_true",
        help="let the file's values replace different ones already in the book",
    )
    _add_database_options(imports, top=False)

    export = commands.add_parser(
        "export",
        help="write calendar, contacts or history to a file",
        description=(
            "Write FILE from the book. ics: an iCalendar file of birthdays, wedding "
            "anniversaries and children's birthdays (yearly), open follow-ups and planned "
            "communications, each with a stable UID, so importing a later export updates the "
            "events. vcard: a vCard 3.0 address book, one card per client. csv: every "
            "interaction and deal in the interchange CSV that 'cockpit import' reads. Archived "
            "clients are left out of ics and vcard (vcard --all includes them); sensitive "
            "profile answers never leave the book. The file is written whole or not at all, "
            "and an existing FILE is replaced only with --force."
        ),
    )
    export.add_argument(
        "format", choices=("ics", "vcard", "csv"), metavar="FORMAT", help="ics, vcard or csv"
    )
    export.add_argument("file", metavar="FILE", help="the file to write")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.add_argument("--all", action="store_true", help="vcard: include archived clients")
    _add_database_options(export, top=False)

    backup = commands.add_parser(
        "backup",
        help="save everything in the book to a JSON file",
        description=(
            "Write everything in the book, row for row, to FILE as JSON, readable by any "
            "Cockpit on any database; 'cockpit restore' reads it back. The file is private "
            "(mode 0600): it holds the sensitive profile answers too. An existing FILE is "
            "replaced only with --force."
        ),
    )
    backup.add_argument("file", metavar="FILE", help="the backup file to write")
    backup.add_argument("--force", action="store_true", help="replace FILE if it exists")
    _add_database_options(backup, top=False)

    restore = commands.add_parser(
        "restore",
        help="bring a backup back into an empty book",
        description=(
            "Restore a file written by 'cockpit backup' into an empty book (a new file given "
            "with --db is created), in one transaction: the same rows, ids included. A book "
            "that holds anything, a damaged file, or a backup from a newer Cockpit is refused "
            "and nothing is changed."
        ),
    )
    restore.add_argument("file", metavar="FILE", help="the backup file to read")
    _add_database_options(restore, top=False)

    migrate = commands.add_parser(
        "migrate-to",
        help="copy the book into another, empty book (a PostgreSQL database, or back)",
        description=(
            "Copy everything in the book, row for row and ids included, into the empty book "
            "at URL (postgresql://USER@HOST/DATABASE, or sqlite:///PATH to come back), in one "
            "transaction, through the same format as 'cockpit backup'. The book you copy "
            "from is left as it is. A target that holds anything is refused."
        ),
    )
    migrate.add_argument("url", metavar="URL", help="the book to copy into")
    _add_database_options(migrate, top=False)

    drift = commands.add_parser(
        "drift",
        help="list the clients whose relationship needs attention",
        description=(
            "List the clients needing attention (drifting, active and not snoozed), drifting "
            "core clients first, each with the reason in plain words."
        ),
    )
    drift.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="judge as on this day (default: today)"
    )
    drift.add_argument("--all", action="store_true", help="list every client")
    _add_view_options(drift)
    drift.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_database_options(drift, top=False)

    review = commands.add_parser(
        "review",
        help="print the weekly review's agenda",
        description=(
            "Print the agenda of the weekly review for the 7 days from --as-of (default: "
            "today): promises from the last review not kept, drifting core clients, other "
            "drifting and peripheral clients, follow-ups due, occasions in the next 14 days, "
            "planned communications due, referral asks due, and clients asked more than given "
            "to. Sensitive profile answers never appear. `w` in the cockpit walks through it."
        ),
    )
    review.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="the first day of the week (default: today)"
    )
    review_format = review.add_mutually_exclusive_group()
    review_format.add_argument("--markdown", action="store_true", help="print Markdown")
    review_format.add_argument("--json", action="store_true", help="print JSON")
    _add_view_options(review, team="the whole team's, drifting core clients by rep")
    _add_database_options(review, top=False)

    clients = commands.add_parser(
        "clients",
        help="list clients, or those matching a search",
        description=(
            "List the clients the list's / filter shows for QUERY (every word must appear in "
            "the name or company; case and accents do not matter), with health, tier and "
            "last touch. Archived clients are left out."
        ),
    )
    clients.add_argument("query", nargs="?", default="", metavar="QUERY")
    _add_view_options(clients)
    clients.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_database_options(clients, top=False)

    deal = commands.add_parser(
        "deal",
        help="record a won deal",
        description=(
            "Record a won deal. CLIENT is #ID, an exact name, or a unique match on name or "
            "company; if it names no client or several, nothing is written and the closest "
            "candidates are listed."
        ),
    )
    deal.add_argument("client", metavar="CLIENT")
    deal.add_argument("amount", metavar="AMOUNT", help="e.g. 12000 or 12,000.50")
    deal.add_argument("note", nargs="*", metavar="NOTE", help="what was won")
    deal.add_argument("--currency", metavar="CODE", help="default: your home currency")
    deal.add_argument("--on", metavar="YYYY-MM-DD", help="the day it was won (default: today)")
    _add_database_options(deal, top=False)

    log = commands.add_parser(
        "log",
        help="log a touch (or a note) right after it happened",
        description=(
            "Log a call, meeting, email... CLIENT is #ID, an exact name, or a unique match; "
            "KIND is one of call, meeting, email, message, handwritten-note, gift, event, "
            "referral-asked, referral-received, referral-given, note. Dates take phrases "
            "such as tomorrow, friday, next friday, in 2 weeks, 15 April."
        ),
    )
    log.add_argument("client", metavar="CLIENT")
    log.add_argument("kind", metavar="KIND")
    log.add_argument("summary", nargs="*", metavar="SUMMARY")
    log.add_argument("--duration", metavar="TIME", help="15, 15m, 1h or 1h30 (default: by kind)")
    intent = log.add_mutually_exclusive_group()
    intent.add_argument("--sales", action="store_true", help="an ask")
    intent.add_argument("--relationship", action="store_true", help="a give")
    log.add_argument("--follow-up", metavar="WHEN", help='e.g. "in 2 weeks" or "next friday"')
    log.add_argument("--when", metavar="WHEN", help='when it happened, e.g. "yesterday 16:00"')
    _add_database_options(log, top=False)

    profile = commands.add_parser(
        "profile",
        help="print a client's Mackay 66 profile",
        description=(
            "Print the answered items of a client's Mackay 66 profile, section by section. "
            "Sensitive answers are masked unless --show-sensitive is given."
        ),
    )
    profile.add_argument("client", metavar="CLIENT")
    profile.add_argument("--json", action="store_true", help="print JSON: all 66 items")
    profile.add_argument(
        "--show-sensitive", action="store_true", help="show sensitive answers instead of masks"
    )
    _add_database_options(profile, top=False)

    forget = commands.add_parser(
        "forget",
        help="erase a client's profile answers for good",
        description=(
            "Erase what Cockpit holds about a client, for good: with --profile, every Mackay "
            "66 answer, and the space it took in the book file, so the text cannot be read "
            "back from it."
        ),
    )
    forget.add_argument("client", metavar="CLIENT")
    forget.add_argument("--profile", action="store_true", help="erase the profile answers")
    _add_database_options(forget, top=False)

    assign = commands.add_parser(
        "assign",
        help="give a client to a rep, or hand a rep's whole book over (managers)",
        description=(
            "Give CLIENT to REP, or with --from REP --to REP every client of one rep to "
            "another (when a rep leaves). Each client handed over gets a note on its "
            "timeline. On a team book only a manager (or the role that owns the book) may, "
            "and REP must be a rep's login role on the server."
        ),
    )
    assign.add_argument("client", metavar="CLIENT", nargs="?", help="the client to give")
    assign.add_argument("rep", metavar="REP", nargs="?", help="the rep who gets it")
    assign.add_argument("--from", dest="from_rep", metavar="REP", help="the rep handing over")
    assign.add_argument("--to", dest="to_rep", metavar="REP", help="the rep taking over")
    _add_database_options(assign, top=False)

    team_settings = commands.add_parser(
        "settings",
        help="show the settings in force; on a team book, managers change its settings",
        description=(
            "Without arguments, list the settings in force and where each comes from. On a "
            "team book (PostgreSQL) the [health] thresholds are the team's, stored in the "
            "book: 'cockpit settings set health.honeymoon_days 60' changes one for everyone "
            "(managers only), 'cockpit settings unset NAME' puts back its default. Your "
            "personal settings are in config.toml."
        ),
    )
    team_settings.add_argument("action", nargs="?", choices=("list", "set", "unset"))
    team_settings.add_argument("name", nargs="?", metavar="NAME", help="e.g. health.drift_factor")
    team_settings.add_argument("value", nargs="?", metavar="VALUE")
    _add_database_options(team_settings, top=False)

    bench = commands.add_parser(
        "bench",
        help="measure Cockpit's speed on a large generated book",
        description=(
            "Build a large book, the same every time (by default 10,000 clients, 250,000 "
            "touches, 30,000 deals, about half the Mackay 66 profiles partly filled), in a "
            "temporary directory, and measure against its budget: cold start (compared with a bare "
            "Textual app), filter keystrokes, selecting a client, the health engine, the weekly "
            "review agenda, logging a touch (and 'cockpit log' compared with the floor, python "
            "-c 'import peewee, arrow'), memory once loaded, importing 10,000 vCards, and "
            "'cockpit clients QUERY'. Each figure is the median of several runs. Your own book "
            "and settings are never used. The exit status is 1 when a budget is missed; "
            "--smoke runs a small book and never fails on a budget (for CI). With "
            "--database-url postgresql://USER@HOST/DATABASE the book is built in a new schema "
            "of that database, dropped at the end, and the figures that make sense on a "
            "server are measured, the health engine against its own budget (2 s); those of "
            "the local app on SQLite are not."
        ),
    )
    bench.add_argument(
        "--database-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="build the book in a new, temporary schema of this PostgreSQL database",
    )
    bench.add_argument(
        "--clients", type=int, metavar="N", help="clients in the book (default 10000; smoke 300)"
    )
    bench.add_argument(
        "--touches", type=int, metavar="N", help="touches in the book (default 250000; smoke 5000)"
    )
    bench.add_argument("--runs", type=int, metavar="N", help="runs per figure (default 5; smoke 2)")
    bench.add_argument(
        "--smoke", action="store_true", help="a small book and few runs; budgets are not enforced"
    )
    bench.add_argument("--json", action="store_true", help="print JSON instead of a table")

    info = commands.add_parser(
        "info",
        help="show where your data lives and what the book holds",
        description="Show the book in use, how it was chosen, and the data and config paths.",
    )
    _add_database_options(info, top=False)
    return parser


def _open_tui(location) -> int:
    import gc

    # Start-up makes objects that live as long as the process (modules, classes,
    # widgets): the cyclic garbage collector pauses until the first page is drawn
    # (the app then resumes it), and never walks them again.
    gc.disable()
    from cockpit.ui.app import CockpitApp

    app = CockpitApp(location)  # reads the first page when the book can be used as it is
    if app.first_page is None:  # else it must be created or upgraded, or cannot be used:
        from cockpit.storage.database import open_database

        open_database(location).close()  # fail here, in one line, before the screen takes over
    gc.freeze()
    app.run()
    return 0


def _run_default(args: argparse.Namespace) -> int:
    from cockpit.storage.database import resolve_location

    return _open_tui(resolve_location(args.db, args.database_url))


def _run_demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cockpit import clock
    from cockpit.demo import build_demo
    from cockpit.errors import UsageError
    from cockpit.locations import demo_database_path
    from cockpit.storage.database import DatabaseLocation

    if args.database_url:
        raise UsageError("the demo is a SQLite file: give its path with --db")
    if args.db is not None and not args.db.strip():
        raise UsageError("--db: give the path of a book file")
    path = Path(args.db).expanduser() if args.db else demo_database_path()
    if not args.db:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    elif not path.parent.is_dir():
        raise UsageError(f"cannot create {path}: the folder {path.parent} does not exist")
    summary = build_demo(path, clock.today())
    print(
        printable(
            f"Demo book {summary.path}: {summary.clients} clients at {summary.companies} "
            f"companies, {summary.interactions} interactions, {summary.deals} deals, "
            f"{summary.profiles} profiles, {summary.plans} planned communications."
        )
    )
    if args.no_open:
        return 0
    return _open_tui(DatabaseLocation(path, "demo"))


def _run_bench(args: argparse.Namespace) -> int:
    from cockpit.bench.measure import Options
    from cockpit.bench.report import as_json, as_table
    from cockpit.bench.run import run_bench
    from cockpit.errors import UsageError

    def chosen(value: int | None, full: int, smoke: int, option: str) -> int:
        value = (smoke if args.smoke else full) if value is None else value
        if value < 1:
            raise UsageError(f"{option} must be 1 or more")
        return value

    url = args.database_url
    if url:
        from cockpit.bench.server import check_url

        url = check_url(url)
    options = Options(
        clients=chosen(args.clients, 10_000, 300, "--clients"),
        touches=chosen(args.touches, 250_000, 5_000, "--touches"),
        runs=chosen(args.runs, 5, 2, "--runs"),
        smoke=args.smoke,
        database_url=url or None,
    )

    def progress(text: str) -> None:
        print(f"cockpit bench: {text}...", file=sys.stderr, flush=True)

    report = run_bench(options, progress)
    print(as_json(report) if args.json else as_table(report))
    if report.broken:
        return 1  # the harness itself failed somewhere: the table says where
    return 1 if report.missed and not options.smoke else 0


def _run_info(args: argparse.Namespace) -> int:
    from cockpit.locations import config_file_path, data_dir
    from cockpit.storage.database import describe_book, resolve_location

    location = resolve_location(args.db, args.database_url)
    config = config_file_path()
    lines = [
        ("book", f"{location.label} (chosen by {location.source})"),
        *(describe_book(location.path).items() if not location.is_server else ()),
        ("data directory", str(data_dir())),
        ("config file", f"{config}" + ("" if config.exists() else " (none)")),
    ]
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        print(f"{label:<{width}}  {printable(value)}")
    return 0


def _add_view_options(parser: argparse.ArgumentParser, team: str = "the whole team's") -> None:
    view = parser.add_mutually_exclusive_group()
    view.add_argument(
        "--mine",
        action="store_true",
        help="your clients and those nobody owns (the default)",
    )
    view.add_argument("--team", action="store_true", help=f"{team} (a team book)")


def _reps(args: argparse.Namespace) -> list[str] | None:
    """Whose clients a command shows: None for the whole team."""
    from cockpit.storage import book

    return None if args.team else book.my_reps()


def _open_book(args: argparse.Namespace):
    from cockpit.storage.database import open_database, resolve_location

    return open_database(resolve_location(args.db, args.database_url))


def _run_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cockpit.importers.files import import_file

    db = _open_book(args)
    failed = False
    try:
        for name in args.files:
            report = import_file(Path(name), dry_run=args.dry_run, overwrite=args.overwrite)
            for line in report.failure_lines():
                print(printable(line), file=sys.stderr)
            for line in report.difference_lines():
                print(printable(line))
            print(printable(report.summary(dry_run=args.dry_run)))
            failed = failed or report.incomplete
    finally:
        db.close()
    return 1 if failed else 0


def _output_file(args: argparse.Namespace, verb: str, noun: str):
    """The file an export or backup goes to, checked before any work: a mistake writes
    nothing, an existing file needs --force, and the book itself is never the target."""
    from pathlib import Path

    from cockpit.errors import UsageError
    from cockpit.exporters.atomic import check_target
    from cockpit.storage.database import resolve_location

    path = Path(args.file).expanduser()
    check_target(path, force=args.force)
    location = resolve_location(args.db, args.database_url)
    if location.is_server:
        return path, location
    if not location.path.exists():
        raise UsageError(f"there is no book at {location.path} yet, so nothing to {verb}")
    if path.resolve() == location.path.resolve():
        raise UsageError(f"{path} is the book itself; write the {noun} to another file")
    return path, location


def _run_export(args: argparse.Namespace) -> int:
    from cockpit.errors import UsageError
    from cockpit.exporters.atomic import write_file

    if args.all and args.format != "vcard":
        raise UsageError(
            "--all is for the vcard export (ics leaves archived clients out; csv has everyone)"
        )
    path, _ = _output_file(args, "export", "export")
    db = _open_book(args)
    try:
        warnings: list[str] = []
        if args.format == "ics":
            from cockpit.exporters.ics import export_calendar

            calendar = export_calendar()
            data, warnings = calendar.data, calendar.warnings()
            done = (
                f"{calendar.events} events: {calendar.occasions} birthdays and anniversaries, "
                f"{calendar.follow_ups} follow-ups, {calendar.plans} planned communications"
            )
        elif args.format == "vcard":
            from cockpit.exporters.vcard import export_vcards

            cards = export_vcards(include_archived=args.all)
            data, warnings = cards.data, cards.warnings()
            done = f"{cards.cards} contacts"
        else:
            from cockpit.exporters.history import export_history

            history = export_history()
            data, warnings = history.data, history.warnings()
            done = f"{history.touches} touches, {history.notes} notes and {history.deals} deals"
    finally:
        db.close()
    write_file(path, data, force=args.force)
    for warning in warnings:
        print(printable(f"cockpit: note: {warning}"), file=sys.stderr)
    print(printable(f"Wrote {done} to {path}."))
    return 0


def _run_backup(args: argparse.Namespace) -> int:
    from cockpit.exporters.atomic import write_file
    from cockpit.storage.backup import counts_line, dump_book

    path, location = _output_file(args, "back up", "backup")
    db = _open_book(args)
    try:
        _refuse_partial_copy(db, "back it up")
        data, counts = dump_book()
    finally:
        db.close()
    write_file(path, data, force=args.force, private=True)
    print(
        printable(
            f"Backed up {location.label} to {path}: {counts_line(counts)}. It holds the "
            "sensitive profile answers too: keep it private."
        )
    )
    return _restorable(path)


def _restorable(path) -> int:
    """Whether `cockpit restore` would take the backup just written: a row written around
    Cockpit (psql, another program) may hold what no way in accepts. Said, with status 1."""
    from cockpit.errors import CockpitError
    from cockpit.storage.backup import read_backup

    try:
        read_backup(path)
    except CockpitError as error:
        print(
            printable(
                f"cockpit: the backup is written, but restore would refuse it as it stands "
                f"({error.message}); correct that row in the book, then back up again"
            ),
            file=sys.stderr,
        )
        return 1
    return 0


def _refuse_partial_copy(db, verb: str) -> None:
    """A team book is copied whole or not at all: a rep or a manager reads only part of it
    (a rep not another's sensitive answers, a manager not another's reviews)."""
    from cockpit.errors import CockpitError
    from cockpit.storage import book

    if not book.on_server():
        return
    from cockpit.storage.team import Powers, book_owner, powers

    held = powers(db)
    if held is not Powers.OWNER:
        owner = book_owner(db)
        why = (
            "a copy of the whole team's book is the owner's to make"
            if held is Powers.MANAGER
            else f"as {book.current_rep()} you may read only part of it (not other reps' "
            "sensitive answers or reviews), and a copy must hold all of it"
        )
        raise CockpitError(
            f"only {owner}, the role that owns this team book (or a superuser), can {verb}: "
            f"{why}; ask whoever connects as {owner}, or use pg_dump as that role"
        )


def _run_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cockpit.storage.backup import counts_line, read_backup, restore
    from cockpit.storage.database import remove_book_files, resolve_location

    backup = read_backup(Path(args.file).expanduser())  # all of it checked before the book opens
    location = resolve_location(args.db, args.database_url)
    created = not location.is_server and not location.path.exists()
    try:
        db = _open_book(args)
        try:
            counts = restore(backup, location.label)
        finally:
            db.close()
    except BaseException:  # whatever stopped it, even an interrupt: no half-made book is left
        if created:
            remove_book_files(location.path)
        raise
    print(printable(f"Restored {backup.path} into {location.label}: {counts_line(counts)}."))
    return 0


def _day(text: str | None, option: str):
    from datetime import date

    from cockpit import clock, phrases
    from cockpit.date_limits import OutsideKeptDates, check_day
    from cockpit.errors import UsageError, ValidationError

    if text is None:
        return clock.today()
    try:
        return check_day(date.fromisoformat(text.strip()))
    except ValueError:
        pass
    try:
        return phrases.parse_date(text, clock.today())
    except OutsideKeptDates:
        raise
    except ValidationError:
        raise UsageError(
            f"{option} {text!r} is not a date; use YYYY-MM-DD or a phrase such as next monday"
        ) from None


def _run_clients(args: argparse.Namespace) -> int:
    import json

    from cockpit import clock, health
    from cockpit.dates import ago
    from cockpit.health_cache import cached_compute
    from cockpit.search import matching
    from cockpit.storage import book
    from cockpit.text import cell_width, fit

    today = clock.today()
    db = _open_book(args)
    try:
        found = matching(args.query, book.client_candidates(holding=args.query))
        reps = _reps(args)
        if reps is not None:
            ours = book.clients_of(reps)
            found = [candidate for candidate in found if candidate.id in ours]
        verdicts = cached_compute(today, only=[candidate.id for candidate in found])
    finally:
        db.close()
    results = {r.id: r for r in verdicts}
    shown = [results[candidate.id] for candidate in found if candidate.id in results]
    if args.json:
        rows = [
            {
                "id": r.id,
                "client": r.name,
                "company": r.company,
                "lifecycle": r.lifecycle,
                "health": r.health.value,
                "tier": r.tier.value,
                "last_touch": r.last_touch.isoformat() if r.last_touch else None,
            }
            for r in shown
        ]
        print(json_printable(json.dumps(rows, ensure_ascii=False, indent=2)))
        return 0
    if not shown:
        query = printable(args.query)
        if args.team:
            print(f"No client matches {query!r}." if args.query else "No clients yet.")
        elif args.query:
            print(f"None of your clients matches {query!r} (--team searches the team's).")
        else:
            print("You have no clients yet (--team lists the team's).")
        return 0
    table = [("CLIENT", "COMPANY", "HEALTH", "TIER", "LAST TOUCH")] + [
        (
            printable(r.name),
            printable(r.company),
            ("! " if r.needs_attention else "") + r.health.value,
            r.tier.value if r.tier is not health.Tier.OTHER else "",
            ago(r.last_touch, today),
        )
        for r in shown
    ]
    # Widths in terminal cells: an emoji or a CJK name takes two a character.
    widths = [min(30, max(cell_width(row[column]) for row in table)) for column in range(5)]
    for row in table:
        cells = [fit(cell, width) for cell, width in zip(row, widths, strict=True)]
        print("  ".join(cells).rstrip())
    return 0


def _run_deal(args: argparse.Namespace) -> int:
    from cockpit.resolve import resolve_client
    from cockpit.storage import book

    won_on = _day(args.on, "--on")
    db = _open_book(args)
    try:
        client = resolve_client(args.client)
        deal = book.add_deal(
            client.id,
            args.amount,
            currency=args.currency,
            won_on=won_on,
            description=" ".join(args.note),
        )
    finally:
        db.close()
    print(
        printable(
            f"Recorded a won deal for {client.label()}: {deal.amount:,.2f} {deal.currency} "
            f"on {deal.won_on.isoformat()}."
        )
    )
    return 0


def _run_drift(args: argparse.Namespace) -> int:
    import shutil

    from cockpit import health
    from cockpit.drift_report import as_json, as_table
    from cockpit.storage import book

    as_of = _day(args.as_of, "--as-of")
    db = _open_book(args)
    try:
        results = health.compute(as_of)
        reps = _reps(args)
        if reps is not None:
            ours = book.clients_of(reps)
            results = [r for r in results if r.id in ours]
    finally:
        db.close()
    if args.all:
        shown = sorted(results, key=health.attention_order)
    else:
        shown = health.needing_attention(results)
    if args.json:
        print(json_printable(as_json(shown)))
    else:
        width = shutil.get_terminal_size((100, 24)).columns
        print(as_table(shown, as_of, everyone=args.all, width=width))
    return 0


def _run_review(args: argparse.Namespace) -> int:
    from cockpit.review import build_agenda
    from cockpit.review_report import as_json, as_markdown, as_text

    as_of = _day(args.as_of, "--as-of")
    db = _open_book(args)
    try:
        agenda = build_agenda(as_of, _reps(args))
    finally:
        db.close()
    print(
        json_printable(as_json(agenda))
        if args.json
        else as_markdown(agenda)
        if args.markdown
        else as_text(agenda)
    )
    return 0


def _run_log(args: argparse.Namespace) -> int:
    from cockpit import clock, phrases
    from cockpit.resolve import resolve_client
    from cockpit.storage import book
    from cockpit.vocabulary import a_kind

    # Everything typed is checked before the book is opened: a mistake writes nothing.
    now = clock.now_local()
    today = now.date()
    when = phrases.parse_past_moment(args.when, now) if args.when else None
    duration = phrases.parse_duration(args.duration) if args.duration else None
    follow_up = phrases.parse_day_to_come(args.follow_up, today) if args.follow_up else None
    intent = "sales" if args.sales else "relationship" if args.relationship else None
    kind = args.kind.strip().lower().replace("_", "-")
    db = _open_book(args)
    try:
        client = resolve_client(args.client)
        touch = book.add_interaction(
            client.id,
            kind,
            when=when,
            summary=" ".join(args.summary),
            intent=intent,
            duration_min=duration,
            follow_up_on=follow_up,
        )
    finally:
        db.close()
    follow = f"; follow up on {touch.follow_up_on.isoformat()}" if touch.follow_up_on else ""
    print(
        printable(
            f"Logged {a_kind(touch.kind)} ({touch.intent}, {touch.duration_min} min) with "
            f"{client.label()} on {touch.day.isoformat()}{follow}."
        )
    )
    return 0


def _run_profile(args: argparse.Namespace) -> int:
    import json

    from cockpit.profile.document import as_json_document, as_text_lines
    from cockpit.resolve import resolve_client
    from cockpit.storage import book

    db = _open_book(args)
    try:
        client = resolve_client(args.client)
        answers = book.profile_answers(client.id)
    finally:
        db.close()
    if args.json:
        document = as_json_document(client.name, client.company, answers, args.show_sensitive)
        print(json_printable(json.dumps(document, ensure_ascii=False, indent=2)))
    else:
        lines = as_text_lines(client.name, client.company, answers, args.show_sensitive)
        print("\n".join(printable(line) for line in lines))
    return 0


SERVER_KEEPS = (
    "No one can read them through the book any more, but the PostgreSQL server keeps "
    "copies for a while: the deleted rows stay in the table's files until VACUUM reuses "
    "their space (VACUUM FULL profile_value, run by the book's owner, rewrites the table "
    "without them), in the write-ahead log until it is recycled, and in every base "
    "backup, pg_dump file and replica made before; ask the server's administrator if "
    "those must go too."
)


def _run_forget(args: argparse.Namespace) -> int:
    from cockpit.errors import UsageError
    from cockpit.resolve import resolve_client
    from cockpit.storage import book
    from cockpit.storage.database import erase_free_pages, resolve_location

    if not args.profile:
        raise UsageError("say what to forget: --profile erases the Mackay 66 answers")
    location = resolve_location(args.db, args.database_url)
    db = _open_book(args)
    try:
        client = resolve_client(args.client)
        with db.atomic():
            erased = book.forget_profile(client.id)
        if not location.is_server:
            erase_free_pages(db)
    finally:
        db.close()
    if location.is_server:
        print(printable(f"Erased {erased} profile answers of {client.label()} from the book."))
        print(SERVER_KEEPS)
        return 0
    print(printable(f"Erased {erased} profile answers of {client.label()} for good."))
    backups = sorted(location.path.parent.glob(f"{location.path.name}.schema-v*.bak"))
    if backups:
        print(
            printable(
                f"{len(backups)} backup(s) made before schema upgrades, beside the book, "
                "still hold earlier answers; delete them if those must go too."
            )
        )
    return 0


def _run_assign(args: argparse.Namespace) -> int:
    from cockpit.errors import UsageError
    from cockpit.resolve import resolve_client
    from cockpit.storage import ownership

    whole_book = args.from_rep is not None or args.to_rep is not None
    if whole_book and (args.client or args.rep):
        raise UsageError("give either CLIENT REP, or --from REP --to REP, not both")
    if whole_book and not (args.from_rep and args.to_rep):
        missing = "--to" if args.from_rep else "--from"
        raise UsageError(f"name both reps: {missing} REP is missing or empty")
    if not whole_book and not (args.client and args.rep):
        raise UsageError("say who gets what: cockpit assign CLIENT REP, or --from REP --to REP")
    db = _open_book(args)
    try:
        if whole_book:
            handed = ownership.hand_over_all(args.from_rep, args.to_rep)
            if not handed:
                print(printable(f"{args.from_rep} owns no clients; nothing was handed over."))
                return 0
            print(
                printable(
                    f"Handed {len(handed)} client(s) over from {args.from_rep} to "
                    f"{args.to_rep}: " + ", ".join(item.name for item in handed) + "."
                )
            )
            return 0
        client = resolve_client(args.client)
        handed = ownership.assign(client.id, args.rep)
    finally:
        db.close()
    if handed is None:
        print(printable(f"{client.label()} is {args.rep}'s already."))
    else:
        was = f" (was {handed.was}'s)" if handed.was else " (nobody owned it)"
        print(printable(f"{client.label()} is now {args.rep}'s{was}."))
    return 0


def _run_settings(args: argparse.Namespace) -> int:
    from cockpit.errors import UsageError
    from cockpit.locations import config_file_path
    from cockpit.storage import team_settings
    from cockpit.storage.database import resolve_location

    action = args.action or "list"
    if action == "list" and (args.name or args.value):
        raise UsageError("cockpit settings lists them all; to change one: settings set NAME VALUE")
    if action != "list":
        if not args.name or (action == "set") != (args.value is not None):
            shape = "set NAME VALUE" if action == "set" else "unset NAME"
            raise UsageError(f"cockpit settings {shape}")
        name = team_settings.setting_name(args.name)
        if not resolve_location(args.db, args.database_url).is_server:
            raise UsageError(
                f"on a SQLite book the [health] settings are yours: write {name} = "
                f"{args.value or 'VALUE'} under [health] in {config_file_path()}"
            )
    db = _open_book(args)
    try:
        if action == "list":
            return _list_settings(db)
        _refuse_to_rep(db, "change team settings")
        team_settings.change(name, args.value if action == "set" else None)
        shown = team_settings.in_force()[name]
    finally:
        db.close()
    said = "set to" if action == "set" else "back to its default,"
    print(printable(f"Team setting health.{name} {said} {shown}, for everyone on this book."))
    return 0


def _refuse_to_rep(db, what: str) -> None:
    from cockpit.errors import CockpitError
    from cockpit.storage.team import Powers, powers

    if powers(db) is Powers.REP:
        raise CockpitError(
            f"only a manager (a member of cockpit_manager) or the role that owns the book "
            f"can {what}"
        )


def _list_settings(db) -> int:
    from dataclasses import asdict

    from cockpit.config import file_settings
    from cockpit.locations import config_file_path
    from cockpit.storage import book, team_settings

    mine = file_settings()
    if book.on_server():
        stored = team_settings.stored()
        print(
            "Team settings (stored in the book; managers change them with 'cockpit settings set'):"
        )
        for name, value in team_settings.in_force().items():
            print(f"  health.{name} = {value}" + ("" if name in stored else " (default)"))
    else:
        print(
            printable(
                f"Health settings (yours on a SQLite book: [health] in {config_file_path()}):"
            )
        )
        for name, value in asdict(mine.health).items():
            print(f"  health.{name} = {value}")
    print(printable(f"Personal settings ({config_file_path()}):"))
    print(f"  currency = {mine.currency}")
    print(printable(f"  timezone = {mine.timezone or '(your machine' + chr(39) + 's)'}"))
    if not book.on_server():
        print(printable(f"  rep = {book.current_rep()}"))
    return 0


def _run_migrate_to(args: argparse.Namespace) -> int:
    import tempfile
    from pathlib import Path

    from cockpit.errors import UsageError
    from cockpit.exporters.atomic import write_file
    from cockpit.storage.backup import counts_line, dump_book, read_backup, restore
    from cockpit.storage.database import open_database, resolve_location

    source = resolve_location(args.db, args.database_url)
    target = resolve_location(database_url=args.url)
    if target.label == source.label or (
        target.path is not None and source.path is not None and target.path == source.path
    ):
        raise UsageError(f"{args.url} is the book itself; copy it into another, empty one")
    db = _open_book(args)
    try:
        _refuse_partial_copy(db, "copy it")
        data, _counts = dump_book()
    finally:
        db.close()
    with tempfile.TemporaryDirectory(prefix="cockpit-migrate-") as folder:
        copy = Path(folder) / "book.json"  # private (0600), gone when done
        write_file(copy, data, private=True)
        backup = read_backup(copy)
        db = open_database(target)
        try:
            counts = restore(backup, target.label)
        finally:
            db.close()
    print(printable(f"Copied {source.label} into {target.label}: {counts_line(counts)}."))
    return 0


COMMANDS = {
    None: _run_default,
    "demo": _run_demo,
    "import": _run_import,
    "export": _run_export,
    "backup": _run_backup,
    "restore": _run_restore,
    "migrate-to": _run_migrate_to,
    "drift": _run_drift,
    "review": _run_review,
    "clients": _run_clients,
    "deal": _run_deal,
    "profile": _run_profile,
    "log": _run_log,
    "forget": _run_forget,
    "assign": _run_assign,
    "settings": _run_settings,
    "bench": _run_bench,
    "info": _run_info,
}


def _say_notices() -> None:
    from cockpit.notices import take

    for notice in take():
        print(f"cockpit: note: {printable(notice)}", file=sys.stderr)


def _location_for_errors(args: argparse.Namespace):
    try:
        from cockpit.storage.database import resolve_location

        return resolve_location(args.db, args.database_url).label
    except Exception:
        return "the database"


SERVER_DRIVERS = ("psycopg2", "psycopg", "psycopg2cffi")


def run() -> NoReturn:
    """The `cockpit` program. Peewee imports a PostgreSQL driver as it loads if one is
    installed (`cockpit[postgres]`), which doubles its import time; unless a server book
    is named, the driver is kept out and a SQLite book starts as fast as without it.
    What it prints degrades to plain text where the output's encoding lacks a character."""
    import os

    from cockpit.output_encoding import write_plain_when_unencodable

    write_plain_when_unencodable()
    named = [*sys.argv[1:], os.environ.get("COCKPIT_DATABASE_URL", "")]
    if not any("postgres" in text for text in named):
        for driver in SERVER_DRIVERS:
            sys.modules.setdefault(driver, None)  # import fails, as if not installed
    raise SystemExit(main())


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `cockpit` command; return its exit status."""
    args = build_parser().parse_args(argv)
    from cockpit.errors import CockpitError

    try:
        from cockpit.clock import fixed_today
        from cockpit.config import settings

        # A bad config file or COCKPIT_TODAY is reported before any work starts.
        settings()
        fixed_today()
        try:
            return COMMANDS[args.command](args)
        finally:
            _say_notices()
    except CockpitError as error:
        print(f"cockpit: {printable(error.message, multiline=True)}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`cockpit clients | head`): stop quietly, as other tools do,
        # with stdout on /dev/null so the flush at exit cannot fail again.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:
        # A database error surfacing mid-command (disk full, a lock held too long)
        # is still a condition we can name.
        import sqlite3

        from peewee import DatabaseError as PeeweeDatabaseError

        if not isinstance(error, (PeeweeDatabaseError, sqlite3.Error)):
            raise
        from cockpit.storage.database import explain_error

        message = explain_error(error, _location_for_errors(args)).message
        print(f"cockpit: {printable(message)}", file=sys.stderr)
        return 1
