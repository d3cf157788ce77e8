"""The account plan's forms: its own text (the relationship plan, risks, competitors, the
date to review it), an objective, an action. Each checks what it holds as the book will
(`validation.account_plans`) and saves through `store`, so a refusal (another rep's
account on a team book) is shown in place with everything typed kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from cockpit.errors import ValidationError
from cockpit.text import printable, safe_text
from cockpit.ui.screens.form_screen import FormScreen
from cockpit.ui.screens.plan_form import PLAN_KINDS
from cockpit.ui.widgets.date_field import DateField
from cockpit.ui.widgets.phrase_field import with_preview
from cockpit.validation.account_plans import (
    DEFAULT_ACTION_KIND,
    action_values,
    objective_values,
    plan_text_values,
)
from cockpit.vocabulary import KIND_INFO, Intent

NOBODY = "nobody"  # the With select's value for an action with nobody named


def _checked(check: Callable[..., object], *values: object) -> None:
    """`check(*values)`, its refusal said as a sentence of the form."""
    try:
        check(*values)
    except ValidationError as error:
        raise ValidationError(error.message[:1].upper() + error.message[1:]) from None


@dataclass(frozen=True)
class PlanText:
    relationship: str
    risks: str
    competitors: str
    review_on: date | None


class PlanTextForm(FormScreen[PlanText]):
    """The relationship plan (who we see, how often, the gives we intend), risks,
    competitors and the date to review the plan; `focus` names the field to start in."""

    DEFAULT_CSS = """
    PlanTextForm TextArea {
        height: 5;
    }
    PlanTextForm > VerticalScroll {
        width: 90;
    }
    """

    def __init__(
        self,
        name: str,
        today: date,
        current: PlanText,
        store: Callable[[PlanText], object],
        focus: str = "relationship",
    ) -> None:
        super().__init__()
        self.plan_name, self.today, self.current = name, today, current
        self.store = store
        self.AUTO_FOCUS = f"#{focus}"

    def compose(self) -> ComposeResult:
        c = self.current
        with VerticalScroll():
            yield Static(safe_text(f"Account plan: {self.plan_name}", "bold"))
            yield Label("Relationship plan: who we see, how often, the gives we intend")
            yield TextArea(c.relationship, id="relationship", soft_wrap=True)
            yield Label("Risks")
            yield TextArea(c.risks, id="risks", soft_wrap=True)
            yield Label("Competitors")
            yield TextArea(c.competitors, id="competitors", soft_wrap=True)
            yield Label("Review the plan on (empty: no date; the weekly review brings it up)")
            yield from with_preview(
                DateField(c.review_on, self.today, label="Review on", id="review_on")
            )
            yield from self.form_end()

    def read(self) -> PlanText:
        values = PlanText(
            self.query_one("#relationship", TextArea).text,
            self.query_one("#risks", TextArea).text,
            self.query_one("#competitors", TextArea).text,
            self.query_one("#review_on", DateField).read(),
        )
        _checked(
            plan_text_values,
            values.relationship,
            values.risks,
            values.competitors,
            values.review_on,
        )
        return values


@dataclass(frozen=True)
class ObjectiveValues:
    what: str
    target_on: date | None
    measure: str


class ObjectiveForm(FormScreen[ObjectiveValues]):
    """What we want from the account, by when, and how we will know."""

    AUTO_FOCUS = "#what"

    def __init__(
        self,
        title: str,
        today: date,
        store: Callable[[ObjectiveValues], object],
        current: ObjectiveValues | None = None,
    ) -> None:
        super().__init__()
        self.title_text, self.today, self.current = title, today, current
        self.store = store

    def compose(self) -> ComposeResult:
        c = self.current
        with VerticalScroll():
            yield Static(safe_text(self.title_text, "bold"))
            yield Label("Objective (e.g. Renew the framework at 10% more)")
            yield Input(printable(c.what) if c else "", id="what")
            yield Label("Target date (empty: none)")
            yield from with_preview(
                DateField(c.target_on if c else None, self.today, label="Target", id="target_on")
            )
            yield Label("Measure: how we will know (e.g. signed renewal)")
            yield Input(printable(c.measure) if c else "", id="measure")
            yield from self.form_end()

    def read(self) -> ObjectiveValues:
        values = ObjectiveValues(
            self.query_one("#what", Input).value,
            self.query_one("#target_on", DateField).read(),
            self.query_one("#measure", Input).value,
        )
        _checked(objective_values, values.what, values.target_on, values.measure)
        return values


@dataclass(frozen=True)
class ActionValues:
    what: str
    who: str
    client_id: int | None  # the person it is with
    due_on: date | None
    kind: str
    intent: str


class ActionForm(FormScreen[ActionValues]):
    """What, who on our side, with whom at the account, by when, and the touch it is when
    done (its kind; a give or an ask)."""

    DEFAULT_CSS = """
    ActionForm .row {
        height: auto;
    }
    ActionForm .row > Select {
        width: 1fr;
    }
    """
    AUTO_FOCUS = "#what"

    def __init__(
        self,
        title: str,
        today: date,
        people: Sequence[tuple[int, str]],
        store: Callable[[ActionValues], object],
        current: ActionValues | None = None,
    ) -> None:
        super().__init__()
        self.title_text, self.today, self.people, self.current = title, today, people, current
        self.store = store

    def compose(self) -> ComposeResult:
        c = self.current
        with VerticalScroll():
            yield Static(safe_text(self.title_text, "bold"))
            yield Label("Action (e.g. Book the quarterly business review)")
            yield Input(printable(c.what) if c else "", id="what")
            yield Label("Who does it (e.g. me, Dana in support)")
            yield Input(printable(c.who) if c else "me", id="who")
            yield Label("With (done, the touch is logged with them; nobody: the one to call)")
            choices = [(printable(name), str(client_id)) for client_id, name in self.people]
            current = str(c.client_id) if c and c.client_id is not None else NOBODY
            if current != NOBODY and current not in {value for _, value in choices}:
                current = NOBODY  # they left the account since
            yield Select(
                [("nobody named", NOBODY), *choices],
                value=current,
                allow_blank=False,
                id="with",
            )
            yield Label("Due (empty: no date)")
            yield from with_preview(
                DateField(c.due_on if c else None, self.today, label="Due", id="due_on")
            )
            yield Label("Done, it is logged as")
            with Horizontal(classes="row"):
                yield Select(
                    [(KIND_INFO[kind].label, kind.value) for kind in PLAN_KINDS],
                    value=c.kind if c else DEFAULT_ACTION_KIND.value,
                    allow_blank=False,
                    id="kind",
                )
                yield Select(
                    [
                        ("a give (relationship)", Intent.RELATIONSHIP.value),
                        ("an ask (sales)", Intent.SALES.value),
                    ],
                    value=c.intent if c else Intent.RELATIONSHIP.value,
                    allow_blank=False,
                    id="intent",
                )
            yield from self.form_end()

    def read(self) -> ActionValues:
        person = str(self.query_one("#with", Select).value)
        values = ActionValues(
            self.query_one("#what", Input).value,
            self.query_one("#who", Input).value,
            None if person == NOBODY else int(person),
            self.query_one("#due_on", DateField).read(),
            str(self.query_one("#kind", Select).value),
            str(self.query_one("#intent", Select).value),
        )
        _checked(action_values, values.what, values.who, values.due_on, values.kind, values.intent)
        return values
