"""Asking for a day in words ("friday", "in 2 weeks", "2026-12-01"), for a later day only."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from cockpit import phrases
from cockpit.errors import ValidationError
from cockpit.text import safe_text
from cockpit.ui.screens.form_screen import FormScreen


class DatePrompt(FormScreen[date]):
    DEFAULT_CSS = """
    DatePrompt #meaning {
        color: $text-muted;
    }
    """
    AUTO_FOCUS = "Input"

    def __init__(self, question: str, today: date, suggestion: str = "") -> None:
        super().__init__()
        self.question = question
        self.today = today
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(self.question, "bold"))
            yield Input(self.suggestion, placeholder="friday, next monday, in 2 weeks, 2026-12-01")
            yield Static("", id="meaning")
            yield from self.form_end(compact=True)

    def on_mount(self) -> None:
        self._explain()

    @on(Input.Changed)
    def _explain(self) -> None:
        try:
            day = self._parse()
        except ValidationError as error:
            self.query_one("#meaning", Static).update(safe_text(error.message))
            return
        self.query_one("#meaning", Static).update(f"{day:%A %d %B %Y}")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.save_now()

    def _parse(self) -> date:
        text = self.query_one(Input).value
        if not text.strip():
            raise ValidationError("Type a day, such as friday or in 2 weeks")
        day = phrases.parse_date(text, self.today)
        if day <= self.today:
            raise ValidationError(f"{day.isoformat()} is not after today; choose a later day")
        return day

    def read(self) -> date:
        return self._parse()
