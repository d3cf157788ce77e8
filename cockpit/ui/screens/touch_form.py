"""Editing one interaction of the timeline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from cockpit import clock, validation
from cockpit.errors import ValidationError
from cockpit.fields import TouchFields
from cockpit.text import printable, safe_text
from cockpit.ui.screens.form_screen import FormScreen
from cockpit.ui.widgets.date_field import DateField, MomentField
from cockpit.ui.widgets.phrase_field import with_preview
from cockpit.vocabulary import KIND_INFO, Intent, Kind


class TouchForm(FormScreen[TouchFields]):
    DEFAULT_CSS = """
    TouchForm TextArea {
        height: 5;
    }
    """
    AUTO_FOCUS = "#summary"

    def __init__(self, values: TouchFields) -> None:
        super().__init__()
        self.values = values
        self.now = clock.now_local()

    def compose(self) -> ComposeResult:
        v = self.values
        with VerticalScroll():
            yield Static(safe_text("Edit the touch", "bold"))
            yield Label("Kind")
            yield Select(
                [(KIND_INFO[kind].label, kind.value) for kind in Kind],
                value=v.kind,
                allow_blank=False,
                id="kind",
            )
            yield Label("Intent")
            yield Select(
                [("Relationship (a give)", Intent.RELATIONSHIP.value), ("Sales (an ask)", "sales")],
                value=v.intent,
                allow_blank=False,
                id="intent",
            )
            yield Label("When (your time: 2026-11-20 10:00, yesterday 16:00, friday 9am)")
            yield from with_preview(
                MomentField(v.when, self.now, past=False, label="When", id="when")
            )
            yield Label("Minutes")
            yield Input(str(v.duration_min), id="duration")
            yield Label("Summary")
            yield TextArea(printable(v.summary, multiline=True, tabs=True), id="summary")
            yield Label("Follow up on (a date or a phrase: next friday, in 2 weeks)")
            yield from with_preview(
                DateField(v.follow_up_on, self.now.date(), label="Follow up on", id="follow_up")
            )
            yield from self.form_end()

    def read(self) -> TouchFields:
        when = self.query_one("#when", MomentField).read()
        if when is None:
            raise ValidationError("When: give a date and time, such as yesterday 16:00")
        if when == self.values.when.replace(second=0, microsecond=0):
            when = self.values.when  # unchanged: keep the seconds the form does not show
        duration_text = self.query_one("#duration", Input).value.strip()
        if not (duration_text.isascii() and duration_text.isdigit()):
            raise ValidationError("Minutes: a whole number, such as 15")
        values = TouchFields(
            kind=str(self.query_one("#kind", Select).value),
            intent=str(self.query_one("#intent", Select).value),
            when=when,
            duration_min=int(duration_text),
            summary=self.query_one("#summary", TextArea).text,
            follow_up_on=self.query_one("#follow_up", DateField).read(),
        )
        validation.interaction_row(0, **values.as_keywords())  # the same checks as saving
        return values


# The flows on the touch the timeline has selected. `main` is the cockpit's main screen.


def edit_touch(main) -> None:
    from cockpit.storage import book

    chosen = main.selected_touch()
    if chosen is None:
        return
    entry, selected = chosen

    def saved(changed: TouchFields | None) -> None:
        if changed is not None:
            main.forget_undo_of(entry.id)
            main.write(
                lambda: book.update_interaction(entry.id, changed), selected.id, "Saved the touch."
            )

    main.app.push_screen(TouchForm(TouchFields.of(entry)), saved)


def delete_touch(main) -> None:
    from cockpit.storage import book
    from cockpit.ui.screens.confirm import Confirm

    chosen = main.selected_touch()
    if chosen is None:
        return
    entry, selected = chosen

    def answered(choice: str | None) -> None:
        if choice == "delete":
            main.forget_undo_of(entry.id)
            change = lambda: book.delete_interaction(entry.id)  # noqa: E731
            main.write(change, selected.id, "Deleted the touch.")

    question = f"Delete this {entry.label.lower()} of {entry.day.isoformat()}?"
    main.app.push_screen(Confirm(question, [("delete", "Delete")]), answered)


def follow_up_done(main) -> None:
    from cockpit.storage import book

    chosen = main.selected_touch()
    if chosen is None:
        return
    entry, selected = chosen
    if entry.follow_up_on is None:
        main.notify("This touch has no follow-up.", severity="warning")
        return
    done = not entry.follow_up_done
    message = "Follow-up done." if done else "Follow-up open again."
    main.write(lambda: book.set_follow_up_done(entry.id, done), selected.id, message)
