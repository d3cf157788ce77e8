"""`cockpit log`: a touch (or a note) logged right after it happened."""

from __future__ import annotations

import argparse

from cockpit.cli.arguments import open_book
from cockpit.cli.options import (
    add_client_argument,
    add_command,
    add_database_options,
    add_flag,
    add_free_text,
)


def register(commands: argparse._SubParsersAction) -> None:
    log = add_command(
        commands,
        "log",
        run,
        help="log a touch (or a note) right after it happened",
        description=(
            "Log a call, meeting, email... CLIENT is #ID, an exact name, or a unique match; "
            "KIND is one of call, meeting, email, message, handwritten-note, gift, event, "
            "referral-asked, referral-received, referral-given, note, or the quick log's "
            "key for it: c, m, e, t, h, g, v, r (asked), R (received), G (given), n. Dates "
            "take phrases such as tomorrow, friday, next friday, in 2 weeks, 15 April."
        ),
    )
    add_client_argument(log)
    log.add_argument("kind", metavar="KIND")
    add_free_text(log, "summary", "SUMMARY", "what it was about (also after the options)")
    log.add_argument("--duration", metavar="TIME", help="15, 15m, 1h or 1h30 (default: by kind)")
    intent = log.add_mutually_exclusive_group()
    add_flag(intent, "--sales", "an ask")
    add_flag(intent, "--relationship", "a give")
    log.add_argument("--follow-up", metavar="WHEN", help='e.g. "in 2 weeks" or "next friday"')
    log.add_argument("--when", metavar="WHEN", help='when it happened, e.g. "yesterday 16:00"')
    log.add_argument(
        "--every",
        metavar="INTERVAL",
        help="keep in touch this often from now on: 30, 2 weeks, 3 months, monthly...",
    )
    add_database_options(log)


def run(args: argparse.Namespace) -> int:
    from cockpit import clock, phrases
    from cockpit.cli.render.log import touch_logged
    from cockpit.resolve import resolve_client
    from cockpit.storage import book
    from cockpit.vocabulary import kind_named

    # Everything typed is checked before the book is opened: a mistake writes nothing.
    now = clock.now_local()
    today = now.date()
    when = phrases.parse_past_moment(args.when, now) if args.when else None
    duration = phrases.parse_duration(args.duration) if args.duration else None
    follow_up = phrases.parse_day_to_come(args.follow_up, today) if args.follow_up else None
    every = phrases.parse_interval(args.every) if args.every else None
    intent = "sales" if args.sales else "relationship" if args.relationship else None
    db = open_book(args)
    try:
        client = resolve_client(args.client)
        logged = book.log_touch(
            client.id,
            kind_named(args.kind),
            keep_in_touch_days=every,
            when=when,
            summary=" ".join(args.summary),
            intent=intent,
            duration_min=duration,
            follow_up_on=follow_up,
        )
    finally:
        db.close()
    print(touch_logged(client.label(), logged, every))
    return 0
