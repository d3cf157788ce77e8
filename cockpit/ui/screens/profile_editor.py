"""The Mackay 66 editor: every item of the schema, built from the schema.

Sections on the left with their completeness; the items of all sections on
the right, one scrolling form, so nothing typed in one section is lost by
going to another. Ctrl+S checks every field and saves all of them in one
transaction, or saves nothing and shows the message at the field.

The form has some 600 widgets, seconds of work to mount: the first items come
with the screen and the others are mounted after its first frame, a few items
at a time and in order. Whatever needs a field not there yet (Tab, a jump to a
section) mounts up to it first. A field not yet mounted has not been touched,
so a save leaves it as it is, as it leaves every untouched field.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from peewee import DatabaseError as PeeweeDatabaseError
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from cockpit.date_limits import check_past_date
from cockpit.errors import CockpitError, ValidationError
from cockpit.partial_date import PartialDate
from cockpit.profile.document import answered_items
from cockpit.profile.schema import SECTIONS, Field, FieldType, Item, items_in_section
from cockpit.text import printable, safe_text
from cockpit.ui.screens.confirm import Confirm

Answers = dict[str, str | list[dict[str, str]]]
DATE_HINT = "e.g. 15 April, April 15 1975, 1975-04-15, --04-15"
LIST_ROWS = 4  # rows shown for a list field; an empty row is not saved
FIRST_PART_ITEMS = 1  # mounted with the screen: each widget more delays its first frame
PART_WIDGETS = 24  # about how many are mounted at a time after that: keys wait little


def _field_id(key: str, row: int | None = None, column: str | None = None) -> str:
    return f"f-{key}" if row is None else f"f-{key}-{row}-{column}"


@dataclass(frozen=True)
class _Part:
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


def _form_parts() -> tuple[_Part, ...]:
    """The form in the order it is mounted: the first items, then a few at a time."""
    parts: list[_Part] = []
    for section in SECTIONS:
        run: list[Item] = []
        widgets = 0
        for item in items_in_section(section):
            limit = FIRST_PART_ITEMS if not parts else None
            full = len(run) == limit if limit else widgets + _widget_count(item) > PART_WIDGETS
            if run and full:
                parts.append(_Part(section, tuple(run)))
                run, widgets = [], 0
            run.append(item)
            widgets += _widget_count(item)
        parts.append(_Part(section, tuple(run)))
    return tuple(parts)


PARTS = _form_parts()
PART_OF_ITEM = {item.number: index for index, part in enumerate(PARTS) for item in part.items}
FIRST_PART_OF_SECTION = {
    section: next(i for i, part in enumerate(PARTS) if part.section == section)
    for section in SECTIONS
}


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
    ProfileEditor .section, ProfileEditor .item {
        height: auto;
    }
    ProfileEditor .section.-pending {
        min-height: 100vh;  /* keeps what follows below until the section is all there */
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
    AUTO_FOCUS = ""  # on_mount focuses the first field, with what was typed before it
    _bindings_held: bool | None = None  # see refresh_bindings
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "leave", "Leave"),
        Binding("ctrl+down", "next_section", "Next section", priority=True),
        Binding("ctrl+up", "previous_section", "Previous section", priority=True),
        Binding("ctrl+l", "log_touch", "Log a touch", priority=True),
        # Priority: handled before the keys behind it are sent on, so those land in the
        # field it moves to (however fast they come), even when it must mount that field.
        Binding("tab", "next_field", "Next field", show=False, priority=True),
        Binding("shift+tab", "previous_field", "Previous field", show=False, priority=True),
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
        # What each mounted field showed at first, to save only what the user changed:
        # a stored value the form cannot show exactly is then never rewritten. A field
        # not in it is not mounted yet, so it cannot have been changed.
        self.initial: dict[str, object] = {}
        self._inputs: dict[str, Widget] = {}  # the field widgets by id
        self._parts_mounted = 1  # PARTS[0] comes with compose
        self._mounting = asyncio.Lock()
        self._early_keys: list[events.Event] = []  # typed before the first field had focus
        self._ready = asyncio.Event()  # the first field has focus
        self._drawn = asyncio.Event()

    def on_mount(self) -> None:
        self._remember_initial(PARTS[0])
        first = self._inputs[_field_id(PARTS[0].items[0].fields[0].key)]
        self.set_focus(first, scroll_visible=False)  # typing starts at once
        for event in self._early_keys:  # then comes what was typed even earlier
            first._forward_event(event)
        self._early_keys.clear()
        self._ready.set()
        self.call_after_refresh(self._drawn.set)
        self._mount_the_rest()

    def refresh_bindings(self) -> None:
        # Every move of the focus refreshes the bindings, and so recomposes the footer
        # (15 ms or more): a burst of Tabs would keep the screen from being drawn for
        # seconds. One refresh now, the next at most once a frame: the keys the footer
        # shows are the same for every field.
        if self._bindings_held is None:
            super().refresh_bindings()
            self._bindings_held = False
            self.call_after_refresh(self._release_bindings)
        else:
            self._bindings_held = True

    def _release_bindings(self) -> None:
        held, self._bindings_held = self._bindings_held, None
        if held:
            self.refresh_bindings()

    def _forward_event(self, event: events.Event) -> None:
        # The app sends keys to the screen itself while no widget has focus: between
        # this screen being pushed and on_mount. They are meant for the first field.
        if isinstance(event, (events.Key, events.Paste)) and not self._ready.is_set():
            self._early_keys.append(event)
        else:
            super()._forward_event(event)

    @staticmethod
    def _fields() -> Iterator[tuple[str, Field]]:
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
                    # Each section is filled as its parts are mounted, PARTS[0] at once.
                    with Vertical(classes="section -pending", id=_section_id(section)):
                        if section == PARTS[0].section:
                            yield from self._part_widgets(PARTS[0])
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

    def _part_widgets(self, part: _Part) -> Iterator[Widget]:
        if part.items[0] is items_in_section(part.section)[0]:
            yield Static(part.section, classes="section-title")
        for item in part.items:
            title = Label(f"{item.number}. {item.title}", classes="item-title")
            fields = [widget for field in item.fields for widget in self._field_widgets(field)]
            yield Vertical(title, *fields, classes="item", id=f"item-{item.number}")

    def _field_widgets(self, field: Field) -> Iterator[Widget]:
        label = field.label + ("  🔒 sensitive" if field.sensitive else "")
        yield Label(label, classes="field-label sensitive" if field.sensitive else "field-label")
        value = self.answers.get(field.key)
        field_id = _field_id(field.key)
        widget: Widget
        if field.type is FieldType.MULTILINE:
            from textual.widgets import TextArea  # 20 ms to import: not before the first frame

            widget = TextArea(printable(str(value or ""), multiline=True, tabs=True), id=field_id)
        elif field.type in (FieldType.YESNO, FieldType.CHOICE):
            options = ("yes", "no") if field.type is FieldType.YESNO else field.options
            if value and value not in options:
                options = (*options, str(value))  # stored by an older version: kept
            # A label string would be read as markup: the stored one is user data.
            widget = Select(
                [(safe_text(option), option) for option in options],
                value=value if value in options else Select.NULL,
                prompt="(not answered)",
                id=field_id,
            )
        elif field.type is FieldType.LIST:
            rows = list(value or [])
            for row in range(max(LIST_ROWS, len(rows) + 1)):
                yield self._list_row(field, row, rows[row] if row < len(rows) else {})
            widget = Button(
                f"+ a row of {field.label.lower()}", id=f"add-{field.key}", classes="add-row"
            )
        else:
            placeholder = DATE_HINT if field.type is FieldType.DATE else field.help
            widget = Input(printable(str(value or "")), placeholder=placeholder, id=field_id)
        if field.type is not FieldType.LIST:
            self._inputs[field_id] = widget
        yield widget
        yield Static("", classes="field-error", id=f"{field_id}-error")

    def _list_row(self, field: Field, row: int, cells: dict[str, str]) -> Horizontal:
        """One row of a list field: an input per column."""
        inputs = []
        for column in field.columns:
            placeholder = column.label + (
                f" ({DATE_HINT})" if column.type is FieldType.DATE else ""
            )
            cell_id = _field_id(field.key, row, column.key)
            cell = Input(printable(cells.get(column.key, "")), placeholder=placeholder, id=cell_id)
            self._inputs[cell_id] = cell
            inputs.append(cell)
        return Horizontal(*inputs, classes="list-row")

    # Mounting the rest -----------------------------------------------------

    @work(group="profile-form", exclusive=True)
    async def _mount_the_rest(self) -> None:
        await self._drawn.wait()  # the first items are on screen,
        await self.wait_for_refresh()  # and the footer, composed after that: now the rest
        for index in range(1, len(PARTS)):
            await self._mount_through(index)
            await self.wait_for_refresh()  # shown, and what was typed meanwhile handled

    async def _mount_through(self, last: int) -> None:
        """Mount the parts up to PARTS[last], in order (each only once)."""
        async with self._mounting:
            while self._parts_mounted <= last:
                part = PARTS[self._parts_mounted]
                section = self.query_one(f"#{_section_id(part.section)}", Vertical)
                await section.mount_all(list(self._part_widgets(part)))
                self._remember_initial(part)
                self._parts_mounted += 1
                if part.items[-1] is items_in_section(part.section)[-1]:
                    section.remove_class("-pending")

    def _remember_initial(self, part: _Part) -> None:
        for item in part.items:
            for field in item.fields:
                self.initial[field.key] = self._value(field)

    def _part_of(self, widget: Widget | None) -> int | None:
        """Which part of the form a widget is in (None outside the items)."""
        while widget is not None and not widget.has_class("item"):
            widget = widget.parent
        return None if widget is None else PART_OF_ITEM[int(widget.id.removeprefix("item-"))]

    # Reading the form back -------------------------------------------------

    def _list_rows(self, field: Field, with_positions: bool = False) -> list[dict]:
        rows = []
        row = 0
        while True:
            inputs = {
                column.key: self._inputs.get(_field_id(field.key, row, column.key))
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

    def _value(self, field: Field, with_positions: bool = False) -> str | list[dict]:
        if field.type is FieldType.LIST:
            return self._list_rows(field, with_positions)
        widget = self._inputs[_field_id(field.key)]
        if field.type is FieldType.MULTILINE:
            return widget.text.strip()  # a TextArea
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        assert isinstance(widget, Input)
        return widget.value.strip()

    def _mounted_fields(self) -> Iterator[tuple[str, Field]]:
        return ((key, field) for key, field in self._fields() if key in self.initial)

    def collect(self) -> tuple[Answers, list[tuple[str, str, str]]]:
        """The changed fields, in their stored form, and the errors found:
        (field id for the message, widget id to focus, message)."""
        changes: Answers = {}
        errors: list[tuple[str, str, str]] = []
        for key, field in self._mounted_fields():
            value = self._value(field)
            if value == self.initial[key]:
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
        return any(self._value(field) != self.initial[key] for key, field in self._mounted_fields())

    # Actions ---------------------------------------------------------------

    async def action_save(self) -> None:
        await self._ready.wait()
        # Ctrl+S goes before the keys typed ahead of it are handled: let the field
        # take them first, so that what was typed is saved.
        caught_up = asyncio.Event()
        if self.focused is not None and self.focused.call_later(caught_up.set):
            await caught_up.wait()
        self._save()

    def _save(self) -> None:
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
            first = self._inputs[errors[0][1]]
            self.set_focus(first, scroll_visible=False)  # now: the next key goes there
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
                self._save()
            elif choice == "discard":
                self.dismiss(False)

        self.app.push_screen(
            Confirm(
                "You have unsaved changes in this profile.",
                [("save", "Save"), ("discard", "Discard")],
            ),
            answered,
        )

    async def action_next_field(self) -> None:
        await self._ready.wait()  # a Tab typed while the screen was built comes after it
        part = self._part_of(self.focused)
        if part is not None:  # the next field may be in the next part
            await self._mount_through(min(part + 1, len(PARTS) - 1))
        self._focus_step(1)

    async def action_previous_field(self) -> None:
        await self._ready.wait()
        if self._part_of(self.focused) is None and not isinstance(self.focused, OptionList):
            # From the buttons below the form, the previous field is the very last one.
            await self._mount_through(len(PARTS) - 1)
        self._focus_step(-1)

    def _focus_step(self, step: int) -> None:
        """Focus the next (1) or the previous (-1) widget, as Textual's Tab does, but
        in the order of the form rather than of places on the screen (the same order
        here), which widgets mounted this instant do not have yet. And bring it into
        view at once: with Textual's animated scroll, a burst of Tabs could leave an
        earlier animation ending away from the field that has the focus."""
        order = {node: index for index, node in enumerate(self.walk_children())}
        chain = sorted(self.focus_chain, key=order.__getitem__)
        if not chain:
            return
        if self.focused in chain:
            target = chain[(chain.index(self.focused) + step) % len(chain)]
        else:
            target = chain[0]
        self.set_focus(target, scroll_visible=False)

        def keep_in_view() -> None:
            if self.focused is target and not self.can_view_entire(target):
                self.scroll_to_center(target, animate=False, origin_visible=True, immediate=True)

        self.call_after_refresh(keep_in_view)

    def _current_section(self) -> int:
        """The section of the focused field (else the one highlighted on the left)."""
        part = self._part_of(self.focused)
        if part is None:
            return self.query_one("#sections", OptionList).highlighted or 0
        return SECTIONS.index(PARTS[part].section)

    async def _jump(self, step: int) -> None:
        await self._ready.wait()
        index = (self._current_section() + step) % len(SECTIONS)
        self.query_one("#sections", OptionList).highlighted = index
        await self._show_section(SECTIONS[index])

    async def action_next_section(self) -> None:
        await self._jump(1)

    async def action_previous_section(self) -> None:
        await self._jump(-1)

    async def _show_section(self, section: str) -> None:
        await self._mount_through(FIRST_PART_OF_SECTION[section])
        form = self.query_one(f"#{_section_id(section)}", Vertical)
        fields = self.query_one("#fields", VerticalScroll)
        self.call_after_refresh(fields.scroll_to_widget, form, top=True, animate=False)
        target = form.query("Input, Select, TextArea").first()
        self.set_focus(target, scroll_visible=False)  # now: the next key goes there

    @on(OptionList.OptionSelected, "#sections")
    async def _section_chosen(self, event: OptionList.OptionSelected) -> None:
        await self._show_section(SECTIONS[event.option_index])

    @on(Button.Pressed, ".add-row")
    async def _add_row(self, event: Button.Pressed) -> None:
        key = event.button.id.removeprefix("add-")
        field = dict(self._fields())[key]
        rows = 0
        while _field_id(key, rows, field.columns[0].key) in self._inputs:
            rows += 1
        new_row = self._list_row(field, rows, {})
        await event.button.parent.mount(new_row, before=event.button)
        self.set_focus(new_row.query(Input).first())

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self._save()

    @on(Button.Pressed, "#leave")
    def _leave_pressed(self) -> None:
        self.action_leave()


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
