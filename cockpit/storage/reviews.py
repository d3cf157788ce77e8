"""The stored weekly reviews: what `cockpit.review.keeping` reads and writes of a review
(begun, answered, finished) and of the items it changes (follow-ups, plans, promised
touches, snoozed clients), as plain data; and what the reviews keep of a client, taken
out when the client or their profile is gone."""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peewee import fn

from cockpit.storage.models import (
    Client,
    Interaction,
    PlannedCommunication,
    Review,
    ReviewAction,
    ScheduledTouch,
    database_proxy,
)
from cockpit.storage.reps import current_rep, on_server
from cockpit.storage.revision import quoted_schema
from cockpit.validation import as_date
from cockpit.vocabulary import Lifecycle


def forget_client(client_id: int, *, occasions_only: bool = False) -> None:
    """Take a client's items (or only their occasions, which quote profile answers)
    out of every stored review agenda: deleting a client or erasing a profile
    must leave no copy behind. On a team book the server does it, in every rep's reviews
    (see `team.install_row_security`), once the client or their answers are gone."""
    if on_server():
        schema = quoted_schema(database_proxy.obj)
        database_proxy.execute_sql(f"SELECT {schema}.cockpit_forget_in_reviews(%s)", (client_id,))
        return
    with database_proxy.atomic():
        for review in Review.select(Review.id, Review.agenda):
            try:
                data, changed = _without(json.loads(review.agenda), client_id, occasions_only)
            except (ValueError, TypeError, KeyError, AttributeError):
                continue  # not an agenda Cockpit wrote (a damaged file): nothing of ours
            if changed:
                Review.update(agenda=json.dumps(data)).where(Review.id == review.id).execute()


def _without(data: dict, client_id: int, occasions_only: bool) -> tuple[dict, bool]:
    changed = False
    for part in data["parts"]:
        kept = [
            item
            for item in part["items"]
            if item["client_id"] != client_id or (occasions_only and item["part"] != "occasions")
        ]
        changed |= len(kept) != len(part["items"])
        part["items"] = kept
    return data, changed


@dataclass(frozen=True)
class StoredReview:
    """A weekly review as kept: its agenda and summary as the JSON text stored."""

    id: int
    week_start: date
    agenda: str
    finished: bool
    summary: str


def transaction() -> AbstractContextManager:
    """One transaction for a review's reads and writes (nested ones are savepoints)."""
    return database_proxy.atomic()


def _mine():
    """The user's own reviews: on a team book a manager may read the reps' too."""
    return Review.owner == current_rep() if on_server() else True


def latest_review(as_of: date, days: int, *, finished: bool) -> StoredReview | None:
    """The user's latest review begun in the `days` days up to `as_of`, finished or not."""
    query = (
        Review.select()
        .where(
            Review.finished_at.is_null(not finished)
            & (Review.week_start <= as_of)
            & (Review.week_start > as_of - timedelta(days=days))
            & _mine()
        )
        .order_by(Review.week_start.desc(), Review.id.desc())
    )
    review = query.first()
    return None if review is None else _stored(review)


def latest_start_before(day: date) -> date | None:
    """The day the user's latest review begun before `day` began, if any."""
    latest = Review.select(fn.MAX(Review.week_start)).where((Review.week_start < day) & _mine())
    return as_date(latest.scalar())


def _stored(review: Review) -> StoredReview:
    return StoredReview(
        review.id,
        review.week_start,
        review.agenda,
        review.finished_at is not None,
        review.summary,
    )


def review_by_id(review_id: int) -> StoredReview:
    """The review with that id (peewee's DoesNotExist if there is none)."""
    return _stored(Review.get_by_id(review_id))


def open_review_of(review_id: int) -> StoredReview | None:
    """The review with that id, None if there is none."""
    review = Review.get_or_none(Review.id == review_id)
    return None if review is None else _stored(review)


