"""`cockpit search`: the notes that mention something (touch summaries and profile
answers that are not sensitive)."""

from __future__ import annotations

import argparse

from cockpit.cli.arguments import open_book, reps_shown
from cockpit.cli.options import add_command, add_database_options, add_json_flag, add_view_options

DEFAULT_LIMIT = 50


def register(commands: argparse._SubParsersAction) -> None:
    search = add_command(
        commands,
        "search",
        run,
        help="find the notes that mention something",
        description=(
            "List the touch summaries and profile answers that hold every word of TEXT "
            "(words beginning with it; case and accents do not matter), with their client, "
            "where the note is, and the part of it that matched. Sensitive profile answers "
            "are never searched; archived clients are left out. Exits with 1 when nothing "
            "matches. In the cockpit, / then ?TEXT does the same."
        ),
    )
    search.add_argument("text", metavar="TEXT")
    search.add_argument(
        "--limit",
        type=_limit,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"show at most N matches (default {DEFAULT_LIMIT}; 0: all)",
    )
    add_view_options(search)
    add_json_flag(search)
    add_database_options(search)


def _limit(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 0 up")
    return int(text)


def run(args: argparse.Namespace) -> int:
    from cockpit.cli.render import search as render
    from cockpit.errors import UsageError
    from cockpit.search import note_words
    from cockpit.storage.notes_search import search_notes

    if not note_words(args.text):
        raise UsageError(render.found_nothing_to_look_for(args.text))
    db = open_book(args)
    try:
        found = search_notes(args.text, limit=args.limit or None, owners=reps_shown(args))
    finally:
        db.close()
    if args.json:
        print(render.as_json(found))
    elif found.matches:
        print(render.as_table(found, args.limit))
    else:
        print(render.none_found(args.text, team=args.team))
    return 0 if found.matches else 1
