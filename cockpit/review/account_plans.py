"""The weekly review's account plan parts: the plans' actions due by the week's end (the
overdue first), and the plans whose review date has come. An item names the person to
talk to: the one the first action names, the plan's client, else the one to call at the
account."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from cockpit.account_plan import REVIEW_EVERY_MONTHS, action_words, person_for
from cockpit.dates import ago, short_day
from cockpit.phrases import add_months
from cockpit.review.items import WEEK_DAYS, AgendaItem
from cockpit.storage import account_plans

ACTIONS_PART = "plan-actions"
REVIEWS_PART = "plan-reviews"


def _ours(owner: str, reps: Collection[str] | None) -> bool:
    return reps is None or owner in reps


def actions_due(as_of: date, reps: Collection[str] | None = None) -> list[AgendaItem]:
    """An item per plan (of `reps`' accounts and clients, when given) holding its open
    actions due by the week's end, the plan with the most overdue first."""
    week_end = as_of + timedelta(days=WEEK_DAYS - 1)
    by_plan: dict[int, list[account_plans.ActionDue]] = {}
    for due in account_plans.actions_due(week_end):  # the most overdue first
        if _ours(due.owner, reps):
            by_plan.setdefault(due.plan_id, []).append(due)
    items = []
    for plan_id, due in by_plan.items():
        first = due[0]
        named = next((d.action for d in due if d.action.client_id is not None), None)
        person = person_for(first.subject, named, as_of)
        if person is None:
            continue  # nobody at the account now: the plan's screen still lists them
        text = "; ".join(action_words(d.action, as_of) for d in due)
        items.append(
            AgendaItem(
                f"{ACTIONS_PART}:{plan_id}:" + "+".join(str(d.action.id) for d in due),
                ACTIONS_PART,
                person.client_id,
                person.name,
                first.name if first.subject.account_id else "",
                f"{first.name}'s account plan: {text}",
                due=first.action.due_on,
                account_plan_id=plan_id,
                action_ids=tuple(d.action.id for d in due),
            )
        )
    return items


def reviews_due(as_of: date, reps: Collection[str] | None = None) -> list[AgendaItem]:
    """An item per plan whose review date falls by the week's end."""
    week_end = as_of + timedelta(days=WEEK_DAYS - 1)
    items = []
    for due in account_plans.reviews_due(week_end):
        if not _ours(due.owner, reps):
            continue
        person = person_for(due.subject, None, as_of)
        if person is None:
            continue
        day = due.review_on
        when = (
            f"was due {short_day(day)} ({ago(day, as_of)})"
            if day < as_of
            else "is due today"
            if day == as_of
            else f"is due {short_day(day)}"
        )
        items.append(
            AgendaItem(
                f"{REVIEWS_PART}:{due.plan_id}:{day.isoformat()}",
                REVIEWS_PART,
                person.client_id,
                person.name,
                due.name if due.subject.account_id else "",
                f"The review of {due.name}'s account plan {when}: objectives, actions, "
                f"risks; marked done, the next review is in {REVIEW_EVERY_MONTHS} months.",
                due=day,
                account_plan_id=due.plan_id,
            )
        )
    return items


def answered(item: AgendaItem, step: str, on_date: date | None, today: date) -> None:
    """What an answer to an account plan item changes: done logs the touch each open
    action was (with its person, else the item's) and marks it done; logged (a touch was
    logged from the review) marks them done that day; snoozed puts them off to the day.
    For a plan review: done (or logged) sets the next review a quarter on, snoozed to the
    day."""
    if item.part == REVIEWS_PART:
        if step in ("done", "logged"):
            account_plans.reviewed(item.account_plan_id, add_months(today, REVIEW_EVERY_MONTHS))
        elif step == "snoozed":
            account_plans.reviewed(item.account_plan_id, on_date)
        return
    still_open = account_plans.actions_still_open(list(item.action_ids))
    if step == "snoozed":
        account_plans.move_actions(still_open, on_date)
    elif step == "logged":
        for action_id in still_open:
            account_plans.set_action_done(action_id, on_date or today)
    elif step == "done":
        for action in account_plans.actions_by_id(still_open):
            person = action.client_id if action.client_id is not None else item.client_id
            account_plans.do_action(action.id, today, person)
