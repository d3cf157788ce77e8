"""Asking for a day in words ("friday", "in 2 weeks", "2026-12-01"), for a later day only."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from cockpit.errors import ValidationError
from cockpit.text import safe_text
from cockpit.ui.screens.form_screen import FormScreen
from cockpit.ui.widgets.date_field import DAY_HINT, DateField
from cockpit.ui.widgets.phrase_field import with_preview


class DatePrompt(FormScreen[date]):
    AUTO_FOCUS = "Input"

    def __init__(self, question: str, today: date, suggestion: str = "") -> None:
        super().__init__()
        self.question = question
        self.today = today
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(self.question, "bold"))
            yield from with_preview(
                DateField(self.suggestion, self.today, label="Day", placeholder=DAY_HINT)
            )
            yield from self.form_end(compact=True)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.save_now()

    def _parse(self) -> date:
        day = self.query_one(DateField).read()
        if day is None:
            raise ValidationError("Type a day, such as friday or in 2 weeks")
        if day <= self.today:
            raise ValidationError(f"{day.isoformat()} is not after today; choose a later day")
        return day

    def read(self) -> date:
        return self._parse()
