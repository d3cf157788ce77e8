"""The demo's calendar (`cockpit demo --with-calendar`): an iCalendar file beside the demo book
that `cockpit import` reads, so the calendar import can be tried on the demo.

It holds, around the demo's today: two meetings each with the three drifting clients with
the most at stake (40 and 12 days ago: within their cadence of each other, so importing
them makes those clients steady again), the next meeting with the first of them (a
scheduled touch), a cancelled meeting and a conference with another drifting client
(both skipped: that client stays drifting), an all-day offsite with nobody invited, an
internal weekly sync with colleagues only, and two meetings with someone not in the book
yet (offered as a prospect). Times are local (floating), so their days are the same in
any time zone. The user is `ME`, the organizer: `cockpit import FILE --me ME`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from cockpit.health.engine import compute
from cockpit.storage.sample_books import first_emails

ME = "you@demo-seller.example"
PROSPECT = ("Nora Vance", "nora.vance@brightwave.example")
COLLEAGUES = ("dana.ortiz@demo-seller.example", "sam.keller@demo-seller.example")


@dataclass(frozen=True)
class DemoCalendar:
    path: Path
    met: tuple[str, ...]  # the drifting clients the calendar met twice, by name
    missed: str | None  # the drifting client whose meetings are skipped
    me: str = ME  # the user's address in it, for --me


def calendar_path(book_path: Path) -> Path:
    """Where the demo's calendar goes: beside the book (`demo.db` -> `demo-calendar.ics`)."""
    return book_path.with_name(f"{book_path.stem}-calendar.ics")


def demo_calendar(today: date) -> tuple[str, tuple[str, ...], str | None]:
    """The calendar's text for the open demo book, the names of the drifting clients it
    meets and of the one it misses."""
    drifting = sorted(
        (
            verdict
            for verdict in compute(today)
            if verdict.needs_attention and verdict.lifecycle == "active"
        ),
        key=lambda verdict: (-verdict.stake_share, verdict.name),
    )
    emails = first_emails([verdict.id for verdict in drifting])
    drifting = [verdict for verdict in drifting if verdict.id in emails]
    met, missed = drifting[:3], (drifting[3] if len(drifting) > 3 else None)
    events: list[list[str]] = []

    def meeting(uid: str, day: date, hour: int, minutes: int, summary: str, people, *extra):
        start = datetime.combine(day, time(hour))
        end = start + timedelta(minutes=minutes)
        lines = [
            "BEGIN:VEVENT",
            f"UID:{uid}@demo-seller.example",
            f"DTSTAMP:{today:%Y%m%d}T080000Z",
            f"DTSTART:{start:%Y%m%dT%H%M%S}",
            f"DTEND:{end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{summary}",
            f"ORGANIZER;CN=You:mailto:{ME}",
            f"ATTENDEE;CN=You;PARTSTAT=ACCEPTED:mailto:{ME}",
            *(f"ATTENDEE;CN={name};PARTSTAT=ACCEPTED:mailto:{address}" for name, address in people),
            *extra,
            "END:VEVENT",
        ]
        events.append(lines)

    for number, verdict in enumerate(met):
        who = [(verdict.name, emails[verdict.id])]
        meeting(f"review-{number}", today - timedelta(days=40), 10, 60, "Account review", who)
        meeting(f"lunch-{number}", today - timedelta(days=12), 12, 90, "Lunch", who)
    if met:
        who = [(met[0].name, emails[met[0].id])]
        meeting("next-review", today + timedelta(days=9), 15, 45, "Renewal planning", who)
    if missed is not None:
        who = [(missed.name, emails[missed.id])]
        meeting("called-off", today - timedelta(days=5), 9, 60, "Catch-up", who, "STATUS:CANCELLED")
        crowd = [(f"Guest {n}", f"guest{n}@trade-fair.example") for n in range(20)]
        meeting("trade-fair", today - timedelta(days=20), 9, 480, "Trade fair", who + crowd)
    offsite = today - timedelta(days=30)
    events.append(
        [
            "BEGIN:VEVENT",
            "UID:offsite@demo-seller.example",
            f"DTSTAMP:{today:%Y%m%d}T080000Z",
            f"DTSTART;VALUE=DATE:{offsite:%Y%m%d}",
            f"DTEND;VALUE=DATE:{offsite + timedelta(days=1):%Y%m%d}",
            "SUMMARY:Team offsite",
            "END:VEVENT",
        ]
    )
    colleagues = [("Colleague", address) for address in COLLEAGUES]
    meeting(
        "team-sync",
        today - timedelta(days=56),
        9,
        30,
        "Team sync",
        colleagues,
        "RRULE:FREQ=WEEKLY;COUNT=8",
    )
    for number, days in enumerate((25, 4)):
        meeting(f"intro-{number}", today - timedelta(days=days), 11, 45, "Introduction", [PROSPECT])
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Cockpit//Demo calendar//EN"]
    for event in events:
        lines += event
    lines.append("END:VCALENDAR")
    names = tuple(verdict.name for verdict in met)
    return "\r\n".join(lines) + "\r\n", names, missed.name if missed else None
