"""What the stored weekly reviews keep of a client, taken out when the client or their
profile is gone (the reviews themselves are kept by `cockpit.review.keeping`)."""

from __future__ import annotations

import json

from cockpit.storage.models import Review, database_proxy
from cockpit.storage.reps import on_server


def forget_client(client_id: int, *, occasions_only: bool = False) -> None:
    """Take a client's items (or only their occasions, which quote profile answers)
    out of every stored review agenda: deleting a client or erasing a profile
    must leave no copy behind. On a team book the server does it, in every rep's reviews
    (see `team.install_row_security`), once the client or their answers are gone."""
    if on_server():
        database_proxy.execute_sql("SELECT cockpit_forget_in_reviews(%s)", (client_id,))
        return
    with database_proxy.atomic():
        for review in Review.select(Review.id, Review.agenda):
            data = json.loads(review.agenda)
            changed = False
            for part in data["parts"]:
                kept = [
                    item
                    for item in part["items"]
                    if item["client_id"] != client_id
                    or (occasions_only and item["part"] != "occasions")
                ]
                changed |= len(kept) != len(part["items"])
                part["items"] = kept
            if changed:
                Review.update(agenda=json.dumps(data)).where(Review.id == review.id).execute()
