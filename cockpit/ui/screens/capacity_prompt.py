"""Asking for the hours a week the user has for their clients, and writing them to
config.toml (`capacity_hours_per_week`): the portfolio asks the first time it opens
without them, and `c` there changes them."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from cockpit.config import CAPACITY_MOST_HOURS
from cockpit.errors import ValidationError
from cockpit.ui.screens.form_screen import FormScreen

QUESTION = "How many hours a week do you have for your clients?"
EXPLAINED = (
    "Calls, meetings, emails, notes and gifts: the time you can give them, not your whole "
    "week. Cockpit compares it with what your cadences, planned communications and account "
    "plan actions need. Kept in config.toml as capacity_hours_per_week."
)


def hours_typed(text: str) -> float:
    """The hours typed ("10", "7.5", "10 h"), checked."""
    typed = text.strip().lower().removesuffix("hours").removesuffix("h").strip()
    try:
        value = float(typed.replace(",", "."))
    except ValueError:
        raise ValidationError("Type a number of hours, such as 10 or 7.5") from None
    if not 0 < value <= CAPACITY_MOST_HOURS:
        raise ValidationError(f"Type hours above 0 and at most {CAPACITY_MOST_HOURS}")
    return round(value, 1)


class CapacityPrompt(FormScreen[float]):
    AUTO_FOCUS = "Input"

    def __init__(self, current: float | None = None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        shown = "" if self.current is None else f"{self.current:g}"
        with Vertical():
            yield Static(QUESTION, markup=False, classes="question")
            yield Static(EXPLAINED, markup=False)
            yield Label("Hours a week")
            yield Input(shown, placeholder="10", id="hours")
            yield from self.form_end(compact=True)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.save_now()

    def read(self) -> float:
        return hours_typed(self.query_one("#hours", Input).value)

    @staticmethod
    def store(hours: float) -> float:
        from cockpit.config_writing import set_setting

        set_setting("capacity_hours_per_week", hours)
        return hours
