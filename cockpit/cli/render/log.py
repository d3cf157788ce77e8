"""What `cockpit log` prints."""

from __future__ import annotations

from cockpit.text import printable
from cockpit.vocabulary import a_kind


def touch_logged(client: str, logged, every: int | None = None) -> str:
    """The touch logged, and the keep-in-touch interval `every` it set, if it changed."""
    touch = logged.interaction
    follow = f"; follow up on {touch.follow_up_on.isoformat()}" if touch.follow_up_on else ""
    line = (
        f"Logged {a_kind(touch.kind)} ({touch.intent}, {touch.duration_min} min) with "
        f"{client} on {touch.day.isoformat()}{follow}."
    )
    if logged.interval_changed and every is not None:
        was = logged.previous_interval
        before = f"was every {_days(was)}" if was else "was the tier's cadence"
        line += f" Keep in touch every {_days(every)} from now on ({before})."
    return printable(line)


def _days(days: int) -> str:
    return "day" if days == 1 else f"{days} days"
