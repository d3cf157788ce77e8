"""`cockpit bench`: Cockpit's speed on a large generated book, against its budgets."""

from __future__ import annotations

import argparse
import sys

from cockpit.cli.options import add_command, add_flag, add_json_flag

TOUCHES_PER_CLIENT = 25


def register(commands: argparse._SubParsersAction) -> None:
    bench = add_command(
        commands,
        "bench",
        run,
        help="measure Cockpit's speed on a large generated book",
        description=(
            "Build a large book, the same every time (by default 10,000 clients, 25 touches "
            "and 3 deals a client, about half the Mackay 66 profiles partly filled), in a "
            "temporary directory, and measure each figure against its budget. First what a "
            "person sees, in a real terminal (tmux at 120x40, keys sent and the screen read "
            "through a control-mode client), against a bare Textual app in the same run: "
            "filter keystrokes and Backspace (median and worst), Esc clearing the filter, the "
            "Down arrow filling the panes (and how often they are drawn), the verdicts on "
            "screen after start, the profile editor, the pre-call brief and the portfolio "
            "opening (the portfolio twice: its history worked out, then kept), memory. "
            "Then, where Chromium and Playwright are installed, Cockpit in a web browser: "
            "'cockpit serve' started until it answers, and headless Chromium opening it until "
            "the list's first names show. "
            "Then 'cockpit drift "
            "--json', 'cockpit accounts', 'cockpit clients QUERY' right after a write "
            "(against the floor, python "
            "-c 'import peewee, arrow') and the health engine; last, a breakdown: the same "
            "work inside the process, cold start, the weekly review agenda, logging a touch, "
            "importing 10,000 vCards. Budgets come from a table for 10,000 clients and one "
            "for 50,000 (--clients 50000), the nearest to the size asked. Without tmux the "
            "terminal figures are not measured, and say so. Your own book and settings are "
            "never used. The exit status is 1 when a budget is missed; --smoke runs a small "
            "book and never fails on a budget (for CI). With --database-url "
            "postgresql://USER@HOST/DATABASE the book is built in a new schema of that "
            "database, dropped at the end, and the figures that make sense on a server are "
            "measured, the health engine against its own budget (2 s); those of the local "
            "app on SQLite are not."
        ),
    )
    # Never a book of the user's: no --db, and a URL only for a server to build one in.
    bench.add_argument(
        "--database-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="build the book in a new, temporary schema of this PostgreSQL database",
    )
    bench.add_argument(
        "--clients", type=int, metavar="N", help="clients in the book (default 10000; smoke 300)"
    )
    bench.add_argument(
        "--touches",
        type=int,
        metavar="N",
        help=f"touches in the book (default {TOUCHES_PER_CLIENT} a client: 250000 for 10000)",
    )
    bench.add_argument("--runs", type=int, metavar="N", help="runs per figure (default 5; smoke 2)")
    add_flag(bench, "--smoke", "a small book and few runs; budgets are not enforced")
    add_json_flag(bench)


def run(args: argparse.Namespace) -> int:
    from cockpit.bench.measure import Options
    from cockpit.bench.report import as_json, as_table
    from cockpit.bench.run import run_bench
    from cockpit.errors import UsageError

    def chosen(value: int | None, full: int, smoke: int, option: str) -> int:
        value = (smoke if args.smoke else full) if value is None else value
        if value < 1:
            raise UsageError(f"{option} must be 1 or more")
        return value

    url = args.database_url
    if url:
        from cockpit.bench.server import check_url

        url = check_url(url)
    clients = chosen(args.clients, 10_000, 300, "--clients")
    options = Options(
        clients=clients,
        touches=chosen(
            args.touches, TOUCHES_PER_CLIENT * clients, TOUCHES_PER_CLIENT * clients, "--touches"
        ),
        runs=chosen(args.runs, 5, 2, "--runs"),
        smoke=args.smoke,
        database_url=url or None,
    )

    def progress(text: str) -> None:
        print(f"cockpit bench: {text}...", file=sys.stderr, flush=True)

    report = run_bench(options, progress)
    print(as_json(report) if args.json else as_table(report))
    if report.broken:
        return 1  # the harness itself failed somewhere: the table says where
    return 1 if report.missed and not options.smoke else 0
