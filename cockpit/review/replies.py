"""The weekly review's replies part: clients who wrote to you and have had no answer for
`reply_within_days` (3 by default): "Ann Lee wrote on Mon 30 Nov about "the renewal"; no
reply yet (5 days)."

What a client wrote comes from imported mail, as "heard from" lines: a client's messages
of one day are one line. A message is answered by any touch of yours with that client,
except an internal note, on the day it came or later: an email back, but just as well a
call or a meeting (an account manager answers a question by phone as often as by mail,
and it is the client who is waiting, not the message). Days, not hours, as everywhere in
Cockpit's rules: a touch logged by its day alone (an imported history) answers that day's
messages too.

A client has one item, naming each day they wrote since your last touch, the earliest
first; the clients waiting longest come first. Messages of more than LOOKBACK_DAYS ago
are not listed (a client left so long without a word from you is in the drifting parts
when it matters; the first import of years of mail lists only the last month's). An item
answered as done in a review is not listed again; a later message makes a new one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from cockpit.dates import day_seen_from
from cockpit.review.items import AgendaItem
from cockpit.text import counted, shorten

PART_KEY = "replies"
TITLE = "Clients waiting for your reply"
CAP = 6  # items shown at most
AFTER = "unkept"  # the part it follows (`items.insert_part`)
LOOKBACK_DAYS = 30
KEY_PREFIX = PART_KEY + ":"
LONGEST_TOPIC = 80  # characters of a subject in the item's text
# "Re:", "Fwd:" and their kin in other languages ("AW:", "SV:"), "Re[2]:", at the start.
_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|wg|sv|vs|tr|antw|rif|res|enc)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE
)


@dataclass(frozen=True)
class Heard:
    """A client wrote to you on a day ("heard from", as the book keeps it)."""

    client_id: int
    client: str  # the client's name
    company: str
    day: date  # your local day
    subject: str  # the day's first message's ("" without one)
    owner: str = ""  # the client's rep, named in a team's agenda


def waiting_for_reply(
    heard: Iterable[Heard],
    last_touch: Mapping[int, date | None],
    as_of: date,
    within_days: int,
    answered_keys: Iterable[str] = (),
) -> list[AgendaItem]:
    """An item per client whose messages of the last LOOKBACK_DAYS are unanswered
    `within_days` after they came: no touch of yours on their day or later (`last_touch`:
    each client's latest touch day, notes aside), and not answered in a review
    (`answered_keys`: the keys of the review items answered)."""
    handled = _handled(answered_keys)
    oldest = as_of - timedelta(days=LOOKBACK_DAYS)
    by_client: dict[int, list[Heard]] = {}
    for line in heard:
        touched = last_touch.get(line.client_id)
        if (
            oldest <= line.day <= as_of - timedelta(days=within_days)
            and (touched is None or touched < line.day)
            and (line.client_id, line.day) not in handled
        ):
            by_client.setdefault(line.client_id, []).append(line)
    items = []
    for client_id, lines in by_client.items():
        by_day: dict[date, Heard] = {}
        for line in sorted(lines, key=lambda h: h.day):
            by_day.setdefault(line.day, line)  # one line a day (two imports may make two)
        days = list(by_day.values())
        first = days[0]
        items.append(
            AgendaItem(
                KEY_PREFIX + f"{client_id}:" + "+".join(line.day.isoformat() for line in days),
                PART_KEY,
                client_id,
                first.client,
                first.company,
                waiting_text(days, as_of),
                due=first.day + timedelta(days=within_days),
                owner=first.owner,
            )
        )
    return sorted(items, key=lambda item: (item.due, item.client.casefold(), item.client_id))


def waiting_text(days: list[Heard], as_of: date) -> str:
    """ "Ann Lee wrote on Mon 30 Nov about "the renewal"; no reply yet (5 days). Also on
    Wed 2 Dec about "pricing"." """
    first = days[0]
    waited = counted((as_of - first.day).days, "day")
    text = f"{first.client} wrote on {_about(first, as_of)}; no reply yet ({waited})."
    return text + "".join(f" Also on {_about(line, as_of)}." for line in days[1:])


def _about(line: Heard, as_of: date) -> str:
    topic = shorten(_REPLY_PREFIX.sub("", line.subject).strip(), LONGEST_TOPIC)
    what = f'about "{topic}"' if topic else "(no subject)"
    return f"{day_seen_from(line.day, as_of)} {what}"


def _handled(answered_keys: Iterable[str]) -> set[tuple[int, date]]:
    """The (client, day) of the messages a review's answered items stood for."""
    handled = set()
    for key in answered_keys:
        if not key.startswith(KEY_PREFIX):
            continue
        client, _, days = key.removeprefix(KEY_PREFIX).partition(":")
        if not client.isdigit():
            continue
        for day in days.split("+"):
            try:
                handled.add((int(client), date.fromisoformat(day)))
            except ValueError:
                continue
    return handled
