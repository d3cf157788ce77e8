"""`cockpit brief`: the pre-call brief on a client."""

from __future__ import annotations

import argparse

from cockpit.cli.arguments import open_book
from cockpit.cli.options import add_client_argument, add_command, add_database_options, add_flag


def register(commands: argparse._SubParsersAction) -> None:
    brief = add_command(
        commands,
        "brief",
        run,
        help="print the brief to read before calling a client",
        description=(
            "Print the pre-call brief on a client: health and why, with what is at stake; "
            "open follow-ups and promises; the last 3 touches; the next occasion within 30 "
            "days; what they care about (interests, goals, family); their account; gives to "
            "offer; and what never to raise, masked unless --show-sensitive is given."
        ),
    )
    add_client_argument(brief)
    shape = brief.add_mutually_exclusive_group()
    shape.add_argument("--markdown", action="store_true", help="print Markdown")
    shape.add_argument("--json", action="store_true", help="print JSON")
    add_flag(brief, "--show-sensitive", "show the sensitive answers instead of masks")
    add_database_options(brief)


def run(args: argparse.Namespace) -> int:
    from cockpit import clock
    from cockpit.brief import client_brief
    from cockpit.cli.render import brief as render
    from cockpit.resolve import resolve_client

    db = open_book(args)
    try:
        client = resolve_client(args.client)
        brief = client_brief(client.id, clock.today(), show_sensitive=args.show_sensitive)
    finally:
        db.close()
    if args.json:
        print(render.as_json(brief))
    elif args.markdown:
        print(render.as_markdown(brief))
    else:
        print(render.as_text(brief))
    return 0
