"""A question with a few answers, each on a key; Escape answers None."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from cockpit.text import safe_text


class Confirm(ModalScreen[str | None]):
    """Ask, and dismiss with the id of the chosen answer."""

    DEFAULT_CSS = """
    Confirm {
        align: center middle;
    }
    Confirm > Vertical {
        width: 64;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    Confirm Horizontal {
        height: auto;
        margin-top: 1;
    }
    Confirm Button {
        margin-right: 2;
    }
    """
    AUTO_FOCUS = "Button"
    BINDINGS: ClassVar = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, question: str, answers: list[tuple[str, str]]) -> None:
        """`answers`: (id, label) pairs; the first is focused."""
        super().__init__()
        self.question = question
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(self.question, multiline=True))
            with Horizontal():
                for answer_id, label in self.answers:
                    yield Button(label, id=answer_id, variant="warning")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
