"""Small iCalendar files for the calendar import's tests, written line by line."""

from __future__ import annotations

from pathlib import Path


def event(
    uid: str | None,
    start: str,
    end: str | None = None,
    *,
    summary: str = "Meeting",
    attendees: tuple[str, ...] = (),
    organizer: str | None = None,
    extra: tuple[str, ...] = (),
) -> list[str]:
    """A VEVENT: `start` and `end` as iCalendar writes them after the colon of DTSTART
    (`20261110T090000Z`, `;TZID=Europe/Paris:20261110T090000` when they start with `;`, or
    `;VALUE=DATE:20261110`); each attendee as an address, or as `PARAMS:address`."""
    lines = ["BEGIN:VEVENT"]
    if uid is not None:
        lines.append(f"UID:{uid}")

    def timed(name: str, value: str) -> str:
        return f"{name}{value}" if value.startswith(";") else f"{name}:{value}"

    lines.append(timed("DTSTART", start))
    if end is not None:
        lines.append(timed("DTEND", end))
    lines.append(f"SUMMARY:{summary}")
    if organizer is not None:
        lines.append(f"ORGANIZER:mailto:{organizer}")
    for attendee in attendees:
        if ":" in attendee:
            params, address = attendee.rsplit(":", 1)
            lines.append(f"ATTENDEE;{params}:mailto:{address}")
        else:
            lines.append(f"ATTENDEE:mailto:{attendee}")
    lines += [*extra, "END:VEVENT"]
    return lines


def calendar(*events: list[str]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Cockpit tests//EN"]
    for one in events:
        lines += one
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


def write(path: Path, *events: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(calendar(*events), encoding="utf-8")
    return path
