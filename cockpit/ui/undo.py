"""Taking back the touch just logged: how long `u` may, and what it then says."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from cockpit.text import printable
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


class UndoesATouch:
    """For a screen that logs a touch (a plan kept, an action done) and lets `u` take it
    back for UNDO_SECONDS: `offer_undo` after logging; `undone(message)` is called once
    the touch is taken back. The screen binds `u` to `undo`."""

    undoable: LoggedTouch | None = None
    undo_deadline = 0.0

    def offer_undo(self, logged: LoggedTouch, message: str) -> None:
        self.undoable = logged
        self.undo_deadline = time.monotonic() + UNDO_SECONDS
        self.app.refresh_bindings()
        self.set_timer(UNDO_SECONDS + 0.1, self.app.refresh_bindings)
        self.notify(printable(f"{message} Press u to undo."), markup=False, timeout=UNDO_SECONDS)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return self.undo_time_left() > 0 if action == "undo" else True

    def undo_time_left(self) -> float:
        """The seconds `u` can still take back the touch just logged (0: none)."""
        if self.undoable is None:
            return 0.0
        return max(self.undo_deadline - time.monotonic(), 0.0)

    def action_undo(self) -> None:
        from cockpit.storage import book

        logged, self.undoable = self.undoable, None
        self.app.refresh_bindings()
        if logged is None:
            return
        self.app.clear_notifications()  # the "press u to undo" one is no longer true
        message = undone_message(logged)
        self.app.in_book(lambda: book.undo_log(logged), lambda _: self.undone(message))

    def undone(self, message: str) -> None:
        raise NotImplementedError
