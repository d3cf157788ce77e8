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
from cockpit.text import ordinal
from cockpit.vocabulary import period


def _when_due(day: date, as_of: date) -> str:
    if day < as_of:
        return f"overdue since {short_day(day)} ({ago(day, as_of)})"
    if day == as_of:
        return "due today"
    return f"due {short_day(day)}"


def follow_ups(as_of: date, reps: Sequence[str] | None, limit: int) -> tuple[list[AgendaItem], int]:
    """An item for each of the `limit` clients (of `reps`, if given) whose open follow-ups due
    by the week's end are the most overdue, holding all of that client's, and how many
    clients have any: a client has one item, its most overdue follow-up first."""
    week_end = as_of + timedelta(days=WEEK_DAYS - 1)
    due_by_then, count = review_facts.follow_ups_due(week_end, reps, limit)
    by_client: dict[int, list] = {}
    for row in due_by_then:
        by_client.setdefault(row.client_id, []).append(row)
    items = []
    for client_id, rows in by_client.items():
        first = rows[0]
        text = _joined(_follow_up_text(row, as_of) for row in rows)
        items.append(
            AgendaItem(
                f"follow-up:{first.touch_id}",
                "follow-ups",
                client_id,
                first.name,
                first.company,
                text,
                due=first.due,
                interaction_id=first.touch_id,
                also_ids=tuple(row.touch_id for row in rows[1:]),
            )
        )
    return items, count


def _follow_up_text(row: review_facts.FollowUpDue, as_of: date) -> str:
    about = (row.summary.strip().splitlines() or [""])[0]
    what = f"{row.kind.replace('-', ' ')} of {short_day(row.day)}" + (f": {about}" if about else "")
    when = _when_due(row.due, as_of)
    return f"{when[0].upper()}{when[1:]}; from the {what}"


def _joined(texts) -> str:
    """One item's sentences about several things: "First. Also second"."""
    texts = list(texts)
    rest = "".join(f" Also {text[0].lower()}{text[1:]}" for text in texts[1:])
    first = texts[0].rstrip(".") + "." if rest else texts[0]
    return first + rest


def occasion_window(as_of: date, length: int = OCCASION_DAYS) -> dict[int, list[int]]:
    """The (month, days) of the `length` days from `as_of`; a 29 February falls on the 28th
    in other years, so it is looked for whenever the 28th is in the window."""
    days: dict[int, list[int]] = {}
    for offset in range(length):
        day = as_of + timedelta(days=offset)
        days.setdefault(day.month, []).append(day.day)
    if 28 in days.get(2, []) and 29 not in days[2]:
        days[2].append(29)
    return days


def occasions(as_of: date) -> list[AgendaItem]:
    """Birthdays and anniversaries in the OCCASION_DAYS from `as_of`: an item per client,
    the clients with the soonest first."""
    keys = sorted({key for key, _, _ in REMINDER_FIELDS if not FIELDS[key].sensitive})
    values, names = review_facts.dated_answers(
        keys, occasion_window(as_of), children=not FIELDS["children"].sensitive
    )
    last_day = as_of + timedelta(days=OCCASION_DAYS - 1)
    items = []
    for client_id, client_values in values.items():
        found = []  # (day, key, text) of each of the client's occasions: one item for all
        for occasion in client_view.occasions(client_values, as_of):
            if occasion.day > last_day:
                continue
            what = occasion.what
            if occasion.age and what.endswith("'s birthday"):
                what = f"{what.removesuffix(' birthday')} {ordinal(occasion.age)} birthday"
            elif occasion.age:
                what = f"{ordinal(occasion.age)} {what.lower()}"
            when = (
                "today"
                if occasion.day == as_of
                else f"on {short_day(occasion.day)} ({ago(occasion.day, as_of)})"
            )
            checksum = zlib.crc32(occasion.what.encode())
            found.append((occasion.day, f"{occasion.day.isoformat()}:{checksum}", f"{what} {when}"))
        if not found:
            continue
        found.sort()
        name, company = names[client_id]
        items.append(
            AgendaItem(
                f"occasion:{client_id}:" + "+".join(key for _, key, _ in found),
                "occasions",
                client_id,
                name,
                company,
                "; ".join(text for _, _, text in found),
                due=found[0][0],
            )
        )
    return sorted(items, key=lambda i: (i.due, i.client.casefold(), i.key))


def plans(as_of: date) -> list[AgendaItem]:
    """The planned communications due by the week's end: an item per client holding all of
    the client's, the soonest first."""
    week_end = as_of + timedelta(days=WEEK_DAYS - 1)
    by_client: dict[int, list[review_facts.PlanDue]] = {}
    for plan in review_facts.plans_due(week_end):  # soonest first
        by_client.setdefault(plan.client_id, []).append(plan)
    items = []
    for client_id, due in by_client.items():
        first = due[0]
        texts = [
            f"{plan.what} ({period(plan.every, plan.unit)}), {_when_due(plan.next_due, as_of)}"
            for plan in due
        ]
        items.append(
            AgendaItem(
                "plan:" + "+".join(f"{plan.plan_id}:{plan.next_due.isoformat()}" for plan in due),
                "plans",
                client_id,
                first.name,
                first.company,
                "; ".join(texts),
                due=first.next_due,
                plan_id=first.plan_id,
                also_ids=tuple(plan.plan_id for plan in due[1:]),
            )
        )
    return items


def unkept_promises(as_of: date) -> list[AgendaItem]:
    """Touches promised at any review whose day passed with no touch between the day
    they were promised and that day, and which no review has answered since: an item per
    client, holding all of the client's (its key names each promise)."""
    handled = {
        int(promise_id)
        for key in review_facts.answered_item_keys()
        if key.startswith(UNKEPT)
        for promise_id in key.removeprefix(UNKEPT).split("+")
        if promise_id.isdigit()
    }
    by_client: dict[int, list] = {}
    for promise in review_facts.promises_due_before(as_of):  # the earliest first
        if promise.id in handled or _kept(promise.client_id, promise.created_at, promise.due_on):
            continue
        by_client.setdefault(promise.client_id, []).append(promise)
    items = []
    for client_id, promises in by_client.items():
        first = promises[0]
        days = _and([short_day(promise.due_on) for promise in promises])
        what = "a touch" if len(promises) == 1 else "touches"
        items.append(
            AgendaItem(
                UNKEPT + "+".join(str(promise.id) for promise in promises),
                "unkept",
                client_id,
                first.name,
                first.company,
                f"You planned {what} by {days}; none was logged.",
                due=first.due_on,
            )
        )
    return items


UNKEPT = "unkept:"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _kept(client_id: int, promised_at, due: date) -> bool:
    """A touch on a day from the promise to its due day keeps it."""
    return review_facts.touched_between(client_id, clock.local_day(promised_at), due)
