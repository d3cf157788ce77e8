"""Recording a won deal for the selected client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static

from cockpit import validation
from cockpit.text import printable, safe_text
from cockpit.ui.screens.form_screen import FormScreen
from cockpit.ui.widgets.date_field import DateField
from cockpit.ui.widgets.phrase_field import with_preview


@dataclass(frozen=True)
class DealValues:
    amount: str
    currency: str | None
    won_on: date
    description: str

    def details(self) -> dict:
        """The keywords `book.add_deal` takes besides the client and the amount."""
        return {"currency": self.currency, "won_on": self.won_on, "description": self.description}


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
            yield Label("Won on (a date or a phrase: yesterday, last friday, 2026-11-20)")
            yield from with_preview(
                DateField(self.today, self.today, future=False, label="Won on", id="won_on")
            )
            yield Label("What was won")
            yield Input(id="description")
            yield from self.form_end()

    def read(self) -> DealValues:
        text = {w.id: w.value for w in self.query(Input)}
        won_on = self.query_one("#won_on", DateField).read() or self.today
        values = DealValues(
            amount=text["amount"],
            currency=text["currency"].strip() or None,
            won_on=won_on,
            description=text["description"],
        )
        # The same checks as saving, before anything is saved.
        validation.deal_row(0, values.amount, **values.details())
        return values


def record_deal(main) -> None:
    """The flow: a won deal for the client the cockpit's main screen `main` has selected."""
    from cockpit.config import settings
    from cockpit.storage import book

    selected = main.selected_client()
    if selected is None:
        return

    def saved(values: DealValues | None) -> None:
        if values is None:
            return

        def recorded(result: book.RecordedDeal) -> None:
            active = " No longer a prospect: now an active client." if result.made_active else ""
            main.notify(
                printable(f"Recorded a won deal for {selected.name}.{active}"), markup=False
            )
            main.load_book(selected.id)

        main.app.in_book(
            lambda: book.record_deal(selected.id, values.amount, **values.details()), recorded
        )

    label = selected.name + (f" ({selected.company})" if selected.company else "")
    main.app.push_screen(DealForm(label, main.today, settings().currency), saved)
