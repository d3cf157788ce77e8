"""`cockpit tag`, `untag` and `tags`: a client's tags from the shell, and every tag of the
book with how many clients carry it."""

from __future__ import annotations

import argparse

from cockpit.cli.arguments import open_book
from cockpit.cli.options import (
    add_client_argument,
    add_command,
    add_database_options,
    add_flag,
    add_json_flag,
)

TAGS_HELP = 'tags, each a word or quoted ("key account"); commas separate tags too'


def register(commands: argparse._SubParsersAction) -> None:
    changes = (
        (
            "tag",
            run_tag,
            "add tags to a client",
            'Add tags to a client (`cockpit tag ann golf "key account"`); a tag it has '
            "already, in any case, stays as it is. CLIENT is #ID, an exact name, or a unique "
            "match on name or company. A tag is 1 to 40 characters, without a comma.",
        ),
        (
            "untag",
            run_untag,
            "take tags off a client",
            "Take tags off a client (any case, any accents). CLIENT is #ID, an exact name, "
            "or a unique match on name or company.",
        ),
    )
    for name, run, summary, description in changes:
        change = add_command(commands, name, run, help=summary, description=description)
        add_client_argument(change)
        change.add_argument("tags", nargs="+", metavar="TAG", help=TAGS_HELP)
        add_database_options(change)

    tags = add_command(
        commands,
        "tags",
        run_tags,
        help="every tag, with how many clients carry it",
        description=(
            "Every tag of the book's clients, with how many carry it (archived clients only "
            "with --all). `cockpit clients --tag TAG` lists them."
        ),
    )
    add_flag(tags, "--all", "count archived clients too")
    add_json_flag(tags)
    add_database_options(tags)


def _typed(args: argparse.Namespace) -> list[str]:
    from cockpit.validation import split_tags

    return [tag for typed in args.tags for tag in split_tags(typed)]


def run_tag(args: argparse.Namespace) -> int:
    from cockpit.cli.render.tags import tagged
    from cockpit.storage import book

    return _change_tags(args, book.add_tags, tagged)


def run_untag(args: argparse.Namespace) -> int:
    from cockpit.cli.render.tags import untagged
    from cockpit.storage import book

    return _change_tags(args, book.remove_tags, untagged)


def _change_tags(args: argparse.Namespace, change, said) -> int:
    """`change(client id, tags)` on the client named, which returns the tags it added or
    took off; `said(client, those, its tags now)` is printed."""
    from cockpit.resolve import resolve_client
    from cockpit.storage import book

    db = open_book(args)
    try:
        client = resolve_client(args.client)
        changed = change(client.id, _typed(args))
        now = book.tags_of(client.id)
    finally:
        db.close()
    print(said(client.label(), changed, now))
    return 0


def run_tags(args: argparse.Namespace) -> int:
    from cockpit.cli.render import tags as render
    from cockpit.storage import book

    db = open_book(args)
    try:
        counts = book.tag_counts(include_archived=args.all)
    finally:
        db.close()
    print(render.as_json(counts) if args.json else render.as_table(counts))
    return 0
