"""`cockpit drift`: the clients whose relationship needs attention."""

from __future__ import annotations

import argparse

from cockpit.cli.arguments import day, open_book, reps_shown
from cockpit.cli.options import (
    add_as_of_option,
    add_command,
    add_database_options,
    add_flag,
    add_json_flag,
    add_view_options,
)


def register(commands: argparse._SubParsersAction) -> None:
    drift = add_command(
        commands,
        "drift",
        run,
        help="list the clients whose relationship needs attention",
        description=(
            "List the clients needing attention (drifting, active and not snoozed), drifting "
            "core clients first, each with the reason in plain words."
        ),
    )
    add_as_of_option(drift, "judge as on this day (default: today)")
    add_flag(drift, "--all", "list every client")
    add_view_options(drift)
    add_json_flag(drift)
    add_database_options(drift)


def run(args: argparse.Namespace) -> int:
    from cockpit import health
    from cockpit.cli.render.drift import as_json, as_table
    from cockpit.health_cache import cached_compute, cached_needing_attention
    from cockpit.text import json_printable

    as_of = day(args.as_of, "--as-of")
    db = open_book(args)
    try:
        # The verdicts kept while the book is unchanged (of those needing attention, if
        # that is all there is to show).
        reps = reps_shown(args)
        results = cached_compute(as_of) if args.all else cached_needing_attention(as_of)
        if reps is not None:
            from cockpit.storage.reps import clients_of

            ours = clients_of(reps)
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
        import shutil

        width = shutil.get_terminal_size((100, 24)).columns
        print(as_table(shown, as_of, everyone=args.all, width=width))
    return 0
