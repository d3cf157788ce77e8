"""Erasing a client's profile answers for good: the rows, and on a SQLite book the space they
took in the file, so the text cannot be read back from it."""

from __future__ import annotations

from pathlib import Path

from cockpit.storage.database import DatabaseLocation, erase_free_pages
from cockpit.storage.import_ledger import forget_profile_copies
from cockpit.storage.notes_index import drop_forgotten_words
from cockpit.storage.profile_answers import forget_profile


def forget_profile_for_good(db, client_id: int, location: DatabaseLocation) -> int:
    """Delete the client's answers, the copies the import ledger kept to put back on an
    undo, and their words in the notes index; returns how many answers went."""
    with db.atomic():
        erased = forget_profile(client_id)
        forget_profile_copies(client_id)
        drop_forgotten_words(db)
    if not location.is_server:
        erase_free_pages(db)
    return erased


def upgrade_backups(location: DatabaseLocation) -> list[Path]:
    """The copies of a SQLite book made beside it before schema upgrades: they still hold
    what was erased since."""
    return sorted(location.path.parent.glob(f"{location.path.name}.schema-v*.bak"))
