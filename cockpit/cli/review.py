"""`cockpit review`: the weekly review's agenda."""

from __future__ import annotations

import argparse

from cockpit.cli.arguments import day, open_book, reps_shown
from cockpit.cli.options import (
    add_as_of_option,
    add_command,
    add_database_options,
    add_flag,
    add_view_options,
)


def register(commands: argparse._SubParsersAction) -> None:
    review = add_command(
        commands,
        "review",
        run,
        help="print the weekly review's agenda",
        description=(
            "Print the agenda of the weekly review for the 7 days from --as-of (default: "
            "today), at most 30 items, the most pressing of each part: promises from the last "
            "review not kept, drifting clients with much at stake, other drifting clients, "
            "follow-ups due, planned communications due, occasions in the next 14 days, "
            "clients asked more than given to, referral asks due, peripheral clients eating "
            "your time, and, in the first review of each month, lapsed clients. Sensitive "
            "profile answers never appear. `w` in the cockpit walks through it."
        ),
    )
    add_as_of_option(review, "the first day of the week (default: today)")
    output = review.add_mutually_exclusive_group()
    add_flag(output, "--markdown", "print Markdown")
    add_flag(output, "--json", "print JSON")
    add_view_options(review, team="the whole team's, drifting clients with much at stake by rep")
    add_database_options(review)


def run(args: argparse.Namespace) -> int:
    from cockpit.cli.render.review import as_json, as_markdown, as_text
    from cockpit.review import build_agenda
    from cockpit.text import json_printable

    as_of = day(args.as_of, "--as-of")
    db = open_book(args)
    try:
        agenda = build_agenda(as_of, reps_shown(args))
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
