"""The whole book copied out (`backup`, `migrate-to`) and into another book, with the checks
around it."""

from __future__ import annotations

import argparse
import sys

from cockpit.cli.arguments import open_book


def dump_whole_book(args: argparse.Namespace, verb: str) -> tuple[bytes, dict]:
    """The book as a backup document, and how many rows of what it holds; refused (`verb`
    says what was asked) when this connection reads only part of a team book."""
    from cockpit.storage.backup import dump_book

    db = open_book(args)
    try:
        _refuse_partial_copy(db, verb)
        return dump_book()
    finally:
        db.close()


def _refuse_partial_copy(db, verb: str) -> None:
    """A team book is copied whole or not at all: a rep or a manager reads only part of it
    (a rep not another's sensitive answers, a manager not another's reviews)."""
    from cockpit.errors import CockpitError
    from cockpit.storage import book

    if not book.on_server():
        return
    from cockpit.storage.team import Powers, book_owner, powers

    held = powers(db)
    if held is not Powers.OWNER:
        owner = book_owner(db)
        why = (
            "a copy of the whole team's book is the owner's to make"
            if held is Powers.MANAGER
            else f"as {book.current_rep()} you may read only part of it (not other reps' "
            "sensitive answers or reviews), and a copy must hold all of it"
        )
        raise CockpitError(
            f"only {owner}, the role that owns this team book (or a superuser), can {verb}: "
            f"{why}; ask whoever connects as {owner}, or use pg_dump as that role"
        )


def restorable(path) -> int:
    """Whether `cockpit restore` would take the backup just written: a row written around
    Cockpit (psql, another program) may hold what no way in accepts. Said, with status 1."""
    from cockpit.cli.render.book import not_restorable
    from cockpit.errors import CockpitError
    from cockpit.storage.backup import read_backup

    try:
        read_backup(path)
    except CockpitError as error:
        print(not_restorable(error.message), file=sys.stderr)
        return 1
    return 0


def restore_into(target, data: bytes) -> dict:
    """Restore the backup `data` into the book at `target` through a private file, checked
    as `cockpit restore` checks one."""
    import tempfile
    from pathlib import Path

    from cockpit.exporters.atomic import write_file
    from cockpit.storage.backup import read_backup, restore
    from cockpit.storage.database import open_database

    with tempfile.TemporaryDirectory(prefix="cockpit-migrate-") as folder:
        copy = Path(folder) / "book.json"  # private (0600), gone when done
        write_file(copy, data, private=True)
        backup = read_backup(copy)
        db = open_database(target)
        try:
            return restore(backup, target.label)
        finally:
            db.close()
