"""Communications to a segment of clients (`C` in the cockpit): a tier, an account or a tag,
each with how many it goes to today. `s` marks the highlighted one sent: the list of its
recipients opens all ticked, you untick those it did not go to, and a touch of its kind is
logged on each one left (`u` takes them all back in one step while the list is open)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, SelectionList, Static
from textual.widgets.selection_list import Selection

from cockpit.dates import ago
from cockpit.errors import ValidationError
from cockpit.text import counted, printable, safe_text
from cockpit.ui.screens.communication_form import CommunicationForm, CommunicationValues
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.screens.dialog import list_dialog_css
from cockpit.ui.screens.form_screen import FormScreen
from cockpit.ui.screens.list_dialog import ListDialog
from cockpit.ui.screens.plan_form import PlanValues
from cockpit.vocabulary import a_kind, period


def communication_line(listed, today: date) -> Text:
    """One communication: what, to whom (how many today), how, when next."""
    found, count = listed
    line = Text(printable(found.what), style="bold")
    line.append(printable(f"  to {found.segment.label} ({counted(count, 'client')})"))
    how = f"{a_kind(found.kind)} {period(found.every, found.unit)}"
    due = found.next_due
    line.append(f" · {how} · next {due:%a} {due.day} {due:%b %Y}")
    line.append(f" ({ago(due, today)})", style="red" if due <= today else "dim")
    return line


def read_communications(today: date, team: bool) -> list[tuple]:
    """The communications (yours, or the team's) with how many each goes to today."""
    from cockpit import segments
    from cockpit.storage import book

    reps = None if team else book.my_reps()
    ours = None if reps is None else book.clients_of(reps)
    return [
        (found, len(segments.recipients(found, today, ours)))
        for found in segments.communications_of(reps)
    ]


class SendList(FormScreen[list[int]]):
    """The recipients of a communication, all ticked: Space unticks one it did not go to;
    Ctrl+S marks it sent to the ticked ones."""

    DEFAULT_CSS = """
    SendList SelectionList {
        height: auto;
        max-height: 20;
        margin: 1 0 0 0;
    }
    """
    AUTO_FOCUS = "SelectionList"

    def __init__(self, found, recipients: list) -> None:
        super().__init__()
        self.found = found
        self.recipients = recipients

    def compose(self) -> ComposeResult:
        title = f"Mark sent: {self.found.what}, to {self.found.segment.label}"
        with Vertical():
            yield Static(safe_text(title, "bold"))
            yield Static(
                printable(
                    f"Logs {a_kind(self.found.kind)} today with each client ticked "
                    f"({counted(len(self.recipients), 'client')}). Space unticks one it did "
                    "not go to; Ctrl+S marks it sent."
                ),
                markup=False,
            )
            yield SelectionList[int](
                *(
                    Selection(
                        Text(printable(r.name + (f" ({r.company})" if r.company else ""))),
                        r.client_id,
                        True,
                    )
                    for r in self.recipients
                )
            )
            yield from self.form_end(save="Mark sent")

    def read(self) -> list[int]:
        ticked = list(self.query_one(SelectionList).selected)
        if not ticked:
            raise ValidationError("Nobody is ticked: Space ticks the clients it went to")
        return ticked


class CommunicationsScreen(ListDialog):
    """Dismissed with True when the book was changed."""

    NONE_SELECTED = "No communication selected."
    DEFAULT_CSS = list_dialog_css("CommunicationsScreen", 100)
    BINDINGS: ClassVar = [
        Binding("a", "add", "Add"),
        Binding("e,enter", "edit", "Change"),
        Binding("s", "send", "Mark sent"),
        Binding("u", "undo", "Undo sent"),
        Binding("d,delete", "remove", "Remove"),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, today: date, team: bool = False) -> None:
        super().__init__()
        self.today = today
        self.team = team
        self.sent = None  # the last one marked sent, which `u` takes back

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text("Communications to a segment of clients", "bold"))
            yield Static(
                "One message to many: every core client, everyone at an account, every "
                "client with a tag. Marking it sent logs a touch with each recipient.",
                classes="hint",
            )
            yield OptionList(id="communications")
            yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return self.sent is not None if action == "undo" else True

    def reload(self) -> None:
        today, team = self.today, self.team
        self.app.in_book(lambda: read_communications(today, team), self.show_rows)

    def row_line(self, row) -> Text:
        return communication_line(row, self.today)

    def row_id(self, row) -> str:
        return str(row[0].id)

    def selected_row(self):
        row = super().selected_row()
        return None if row is None else row[0]

    def _form(self, title: str, save, found=None) -> CommunicationForm:
        values = to = None
        if found is not None:
            values = PlanValues(found.what, found.every, found.unit, found.next_due, found.kind)
            to = found.segment.typed
        return CommunicationForm(title, self.today, save, values, to or "")

    def action_add(self) -> None:
        def save(values: CommunicationValues) -> CommunicationValues:
            from cockpit import segments
            from cockpit.storage import segment_communications as stored

            plan = values.plan
            segment = segments.read_segment(values.to)
            stored.add_communication(
                plan.what, plan.every, plan.unit, plan.next_due, segment, kind=plan.kind
            )
            return values

        def saved(values: CommunicationValues | None) -> None:
            if values is not None:
                self.changed_then(f"Planned: {values.plan.what}.")(None)

        self.app.push_screen(self._form("New communication to a segment", save), saved)

    def action_edit(self) -> None:
        found = self.selected_row()
        if found is None:
            return

        def save(values: CommunicationValues) -> CommunicationValues:
            from cockpit import segments
            from cockpit.storage import segment_communications as stored

            plan = values.plan
            segment = segments.read_segment(values.to)
            stored.update_communication(
                found.id, plan.what, plan.every, plan.unit, plan.next_due, segment, plan.kind
            )
            return values

        def saved(values: CommunicationValues | None) -> None:
            if values is not None:
                self.changed_then(f"Saved: {values.plan.what}.")(None)

        self.app.push_screen(self._form("Change the communication", save, found), saved)

    def action_send(self) -> None:
        found = self.selected_row()
        if found is None:
            return
        from cockpit import segments
        from cockpit.storage import book

        today, team = self.today, self.team

        def read() -> list:
            ours = None if team else book.clients_of(book.my_reps())
            return segments.recipients(found, today, ours)

        def opened(recipients: list) -> None:
            if not recipients:
                self.notify(
                    printable(f"{found.what} goes to nobody today ({found.segment.label})."),
                    severity="warning",
                    markup=False,
                )
                return
            self.app.push_screen(SendList(found, recipients), ticked_then)

        def ticked_then(ticked: list[int] | None) -> None:
            if ticked:
                self._send(found, ticked)

        self.app.read_then_open(read, opened)

    def _send(self, found, ticked: list[int]) -> None:
        from cockpit.storage import segment_communications as stored

        today = self.today

        def sent(done) -> None:
            self.sent = done
            self.changed = True
            self.app.refresh_bindings()
            due = done.due_after
            self.notify(
                printable(
                    f"Sent: {done.what}. Logged {a_kind(done.kind)} with "
                    f"{counted(len(done.touch_ids), 'client')}; next due {due:%a} {due.day} "
                    f"{due:%b %Y}. Press u to undo."
                ),
                markup=False,
            )
            self.reload()

        self.app.in_book(lambda: stored.mark_sent(found.id, ticked, today), sent)

    def action_undo(self) -> None:
        from cockpit.storage import segment_communications as stored

        done, self.sent = self.sent, None
        self.app.refresh_bindings()
        if done is None:
            return
        self.app.clear_notifications()
        self.app.in_book(
            lambda: stored.take_back(done),
            self.changed_then(
                f"Took back {done.what}: {counted(len(done.touch_ids), 'touch', 'touches')} "
                "removed; due again as before."
            ),
        )

    def action_remove(self) -> None:
        found = self.selected_row()
        if found is None:
            return
        from cockpit.storage import segment_communications as stored

        def answered(choice: str | None) -> None:
            if choice == "remove":
                self.app.in_book(
                    lambda: stored.delete_communication(found.id),
                    self.changed_then(f"Removed: {found.what}."),
                )

        self.app.push_screen(
            Confirm(
                printable(f"Remove the communication {found.what!r}? The touches it logged stay."),
                [("remove", "Remove")],
            ),
            answered,
        )

    def action_close(self) -> None:
        self.dismiss(self.changed)


def open_communications(main) -> None:
    """The communications, over the cockpit; it reads the book again when one changed."""
    from cockpit import clock

    if main.app.database is None:
        return

    def closed(changed: bool | None) -> None:
        if changed:
            main.app.book_changed = True
            if main.app.screen is main:
                main.load_book()

    main.app.push_screen(CommunicationsScreen(clock.today(), main.team_view), closed)
