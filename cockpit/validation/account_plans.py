"""Account plans: what an objective, an action and the plan's own text may hold."""

from __future__ import annotations

from datetime import date

from cockpit.date_limits import check_day
from cockpit.errors import ValidationError
from cockpit.validation.plans import plan_kind
from cockpit.validation.text import clean_line, clean_text
from cockpit.vocabulary import Intent, Kind

DEFAULT_ACTION_KIND = Kind.MEETING
MAX_PLAN_TEXT = 20_000  # characters of the relationship plan, the risks or the competitors


def _day(day: date | None) -> date | None:
    return None if day is None else check_day(day)


def _long(text: str, what: str) -> str:
    cleaned = clean_text(text, what)
    if len(cleaned) > MAX_PLAN_TEXT:
        raise ValidationError(f"{what} is longer than {MAX_PLAN_TEXT:,} characters")
    return cleaned


def plan_text_values(
    relationship: str, risks: str, competitors: str, review_on: date | None
) -> dict:
    """The plan's own text: the relationship plan, risks, competitors, its review date."""
    return {
        "relationship": _long(relationship, "the relationship plan"),
        "risks": _long(risks, "the risks"),
        "competitors": _long(competitors, "the competitors"),
        "review_on": _day(review_on),
    }


def objective_values(what: str, target_on: date | None, measure: str) -> dict:
    """An objective: what we want from the account, by when, and how we will know."""
    return {
        "what": clean_line(what, "the objective", required=True),
        "target_on": _day(target_on),
        "measure": clean_line(measure, "the measure"),
    }


def action_values(
    what: str,
    who: str,
    due_on: date | None,
    kind: Kind | str = DEFAULT_ACTION_KIND,
    intent: Intent | str = Intent.RELATIONSHIP,
) -> dict:
    """An action: what, who on our side does it, by when, and the touch that doing it is
    (its kind; a give or an ask)."""
    try:
        checked_intent = Intent(intent)
    except ValueError:
        raise ValidationError(f"{intent!r} is not an intent; use sales or relationship") from None
    return {
        "what": clean_line(what, "the action", required=True),
        "who": clean_line(who, "who does it", limit=100),
        "due_on": _day(due_on),
        "kind": plan_kind(kind).value,
        "intent": checked_intent.value,
    }
