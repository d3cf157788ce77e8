"""`cockpit portfolio`: where the time went against where the revenue came from."""

from __future__ import annotations

import argparse
import os

from cockpit.cli.arguments import open_book, reps_shown
from cockpit.cli.options import add_command, add_database_options, add_view_options


def register(commands: argparse._SubParsersAction) -> None:
    portfolio = add_command(
        commands,
        "portfolio",
        run,
        help="where your time went against where the revenue came from",
        description=(
            "Print the portfolio of the last N calendar months (this one included): the "
            "share of revenue and time of the core clients (and of the key and core "
            "accounts) and what your plans need each week against the hours you have "
            "(capacity_hours_per_week in config.toml, or --capacity), then tables of the "
            "time spent and revenue won each month by tier "
            "(each client in the tier it has today), the 10 clients who took the most time "
            "against their revenue, gives and asks each month, touches each week over a "
            "year, and the clients drifting at each month's end as the engine judged then."
        ),
    )
    portfolio.add_argument(
        "--months", type=int, default=12, metavar="N", help="how many months (1 to 36; 12)"
    )
    portfolio.add_argument(
        "--capacity",
        type=float,
        metavar="HOURS",
        help="the hours a week you have for your clients (else capacity_hours_per_week)",
    )
    portfolio.add_argument("--json", action="store_true", help="print JSON")
    add_view_options(portfolio)
    add_database_options(portfolio)


def run(args: argparse.Namespace) -> int:
    from cockpit import clock
    from cockpit.cli.render import portfolio as render
    from cockpit.errors import UsageError
    from cockpit.portfolio import portfolio

    if not 1 <= args.months <= 36:
        raise UsageError(f"--months takes 1 to 36 months, not {args.months}")
    hours = _capacity(args)
    db = open_book(args)
    try:
        found = portfolio(clock.today(), args.months, reps_shown(args))
    finally:
        db.close()
    found.capacity_hours = hours
    if args.json:
        print(render.as_json(found))
        return 0
    text = render.as_text(found)
    width = _chart_width()
    if width is not None:
        headline, _, tables = text.partition("\n\n")
        colour = "NO_COLOR" not in os.environ
        text = "\n\n".join([headline, render.charts_text(found, width, colour=colour), tables])
    print(text)
    return 0


def _chart_width() -> int | None:
    """The columns to draw the charts in: a terminal of UTF-8 at least 80 wide (else None:
    a pipe, a file or a narrow terminal gets the tables alone)."""
    import shutil
    import sys

    from cockpit.cli.render.portfolio import NARROWEST_CHARTS

    stdout = sys.stdout
    if not stdout.isatty() or "utf" not in (stdout.encoding or "").lower():
        return None
    width = shutil.get_terminal_size((0, 0)).columns
    return width if width >= NARROWEST_CHARTS else None


def _capacity(args: argparse.Namespace) -> float | None:
    """The hours a week to weigh the plans against: --capacity, else the setting; a
    whole team's portfolio needs none (capacity is one person's)."""
    from cockpit.config import check_capacity, settings
    from cockpit.errors import ConfigError, UsageError
    from cockpit.locations import config_file_path

    if args.capacity is not None:
        try:
            return check_capacity(args.capacity, "--capacity")
        except ConfigError as error:
            raise UsageError(error.message) from None
    hours = settings().capacity_hours_per_week
    if hours is None and not args.team:
        raise UsageError(
            "how many hours a week do you have for your clients? Add a line such as "
            f"capacity_hours_per_week = 10 to {config_file_path()} (before any [table]), "
            "or give --capacity HOURS"
        )
    return hours
