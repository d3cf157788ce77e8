"""Taking back the touch just logged: how long `u` may, and what it then says."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cockpit.vocabulary import KIND_INFO, Kind, a_kind

if TYPE_CHECKING:
    from cockpit.storage.book import LoggedTouch

UNDO_SECONDS = 15  # how long `u` can take back a touch just logged


def undone_message(logged: LoggedTouch) -> str:
    """What undoing `logged` did: the touch removed, and the plan it kept due again."""
    if logged.plan is None:
        return f"Removed the {KIND_INFO[Kind(logged.interaction.kind)].label.lower()} just logged."
    due = logged.plan.due_before
    return (
        f"Took back {a_kind(logged.interaction.kind)} just logged; {logged.plan.what} is due "
        f"{due:%a} {due.day} {due:%b %Y} again."
    )
