"""Keeping a weekly review: its record, what was done with each item, and what that changes.

A review is current for the 7 days from the day it began, until it is
finished; opening the review meanwhile resumes it, with the agenda it
began with. Each action changes the book in the same transaction as the
record of it:

- done: a follow-up is marked done; a plan's next date moves on from today;
- logged (a touch was logged from the review): the same, from the touch's day;
- scheduled: a touch is promised for a day (the next review checks it was kept);
- snoozed: a follow-up or plan moves to the day; a client item snoozes the client;
- skipped: nothing; the item comes back at the next review.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from cockpit import clock
from cockpit.errors import ValidationError
from cockpit.review import CLIENT_PARTS, WEEK_DAYS, Agenda, AgendaItem
from cockpit.storage import book
from cockpit.storage.models import (
    Client,
    Interaction,
    PlannedCommunication,
    Review,
    ReviewAction,
    ScheduledTouch,
    database_proxy,
)
from cockpit.vocabulary import ReviewStep

STEPS_NEEDING_A_DAY = frozenset({ReviewStep.SCHEDULED, ReviewStep.SNOOZED})


@dataclass(frozen=True)
class Choice:
    step: ReviewStep
    on_date: date | None


@dataclass
class OpenReview:
    id: int
    week_start: date
    agenda: Agenda
    choices: dict[str, Choice]  # item key -> the latest choice

    @property
    def handled(self) -> int:
        return sum(1 for c in self.choices.values() if c.step is not ReviewStep.SKIPPED)


def current_review(as_of: date) -> Review | None:
    """The unfinished review begun in the 7 days up to `as_of`, if any."""
    return (
        Review.select()
        .where(
            Review.finished_at.is_null()
            & (Review.week_start <= as_of)
            & (Review.week_start > as_of - timedelta(days=WEEK_DAYS))
        )
        .order_by(Review.week_start.desc(), Review.id.desc())
        .first()
    )


def open_review(as_of: date, build) -> OpenReview:
    """Resume the current review, or begin one with the agenda `build(as_of)` makes."""
    with database_proxy.atomic():
        review = current_review(as_of)
        if review is None:
            agenda = build(as_of)
            review = Review.create(
                week_start=as_of,
                started_at=clock.now_utc(),
                agenda=json.dumps(agenda.snapshot()),
            )
        return load(review.id)


def load(review_id: int) -> OpenReview:
    review = Review.get_by_id(review_id)
    choices = {
        action.item_key: Choice(ReviewStep(action.step), action.on_date)
        for action in ReviewAction.select().where(ReviewAction.review == review_id)
    }
    return OpenReview(
        review.id,
        review.week_start,
        Agenda.from_snapshot(json.loads(review.agenda)),
        choices,
    )


def record(
    review_id: int, item: AgendaItem, step: ReviewStep | str, on_date: date | None = None
) -> Choice:
    """Record what the user did with an item, and make the change it stands for."""
    step = ReviewStep(step)
    if step in STEPS_NEEDING_A_DAY and on_date is None:
        raise ValidationError(f"{step.value} needs a day")
    today = clock.today()
    if step in STEPS_NEEDING_A_DAY and on_date <= today:
        raise ValidationError(f"{on_date.isoformat()} is not after today; choose a later day")
    with database_proxy.atomic():
        if not Client.select().where(Client.id == item.client_id).exists():
            raise ValidationError(f"{item.client} is no longer in the book")
        _apply(review_id, item, step, on_date, today)
        ReviewAction.insert(
            review=review_id,
            item_key=item.key,
            step=step.value,
            on_date=on_date,
            created_at=clock.now_utc(),
        ).on_conflict(
            conflict_target=[ReviewAction.review, ReviewAction.item_key],
            update={
                ReviewAction.step: step.value,
                ReviewAction.on_date: on_date,
                ReviewAction.created_at: clock.now_utc(),
            },
        ).execute()
    return Choice(step, on_date)


def _apply(
    review_id: int, item: AgendaItem, step: ReviewStep, on_date: date | None, today: date
) -> None:
    if step in (ReviewStep.DONE, ReviewStep.LOGGED):
        if item.interaction_id is not None:
            Interaction.update(follow_up_done=True).where(
                Interaction.id == item.interaction_id
            ).execute()
        if _plan(item) is not None:
            book.plan_done(item.plan_id, on_date or today)
    elif step is ReviewStep.SCHEDULED:
        ScheduledTouch.create(
            client=item.client_id, due_on=on_date, review=review_id, created_at=clock.now_utc()
        )
    elif step is ReviewStep.SNOOZED:
        if item.interaction_id is not None:
            Interaction.update(follow_up_on=on_date).where(
                Interaction.id == item.interaction_id
            ).execute()
        elif item.plan_id is not None:
            plan = _plan(item)
            if plan is not None:
                plan.next_due = on_date
                plan.save()
        elif item.part in CLIENT_PARTS:
            Client.update(snoozed_until=on_date).where(Client.id == item.client_id).execute()


def _plan(item: AgendaItem) -> PlannedCommunication | None:
    if item.plan_id is None:
        return None
    return PlannedCommunication.get_or_none(PlannedCommunication.id == item.plan_id)


def finish(review_id: int) -> dict[str, int]:
    """Close the review; its summary (counts of each step, and of items) is kept with it."""
    with database_proxy.atomic():
        review = load(review_id)
        counts = Counter(choice.step.value for choice in review.choices.values())
        summary = {step.value: counts.get(step.value, 0) for step in ReviewStep}
        summary["items"] = len(review.agenda.items)
        summary["untouched"] = sum(1 for i in review.agenda.items if i.key not in review.choices)
        Review.update(finished_at=clock.now_utc(), summary=json.dumps(summary)).where(
            Review.id == review_id
        ).execute()
    return summary
