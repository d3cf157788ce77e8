"""Planned communications: what a plan holds and when it is due again."""

from __future__ import annotations

from datetime import date, timedelta

from cockpit.date_limits import check_day
from cockpit.errors import ValidationError
from cockpit.phrases import add_months
from cockpit.validation.text import clean_line
from cockpit.vocabulary import TOUCH_KINDS, Kind, PlanUnit

DEFAULT_PLAN_KIND = Kind.EMAIL


def plan_kind(kind: Kind | str) -> Kind:
    """The kind of touch that keeps a plan: any touch, not an internal note."""
    try:
        checked = Kind(kind)
    except ValueError:
        checked = None
    if checked not in TOUCH_KINDS:
        known = ", ".join(item.value for item in Kind if item in TOUCH_KINDS)
        raise ValidationError(f"{kind!r} is not a kind of touch a plan keeps; use one of {known}")
    return checked


def plan_values(
    what: str, every: int, unit: PlanUnit | str, kind: Kind | str = DEFAULT_PLAN_KIND
) -> dict:
    try:
        unit = PlanUnit(unit)
    except ValueError:
        raise ValidationError(f"{unit!r} is not a unit; use days, weeks or months") from None
    if isinstance(every, bool) or not isinstance(every, int) or not 0 < every <= 1000:
        raise ValidationError("a plan repeats every 1 to 1000 days, weeks or months")
    return {
        "what": clean_line(what, "what is planned", required=True),
        "every": every,
        "unit": unit.value,
        "kind": plan_kind(kind).value,
    }


def check_plan(
    what: str, every: int, unit: PlanUnit | str, kind: Kind | str = DEFAULT_PLAN_KIND
) -> None:
    """Raise ValidationError if a plan with these values cannot be stored."""
    plan_values(what, every, unit, kind)


def next_plan_date(every: int, unit: PlanUnit | str, done_on: date) -> date:
    """When a plan is due again: one period after the day it was done."""
    if PlanUnit(unit) is PlanUnit.MONTHS:
        return check_day(add_months(done_on, every))
    days = every * (7 if PlanUnit(unit) is PlanUnit.WEEKS else 1)
    return check_day(done_on + timedelta(days=days))
