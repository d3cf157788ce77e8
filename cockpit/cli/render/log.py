"""What `cockpit log` prints."""

from __future__ import annotations

from cockpit.text import printable
from cockpit.vocabulary import a_kind


def touch_logged(client: str, touch) -> str:
    follow = f"; follow up on {touch.follow_up_on.isoformat()}" if touch.follow_up_on else ""
    return printable(
        f"Logged {a_kind(touch.kind)} ({touch.intent}, {touch.duration_min} min) with "
        f"{client} on {touch.day.isoformat()}{follow}."
    )
