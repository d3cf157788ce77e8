"""Keeping a weekly review: its record, what was done with each item, and what that changes.

A review is current for the 7 days from the day it began, until it is
finished; opening the review meanwhile resumes it, with the agenda it
began with. Each action changes the book in the same transaction as the
record of it:

- done: a follow-up is marked done; a plan's next date moves on from today; an account
  plan's actions are done, each logging the touch it was; a plan's review is next due a
  quarter on;
- logged (a touch was logged from the review): the same, from the touch's day;
- scheduled: a touch is promised for a day (the next review checks it was kept);
- snoozed: a follow-up or plan moves to the day; a client item snoozes the client;
- skipped: nothing; the item comes back at the next review;
- let go (`let_go`, a lapsed client or one eating time): the client becomes former, and
  the item is done.

An item stands for all of its client's follow-ups (or plans) in its part: each answer
changes them all.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta

from cockpit import clock
from cockpit.errors import ValidationError
from cockpit.review.account_plans import ACTIONS_PART, REVIEWS_PART
from cockpit.review.account_plans import answered as plan_item_answered
from cockpit.review.items import CLIENT_PARTS, WEEK_DAYS, Agenda, AgendaItem
from cockpit.storage import book, reviews
from cockpit.storage.reviews import StoredReview
from cockpit.vocabulary import ReviewStep

STEPS_NEEDING_A_DAY = frozenset({ReviewStep.SCHEDULED, ReviewStep.SNOOZED})
SNOOZABLE = CLIENT_PARTS | {"follow-ups", "plans", ACTIONS_PART, REVIEWS_PART}
LET_GO_PARTS = frozenset({"lapsed", "eating", "capacity"})  # where `let_go` makes one former
RELAX_PARTS = frozenset({"capacity"})  # where `relax_cadence` gives a client a longer cadence


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
    finished: bool = False
    summary: dict[str, int] | None = None

    @property
    def handled(self) -> int:
        return sum(1 for c in self.choices.values() if c.step is not ReviewStep.SKIPPED)


def current_review(as_of: date) -> StoredReview | None:
    """The user's unfinished review begun in the 7 days up to `as_of`, if any."""
    return reviews.latest_review(as_of, WEEK_DAYS, finished=False)


def finished_review(as_of: date) -> StoredReview | None:
    """The user's review finished in the 7 days up to `as_of`, if any (the latest)."""
    return reviews.latest_review(as_of, WEEK_DAYS, finished=True)


def open_review(as_of: date, build, *, again: bool = False) -> OpenReview:
    """Resume the current review, or begin one with the agenda `build(as_of)` makes.

    A review finished this week is shown as it ended (its `finished` set) unless
    `again`. A resumed review keeps its items but takes their wording from a
    fresh agenda ("due today" stays true), and drops the items of clients gone.
    """
    review = current_review(as_of)
    if review is None and not again:
        done = finished_review(as_of)
        if done is not None:
            return load(done.id)
    agenda = build(as_of)  # outside the transaction: other writers are not held up
    with reviews.transaction():
        review = current_review(as_of)
        if review is None:
            begun = reviews.begin_review(
                as_of, clock.now_utc(), json.dumps(agenda.snapshot()), book.current_rep()
            )
            return load(begun)
    opened = load(review.id)
    opened.agenda = _refreshed(opened.agenda, agenda)
    return opened


def plans_to_keep(item: AgendaItem, today: date) -> list[int]:
    """The plans a plan item stands for that are still due this week (not kept since)."""
    last_day = today + timedelta(days=WEEK_DAYS - 1)
    return reviews.plans_still_due((item.plan_id, *item.also_ids), last_day)


def _refreshed(kept: Agenda, fresh: Agenda) -> Agenda:
    wording = {item.key: item for item in fresh.items}
    present = reviews.clients_present(i.client_id for i in kept.items)
    for part in kept.parts:
        part.items = [
            replace(
                item,
                text=wording[item.key].text,
                due=wording[item.key].due,
                also_ids=wording[item.key].also_ids,  # what the text names, it acts on
            )
            if item.key in wording
            else item
            for item in part.items
            if item.client_id in present
        ]
    kept.as_of = fresh.as_of
    return kept


