"""What the parsed arguments name: the book, whose clients to show, a day."""

from __future__ import annotations

import argparse


def book_location(args: argparse.Namespace):
    from cockpit.storage.database import resolve_location

    return resolve_location(args.db, args.database_url)


def open_book(args: argparse.Namespace):
    from cockpit.storage.database import open_database

    return open_database(book_location(args))


def reps_shown(args: argparse.Namespace) -> list[str] | None:
    """Whose clients a command shows: None for the whole team."""
    from cockpit.storage.reps import my_reps

    return None if args.team else my_reps()


def day(text: str | None, option: str):
    """The day `option` gives (YYYY-MM-DD or a phrase), today when it is not given."""
    from datetime import date

    from cockpit import clock, phrases
    from cockpit.date_limits import OutsideKeptDates, check_day
    from cockpit.errors import UsageError, ValidationError

    if text is None:
        return clock.today()
    try:
        return check_day(date.fromisoformat(text.strip()))
    except ValueError:
        pass
    try:
        return phrases.parse_date(text, clock.today())
    except OutsideKeptDates:
        raise
    except ValidationError:
        raise UsageError(
            f"{option} {text!r} is not a date; use YYYY-MM-DD or a phrase such as next monday"
        ) from None
