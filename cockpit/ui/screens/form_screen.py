"""What the small forms share: Ctrl+S checks and saves, Esc cancels, errors shown in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Generic, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from cockpit.errors import CockpitError, ValidationError
from cockpit.text import safe_text
from cockpit.ui.typed_ahead import keys_taken

Values = TypeVar("Values")


class FormScreen(ModalScreen[Values | None], Generic[Values]):
    """A modal form: `read()` returns the checked values or raises ValidationError;
    on an error the form stays open with everything typed and shows the message.

    With `store` set, saving runs `store(values)` in a worker and the form closes
    with its result only once it succeeded; a CockpitError it raises is shown in
    place, so nothing typed is lost when the book refuses the write."""

    store: Callable[[Values], object] | None = None

    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
    }
    FormScreen > Vertical, FormScreen > VerticalScroll {
        width: 72;
        height: auto;
        max-height: 90%;
        border: thick $accent;
        background: $surface;
        padding: 0 2;
    }
    FormScreen Label {
        color: $text-muted;
    }
    FormScreen #error {
        color: $error;
        margin-top: 1;
    }
    FormScreen .buttons {
        height: auto;
        margin: 1 0;
    }
    FormScreen Button {
        margin-right: 2;
    }
    """
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
        # Before the field that has the focus sees the keys typed after: they go to the next.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    def _update_auto_focus(self) -> None:
        """Focus AUTO_FOCUS as Textual does, without scrolling it to the middle: a form
        taller than the terminal (80x24) opens at its title, its first label in sight."""
        if self.app.app_focus and self.AUTO_FOCUS and self.focused is None:
            for widget in self.query(self.AUTO_FOCUS):
                if widget.focusable:
                    self.set_focus(widget, scroll_visible=False)
                    break

    def read(self) -> Values:
        raise NotImplementedError

    def form_end(self, compact: bool = False, save: str = "Save") -> ComposeResult:
        """The error line and the buttons, for the end of `compose`."""
        yield Static("", id="error")
        with Horizontal(classes="buttons"):
            yield Button(f"{save} (Ctrl+S)", id="save", variant="primary", compact=compact)
            yield Button("Cancel (Esc)", id="cancel", compact=compact)

    async def action_save(self) -> None:
        await keys_taken(self)  # what was typed just before Ctrl+S is saved
        self.save_now()

    def save_now(self) -> None:
        """Check what the form holds and save it (or say what is wrong, in place)."""
        try:
            values = self.read()
        except ValidationError as error:
            self.query_one("#error", Static).update(safe_text(error.message))
            return  # nothing typed is lost: the form stays open as it is
        if self.store is None:
            self.dismiss(values)
        else:
            self._store(values)

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False)
    def _store(self, values: Values) -> None:
        try:
            result = self.store(values)
        except CockpitError as error:
            self.app.call_from_thread(self._store_failed, error.message)
        else:
            self.app.call_from_thread(self.dismiss, result)

    def _store_failed(self, message: str) -> None:
        self.query_one("#error", Static).update(safe_text(f"Nothing was saved: {message}"))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.save_now()
        elif event.button.id == "cancel":
            self.action_cancel()
