"""A mailbox for the mail import figure: `count` messages of the past year in one mbox,
between the user and the bench book's clients (and colleagues, strangers, a mailing list
and automated mail): about half sent by the user, a third of those in threads of several
messages on one day, as a real Sent and Inbox mixed in one file are."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from email.utils import format_datetime
from pathlib import Path

from cockpit.bench.calendars import ME
from cockpit.bench.people import SEED

SUBJECTS = ("The renewal", "Pricing", "Next steps", "Your order", "Thanks", "Site visit")


def write_mailbox(
    path: Path, count: int, addresses: Sequence[str], *, today: date, seed: int = SEED + 5
) -> int:
    """Write the mbox to `path`; returns its size in bytes."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for index in range(count):
            out.write(_message(rng, index, addresses, today))
    return path.stat().st_size


def _message(rng: random.Random, index: int, addresses: Sequence[str], today: date) -> str:
    day = today - timedelta(days=rng.randint(1, 360))
    moment = datetime.combine(day, time(rng.randint(7, 19), rng.randint(0, 59)), UTC)
    client = rng.choice(list(addresses))
    subject = f"{rng.choice(SUBJECTS)} #{index // 3}"  # threads: three messages a subject
    sent = rng.random() < 0.5
    sender, to = (ME, client) if sent else (client, ME)
    headers = [
        f"From {sender} {moment:%a %b %d %H:%M:%S %Y}",
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {'Re: ' if index % 3 else ''}{subject}",
        f"Date: {format_datetime(moment)}",
        f"Message-ID: <bench-{index}@bench-seller.example>",
    ]
    kind = rng.random()
    if kind < 0.05:
        headers[2] = f"To: stranger{rng.randint(1, 500)}@else.example"
    elif kind < 0.08:
        headers.append("List-Id: <news.else.example>")
    elif kind < 0.10:
        headers.append("Auto-Submitted: auto-generated")
    elif kind < 0.15:
        headers.append(f"Cc: colleague{rng.randint(1, 20)}@bench-seller.example")
    body = "Hello,\n\nA few lines about the matter at hand.\n\nBest regards\n"
    return "\n".join([*headers, "MIME-Version: 1.0", "Content-Type: text/plain", "", body, ""])
