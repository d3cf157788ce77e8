"""The `cockpit` program: the top parser built from the command groups, and `main`, which
runs one command and turns what went wrong into one line on stderr and an exit status."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from cockpit import __version__
from cockpit.cli import (
    bench,
    book_commands,
    clients,
    drift,
    info,
    log,
    profile,
    review,
    search_command,
    team,
    tui,
)
from cockpit.cli.options import (
    SERVER_DRIVERS,
    CockpitParser,
    add_database_options,
    with_free_text,
)
from cockpit.text import printable

DESCRIPTION = "Cockpit keeps the client relationships that matter alive."
EPILOG = (
    "The book is chosen by --database-url, then --db, then the COCKPIT_DATABASE_URL and "
    "COCKPIT_DB environment variables, else the default file in your data directory "
    "(see 'cockpit info'). COCKPIT_TODAY=YYYY-MM-DD fixes today's date."
)
# In the order `cockpit --help` lists their commands.
GROUPS = (
    tui,
    book_commands,
    drift,
    review,
    clients,
    search_command,
    log,
    profile,
    team,
    bench,
    info,
)


def build_parser() -> argparse.ArgumentParser:
    parser = CockpitParser(prog="cockpit", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"cockpit {__version__}")
    add_database_options(parser, top=True)
    parser.set_defaults(run=tui.run_default)  # no command: open the cockpit
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for group in GROUPS:
        group.register(commands)
    return parser


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
    args = with_free_text(build_parser(), argv)
    from cockpit.errors import CockpitError

    try:
        from cockpit.clock import fixed_today
        from cockpit.config import settings

        # A bad config file or COCKPIT_TODAY is reported before any work starts.
        settings()
        fixed_today()
        try:
            return args.run(args)
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
        from cockpit.storage.guarded import database_failure

        failure = database_failure(error, lambda: _location_for_errors(args))
        if failure is None:
            raise
        print(f"cockpit: {printable(failure.message)}", file=sys.stderr)
        return 1


def _say_notices() -> None:
    from cockpit.notices import take

    for notice in take():
        print(f"cockpit: note: {printable(notice)}", file=sys.stderr)


def _location_for_errors(args: argparse.Namespace) -> str:
    try:
        from cockpit.storage.database import resolve_location

        return resolve_location(args.db, args.database_url).label
    except Exception:
        return "the database"
