"""`cockpit info`: the book in use, how it was chosen, and where the data and config live."""

from __future__ import annotations

import argparse

from cockpit.cli.arguments import book_location
from cockpit.cli.options import add_command, add_database_options


def register(commands: argparse._SubParsersAction) -> None:
    info = add_command(
        commands,
        "info",
        run,
        help="show where your data lives and what the book holds",
        description="Show the book in use, how it was chosen, and the data and config paths.",
    )
    add_database_options(info)


def run(args: argparse.Namespace) -> int:
    from cockpit.cli.render.info import as_table
    from cockpit.locations import config_file_path, data_dir
    from cockpit.storage.database import describe_book

    location = book_location(args)
    config = config_file_path()
    print(
        as_table(
            [
                ("book", f"{location.label} (chosen by {location.source})"),
                *(describe_book(location.path).items() if not location.is_server else ()),
                ("data directory", str(data_dir())),
                ("config file", f"{config}" + ("" if config.exists() else " (none)")),
            ]
        )
    )
    return 0