def load(review_id: int) -> OpenReview:
    review = reviews.review_by_id(review_id)
    choices = {
        item_key: Choice(ReviewStep(step), on_date)
        for item_key, step, on_date in reviews.review_answers(review_id)
    }
    return OpenReview(
        review.id,
        review.week_start,
        Agenda.from_snapshot(json.loads(review.agenda)),
        choices,
        finished=review.finished,
        summary=json.loads(review.summary) if review.summary else None,
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
    if step is ReviewStep.SNOOZED and item.part not in SNOOZABLE:
        raise ValidationError("an occasion cannot be snoozed; mark it done or skip it")
    with reviews.transaction():
        gone = _still_open(review_id, item)
        if gone and step not in (ReviewStep.DONE, ReviewStep.SKIPPED):
            raise ValidationError(f"{item.client} is no longer in the book; skip the item")
        if not gone:
            _apply(review_id, item, step, on_date, today)
        reviews.keep_answer(review_id, item.key, step.value, on_date, clock.now_utc())
    return Choice(step, on_date)


def let_go(review_id: int, item: AgendaItem) -> Choice:
    """Let the item's client go: it becomes a former client (kept, never listed again;
    the client form makes it active again), and the item is done."""
    if item.part not in LET_GO_PARTS:
        raise ValidationError("only a lapsed client, or one eating your time, is let go here")
    with reviews.transaction():
        if _still_open(review_id, item):
            raise ValidationError(f"{item.client} is no longer in the book; skip the item")
        now = clock.now_utc()
        reviews.make_former(item.client_id, now)
        reviews.keep_answer(review_id, item.key, ReviewStep.DONE.value, None, now)
    return Choice(ReviewStep.DONE, None)


def relax_cadence(review_id: int, item: AgendaItem) -> Choice:
    """Give the item's client the longer keep-in-touch cadence the item offers (their own
    from now on; the client form changes it), and the item is done."""
    if item.part not in RELAX_PARTS or item.cadence_days is None:
        raise ValidationError("only a client of the capacity part has a cadence relaxed here")
    with reviews.transaction():
        if _still_open(review_id, item):
            raise ValidationError(f"{item.client} is no longer in the book; skip the item")
        now = clock.now_utc()
        reviews.set_cadence(item.client_id, item.cadence_days, now)
        reviews.keep_answer(review_id, item.key, ReviewStep.DONE.value, None, now)
    return Choice(ReviewStep.DONE, None)


def _still_open(review_id: int, item: AgendaItem) -> bool:
    """Refuse an answer to a finished review or to an item already answered; whether the
    item's client is gone from the book."""
    review = reviews.open_review_of(review_id)
    if review is None or review.finished:
        raise ValidationError("this review is finished; press w to begin a new one")
    earlier = reviews.answer_of(review_id, item.key)
    if earlier is not None and earlier != ReviewStep.SKIPPED.value:
        # What it did (a follow-up closed, a plan moved, a promise made) stays done.
        raise ValidationError(f"{item.client}: already answered ({earlier})")
    return not reviews.client_exists(item.client_id)


def _apply(
    review_id: int, item: AgendaItem, step: ReviewStep, on_date: date | None, today: date
) -> None:
    """The change an answer stands for; an item holding several follow-ups or plans of its
    client (`also_ids`) changes them all; an account plan's item, its actions or review."""
    if item.account_plan_id is not None and step is not ReviewStep.SCHEDULED:
        plan_item_answered(item, step.value, on_date, today)
        return
    if step in (ReviewStep.DONE, ReviewStep.LOGGED):
        if item.interaction_id is not None:
            for touch_id in (item.interaction_id, *item.also_ids):
                reviews.close_follow_up(touch_id)
        if item.plan_id is not None:
            for plan_id in plans_to_keep(item, today):
                book.plan_done(plan_id, on_date or today)
        return
    elif step is ReviewStep.SCHEDULED:
        reviews.promise_touch(item.client_id, on_date, review_id, clock.now_utc())
    elif step is ReviewStep.SNOOZED:
        if item.interaction_id is not None:
            moved = [
                reviews.move_follow_up(i, on_date) for i in (item.interaction_id, *item.also_ids)
            ]
            if not any(moved):
                raise ValidationError("that follow-up no longer exists")
        elif item.plan_id is not None:
            moved = [reviews.move_plan(i, on_date) for i in (item.plan_id, *item.also_ids)]
            if not any(moved):
                raise ValidationError("that plan no longer exists")
        elif item.part in CLIENT_PARTS:
            reviews.snooze_client(item.client_id, on_date)


def finish(review_id: int) -> dict[str, int]:
    """Close the review; its summary (counts of each step, and of items) is kept with it."""
    with reviews.transaction():
        review = load(review_id)
        counts = Counter(choice.step.value for choice in review.choices.values())
        summary = {step.value: counts.get(step.value, 0) for step in ReviewStep}
        summary["items"] = len(review.agenda.items)
        summary["untouched"] = sum(1 for i in review.agenda.items if i.key not in review.choices)
        reviews.finish_review(review_id, clock.now_utc(), json.dumps(summary))
    return summary
