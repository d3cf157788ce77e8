"""The parser and the options several commands share."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import NoReturn

from cockpit.text import printable

Runner = Callable[[argparse.Namespace], int]
# The PostgreSQL drivers Peewee imports as it loads: kept out unless a server book is named.
SERVER_DRIVERS = ("psycopg2", "psycopg", "psycopg2cffi")


class CockpitParser(argparse.ArgumentParser):
    """Bad arguments give one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        # The message quotes the arguments: shown, never obeyed by the terminal.
        self.exit(2, printable(f"{self.prog}: error: {message} (see '{self.prog} --help')") + "\n")


def add_command(
    commands: argparse._SubParsersAction, name: str, run: Runner, *, help: str, description: str
) -> argparse.ArgumentParser:
    """The parser of the command `name`, which `run(args)` carries out."""
    parser = commands.add_parser(name, help=help, description=description)
    parser.set_defaults(run=run)
    return parser


def add_database_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """--db and --database-url; added last, so the usage line names them last."""
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


def add_view_options(parser: argparse.ArgumentParser, team: str = "the whole team's") -> None:
    view = parser.add_mutually_exclusive_group()
    view.add_argument(
        "--mine",
        action="store_true",
        help="your clients and those nobody owns (the default)",
    )
    view.add_argument("--team", action="store_true", help=f"{team} (a team book)")


def add_free_text(parser: argparse.ArgumentParser, name: str, metavar: str, help: str) -> None:
    """Words of free text (a summary, a note), which may also follow the options:
    `cockpit deal ann 500 --on friday Annual contract`."""
    parser.add_argument(name, nargs="*", metavar=metavar, help=help)
    parser.set_defaults(free_text=name)


def with_free_text(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None
) -> argparse.Namespace:
    """The arguments, the words left after the options joining the command's free text;
    any other argument nobody knows is an error, as argparse would say."""
    args, left = parser.parse_known_args(argv)
    free_text = getattr(args, "free_text", None)
    if left and free_text and not any(word.startswith("-") for word in left):
        getattr(args, free_text).extend(left)
    elif left:
        parser.error(f"unrecognized arguments: {' '.join(left)}")
    return args


def add_client_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("client", metavar="CLIENT")


def add_as_of_option(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help=help)


def add_flag(parser: argparse._ActionsContainer, option: str, help: str) -> None:
    parser.add_argument(option, action="store_true", help=help)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    add_flag(parser, "--json", "print JSON instead of a table")


def add_file_to_write(parser: argparse.ArgumentParser, help: str) -> None:
    """FILE and --force: an existing FILE is replaced only when asked."""
    parser.add_argument("file", metavar="FILE", help=help)
    add_flag(parser, "--force", "replace FILE if it exists")
