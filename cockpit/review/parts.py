"""The parts of the weekly review's agenda read from the book beyond the verdicts: open
follow-ups, occasions, plans due, and promises from earlier reviews not kept. Each item
names its client and says why in one line of plain words; sensitive profile answers never
appear (occasions come from birthdays, the anniversary and children's birthdays, none of
which is sensitive)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import date, timedelta

from cockpit import client_view, clock
from cockpit.dates import ago, short_day
from cockpit.profile.schema import FIELDS, REMINDER_FIELDS
from cockpit.review.items import OCCASION_DAYS, WEEK_DAYS, AgendaItem
from cockpit.storage import review_facts
from cockpit.vocabulary import period


def _when_due(day: date, as_of: date) -> str:
    if day < as_of:
        return f"overdue since {short_day(day)} ({ago(day, as_of)})"
    if day == as_of:
        return "due today"
    return f"due {short_day(day)}"


def follow_ups(as_of: date, reps: Sequence[str] | None, limit: int) -> tuple[list[AgendaItem], int]:
    """The `limit` most overdue open follow-ups due by the week's end (of the clients
    of `reps`, if given), and how many there are in all."""
    week_end = as_of + timedelta(days=WEEK_DAYS - 1)
    due_by_then, count = review_facts.follow_ups_due(week_end, reps, limit)
    items = []
    for touch_id, due, summary, kind, day, client_id, name, company in due_by_then:
        about = (summary.strip().splitlines() or [""])[0]
        what = f"{kind.replace('-', ' ')} of {short_day(day)}" + (f": {about}" if about else "")
        when = _when_due(due, as_of)
        text = f"{when[0].upper()}{when[1:]}; from the {what}"
        items.append(
            AgendaItem(
                f"follow-up:{touch_id}",
                "follow-ups",
                client_id,
                name,
                company,
                text,
                due=due,
                interaction_id=touch_id,
            )
        )
    return items, count


def occasion_window(as_of: date) -> dict[int, list[int]]:
    """The (month, days) of the occasion window; a 29 February falls on the 28th in other
    years, so it is looked for whenever the 28th is in the window."""
    days: dict[int, list[int]] = {}
    for offset in range(OCCASION_DAYS):
        day = as_of + timedelta(days=offset)
        days.setdefault(day.month, []).append(day.day)
    if 28 in days.get(2, []) and 29 not in days[2]:
        days[2].append(29)
    return days


def occasions(as_of: date) -> list[AgendaItem]:
    """Birthdays and anniversaries in the OCCASION_DAYS from `as_of`, soonest first."""
    keys = sorted({key for key, _, _ in REMINDER_FIELDS if not FIELDS[key].sensitive})
    values, names = review_facts.dated_answers(
        keys, occasion_window(as_of), children=not FIELDS["children"].sensitive
    )
    last_day = as_of + timedelta(days=OCCASION_DAYS - 1)
    items = []
    for client_id, client_values in values.items():
        for occasion in client_view.occasions(client_values, as_of):
            if occasion.day > last_day:
                continue
            what = occasion.what
            if occasion.age and what.endswith("'s birthday"):
                what = f"{what.removesuffix(' birthday')} {_ordinal(occasion.age)} birthday"
            elif occasion.age:
                what = f"{_ordinal(occasion.age)} {what.lower()}"
            when = (
                "today"
                if occasion.day == as_of
                else f"on {short_day(occasion.day)} ({ago(occasion.day, as_of)})"
            )
            checksum = zlib.crc32(occasion.what.encode())
            name, company = names[client_id]
            items.append(
                AgendaItem(
                    f"occasion:{client_id}:{occasion.day.isoformat()}:{checksum}",
                    "occasions",
                    client_id,
                    name,
                    company,
                    f"{what} {when}",
                    due=occasion.day,
                )
            )
    return sorted(items, key=lambda i: (i.due, i.client.casefold(), i.key))


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def plans(as_of: date) -> list[AgendaItem]:
    """The planned communications due by the week's end, soonest first."""
    week_end = as_of + timedelta(days=WEEK_DAYS - 1)
    items = []
    for plan in review_facts.plans_due(week_end):
        due = plan.next_due
        text = f"{plan.what} ({period(plan.every, plan.unit)}), {_when_due(due, as_of)}"
        items.append(
            AgendaItem(
                f"plan:{plan.plan_id}:{due.isoformat()}",
                "plans",
                plan.client_id,
                plan.name,
                plan.company,
                text,
                due=due,
                plan_id=plan.plan_id,
            )
        )
    return items


def unkept_promises(as_of: date) -> list[AgendaItem]:
    """Touches promised at any review whose day passed with no touch between the day
    they were promised and that day, and which no review has answered since."""
    handled = {key for key in review_facts.answered_item_keys() if key.startswith("unkept:")}
    items = []
    for promise in review_facts.promises_due_before(as_of):
        key = f"unkept:{promise.id}"
        due = promise.due_on
        if key in handled or _kept(promise.client_id, promise.created_at, due):
            continue
        items.append(
            AgendaItem(
                key,
                "unkept",
                promise.client_id,
                promise.name,
                promise.company,
                f"You planned a touch by {short_day(due)}; none was logged.",
                due=due,
            )
        )
    return items


def _kept(client_id: int, promised_at, due: date) -> bool:
    """A touch on a day from the promise to its due day keeps it."""
    return review_facts.touched_between(client_id, clock.local_day(promised_at), due)
