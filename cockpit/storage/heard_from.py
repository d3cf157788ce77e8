"""The days clients wrote to you (`heard_from`, imported mail), as the weekly review's
replies part reads them: with each client's name, company, rep and last touch."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from cockpit.storage.models import Client, HeardFrom, ReviewAction
from cockpit.vocabulary import Lifecycle


class HeardLine(NamedTuple):
    client_id: int
    client: str
    company: str
    owner: str
    day: date
    summary: str
    last_touch_on: date | None  # the client's last touch (notes aside)


def heard_since(since: date) -> list[HeardLine]:
    """The heard-from lines of `since` or later, of clients neither archived nor former,
    the oldest first."""
    query = (
        HeardFrom.select(
            Client.id,
            Client.name,
            Client.company,
            Client.owner,
            HeardFrom.day,
            HeardFrom.summary,
            Client.last_touch_on,
        )
        .join(Client)
        .where(
            (HeardFrom.day >= since)
            & (Client.archived == False)  # noqa: E712  (SQL, not Python)
            & (Client.lifecycle != Lifecycle.FORMER.value)
        )
        .order_by(HeardFrom.day, HeardFrom.id)
    )
    return [HeardLine(*row) for row in query.tuples()]


def answered_item_keys(prefix: str) -> list[str]:
    """The keys starting with `prefix` of the review items answered in any review."""
    query = ReviewAction.select(ReviewAction.item_key).where(
        ReviewAction.item_key.startswith(prefix)
    )
    return [key for (key,) in query.tuples()]
