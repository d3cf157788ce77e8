"""The key account plan as the screens, the commands, the review and the brief use it: whose
plan a client's is, whom an action's touch is with, and doing an action (the touch it was
logged in the same step)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cockpit.account_view import account_health, whom_to_call
from cockpit.dates import ago, day_seen_from
from cockpit.errors import ValidationError
from cockpit.storage import account_plans
from cockpit.storage.account_plans import Action, Plan, PlanFor
from cockpit.storage.touches import LoggedTouch

REVIEW_EVERY_MONTHS = 3  # a plan reviewed in the weekly review is next due a quarter later


def plan_for_client(client_id: int) -> Plan:
    return account_plans.read_plan(account_plans.plan_for_client(client_id))


def plan_for_account(account_id: int) -> Plan:
    return account_plans.read_plan(PlanFor(account_id=account_id))


@dataclass(frozen=True)
class Person:
    client_id: int
    name: str


def account_people(account_id: int, today: date) -> list[Person]:
    """The people at an account now, by name: whom an action may be with."""
    account = account_health(account_id, today)
    if account is None:
        return []
    people = sorted(account.current_people, key=lambda p: p.name.casefold())
    return [Person(person.client_id, person.name) for person in people]


def person_for(subject: PlanFor, action: Action | None, today: date) -> Person | None:
    """Whom an action's touch is with: the person it names, else the plan's client, else the
    one to call at the account (`whom_to_call`); None when the account has nobody now."""
    if action is not None and action.client_id is not None:
        return Person(action.client_id, action.client_name)
    if subject.client_id is not None:
        return Person(subject.client_id, account_plans.name_of(subject))
    account = account_health(subject.account_id, today)
    people = [p for p in account.current_people if p.verdict] if account else []
    if not people:
        return None
    person = whom_to_call(people)
    return Person(person.client_id, person.name)


def do_action(subject: PlanFor, action: Action, today: date) -> tuple[LoggedTouch, Person]:
    """Mark the action done today and log the touch it was, with `person_for`; `undo_log`
    takes both back."""
    person = person_for(subject, action, today)
    if person is None:
        raise ValidationError(
            "nobody is at the account now to log the touch with; mark it done with x instead"
        )
    return account_plans.do_action(action.id, today, person.client_id), person


def open_actions_line(client_id: int, today: date, limit: int = 3) -> str:
    """The open actions of the plan a client's work goes by, in a line, the soonest due
    first ("" when none)."""
    actions = plan_for_client(client_id).open_actions
    if not actions:
        return ""
    shown = "; ".join(action_words(action, today) for action in actions[:limit])
    more = len(actions) - limit
    return shown + (f"; and {more} more" if more > 0 else "")


def action_words(action: Action, today: date) -> str:
    """ "Book the QBR (me, with Ann Lee), due Mon 1 Feb" / "…, overdue since …"."""
    who = ", ".join(
        part
        for part in (action.who, f"with {action.client_name}" if action.client_name else "")
        if part
    )
    text = action.what + (f" ({who})" if who else "")
    if action.done_on is not None:
        return f"{text}, done {day_seen_from(action.done_on, today)}"
    if action.due_on is None:
        return text
    if action.due_on < today:
        since = day_seen_from(action.due_on, today)
        return f"{text}, overdue since {since} ({ago(action.due_on, today)})"
    if action.due_on == today:
        return f"{text}, due today"
    return f"{text}, due {day_seen_from(action.due_on, today)}"
