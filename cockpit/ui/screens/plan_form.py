"""Adding or changing a planned communication (e.g. a quarterly market update by email)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from cockpit import validation
from cockpit.errors import ValidationError
from cockpit.text import printable, safe_text
from cockpit.ui.screens.form_screen import FormScreen
from cockpit.ui.widgets.date_field import DateField
from cockpit.ui.widgets.phrase_field import with_preview
from cockpit.validation.plans import DEFAULT_PLAN_KIND
from cockpit.vocabulary import KIND_INFO, TOUCH_KINDS, Kind, PlanUnit

PLAN_KINDS = [kind for kind in Kind if kind in TOUCH_KINDS]  # in the order of the quick log


@dataclass(frozen=True)
class PlanValues:
    what: str
    every: int
    unit: str
    next_due: date
    kind: str = DEFAULT_PLAN_KIND.value  # the kind of touch that keeps it


class PlanForm(FormScreen[PlanValues]):
    DEFAULT_CSS = """
    PlanForm .row {
        height: auto;
    }
    PlanForm .row > Input {
        width: 12;
    }
    PlanForm .row > Select {
        width: 20;
    }
    """
    AUTO_FOCUS = "#what"

    def __init__(self, title: str, today: date, values: PlanValues | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.today = today
        self.values = values

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(self.title_text, "bold"))
            yield from self.fields_first()
            yield from self.plan_fields()
            yield from self.form_end()

    def fields_first(self) -> ComposeResult:
        """Fields before the plan's own (none here)."""
        yield from ()

    def plan_fields(self) -> ComposeResult:
        v = self.values
        yield Label("What (e.g. Quarterly market update)")
        yield Input(printable(v.what) if v else "", id="what")
        yield Label("Every")
        with Horizontal(classes="row"):
            yield Input(str(v.every) if v else "3", id="every")
            yield Select(
                [(unit.value, unit.value) for unit in PlanUnit],
                value=v.unit if v else PlanUnit.MONTHS.value,
                allow_blank=False,
                id="unit",
            )
        yield Label("Next due (a date or a phrase: friday, in 2 weeks, 2027-01-15)")
        yield from with_preview(
            DateField(
                v.next_due if v else None,
                self.today,
                from_today=True,
                label="Next due",
                id="next_due",
            )
        )
        yield Label("Kept by (marking it done logs this kind of touch)")
        yield Select(
            [(KIND_INFO[kind].label, kind.value) for kind in PLAN_KINDS],
            value=v.kind if v else DEFAULT_PLAN_KIND.value,
            allow_blank=False,
            id="kind",
        )

    def read(self) -> PlanValues:
        every_text = self.query_one("#every", Input).value.strip()
        if not (every_text.isascii() and every_text.isdigit()) or int(every_text) == 0:
            raise ValidationError("Every: a whole number above zero, such as 3")
        next_due = self.query_one("#next_due", DateField).read()
        if next_due is None:
            raise ValidationError("Next due: type a date, such as in 2 weeks")
        values = PlanValues(
            what=self.query_one("#what", Input).value,
            every=int(every_text),
            unit=str(self.query_one("#unit", Select).value),
            next_due=next_due,
            kind=str(self.query_one("#kind", Select).value),
        )
        validation.check_plan(values.what, values.every, values.unit, values.kind)
        return values
