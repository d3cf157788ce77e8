"""What the stored weekly reviews keep of a client, taken out when the client or their
profile is gone (the reviews themselves are kept by `cockpit.review.keeping`)."""

from __future__ import annotations

import json

from cockpit.storage.models import Review, database_proxy
from cockpit.storage.reps import on_server
from cockpit.storage.revision import quoted_schema


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
