"""The keys that tell a calendar event's occurrences apart from one import to the next.

An event is known by its UID; an occurrence of a recurring event (RRULE, RDATE, or an
overridden occurrence, RECURRENCE-ID) by its UID and the moment it was first planned for
(its RECURRENCE-ID: an occurrence that was moved keeps it), in UTC when it has a time
zone, else as written:

    ics:<UID>                            a one-off event, however often it is moved
    ics:<UID>|20261120T090000Z           an occurrence of a recurring one
    ics:#<digest>                        an event without a UID (see `stand_in_uid`)

A UID longer than `LONGEST_UID` characters is kept as a digest of itself.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

PREFIX = "ics:"
LONGEST_UID = 400
COCKPIT_DOMAIN = "@cockpit"  # the UIDs of Cockpit's own `export ics`


def is_cockpits_own(uid: str) -> bool:
    """An event of Cockpit's own calendar export: importing it adds nothing."""
    return uid.strip().lower().endswith(COCKPIT_DOMAIN)


def moment_text(value: date | datetime) -> str:
    """A start or RECURRENCE-ID as the key keeps it: UTC when it has a zone."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        return value.strftime("%Y%m%dT%H%M%S")
    return value.strftime("%Y%m%d")


def event_key(uid: str, occurrence: date | datetime | None) -> str:
    """The key of a one-off event (`occurrence` None) or of one occurrence of a series."""
    if len(uid) > LONGEST_UID:
        uid = "#" + hashlib.blake2b(uid.encode(), digest_size=16).hexdigest()
    if occurrence is None:
        return PREFIX + uid
    return f"{PREFIX}{uid}|{moment_text(occurrence)}"


def stand_in_uid(start: date | datetime, summary: str, organizer: str) -> str:
    """What stands for the UID of an event without one (the standard requires it; some
    exports leave it out): a digest of its start, summary and organizer, so changing any
    of them makes it another event to the next import."""
    seen = "\x1f".join((moment_text(start), summary.strip(), organizer.strip().lower()))
    return "#" + hashlib.blake2b(seen.encode(), digest_size=16).hexdigest()
