"""The `cockpit` program: the top parser built from the command groups, and `main`, which
runs one command and turns what went wrong into one line on stderr and an exit status."""

from __future__ import annotations

import argparse
import atexit
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import NoReturn

from cockpit import __version__
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
# The modules of cockpit.cli that define the commands, in the order `cockpit --help`
# lists them, each with its commands: a command's parser is built without the others'
# (a test checks that each group registers exactly these).
GROUPS = {
    "tui": ("demo",),
    "serve": ("serve",),
    "book_commands": ("import", "export", "backup", "restore", "migrate-to"),
    "drift": ("drift",),
    "portfolio": ("portfolio",),
    "review": ("review",),
    "today": ("today",),
    "clients": ("clients", "deal"),
    "tags": ("tag", "untag", "tags"),
    "accounts": ("accounts", "account", "merge-accounts", "move", "roles"),
    "account_plan": ("account-plan",),
    "brief": ("brief",),
    "search_command": ("search",),
    "log": ("log",),
    "profile": ("profile",),
    "team": ("forget", "assign", "settings"),
    "bench": ("bench",),
    "info": ("info",),
}
GROUP_OF = {command: group for group, commands in GROUPS.items() for command in commands}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of just the one `argv` names (a command starts
    faster without importing and building the others)."""
    parser = CockpitParser(prog="cockpit", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"cockpit {__version__}")
    add_database_options(parser, top=True)
    parser.set_defaults(run=_open_the_cockpit)  # no command
    wanted = None if argv is None else _command_named(parser, argv)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    if wanted is None:
        groups = tuple(GROUPS)
    elif wanted == _NO_COMMAND:
        groups = ()
    else:
        groups = (GROUP_OF[wanted],)
    for group in groups:
        import_module(f"cockpit.cli.{group}").register(commands)
    return parser


def _open_the_cockpit(args: argparse.Namespace) -> int:
    from cockpit.cli import tui

    return tui.run_default(args)


_NO_COMMAND = ""  # only top options: the cockpit opens


def _command_named(parser: argparse.ArgumentParser, argv: Sequence[str]) -> str | None:
    """The command `argv` runs, read past the top options as argparse reads them (an
    option may be given by a prefix of its name); `_NO_COMMAND` when it names none (and
    asks for no help); None when every command's parser is needed: for help, or to
    say what is wrong."""
    actions = parser._actions
    every_option = {option for action in actions for option in action.option_strings}
    taking_value = {
        option for action in actions if action.nargs != 0 for option in action.option_strings
    }
    words = iter(argv)
    for word in words:
        if word == "--":
            return None
        if word.startswith("-") and word != "-":
            option, given, _value = word.partition("=")
            named = [known for known in every_option if known.startswith(option)]
            if option in every_option:
                named = [option]
            if len(named) != 1 or named[0] in ("-h", "--help"):
                return None  # help, or not a top option (or an ambiguous one)
            if named[0] in taking_value and not given:
                next(words, None)
            continue
        return word if word in GROUP_OF else None
    return _NO_COMMAND


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
    status = main() or 0
    _end_at_once(status)
    raise SystemExit(status)  # when the interpreter has to end it as usual


def _end_at_once(status: int) -> None:
    """End the process once the command has finished: the exit handlers run, the output
    flushed and the book closed, but without the interpreter's teardown, which frees
    every module and object the command loaded one by one: tens of milliseconds, a
    fifth of a quick command's time. Left to the interpreter while another thread runs
    (it waits for them) or when the output cannot be flushed (it reports that)."""
    import os
    import threading

    if threading.active_count() > 1:
        return
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        if "cockpit.storage.models" in sys.modules:
            from cockpit.storage.database import close_database

            close_database()
    except Exception:
        return
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `cockpit` command; return its exit status."""
    words = sys.argv[1:] if argv is None else argv
    args = with_free_text(build_parser(words), words)
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
