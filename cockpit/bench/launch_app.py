"""`cockpit` without a command, as `cockpit bench` times its cold start and memory:

    python -m cockpit.bench.launch_app [--db PATH | --database-url URL]
        --exit-at {first-page,loaded} [--headless]

takes the options of `cockpit` and starts as it does (`cockpit.cli.run`, then the
default command, `cli.tui.open_tui`): output that degrades to plain text, no
PostgreSQL driver unless a server book is named, the settings and COCKPIT_TODAY
checked, the cyclic garbage collector paused while the app is made. Then it opens
`instrumented_app.InstrumentedApp`, which leaves with a `BENCH` line at the stage
asked for. Only what `cockpit` itself loads first is imported before that.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cockpit.cli import build_parser
from cockpit.cli.options import SERVER_DRIVERS
from cockpit.text import printable

STAGES = ("first-page", "loaded")


def _parser() -> argparse.ArgumentParser:
    parser = build_parser()
    parser.prog = "python -m cockpit.bench.launch_app"
    bench = parser.add_argument_group("bench")
    bench.add_argument(
        "--exit-at", choices=STAGES, required=True, help="the stage to report and leave at"
    )
    bench.add_argument("--headless", action="store_true", help="draw on no terminal")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from cockpit.output_encoding import write_plain_when_unencodable

    arguments = list(sys.argv[1:] if argv is None else argv)
    write_plain_when_unencodable()
    named = [*arguments, os.environ.get("COCKPIT_DATABASE_URL", "")]
    if not any("postgres" in text for text in named):
        for driver in SERVER_DRIVERS:
            sys.modules.setdefault(driver, None)  # import fails, as if not installed
    parser = _parser()
    args = parser.parse_args(arguments)
    if args.command is not None:
        parser.error("the bench opens the cockpit itself: give no command")
    from cockpit.errors import CockpitError

    try:
        from cockpit.clock import fixed_today
        from cockpit.config import settings
        from cockpit.storage.database import resolve_location

        settings()
        fixed_today()
        location = resolve_location(args.db, args.database_url)
        return _open(location, args.exit_at, args.headless)
    except CockpitError as error:
        print(f"cockpit: {printable(error.message, multiline=True)}", file=sys.stderr)
        return error.exit_code


def _open(location, exit_at: str, headless: bool) -> int:
    """As `cockpit` opens the cockpit, with the instrumented app."""
    from cockpit.cli.tui import open_tui

    def instrumented(location):
        from cockpit.bench.instrumented_app import InstrumentedApp  # after the pause

        return InstrumentedApp(location, exit_at=exit_at, headless=headless)

    return open_tui(location, instrumented)


if __name__ == "__main__":
    raise SystemExit(main())
