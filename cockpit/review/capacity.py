"""The review's first part, when your plans need more hours than you said you have: the
peripheral clients whose keep-in-touch cadence frees the most time when relaxed, each
with the cadence `r` gives it (`keeping.relax_cadence`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from cockpit import capacity
from cockpit.health import ClientHealth
from cockpit.review.items import AgendaItem

PART = "capacity"


def over_capacity(
    as_of: date, reps: Sequence[str] | None, verdicts: Sequence[ClientHealth]
) -> tuple[str, list[AgendaItem]]:
    """What the part says first, and its items ("" and none when the plans fit, when no
    capacity is set, or for a whole team: capacity is one person's)."""
    hours = capacity.capacity_hours()
    if hours is None or reps is None:
        return "", []
    found = capacity.demand(as_of, reps)
    if not found.over(hours):
        return "", []
    listed = {
        v.id: v
        for v in verdicts
        if v.lifecycle != "former" and (v.snoozed_until is None or v.snoozed_until <= as_of)
    }
    items = []
    for client in found.peripheral:
        verdict = listed.get(client.client_id)
        relaxed = client.relaxed_days
        if verdict is None or relaxed is None or client.saved_by_relaxing() <= 0:
            continue
        items.append(
            AgendaItem(
                f"{PART}:{client.client_id}",
                PART,
                client.client_id,
                verdict.name,
                verdict.company,
                _text(client, relaxed),
                cadence_days=relaxed,
            )
        )
    return capacity.sentence(found, hours), items


def _text(client: capacity.ClientDemand, relaxed: int) -> str:
    days = round(client.cadence_days or 0)
    source = {"set": "set by you", "key role": "a key role's"}.get(client.cadence_source or "", "")
    whose = f" ({source})" if source else ""
    return (
        f"Every {days} days{whose}, {client.touch_minutes} min a touch: "
        f"{capacity.hours(client.minutes[0])} a week. "
        f"r: every {relaxed} days frees {capacity.hours(client.saved_by_relaxing())}."
    )
