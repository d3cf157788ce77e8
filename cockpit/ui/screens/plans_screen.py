"""A client's planned communications: add, change, mark done (logging the touch that kept
it, which `u` takes back for a while), remove."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static

from cockpit.dates import ago
from cockpit.storage import book
from cockpit.text import printable, safe_text
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.screens.dialog import list_dialog_css
from cockpit.ui.screens.list_dialog import ListDialog
from cockpit.ui.screens.plan_form import PlanForm, PlanValues
from cockpit.ui.undo import UndoesATouch
from cockpit.vocabulary import a_kind, period

if TYPE_CHECKING:
    from cockpit.storage.book import LoggedTouch


def plan_line(plan, today: date) -> Text:
    due = book.as_date(plan.next_due)
    line = Text(printable(plan.what), style="bold")
    how = f"{a_kind(plan.kind)} {period(plan.every, plan.unit)}"
    line.append(f"  {how} · next {due:%a} {due.day} {due:%b %Y}")
    line.append(f" ({ago(due, today)})", style="red" if due <= today else "dim")
    return line


class PlansScreen(UndoesATouch, ListDialog):
    """Dismissed with True when a plan was changed."""

    EMPTY = "No plans yet: a adds one."
    NONE_SELECTED = "No plan selected."
    DEFAULT_CSS = list_dialog_css("PlansScreen", 80)
    BINDINGS: ClassVar = [
        Binding("a", "add", "Add a plan"),
        Binding("e", "edit", "Change"),
        Binding("x", "done", "Done today"),
        Binding("u", "undo", "Undo done"),
        Binding("d,delete", "remove", "Remove"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, client_id: int, client_name: str, today: date) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_name = client_name
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(f"Planned communications with {self.client_name}", "bold"))
            yield Static(
                "Each due date shows in the weekly review until it is done; done logs the "
                "touch that kept it and moves it on one period from that day.",
                classes="hint",
            )
            yield OptionList(id="plans")
            yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.app.in_book(lambda: book.plans_of(self.client_id), self.show_rows)

    def row_line(self, row) -> Text:
        return plan_line(row, self.today)

    def action_add(self) -> None:
        def saved(values: PlanValues | None) -> None:
            if values is not None:
                self.app.in_book(
                    lambda: book.add_plan(
                        self.client_id,
                        values.what,
                        values.every,
                        values.unit,
                        values.next_due,
                        kind=values.kind,
                    ),
                    self.changed_then(f"Planned: {values.what}."),
                )

        self.app.push_screen(PlanForm(f"New plan with {self.client_name}", self.today), saved)

    def action_edit(self) -> None:
        plan = self.selected_row()
        if plan is None:
            return
        current = PlanValues(
            plan.what, plan.every, plan.unit, book.as_date(plan.next_due), plan.kind
        )

        def saved(values: PlanValues | None) -> None:
            if values is not None:
                self.app.in_book(
                    lambda: book.update_plan(
                        plan.id,
                        values.what,
                        values.every,
                        values.unit,
                        values.next_due,
                        values.kind,
                    ),
                    self.changed_then(f"Saved: {values.what}."),
                )

        self.app.push_screen(PlanForm("Change the plan", self.today, current), saved)

    def action_done(self) -> None:
        plan = self.selected_row()
        if plan is None:
            return

        def kept(logged: LoggedTouch) -> None:
            self.changed = True
            self.offer_undo(logged, self.done_message(logged))
            self.reload()

        self.app.in_book(lambda: book.keep_plan(plan.id, self.today), kept)

    def done_message(self, logged: LoggedTouch) -> str:
        due = logged.plan.due_after
        return (
            f"Done: {logged.plan.what}. Logged {a_kind(logged.interaction.kind)} with "
            f"{self.client_name}; next due {due:%a} {due.day} {due:%b %Y}."
        )

    def undone(self, message: str) -> None:
        self.changed_then(message)(None)

    def action_remove(self) -> None:
        plan = self.selected_row()
        if plan is None:
            return

        def answered(choice: str | None) -> None:
            if choice == "remove":
                self.app.in_book(
                    lambda: book.delete_plan(plan.id), self.changed_then(f"Removed: {plan.what}.")
                )

        self.app.push_screen(
            Confirm(f"Remove the plan {plan.what!r}?", [("remove", "Remove")]), answered
        )

    def action_close(self) -> None:
        self.dismiss(self.changed)


def done_in_review(review_id: int, item, today: date) -> tuple[object, list[LoggedTouch]]:
    """`d` on a weekly review's plan item, in one transaction: the touch that kept each of
    its plans is logged (`book.log_plan_touch`) with the answer, which moves them on.
    Returns the review's choice and the touches logged."""
    from cockpit.review import keeping
    from cockpit.vocabulary import ReviewStep

    with book.batch_writes():
        # A plan kept since the review began (x in the cockpit) is not kept twice.
        due = keeping.plans_to_keep(item, today)
        logged = [book.log_plan_touch(plan_id, today) for plan_id in due]
        choice = keeping.record(review_id, item, ReviewStep.DONE)
    return choice, [touch for touch in logged if touch is not None]


def open_plans(main, client_id: int, name: str) -> None:
    """The flow: the client's plans, over whichever screen is on top; the cockpit's
    main screen `main` reads the book again when a plan changed, and takes over the
    undo of a plan just marked done (for the rest of its time)."""
    from cockpit import clock

    if main.app.database is None:
        return
    screen = PlansScreen(client_id, name, clock.today())

    def closed(changed: bool | None) -> None:
        if changed:
            main.app.book_changed = True
            if main.app.screen is main:
                main.load_book(client_id)
                seconds = screen.undo_time_left()
                if seconds > 0:
                    message = screen.done_message(screen.undoable)
                    main.offer_undo(screen.undoable, message, seconds)

    main.app.push_screen(screen, closed)
