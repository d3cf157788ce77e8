"""`cockpit clients` and `cockpit deal`: finding clients, and recording a won deal."""

from __future__ import annotations

import argparse

from cockpit.cli.arguments import day, open_book, reps_shown
from cockpit.cli.options import (
    add_client_argument,
    add_command,
    add_database_options,
    add_free_text,
    add_json_flag,
    add_view_options,
)


def register(commands: argparse._SubParsersAction) -> None:
    clients = add_command(
        commands,
        "clients",
        run_clients,
        help="list clients, or those matching a search",
        description=(
            "List the clients the list's / filter shows for QUERY (every word must appear in "
            "the name or company; case and accents do not matter), with health, tier and "
            "last touch; with --tag, only those carrying the tag. Archived clients are left "
            "out."
        ),
    )
    clients.add_argument("query", nargs="?", default="", metavar="QUERY")
    clients.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="only the clients tagged TAG (any case and accents); again for several, all apply",
    )
    add_view_options(clients)
    add_json_flag(clients)
    add_database_options(clients)

    deal = add_command(
        commands,
        "deal",
        run_deal,
        help="record a won deal",
        description=(
            "Record a won deal. CLIENT is #ID, an exact name, or a unique match on name or "
            "company; if it names no client or several, nothing is written and the closest "
            "candidates are listed."
        ),
    )
    add_client_argument(deal)
    deal.add_argument("amount", metavar="AMOUNT", help="e.g. 12000 or 12,000.50")
    add_free_text(deal, "note", "NOTE", "what was won (also after the options)")
    deal.add_argument("--currency", metavar="CODE", help="default: your home currency")
    deal.add_argument("--on", metavar="YYYY-MM-DD", help="the day it was won (default: today)")
    deal.add_argument(
        "--renews-on", metavar="YYYY-MM-DD", help="a contract: the day it comes up for renewal"
    )
    deal.add_argument(
        "--term",
        metavar="TERM",
        help="a contract's term (12m, 24 months, 1y): it renews every term, from --renews-on "
        "or else from the day it was won",
    )
    add_database_options(deal)


def run_clients(args: argparse.Namespace) -> int:
    from cockpit import clock
    from cockpit.cli.render import clients as render
    from cockpit.health_cache import cached_compute
    from cockpit.search import matching
    from cockpit.storage import book

    today = clock.today()
    db = open_book(args)
    try:
        found = matching(args.query, book.client_candidates(holding=args.query))
        for tag in args.tag:
            tagged = set(book.clients_tagged(tag))
            found = [candidate for candidate in found if candidate.id in tagged]
        reps = reps_shown(args)
        if reps is not None:
            ours = book.clients_of(reps)
            found = [candidate for candidate in found if candidate.id in ours]
        verdicts = cached_compute(today, only=[candidate.id for candidate in found])
        tags = book.tags_by_client([candidate.id for candidate in found]) if args.json else {}
    finally:
        db.close()
    results = {r.id: r for r in verdicts}
    shown = [results[candidate.id] for candidate in found if candidate.id in results]
    if args.json:
        print(render.as_json(shown, tags))
    elif shown:
        print(render.as_table(shown, today))
    else:
        print(render.none_found(args.query, team=args.team, tags=args.tag))
    return 0


def run_deal(args: argparse.Namespace) -> int:
    from cockpit.cli.render.clients import deal_recorded
    from cockpit.errors import UsageError, ValidationError
    from cockpit.resolve import resolve_client
    from cockpit.storage import book
    from cockpit.validation import term_of

    won_on = day(args.on, "--on")
    renews_on = day(args.renews_on, "--renews-on") if args.renews_on else None
    try:
        term = term_of(args.term) if args.term else None
    except ValidationError as error:
        raise UsageError(error.message) from None
    db = open_book(args)
    try:
        client = resolve_client(args.client)
        recorded = book.record_deal(
            client.id,
            args.amount,
            currency=args.currency,
            won_on=won_on,
            description=" ".join(args.note),
            renews_on=renews_on,
            term_months=term,
        )
    finally:
        db.close()
    print(deal_recorded(client.label(), recorded.deal, made_active=recorded.made_active))
    return 0
