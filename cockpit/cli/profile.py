"""`cockpit profile`: a client's Mackay 66 profile."""

from __future__ import annotations

import argparse

from cockpit.cli.arguments import open_book
from cockpit.cli.options import add_client_argument, add_command, add_database_options, add_flag


def register(commands: argparse._SubParsersAction) -> None:
    profile = add_command(
        commands,
        "profile",
        run,
        help="print a client's Mackay 66 profile",
        description=(
            "Print the answered items of a client's Mackay 66 profile, section by section. "
            "Sensitive answers are masked unless --show-sensitive is given."
        ),
    )
    add_client_argument(profile)
    add_flag(profile, "--json", "print JSON: all 66 items")
    add_flag(profile, "--show-sensitive", "show sensitive answers instead of masks")
    add_database_options(profile)


def run(args: argparse.Namespace) -> int:
    from cockpit.cli.render import profile as render
    from cockpit.resolve import resolve_client
    from cockpit.storage import book

    db = open_book(args)
    try:
        client = resolve_client(args.client)
        answers = book.profile_shown(client.id)
    finally:
        db.close()
    shown = render.as_json if args.json else render.as_text
    print(shown(client.name, client.company, answers, show_sensitive=args.show_sensitive))
    return 0
