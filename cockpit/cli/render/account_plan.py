"""An account plan as text and JSON (its Markdown is the export's): user data printed as it
is, never as markup or terminal control."""

from __future__ import annotations

import json
from datetime import date

from cockpit.exporters.plans_markdown import (
    TEXT_SECTIONS,
    action_line,
    objective_words,
    plan_facts,
    plan_title,
)
from cockpit.text import json_printable, printable


def as_text(plan, today: date) -> str:
    lines = [plan_title(plan), *plan_facts(plan, today), "", "Objectives:"]
    lines += [f"  {objective_words(o, today)}" for o in plan.objectives] or ["  none yet"]
    for title, attribute in TEXT_SECTIONS[:1]:
        lines += ["", f"{title}:", *_indented(getattr(plan, attribute))]
    lines += ["", "Actions:"]
    lines += [
        f"  [{'x' if action.done_on else ' '}] {action_line(action, today)}"
        for action in plan.actions
    ] or ["  none yet"]
    for title, attribute in TEXT_SECTIONS[1:]:
        lines += ["", f"{title}:", *_indented(getattr(plan, attribute))]
    return "\n".join(printable(line) for line in lines)


def _indented(text: str) -> list[str]:
    return [f"  {line}" for line in text.splitlines()] if text.strip() else ["  none yet"]


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def as_json(plan, today: date) -> str:
    subject = plan.subject
    document = {
        "plan": plan.id,
        "account": plan.name if subject.account_id is not None else None,
        "account_id": subject.account_id,
        "client": plan.name if subject.client_id is not None else None,
        "client_id": subject.client_id,
        "owner": plan.owner,
        "review_on": _day(plan.review_on),
        "review_overdue": bool(plan.review_on and plan.review_on < today),
        "objectives": [
            {"what": o.what, "target_on": _day(o.target_on), "measure": o.measure}
            for o in plan.objectives
        ],
        "relationship": plan.relationship,
        "actions": [
            {
                "what": a.what,
                "who": a.who,
                "with": a.client_name or None,
                "with_id": a.client_id,
                "kind": a.kind,
                "intent": a.intent,
                "due_on": _day(a.due_on),
                "done_on": _day(a.done_on),
                "overdue": a.overdue(today),
            }
            for a in plan.actions
        ],
        "risks": plan.risks,
        "competitors": plan.competitors,
    }
    return json_printable(json.dumps(document, indent=2, ensure_ascii=False))
