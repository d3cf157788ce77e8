"""The Mackay 66 editor: every item of the schema, built from the schema.

Sections on the left with their completeness; the items of all sections on
the right, one scrolling form, so nothing typed in one section is lost by
going to another. Ctrl+S checks every field and saves all of them in one
transaction, or saves nothing and shows the message at the field.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from cockpit.errors import ValidationError
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
    ]

    def __init__(self, client_name: str, answers: Answers, today: date) -> None:
        super().__init__()
        self.client_name = client_name
        self.answers = answers
        self.today = today
        self.saved: Answers | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            safe_text(f"Mackay 66 profile of {self.client_name}", "bold"), id="editor-title"
        )
        with Horizontal():
            yield OptionList(*self._section_options(self.answers), id="sections")
            with VerticalScroll(id="fields"):
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
            yield TextArea(printable(str(value or ""), multiline=True), id=field_id)
        elif field.type in (FieldType.YESNO, FieldType.CHOICE):
            options = ("yes", "no") if field.type is FieldType.YESNO else field.options
            yield Select(
                [(option, option) for option in options],
                value=value if value in options else Select.NULL,
                prompt="(not answered)",
                id=field_id,
            )
        elif field.type is FieldType.LIST:
            rows = list(value or [])
            for row in range(max(LIST_ROWS, len(rows) + 1)):
                cells = rows[row] if row < len(rows) else {}
                with Horizontal(classes="list-row"):
                    for column in field.columns:
                        placeholder = column.label + (
                            f" ({DATE_HINT})" if column.type is FieldType.DATE else ""
                        )
                        yield Input(
                            printable(cells.get(column.key, "")),
                            placeholder=placeholder,
                            id=_field_id(field.key, row, column.key),
                        )
        else:
            placeholder = DATE_HINT if field.type is FieldType.DATE else field.help
            yield Input(printable(str(value or "")), placeholder=placeholder, id=field_id)
        yield Static("", classes="field-error", id=f"{field_id}-error")

    # Reading the form back -------------------------------------------------

    def _list_rows(self, field: Field) -> list[dict[str, str]]:
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
                rows.append({key: text for key, text in cells.items() if text})
            row += 1

    def _value(self, field: Field) -> str | list[dict[str, str]]:
        field_id = f"#{_field_id(field.key)}"
        if field.type is FieldType.LIST:
            return self._list_rows(field)
        if field.type is FieldType.MULTILINE:
            return self.query_one(field_id, TextArea).text.strip()
        if field.type in (FieldType.YESNO, FieldType.CHOICE):
            selected = self.query_one(field_id, Select).value
            return "" if selected is Select.NULL else str(selected)
        return self.query_one(field_id, Input).value.strip()

    def collect(self) -> tuple[Answers, list[tuple[str, str]]]:
        """Every field's value, dates in their stored form, and the errors by field id."""
        answers: Answers = {}
        errors: list[tuple[str, str]] = []
        for section in SECTIONS:
            for item in items_in_section(section):
                for field in item.fields:
                    value = self._value(field)
                    try:
                        answers[field.key] = _checked(field, value)
                    except ValidationError as error:
                        errors.append((_field_id(field.key), f"{field.label}: {error.message}"))
                        answers[field.key] = value
        return answers, errors

    def _stored_form(self) -> Answers:
        """What is stored, in the form `collect` gives, to tell whether anything changed."""
        stored: Answers = {}
        for section in SECTIONS:
            for item in items_in_section(section):
                for field in item.fields:
                    value = self.answers.get(field.key)
                    if field.type is FieldType.LIST:
                        stored[field.key] = [dict(row) for row in value or [] if any(row.values())]
                    else:
                        stored[field.key] = str(value or "")
        return stored

    @property
    def changed(self) -> bool:
        answers, _ = self.collect()
        return answers != self._stored_form()

    # Actions ---------------------------------------------------------------

    def action_save(self) -> None:
        for shown in self.query(".field-error"):
            shown.display = False
        answers, errors = self.collect()
        if errors:
            for field_id, message in errors:
                notice = self.query_one(f"#{field_id}-error", Static)
                notice.update(safe_text(message))
                notice.display = True
            field_id = errors[0][0]
            found = self.query(f"#{field_id}")
            if found:
                first = found.first()
            else:  # a list field: its first cell
                first = next(w for w in self.query(Input) if (w.id or "").startswith(field_id))
            first.focus()
            self.scroll_to_widget(first)
            summary = self.query_one("#save-error", Static)
            summary.update(safe_text(f"Nothing was saved: {len(errors)} field(s) to correct."))
            summary.display = True
            return  # everything typed stays as it is
        self.saved = answers
        self.dismiss(True)

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

    def _jump(self, step: int) -> None:
        sections = self.query_one("#sections", OptionList)
        index = ((sections.highlighted or 0) + step) % len(SECTIONS)
        sections.highlighted = index
        self._show_section(SECTIONS[index])

    def action_next_section(self) -> None:
        self._jump(1)

    def action_previous_section(self) -> None:
        self._jump(-1)

    def _show_section(self, section: str) -> None:
        heading = self.query_one(f"#{_section_id(section)}", Static)
        self.query_one("#fields", VerticalScroll).scroll_to_widget(heading, top=True, animate=False)
        siblings = list(heading.parent.children)
        after = siblings[siblings.index(heading) + 1 :]
        first = next((w for w in after if w.focusable), None)
        if first is not None:
            first.focus(scroll_visible=False)

    @on(OptionList.OptionSelected, "#sections")
    def _section_chosen(self, event: OptionList.OptionSelected) -> None:
        self._show_section(SECTIONS[event.option_index])

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#leave")
    def _leave_pressed(self) -> None:
        self.action_leave()


def _section_id(section: str) -> str:
    return "s-" + section.lower().replace(" ", "-")


def _checked(field: Field, value):
    """A field's value as it is stored; raises ValidationError with what is wrong."""
    if field.type is FieldType.LIST:
        date_columns = {c.key for c in field.columns if c.type is FieldType.DATE}
        checked = []
        for row in value:
            checked.append(
                {
                    key: PartialDate.parse(text).iso() if key in date_columns else text
                    for key, text in row.items()
                }
            )
        return checked
    if field.type is FieldType.DATE and value:
        return PartialDate.parse(value).iso()
    return value
