"""The main screen's actions: each opens its flow (the form or question and the write,
kept beside its screen); a write runs in a worker, then the list, the row and the panes
are read again."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.widgets import Input

from cockpit.text import printable
from cockpit.ui.bindings import KEY_ACTIONS, show_help
from cockpit.ui.undo import UNDO_SECONDS, undone_message
from cockpit.ui.widgets.client_list import ClientList
from cockpit.ui.widgets.timeline_pane import TimelinePane

if TYPE_CHECKING:
    from cockpit import health
    from cockpit.client_view import OpenFollowUp
    from cockpit.search import Candidate
    from cockpit.storage import book


class MainActions:
    """Mixed into MainScreen: what its keys and the command palette do."""

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Cockpit keys act on the cockpit only: not over a form, a question or the
        # profile editor, and keys typed into a text field are text.
        if action not in KEY_ACTIONS:
            return True
        if action == "undo_log" and not self._can_undo():
            return False  # not in the footer either
        return self.app.screen is self and not isinstance(self.focused, Input)

    def selected_client(self) -> health.ClientHealth | None:
        """The client the list has selected; None (and a warning) without one."""
        selected = self.query_one(ClientList).selected
        if selected is None:
            self.notify("Select a client first.", severity="warning")
        return selected

    def selected_touch(self):
        """The touch the timeline has selected, with the client the list has selected;
        None (with a warning if no touch is) unless there are both."""
        entry = self.query_one(TimelinePane).selected_entry
        if entry is None:
            self.notify("Select a touch in the timeline first.", severity="warning")
        selected = self.query_one(ClientList).selected
        if entry is None or selected is None:
            return None
        return entry, selected

    def write(self, change: Callable[[], object], keep_client: int | None, done: str) -> None:
        """Make a change in a worker, say it is done, and read the book again, keeping
        `keep_client` selected (or the client whose id the change returned)."""

        def written(result: object) -> None:
            keep = keep_client
            if keep is None and isinstance(result, int):
                keep = result
            self.notify(printable(done), markup=False)
            self.load_book(keep)

        self.app.in_book(change, written)

    # Undoing the touch just logged -------------------------------------------

    def offer_undo(
        self, logged: book.LoggedTouch, message: str, seconds: float = UNDO_SECONDS
    ) -> None:
        self.undoable = logged
        self.undo_deadline = time.monotonic() + seconds
        self.app.refresh_bindings()
        self.set_timer(seconds + 0.1, self.app.refresh_bindings)
        self.notify(printable(f"{message} Press u to undo."), markup=False, timeout=seconds)

    def forget_undo_of(self, interaction_id: int) -> None:
        """A touch changed or removed by hand is no longer the one `u` would take back."""
        if self.undoable is not None and self.undoable.interaction.id == interaction_id:
            self.undoable = None
            self.app.refresh_bindings()

    def _can_undo(self) -> bool:
        return self.undoable is not None and time.monotonic() < self.undo_deadline

    def action_undo_too_late(self) -> None:
        if self.undoable is None:
            message = (
                f"Nothing to undo: u takes back a touch in the {UNDO_SECONDS} s after it is logged."
            )
        else:
            message = (
                f"Too late to undo: u takes back a touch only in the {UNDO_SECONDS} s after it "
                "is logged. To remove it now, select it in the timeline and press d."
            )
        self.notify(message, severity="warning")

    def on_screen_suspend(self) -> None:
        if self._can_undo():  # "press u to undo" is not true over another screen
            self.app.clear_notifications()

    def action_undo_log(self) -> None:
        from cockpit.storage import book

        logged, self.undoable = self.undoable, None
        self.app.refresh_bindings()
        if logged is None:
            return
        selected = self.query_one(ClientList).selected
        keep = selected.id if selected is not None else logged.client_id
        self.app.clear_notifications()  # the "press u to undo" one is no longer true
        self.write(lambda: book.undo_log(logged), keep, undone_message(logged))

    # The flows, each beside its screen ---------------------------------------

    def action_log_touch(
        self,
        client_id: int | None = None,
        on_logged: Callable[[book.LoggedTouch], None] | None = None,
        client: Candidate | None = None,
        follow_ups: Sequence[OpenFollowUp] = (),
        back_on_cockpit: bool = False,
    ) -> None:
        from cockpit.ui.screens.log_form import log_touch

        log_touch(self, client_id, on_logged, client, follow_ups, back_on_cockpit)

    def action_new_client(self) -> None:
        from cockpit.ui.screens.client_form import new_client

        new_client(self)

    def action_edit_client(self) -> None:
        from cockpit.ui.screens.client_form import edit_client

        edit_client(self)

    def action_remove_client(self) -> None:
        from cockpit.ui.screens.client_form import remove_client

        remove_client(self)

    def action_record_deal(self) -> None:
        from cockpit.ui.screens.deal_form import record_deal

        record_deal(self)

    def action_edit_touch(self) -> None:
        from cockpit.ui.screens.touch_form import edit_touch

        edit_touch(self)

    def action_delete_touch(self) -> None:
        from cockpit.ui.screens.touch_form import delete_touch

        delete_touch(self)

    def action_follow_up_done(self) -> None:
        from cockpit.ui.screens.touch_form import follow_up_done

        follow_up_done(self)

    def action_edit_profile(self) -> None:
        selected = self.selected_client()
        if selected is not None:
            self.open_profile_editor(selected.id, selected.name)

    def open_profile_editor(self, client_id: int, name: str) -> None:
        from cockpit.ui.screens.profile_editor import open_profile_editor

        open_profile_editor(self, client_id, name)

    def action_brief(self) -> None:
        selected = self.selected_client()
        if selected is not None:
            self.open_brief(selected.id)

    def open_brief(
        self,
        client_id: int,
        client: Candidate | None = None,
        on_logged: Callable[[book.LoggedTouch], None] | None = None,
    ) -> None:
        """The pre-call brief on a client, over whichever screen is on top; a call logged
        from it goes to `on_logged` too (`client`: one the list may not hold)."""
        from cockpit.ui.screens.brief_screen import open_brief

        open_brief(self, client_id, client, on_logged)

    def action_account_plan(self) -> None:
        """The account plan the selected client's work goes by (their account's, or their
        own when they are at no account)."""
        selected = self.selected_client()
        if selected is not None:
            self.open_account_plan(client_id=selected.id)

    def open_account_plan(self, **whose: int | None) -> None:
        """An account plan over whichever screen is on top: `account_id`, `client_id` or
        `plan_id` names it (see `account_plan_screen.read_plan`)."""
        from cockpit.ui.screens.account_plan_screen import open_account_plan

        open_account_plan(self, **whose)

    def action_portfolio(self) -> None:
        """Where the time went against where the revenue came from (yours, or the team's)."""
        from cockpit.ui.screens.portfolio_screen import open_portfolio

        open_portfolio(self)

    def action_communications(self) -> None:
        """Communications to a segment of clients: a tier, an account, a tag."""
        from cockpit.ui.screens.communications_screen import open_communications

        open_communications(self)

    def action_plans(self) -> None:
        selected = self.selected_client()
        if selected is not None:
            self.open_plans(selected.id, selected.name)

    def open_plans(self, client_id: int, name: str) -> None:
        from cockpit.ui.screens.plans_screen import open_plans

        open_plans(self, client_id, name)

    def action_accounts(self) -> None:
        """The list of accounts instead of clients, on the selected person's account; a
        person picked there comes back selected in the client list."""
        from cockpit.ui.screens.accounts_screen import open_accounts

        selected = self.query_one(ClientList).selected
        open_accounts(self, self.today, selected.id if selected else None, self.show_person)

    def show_person(self, client_id: int | None) -> None:
        """Select a client in the list (the filter cleared if it hides them)."""
        if client_id is None:
            return
        if client_id not in self.by_id:
            self.notify(
                "That person is not in your list (another rep's, or archived): t shows the "
                "team's clients.",
                severity="warning",
                markup=False,
            )
            return
        self.action_clear_filter()
        self._apply(keep_client=client_id)

    def action_weekly_review(self, again: bool = False) -> None:
        from cockpit.ui.screens.review_flow import weekly_review

        weekly_review(self, again)

    def action_import_file(self) -> None:
        from cockpit.ui.screens.import_screen import import_file

        import_file(self)

    async def action_quit(self) -> None:
        await self.app.action_quit()

    def action_help(self) -> None:
        show_help(self.app)
