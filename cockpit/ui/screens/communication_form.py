"""Adding or changing a communication to a segment: a planned communication's fields, and
To: a tier ("core"), an account ("@Acme") or a tag ("#golf"), checked against the book
as it is saved (in a worker), a wrong one said in place with nothing lost."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.widgets import Input, Label

from cockpit.text import printable
from cockpit.ui.screens.plan_form import PlanForm, PlanValues


@dataclass(frozen=True)
class CommunicationValues:
    plan: PlanValues
    to: str  # as typed; `segments.read_segment` reads it


class CommunicationForm(PlanForm):
    AUTO_FOCUS = "#to"

    def __init__(
        self,
        title: str,
        today: date,
        save: Callable[[CommunicationValues], object],
        values: PlanValues | None = None,
        to: str = "",
    ) -> None:
        super().__init__(title, today, values)
        self.to = to
        self.store = save  # run in a worker: it reads the To field against the book

    def fields_first(self) -> ComposeResult:
        yield Label("To: core, other or peripheral; @ and an account; # and a tag")
        yield Input(printable(self.to), placeholder="core", id="to")

    def read(self) -> CommunicationValues:  # type: ignore[override]
        plan = super().read()
        return CommunicationValues(plan, self.query_one("#to", Input).value)