def begin_review(week_start: date, started_at: datetime, agenda: str, owner: str) -> int:
    return Review.create(
        week_start=week_start, started_at=started_at, agenda=agenda, owner=owner
    ).id


def review_answers(review_id: int) -> list[tuple[str, str, date | None]]:
    """(item key, step, day) of each item a review answered."""
    return [
        (action.item_key, action.step, action.on_date)
        for action in ReviewAction.select().where(ReviewAction.review == review_id)
    ]


def answer_of(review_id: int, item_key: str) -> str | None:
    """The step a review recorded for an item, if any."""
    action = ReviewAction.get_or_none(
        (ReviewAction.review == review_id) & (ReviewAction.item_key == item_key)
    )
    return None if action is None else action.step


def keep_answer(
    review_id: int, item_key: str, step: str, on_date: date | None, at: datetime
) -> None:
    """Record (or replace) what a review did with an item."""
    ReviewAction.insert(
        review=review_id,
        item_key=item_key,
        step=step,
        on_date=on_date,
        created_at=at,
    ).on_conflict(
        conflict_target=[ReviewAction.review, ReviewAction.item_key],
        update={
            ReviewAction.step: step,
            ReviewAction.on_date: on_date,
            ReviewAction.created_at: at,
        },
    ).execute()


def finish_review(review_id: int, at: datetime, summary: str) -> None:
    Review.update(finished_at=at, summary=summary).where(Review.id == review_id).execute()


def client_exists(client_id: int) -> bool:
    return Client.select().where(Client.id == client_id).exists()


def clients_present(client_ids: Iterable[int]) -> set[int]:
    """Those of the clients still in the book."""
    return {
        client_id
        for (client_id,) in Client.select(Client.id)
        .where(Client.id.in_(sorted(set(client_ids))))
        .tuples()
    }


def close_follow_up(interaction_id: int) -> None:
    Interaction.update(follow_up_done=True).where(Interaction.id == interaction_id).execute()


def move_follow_up(interaction_id: int, day: date) -> bool:
    """Move a follow-up to `day`; False if the touch holding it is gone."""
    moved = Interaction.update(follow_up_on=day).where(Interaction.id == interaction_id).execute()
    return bool(moved)


def plans_still_due(plan_ids: Iterable[int], by: date) -> list[int]:
    """Those of the plans that still exist and are due by `by`, in the order given: a plan
    kept since its review item was made (moved on a period) is not kept twice."""
    wanted = list(plan_ids)
    due = {
        plan_id
        for (plan_id,) in PlannedCommunication.select(PlannedCommunication.id)
        .where(PlannedCommunication.id.in_(wanted) & (PlannedCommunication.next_due <= by))
        .tuples()
    }
    return [plan_id for plan_id in wanted if plan_id in due]


def move_plan(plan_id: int, day: date) -> bool:
    """Make a plan next due on `day`; False if the plan is gone."""
    plan = PlannedCommunication.get_or_none(PlannedCommunication.id == plan_id)
    if plan is None:
        return False
    plan.next_due = day
    plan.save()
    return True


def promise_touch(client_id: int, day: date, review_id: int, at: datetime) -> None:
    """A touch promised at a review for `day` (the next review checks it was kept)."""
    ScheduledTouch.create(client=client_id, due_on=day, review=review_id, created_at=at)


def snooze_client(client_id: int, day: date) -> None:
    Client.update(snoozed_until=day).where(Client.id == client_id).execute()


def set_cadence(client_id: int, days: int, at: datetime) -> None:
    """Give a client its own keep-in-touch cadence of `days`."""
    Client.update(keep_in_touch_days=days, updated_at=at).where(Client.id == client_id).execute()


def make_former(client_id: int, at: datetime) -> None:
    """Let a client go: a former client is kept and judged, but never listed."""
    Client.update(lifecycle=Lifecycle.FORMER.value, updated_at=at).where(
        Client.id == client_id
    ).execute()
