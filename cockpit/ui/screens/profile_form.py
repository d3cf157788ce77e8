"""The Mackay 66 editor's form, built from the schema: the parts it is mounted in, the
widgets of each item and field, and reading what they hold back.

The form has some 600 widgets, seconds of work to mount: the first items come with the
screen and the others are mounted after its first frame, a few items at a time and in
order (`PARTS`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static
from textual.widgets.option_list import Option

from cockpit.profile.document import answered_items
from cockpit.profile.schema import SECTIONS, Field, FieldType, Item, items_in_section
from cockpit.text import printable, safe_text

Answers = dict[str, str | list[dict[str, str]]]
DATE_HINT = "e.g. 15 April, April 15 1975, 1975-04-15, --04-15"
LIST_ROWS = 4  # rows shown for a list field; an empty row is not saved
FIRST_PART_ITEMS = 1  # mounted with the screen: each widget more delays its first frame
PART_WIDGETS = 24  # about how many a part holds after that: a Tab waits little for the next


def field_id(key: str, row: int | None = None, column: str | None = None) -> str:
    return f"f-{key}" if row is None else f"f-{key}-{row}-{column}"


def section_id(section: str) -> str:
    return "s-" + section.lower().replace(" ", "-")


def all_fields() -> Iterator[tuple[str, Field]]:
    for section in SECTIONS:
        for item in items_in_section(section):
            for field in item.fields:
                yield field.key, field


@dataclass(frozen=True)
class Part:
    """Items of one section that are mounted together."""

    section: str
    items: tuple[Item, ...]


def _widget_count(item: Item) -> int:
    count = 1  # its title
    for field in item.fields:
        count += 2  # its label and its error line
        if field.type is FieldType.LIST:
            count += LIST_ROWS * (1 + len(field.columns)) + 1
        elif field.type in (FieldType.YESNO, FieldType.CHOICE):
            count += 5  # a Select is a few widgets
        else:
            count += 1
    return count


def _form_parts() -> tuple[Part, ...]:
    """The form in the order it is mounted: the first items, then a few at a time."""
    parts: list[Part] = []
    for section in SECTIONS:
        run: list[Item] = []
        widgets = 0
        for item in items_in_section(section):
            limit = FIRST_PART_ITEMS if not parts else None
            full = len(run) == limit if limit else widgets + _widget_count(item) > PART_WIDGETS
            if run and full:
                parts.append(Part(section, tuple(run)))
                run, widgets = [], 0
            run.append(item)
            widgets += _widget_count(item)
        parts.append(Part(section, tuple(run)))
    return tuple(parts)


PARTS = _form_parts()


def _mount_steps() -> tuple[int, ...]:
    """The last part of each step of mounting the rest of the form: each step about twice
    the widgets of the one before. Every step is laid out once; the first ones are small,
    so keys typed as the editor opens wait little, and the whole form needs few layouts."""
    steps: list[int] = []
    widgets, budget = 0, PART_WIDGETS
    for index in range(1, len(PARTS)):
        widgets += sum(_widget_count(item) for item in PARTS[index].items)
        if widgets >= budget or index == len(PARTS) - 1:
            steps.append(index)
            widgets, budget = 0, budget * 2
    return tuple(steps)


MOUNT_STEPS = _mount_steps()
PART_OF_ITEM = {item.number: index for index, part in enumerate(PARTS) for item in part.items}
FIRST_PART_OF_SECTION = {
    section: next(i for i, part in enumerate(PARTS) if part.section == section)
    for section in SECTIONS
}


def section_options(answers: Answers) -> list[Option]:
    """The sections for the list on the left, each with how many of its items are answered."""
    done = answered_items(answers)
    return [
        Option(
            f"{section} {sum(1 for i in items_in_section(section) if i.number in done)}"
            f"/{len(items_in_section(section))}",
            id=section_id(section),
        )
        for section in SECTIONS
    ]


class FormBuilder:
    """Makes the widgets of the form's parts from the stored `answers`, and keeps each
    field widget by id in `inputs` (the cells of a list field one by one)."""

    def __init__(self, answers: Answers) -> None:
        self.answers = answers
        self.inputs: dict[str, Widget] = {}

    def part_widgets(self, part: Part) -> Iterator[Widget]:
        if part.items[0] is items_in_section(part.section)[0]:
            yield Static(part.section, classes="section-title")
        for item in part.items:
            title = Label(f"{item.number}. {item.title}", classes="item-title")
            fields = [widget for field in item.fields for widget in self.field_widgets(field)]
            yield Vertical(title, *fields, classes="item", id=f"item-{item.number}")

    def field_widgets(self, field: Field) -> Iterator[Widget]:
        label = field.label + ("  🔒 sensitive" if field.sensitive else "")
        yield Label(label, classes="field-label sensitive" if field.sensitive else "field-label")
        value = self.answers.get(field.key)
        widget_id = field_id(field.key)
        widget: Widget
        if field.type is FieldType.MULTILINE:
            from textual.widgets import TextArea  # 20 ms to import: not before the first frame

            widget = TextArea(printable(str(value or ""), multiline=True, tabs=True), id=widget_id)
        elif field.type in (FieldType.YESNO, FieldType.CHOICE):
            options = ("yes", "no") if field.type is FieldType.YESNO else field.options
            if value and value not in options:
                options = (*options, str(value))  # stored by an older version: kept
            # A label string would be read as markup: the stored one is user data.
            widget = Select(
                [(safe_text(option), option) for option in options],
                value=value if value in options else Select.NULL,
                prompt="(not answered)",
                id=widget_id,
            )
        elif field.type is FieldType.LIST:
            rows = list(value or [])
            for row in range(max(LIST_ROWS, len(rows) + 1)):
                yield self.list_row(field, row, rows[row] if row < len(rows) else {})
            widget = Button(
                f"+ a row of {field.label.lower()}", id=f"add-{field.key}", classes="add-row"
            )
        else:
            placeholder = DATE_HINT if field.type is FieldType.DATE else field.help
            widget = Input(printable(str(value or "")), placeholder=placeholder, id=widget_id)
        if field.type is not FieldType.LIST:
            self.inputs[widget_id] = widget
        yield widget
        yield Static("", classes="field-error", id=f"{widget_id}-error")

    def list_row(self, field: Field, row: int, cells: dict[str, str]) -> Horizontal:
        """One row of a list field: an input per column."""
        inputs = []
        for column in field.columns:
            placeholder = column.label + (
                f" ({DATE_HINT})" if column.type is FieldType.DATE else ""
            )
            cell_id = field_id(field.key, row, column.key)
            cell = Input(printable(cells.get(column.key, "")), placeholder=placeholder, id=cell_id)
            self.inputs[cell_id] = cell
            inputs.append(cell)
        return Horizontal(*inputs, classes="list-row")

    # Reading the form back -------------------------------------------------

    def list_rows(self, field: Field, with_positions: bool = False) -> list[dict]:
        rows = []
        row = 0
        while True:
            inputs = {
                column.key: self.inputs.get(field_id(field.key, row, column.key))
                for column in field.columns
            }
            if not all(inputs.values()):
                return rows
            cells = {key: found.value.strip() for key, found in inputs.items()}
            if any(cells.values()):
                kept: dict = {key: text for key, text in cells.items() if text}
                if with_positions:
                    kept["_row"] = row  # which inputs, for messages at the cell
                rows.append(kept)
            row += 1

    def value(self, field: Field, with_positions: bool = False) -> str | list[dict]:
        if field.type is FieldType.LIST:
            return self.list_rows(field, with_positions)
        widget = self.inputs[field_id(field.key)]
        if field.type is FieldType.MULTILINE:
            return widget.text.strip()  # a TextArea
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        assert isinstance(widget, Input)
        return widget.value.strip()
