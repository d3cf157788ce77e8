"""Recording a won deal for the selected client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static

from cockpit import validation
from cockpit.text import safe_text
from cockpit.ui.screens.form_fields import optional_date
from cockpit.ui.screens.form_screen import FormScreen


@dataclass(frozen=True)
class DealValues:
    amount: str
    currency: str | None
    won_on: date
    description: str


class DealForm(FormScreen[DealValues]):
    AUTO_FOCUS = "#amount"

    def __init__(self, client_label: str, today: date, currency: str) -> None:
        super().__init__()
        self.client_label = client_label
        self.today = today
        self.currency = currency

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(safe_text(f"A won deal for {self.client_label}", "bold"))
            yield Label("Amount (e.g. 12000 or 12,000.50)")
            yield Input(id="amount")
            yield Label(f"Currency (empty: {self.currency})")
            yield Input(id="currency")
            yield Label("Won on (YYYY-MM-DD)")
            yield Input(self.today.isoformat(), id="won_on")
            yield Label("What was won")
            yield Input(id="description")
            yield from self.form_end()

    def read(self) -> DealValues:
        text = {w.id: w.value for w in self.query(Input)}
        won_on = optional_date(text["won_on"], "Won on") or self.today
        values = DealValues(
            amount=text["amount"],
            currency=text["currency"].strip() or None,
            won_on=won_on,
            description=text["description"],
        )
        validation.deal_row(
            0,
            values.amount,
            currency=values.currency,
            won_on=won_on,
            description=values.description,
        )  # the same checks as saving, before anything is saved
        return values
