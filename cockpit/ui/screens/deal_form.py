"""Recording a won deal for the selected client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from cockpit.errors import ValidationError
from cockpit.storage import book
from cockpit.text import safe_text
from cockpit.ui.screens.form_fields import optional_date


@dataclass(frozen=True)
class DealValues:
    amount: str
    currency: str | None
    won_on: date
    description: str


class DealForm(ModalScreen[DealValues | None]):
    DEFAULT_CSS = """
    DealForm {
        align: center middle;
    }
    DealForm > Vertical {
        width: 64;
        height: auto;
        border: thick $success;
        background: $surface;
        padding: 0 2;
    }
    DealForm Label {
        margin-top: 1;
        color: $text-muted;
    }
    DealForm #error {
        color: $error;
        margin-top: 1;
    }
    DealForm Horizontal {
        height: auto;
        margin: 1 0;
    }
    DealForm Button {
        margin-right: 2;
    }
    """
    AUTO_FOCUS = "#amount"
    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, client_label: str, today: date, currency: str) -> None:
        super().__init__()
        self.client_label = client_label
        self.today = today
        self.currency = currency

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(f"A won deal for {self.client_label}", "bold"))
            yield Label("Amount (e.g. 12000 or 12,000.50)")
            yield Input(id="amount")
            yield Label(f"Currency (empty: {self.currency})")
            yield Input(id="currency")
            yield Label("Won on (YYYY-MM-DD)")
            yield Input(self.today.isoformat(), id="won_on")
            yield Label("What was won")
            yield Input(id="description")
            yield Static("", id="error")
            with Horizontal():
                yield Button("Save (Ctrl+S)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def read(self) -> DealValues:
        text = {w.id: w.value for w in self.query(Input)}
        won_on = optional_date(text["won_on"], "Won on") or self.today
        values = DealValues(
            amount=text["amount"],
            currency=text["currency"].strip() or None,
            won_on=won_on,
            description=text["description"],
        )
        book.deal_row(
            0,
            values.amount,
            currency=values.currency,
            won_on=won_on,
            description=values.description,
        )  # the same checks as saving, before anything is saved
        return values

    def action_save(self) -> None:
        try:
            values = self.read()
        except ValidationError as error:
            self.query_one("#error", Static).update(safe_text(error.message))
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
