"""Account plans as Markdown: one plan (`cockpit account-plan --markdown`), or every plan in
the book in one document (`cockpit export markdown`). User text is shown as it is: never
emphasis, links or HTML, and never a terminal's control characters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cockpit.account_plan import action_words
from cockpit.dates import day_seen_from, short_day
from cockpit.storage import account_plans
from cockpit.storage.account_plans import Plan
from cockpit.text import counted, markdown_text, printable
from cockpit.vocabulary import a_kind


def plan_title(plan: Plan) -> str:
    whose = "" if plan.subject.account_id is not None else " (a client at no account)"
    return f"Account plan: {plan.name}{whose}"


def plan_facts(plan: Plan, today: date) -> list[str]:
    """Who owns it and when it is reviewed next, in short lines."""
    review = day_seen_from(plan.review_on, today) if plan.review_on else "no date"
    if plan.review_on and plan.review_on < today:
        review += " (overdue)"
    return [f"Owner: {plan.owner or 'nobody yet'}", f"Next review: {review}"]


def objective_words(objective, today: date) -> str:
    text = objective.what
    if objective.target_on:
        text += f", by {day_seen_from(objective.target_on, today)}"
    if objective.measure:
        text += f"; measured by: {objective.measure}"
    return text


def action_line(action, today: date) -> str:
    """An action with how doing it is logged ("an email, a give")."""
    intent = "an ask" if action.intent == "sales" else "a give"
    return f"{action_words(action, today)} [{a_kind(action.kind)}, {intent}]"


TEXT_SECTIONS = (
    ("Relationship plan", "relationship"),
    ("Risks", "risks"),
    ("Competitors", "competitors"),
)


def as_markdown(plan: Plan, today: date, level: int = 1) -> str:
    head = "#" * level
    lines = [f"{head} {markdown_text(plan_title(plan))}", ""]
    lines += [f"- {markdown_text(fact)}" for fact in plan_facts(plan, today)]
    lines += ["", f"{head}# Objectives", ""]
    lines += [f"- {markdown_text(objective_words(o, today))}" for o in plan.objectives] or [
        "None yet."
    ]
    for title, attribute in TEXT_SECTIONS[:1]:
        lines += ["", f"{head}# {title}", "", *_paragraphs(getattr(plan, attribute))]
    lines += ["", f"{head}# Actions", ""]
    lines += [
        f"- [{'x' if action.done_on else ' '}] {markdown_text(action_line(action, today))}"
        for action in plan.actions
    ] or ["None yet."]
    for title, attribute in TEXT_SECTIONS[1:]:
        lines += ["", f"{head}# {title}", "", *_paragraphs(getattr(plan, attribute))]
    return "\n".join(printable(line) for line in lines)


def _paragraphs(text: str) -> list[str]:
    """Free text as Markdown: its lines kept (a hard break each), blank lines between
    paragraphs."""
    if not text.strip():
        return ["None yet."]
    shown = []
    for line in text.splitlines():
        shown.append(markdown_text(line) + "  " if line.strip() else "")
    return [
        line.removesuffix("  ") if i == len(shown) - 1 else line for i, line in enumerate(shown)
    ]


@dataclass
class PlansExport:
    data: bytes = b""
    plans: int = 0

    def warnings(self) -> list[str]:
        return []

    @property
    def done(self) -> str:
        return counted(self.plans, "account plan")


def export_plans(today: date) -> PlansExport:
    """Every account plan in the book with something in it, the accounts' by name first,
    then the clients' own, in one Markdown document."""
    plans = [account_plans.read_plan(subject) for subject in account_plans.plan_subjects()]
    plans = [plan for plan in plans if not plan.is_empty]
    parts = [f"# Account plans, {short_day(today)} {today.year}", ""]
    if not plans:
        parts.append("No account plan holds anything yet.")
    for plan in plans:
        parts += [as_markdown(plan, today, level=2), ""]
    text = "\n".join(parts).rstrip("\n") + "\n"
    return PlansExport(text.encode("utf-8"), len(plans))
