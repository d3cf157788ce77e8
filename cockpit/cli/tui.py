"""`cockpit` without a command and `cockpit demo`: the commands that open the screen."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from cockpit.cli.arguments import book_location
from cockpit.cli.options import add_command, add_database_options, add_flag


def register(commands: argparse._SubParsersAction) -> None:
    demo = add_command(
        commands,
        "demo",
        run_demo,
        help="build a demo book and open Cockpit on it",
        description=(
            "Build a realistic demo book (about 60 clients, dated relative to today) and open "
            "Cockpit on it. It goes to --db PATH, else demo.db in your data directory; it never "
            "uses your own book, whatever COCKPIT_DB says, and only ever replaces an earlier "
            "demo book: after asking, or with --force."
        ),
    )
    add_flag(demo, "--no-open", "only build the book")
    add_flag(demo, "--force", "replace an earlier demo book there without asking")
    add_flag(
        demo,
        "--with-calendar",
        "also write a calendar beside the book (demo-calendar.ics) to try 'cockpit import' on",
    )
    add_database_options(demo)


def open_tui(location, make_app: Callable | None = None) -> int:
    """Open the cockpit on the book at `location` (with `make_app(location)`, another
    app of its kind, such as the one `cockpit bench` times)."""
    import gc

    # Start-up makes objects that live as long as the process (modules, classes,
    # widgets): the cyclic garbage collector pauses until the first page is drawn
    # (the app then resumes it), and never walks them again.
    gc.disable()
    if make_app is None:
        from cockpit.ui.app import CockpitApp as make_app

    app = make_app(location)  # reads the first page when the book can be used as it is
    if app.first_page is None:  # else it must be created or upgraded, or cannot be used:
        from cockpit.storage.database import open_database

        open_database(location).close()  # fail here, in one line, before the screen takes over
    gc.freeze()
    app.run()
    return 0


def run_default(args: argparse.Namespace) -> int:
    return open_tui(book_location(args))


def run_demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cockpit import clock
    from cockpit.cli.render.book import demo_built, demo_kept
    from cockpit.demo import build_demo, is_demo_book
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
    if path.exists() and is_demo_book(path) and not args.force and not _replace_asked(path):
        print(demo_kept(path))
    else:
        print(demo_built(build_demo(path, clock.today(), with_calendar=args.with_calendar)))
    if args.no_open:
        return 0
    return open_tui(DatabaseLocation(path, "demo"))


def _replace_asked(path) -> bool:
    """Whether the user says to build the demo book at `path` afresh, losing what they did
    in it; without a terminal to ask on, the command stops and names --force."""
    import sys

    from cockpit.cli.render.book import demo_exists
    from cockpit.errors import UsageError

    if not sys.stdin.isatty():
        raise UsageError(demo_exists(path))
    try:
        answer = input(demo_exists(path, asking=True))
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes")
