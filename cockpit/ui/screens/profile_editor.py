"""The Mackay 66 editor: every item of the schema, built from the schema.

Sections on the left with their completeness; the items of all sections on
the right, one scrolling form, so nothing typed in one section is lost by
going to another. Ctrl+S checks every field and saves all of them in one
transaction, or saves nothing and shows the message at the field.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from typing import ClassVar

from peewee import DatabaseError as PeeweeDatabaseError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from cockpit.date_limits import check_past_date
from cockpit.errors import CockpitError, ValidationError
from cockpit.partial_date import PartialDate
from cockpit.profile.document import answered_items
from cockpit.profile.schema import SECTIONS, Field, FieldType, items_in_section
from cockpit.text import printable, safe_text
from cockpit.ui.screens.confirm import Confirm

Answers = dict[str, str | list[dict[str, str]]]
DATE_HINT = "e.g. 15 April, April 15 1975, 1975-04-15, --04-15"
LIST_ROWS = 4  # rows shown for a list field; an empty row is not saved


def _field_id(key: str, row: int | None = None, column: str | None = None) -> str:
    return f"f-{key}" if row is None else f"f-{key}-{row}-{column}"


class ProfileEditor(Screen[bool]):
    """Dismisses with True when something was saved."""

    DEFAULT_CSS = """
    ProfileEditor #sections {
        width: 34;
        height: 1fr;
    }
    ProfileEditor #fields {
        height: 1fr;
        padding: 0 2;
    }
    ProfileEditor .item-title {
        margin-top: 1;
        text-style: bold;
    }
    ProfileEditor .section-title {
        margin-top: 1;
        text-style: bold reverse;
    }
    ProfileEditor .field-label {
        color: $text-muted;
    }
    ProfileEditor .sensitive {
        color: $warning;
    }
    ProfileEditor .field-error {
        color: $error;
        display: none;
    }
    ProfileEditor TextArea {
        height: 4;
    }
    ProfileEditor .list-row {
        height: auto;
    }
    ProfileEditor .list-row Input {
        width: 1fr;
    }
    ProfileEditor #editor-title {
        padding: 0 1;
        background: $primary 30%;
    }
    """
    AUTO_FOCUS = "#f-name"  # the first field: typing starts at once
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "leave", "Leave"),
        Binding("ctrl+down", "next_section", "Next section", priority=True),
        Binding("ctrl+up", "previous_section", "Previous section", priority=True),
        Binding("ctrl+l", "log_touch", "Log a touch", priority=True),
    ]

    def __init__(
        self,
        client_name: str,
        answers: Answers,
        today: date,
        store: Callable[[Answers], None] | None = None,
        log_touch: Callable[[], None] | None = None,
    ) -> None:
        """`store(changes)` writes the changed fields; it runs in a worker, and the
        editor closes only once it succeeded. `log_touch()` opens the quick log for
        this client over the editor."""
        super().__init__()
        self.log_touch = log_touch
        self.client_name = client_name
        self.answers = answers
        self.today = today
        self.store = store
        self.saved: Answers | None = None
        self.initial: dict[str, object] = {}

    def on_mount(self) -> None:
        # What each field shows at first, to save only what the user changed: a
        # stored value the form cannot show exactly is then never rewritten.
        self.initial = {key: self._value(field) for key, field in self._fields()}

    @staticmethod
    def _fields():
        for section in SECTIONS:
            for item in items_in_section(section):
                for field in item.fields:
                    yield field.key, field

    def compose(self) -> ComposeResult:
        yield Static(
            safe_text(f"Mackay 66 profile of {self.client_name}", "bold"), id="editor-title"
        )
        with Horizontal():
            yield OptionList(*self._section_options(self.answers), id="sections")
            with VerticalScroll(id="fields", can_focus=False):
                for section in SECTIONS:
                    yield Static(section, classes="section-title", id=_section_id(section))
                    for item in items_in_section(section):
                        yield Label(f"{item.number}. {item.title}", classes="item-title")
                        for field in item.fields:
                            yield from self._field_widgets(field)
                yield Static("", id="save-error", classes="field-error")
                with Horizontal(classes="list-row"):
                    yield Button("Save (Ctrl+S)", id="save", variant="primary")
                    yield Button("Leave (Esc)", id="leave")
        yield Footer()

    def _section_options(self, answers: Answers) -> list[Option]:
        done = answered_items(answers)
        return [
            Option(
                f"{section} {sum(1 for i in items_in_section(section) if i.number in done)}"
                f"/{len(items_in_section(section))}",
                id=_section_id(section),
            )
            for section in SECTIONS
        ]

    def _field_widgets(self, field: Field):
        label = field.label + ("  🔒 sensitive" if field.sensitive else "")
        yield Label(label, classes="field-label sensitive" if field.sensitive else "field-label")
        value = self.answers.get(field.key)
        field_id = _field_id(field.key)
        if field.type is FieldType.MULTILINE:
            yield TextArea(printable(str(value or ""), multiline=True, tabs=True), id=field_id)
        elif field.type in (FieldType.YESNO, FieldType.CHOICE):
            options = ("yes", "no") if field.type is FieldType.YESNO else field.options
            if value and value not in options:
                options = (*options, str(value))  # stored by an older version: kept
            # A label string would be read as markup: the stored one is user data.
            yield Select(
                [(safe_text(option), option) for option in options],
                value=value if value in options else Select.NULL,
                prompt="(not answered)",
                id=field_id,
            )
        elif field.type is FieldType.LIST:
            rows = list(value or [])
            for row in range(max(LIST_ROWS, len(rows) + 1)):
                yield _list_row(field, row, rows[row] if row < len(rows) else {})
            yield Button(
                f"+ a row of {field.label.lower()}", id=f"add-{field.key}", classes="add-row"
            )
        else:
            placeholder = DATE_HINT if field.type is FieldType.DATE else field.help
            yield Input(printable(str(value or "")), placeholder=placeholder, id=field_id)
        yield Static("", classes="field-error", id=f"{field_id}-error")

    # Reading the form back -------------------------------------------------

    def _list_rows(self, field: Field, with_positions: bool = False) -> list[dict]:
        rows = []
        row = 0
        while True:
            inputs = {
                column.key: self.query(f"#{_field_id(field.key, row, column.key)}")
                for column in field.columns
            }
            if not all(inputs.values()):
                return rows
            cells = {key: found.first(Input).value.strip() for key, found in inputs.items()}
            if any(cells.values()):
                kept: dict = {key: text for key, text in cells.items() if text}
                if with_positions:
                    kept["_row"] = row  # which inputs, for messages at the cell
                rows.append(kept)
            row += 1

    def _value(self, field: Field, with_positions: bool = False) -> str | list[dict]:
        field_id = f"#{_field_id(field.key)}"
        if field.type is FieldType.LIST:
            return self._list_rows(field, with_positions)
        if field.type is FieldType.MULTILINE:
            return self.query_one(field_id, TextArea).text.strip()
        if field.type in (FieldType.YESNO, FieldType.CHOICE):
            selected = self.query_one(field_id, Select).value
            return "" if selected is Select.NULL else str(selected)
        return self.query_one(field_id, Input).value.strip()

    def collect(self) -> tuple[Answers, list[tuple[str, str, str]]]:
        """The changed fields, in their stored form, and the errors found:
        (field id for the message, widget id to focus, message)."""
        changes: Answers = {}
        errors: list[tuple[str, str, str]] = []
        for key, field in self._fields():
            value = self._value(field)
            if value == self.initial.get(key):
                continue
            if field.type is FieldType.LIST:
                checked, cell_errors = _checked_rows(field, self._value(field, True), self.today)
                errors.extend((_field_id(key), cell, message) for cell, message in cell_errors)
                changes[key] = checked
                continue
            try:
                changes[key] = _checked(field, value, self.today)
            except ValidationError as error:
                errors.append((_field_id(key), _field_id(key), f"{field.label}: {error.message}"))
        return changes, errors

    @property
    def changed(self) -> bool:
        return any(self._value(field) != self.initial.get(key) for key, field in self._fields())

    # Actions ---------------------------------------------------------------

    def action_save(self) -> None:
        for shown in self.query(".field-error"):
            shown.display = False
        changes, errors = self.collect()
        if errors:
            messages: dict[str, list[str]] = {}
            for field_id, _focus, message in errors:
                messages.setdefault(field_id, []).append(message)
            for field_id, lines in messages.items():
                notice = self.query_one(f"#{field_id}-error", Static)
                notice.update(safe_text("\n".join(lines), multiline=True))
                notice.display = True
            first = self.query_one(f"#{errors[0][1]}")
            first.focus()
            self.call_after_refresh(self.query_one("#fields").scroll_to_widget, first)
            self._say(f"Nothing was saved: {len(errors)} value(s) to correct.")
            return  # everything typed stays as it is
        if not changes:
            self.dismiss(False)
            return
        self.saved = changes
        if self.store is None:
            self.dismiss(True)
        else:
            self._store(changes)

    def _say(self, message: str) -> None:
        summary = self.query_one("#save-error", Static)
        summary.update(safe_text(message))
        summary.display = True

    @work(thread=True, exclusive=True, group="profile-save", exit_on_error=False)
    def _store(self, changes: Answers) -> None:
        try:
            self.store(changes)
        except (CockpitError, PeeweeDatabaseError, sqlite3.Error) as error:
            message = error.message if isinstance(error, CockpitError) else str(error)
            self.app.call_from_thread(self._save_failed, message)
        else:
            self.app.call_from_thread(self.dismiss, True)

    def _save_failed(self, message: str) -> None:
        text = printable(f"Nothing was saved: {message}")
        self._say(text)
        self.app.notify(text, severity="error", markup=False)

    def action_log_touch(self) -> None:
        if self.log_touch is not None:
            self.log_touch()

    def action_leave(self) -> None:
        if not self.changed:
            self.dismiss(False)
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.action_save()
            elif choice == "discard":
                self.dismiss(False)

        self.app.push_screen(
            Confirm(
                "You have unsaved changes in this profile.",
                [("save", "Save"), ("discard", "Discard")],
            ),
            answered,
        )

    def _current_section(self) -> int:
        """The section of the focused field (else the one highlighted on the left)."""
        fields = self.query_one("#fields", VerticalScroll)
        widget = self.focused
        while widget is not None and widget.parent is not fields:
            widget = widget.parent
        if widget is None:
            return self.query_one("#sections", OptionList).highlighted or 0
        children = list(fields.children)
        current = 0
        for index, section in enumerate(SECTIONS):
            heading = self.query_one(f"#{_section_id(section)}")
            if children.index(heading) <= children.index(widget):
                current = index
        return current

    def _jump(self, step: int) -> None:
        index = (self._current_section() + step) % len(SECTIONS)
        self.query_one("#sections", OptionList).highlighted = index
        self._show_section(SECTIONS[index])

    def action_next_section(self) -> None:
        self._jump(1)

    def action_previous_section(self) -> None:
        self._jump(-1)

    def _show_section(self, section: str) -> None:
        heading = self.query_one(f"#{_section_id(section)}", Static)
        self.query_one("#fields", VerticalScroll).scroll_to_widget(heading, top=True, animate=False)
        siblings = list(heading.parent.children)
        for widget in siblings[siblings.index(heading) + 1 :]:
            target = widget if widget.focusable else None
            if target is None:
                target = next(iter(widget.query("Input, Select, TextArea")), None)
            if target is not None:
                target.focus(scroll_visible=False)
                return

    @on(OptionList.OptionSelected, "#sections")
    def _section_chosen(self, event: OptionList.OptionSelected) -> None:
        self._show_section(SECTIONS[event.option_index])

    @on(Button.Pressed, ".add-row")
    async def _add_row(self, event: Button.Pressed) -> None:
        key = event.button.id.removeprefix("add-")
        field = dict(self._fields())[key]
        first_column = field.columns[0].key
        rows = sum(
            1
            for w in self.query(Input)
            if (w.id or "").startswith(f"f-{key}-") and w.id.endswith(f"-{first_column}")
        )
        new_row = _list_row(field, rows, {})
        await self.query_one("#fields").mount(new_row, before=event.button)
        new_row.query(Input).first().focus()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#leave")
    def _leave_pressed(self) -> None:
        self.action_leave()


def _list_row(field: Field, row: int, cells: dict[str, str]) -> Horizontal:
    """One row of a list field: an input per column."""
    inputs = []
    for column in field.columns:
        placeholder = column.label + (f" ({DATE_HINT})" if column.type is FieldType.DATE else "")
        inputs.append(
            Input(
                printable(cells.get(column.key, "")),
                placeholder=placeholder,
                id=_field_id(field.key, row, column.key),
            )
        )
    return Horizontal(*inputs, classes="list-row")


def _section_id(section: str) -> str:
    return "s-" + section.lower().replace(" ", "-")


def _profile_date(text: str, today: date) -> str:
    """A date typed into the profile, in stored form: a calendar date, not in the future."""
    return check_past_date(PartialDate.parse(text), today).iso()


def _checked_rows(field: Field, rows: list[dict], today: date):
    """A list field's rows with dates in stored form, and errors by cell widget id."""
    date_columns = {c.key: c.label for c in field.columns if c.type is FieldType.DATE}
    checked, errors = [], []
    for number, row in enumerate(rows, start=1):
        cells = {}
        for key, text in row.items():
            if key == "_row":
                continue
            if key in date_columns:
                try:
                    text = _profile_date(text, today)
                except ValidationError as error:
                    where = f"{field.label}, row {number}, {date_columns[key]}: "
                    cell = _field_id(field.key, row["_row"], key)
                    errors.append((cell, where + error.message))
            cells[key] = text
        checked.append(cells)
    return checked, errors


def _checked(field: Field, value, today: date):
    """A field's value as it is stored; raises ValidationError with what is wrong."""
    if field.type is FieldType.LIST:
        date_columns = {c.key for c in field.columns if c.type is FieldType.DATE}
        checked = []
        for row in value:
            checked.append(
                {
                    key: _profile_date(text, today) if key in date_columns else text
                    for key, text in row.items()
                }
            )
        return checked
    if field.type is FieldType.DATE and value:
        return _profile_date(value, today)
    return value
