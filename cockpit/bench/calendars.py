"""A calendar for the calendar import figure: `count` events of the past year and the
next months, with the bench book's clients as attendees (and the user, colleagues and
strangers): most of them one-off meetings, one in eight a weekly series of ten with an
occurrence moved and one left out, a few cancelled, declined or all-day."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from cockpit.bench.people import SEED

ME = "me@bench-seller.example"
SUMMARIES = ("Quarterly review", "Lunch", "Pricing call", "Onboarding", "Site visit", "Demo")


def write_calendar(
    path: Path, count: int, addresses: Sequence[str], *, today: date, seed: int = SEED + 3
) -> int:
    """Write the calendar to `path`; returns its size in bytes."""
    rng = random.Random(seed)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Cockpit bench//EN"]
    for index in range(count):
        lines += _event(rng, index, addresses, today)
    lines.append("END:VCALENDAR")
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    path.write_bytes(data)
    return len(data)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _event(rng: random.Random, index: int, addresses: Sequence[str], today: date) -> list[str]:
    day = today + timedelta(days=rng.randint(-360, 60))
    start = datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 30))), UTC)
    end = start + timedelta(minutes=rng.choice((30, 45, 60, 90)))
    people = rng.sample(list(addresses), k=min(len(addresses), rng.randint(1, 3)))
    lines = [
        "BEGIN:VEVENT",
        f"UID:bench-{index}@bench-seller.example",
        f"DTSTAMP:{_stamp(start)}",
        f"SUMMARY:{rng.choice(SUMMARIES)} #{index}",
        f"ORGANIZER;CN=Me:mailto:{ME}",
        f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{ME}",
    ]
    kind = rng.random()
    if kind < 0.03:
        lines.append("STATUS:CANCELLED")
    elif kind < 0.05:
        lines[-1] = f"ATTENDEE;PARTSTAT=DECLINED:mailto:{ME}"
    if kind > 0.97:  # an all-day event, a visit
        lines += [
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(1):%Y%m%d}",
        ]
    else:
        lines += [f"DTSTART:{_stamp(start)}", f"DTEND:{_stamp(end)}"]
    lines += [f"ATTENDEE;CN=Client;PARTSTAT=ACCEPTED:mailto:{address}" for address in people]
    if rng.random() < 0.3:
        lines.append(f"ATTENDEE:mailto:colleague{rng.randint(1, 20)}@bench-seller.example")
    if rng.random() < 0.2:
        lines.append(
            f"ATTENDEE;CN=Stranger {index}:mailto:stranger{rng.randint(1, 500)}@else.example"
        )
    series = index % 8 == 0 and kind <= 0.97
    if series:
        lines += ["RRULE:FREQ=WEEKLY;COUNT=10", f"EXDATE:{_stamp(start + timedelta(weeks=2))}"]
    lines.append("END:VEVENT")
    if series:  # the third occurrence moved by an hour
        moved = start + timedelta(weeks=3)
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{index}@bench-seller.example",
            f"RECURRENCE-ID:{_stamp(moved)}",
            f"DTSTART:{_stamp(moved + timedelta(hours=1))}",
            f"DTEND:{_stamp(moved + timedelta(hours=2))}",
            f"SUMMARY:{SUMMARIES[0]} #{index} (moved)",
            *(f"ATTENDEE:mailto:{address}" for address in people),
            "END:VEVENT",
        ]
    return lines
