"""The Mackay 66 editor: every item of the schema, built from the schema.

Sections on the left with their completeness; the items of all sections on
the right, one scrolling form, so nothing typed in one section is lost by
going to another. Ctrl+S checks every field and saves all of them in one
transaction, or saves nothing and shows the message at the field.

The form is mounted a few items at a time (`profile_form`, `profile_navigation`); a
field not yet mounted has not been touched, so a save leaves it as it is, as it leaves
every untouched field.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import date
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Static

from cockpit.errors import CockpitError, ValidationError
from cockpit.profile.schema import SECTIONS, Field, FieldType
from cockpit.text import counted, printable, safe_text
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.screens.profile_checks import checked, checked_rows
from cockpit.ui.screens.profile_form import (
    PARTS,
    Answers,
    FormBuilder,
    all_fields,
    field_id,
    section_id,
    section_options,
)
from cockpit.ui.screens.profile_navigation import FormNavigation
from cockpit.ui.typed_ahead import keys_taken
from cockpit.ui.widgets.key_footer import KeyFooter


class ProfileEditor(FormNavigation, Screen[bool]):
    """Dismisses with True when something was saved."""

    DEFAULT_CSS = """
    ProfileEditor #sections {
        width: 34;
        height: 1fr;
    }
    ProfileEditor.-narrow #sections {
        width: 28;  /* the longest section with its count, and no more */
    }
    ProfileEditor.-narrow #fields {
        padding: 0 1;
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
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (100, "-wide")]  # columns
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
        self.form = FormBuilder(answers)  # makes the field widgets and keeps them by id
        self._inputs = self.form.inputs
        self._parts_mounted = 1  # PARTS[0] comes with compose
        self._mounting = asyncio.Lock()
        self._early_keys: list[events.Event] = []  # typed before the first field had focus
        self._ready = asyncio.Event()  # the first field has focus
        self._drawn = asyncio.Event()

    def on_mount(self) -> None:
        self._remember_initial(PARTS[0])
        first = self._inputs[field_id(PARTS[0].items[0].fields[0].key)]
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

    def compose(self) -> ComposeResult:
        yield Static(
            safe_text(f"Mackay 66 profile of {self.client_name}", "bold"), id="editor-title"
        )
        with Horizontal():
            yield OptionList(*section_options(self.answers), id="sections")
            with VerticalScroll(id="fields", can_focus=False):
                for section in SECTIONS:
                    # Each section is filled as its parts are mounted, PARTS[0] at once.
                    with Vertical(classes="section -pending", id=section_id(section)):
                        if section == PARTS[0].section:
                            yield from self.form.part_widgets(PARTS[0])
                yield Static("", id="save-error", classes="field-error")
                with Horizontal(classes="list-row"):
                    yield Button("Save (Ctrl+S)", id="save", variant="primary")
                    yield Button("Leave (Esc)", id="leave")
        yield KeyFooter()

    # Reading the form back -------------------------------------------------

    def _mounted_fields(self) -> Iterator[tuple[str, Field]]:
        return ((key, field) for key, field in all_fields() if key in self.initial)

    def collect(self) -> tuple[Answers, list[tuple[str, str, str]]]:
        """The changed fields, in their stored form, and the errors found:
        (field id for the message, widget id to focus, message)."""
        changes: Answers = {}
        errors: list[tuple[str, str, str]] = []
        for key, field in self._mounted_fields():
            value = self.form.value(field)
            if value == self.initial[key]:
                continue
            if field.type is FieldType.LIST:
                rows, cell_errors = checked_rows(field, self.form.value(field, True), self.today)
                errors.extend((field_id(key), cell, message) for cell, message in cell_errors)
                changes[key] = rows
                continue
            try:
                changes[key] = checked(field, value, self.today)
            except ValidationError as error:
                errors.append((field_id(key), field_id(key), f"{field.label}: {error.message}"))
        return changes, errors

    @property
    def changed(self) -> bool:
        return any(
            self.form.value(field) != self.initial[key] for key, field in self._mounted_fields()
        )

    # Actions ---------------------------------------------------------------

    async def action_save(self) -> None:
        await self._ready.wait()
        await keys_taken(self)  # what was typed just before Ctrl+S is saved
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
            self._say(f"Nothing was saved: {counted(len(errors), 'value')} to correct.")
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
        from cockpit.storage.guarded import is_database_error

        try:
            self.store(changes)
        except Exception as error:
            if not (isinstance(error, CockpitError) or is_database_error(error)):
                raise
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

    @on(OptionList.OptionSelected, "#sections")
    async def _section_chosen(self, event: OptionList.OptionSelected) -> None:
        await self._show_section(SECTIONS[event.option_index])

    @on(Button.Pressed, ".add-row")
    async def _add_row(self, event: Button.Pressed) -> None:
        key = event.button.id.removeprefix("add-")
        field = dict(all_fields())[key]
        rows = 0
        while field_id(key, rows, field.columns[0].key) in self._inputs:
            rows += 1
        new_row = self.form.list_row(field, rows, {})
        await event.button.parent.mount(new_row, before=event.button)
        self.set_focus(new_row.query(Input).first())

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self._save()

    @on(Button.Pressed, "#leave")
    def _leave_pressed(self) -> None:
        self.action_leave()


def open_profile_editor(main, client_id: int, name: str) -> None:
    """The flow: the client's answers read in a worker, then the editor over whichever
    screen is on top; `main` is the cockpit's main screen, which reads the book again
    once the profile was saved."""
    from cockpit.storage import book

    app = main.app

    def edit(answers: Answers) -> None:
        def store(changes: Answers) -> None:  # in the editor's worker; it stays open on failure
            app.in_book_now(lambda: book.set_profile(client_id, changes))

        def closed(saved: bool | None) -> None:
            if saved:
                main.notify(printable(f"Saved the profile of {name}."), markup=False)
                main.load_book(client_id)

        log_touch = lambda: main.action_log_touch(client_id)  # noqa: E731
        app.push_screen(ProfileEditor(name, answers, main.today, store, log_touch), closed)

    app.read_then_open(lambda: book.profile_shown(client_id), edit)
