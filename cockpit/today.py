"""Today's agenda (`cockpit today`): what to do today, and for whom, in five sections, each
with a key that never changes (`cockpit today --json`):

- `follow-ups`: open follow-ups due today or overdue (saying by how long), and the touches
  scheduled at a weekly review for today and not made yet;
- `occasions`: birthdays, wedding anniversaries and children's birthdays, today and
  tomorrow;
- `communications`: planned communications due today or overdue, a client's own and those
  to a segment of clients (a tier, an account, a tag);
- `drifting`: core clients (and those pinned as strategic) whose relationship is drifting
  and not snoozed, with the engine's reason; the other drifting clients are counted;
- `renewals`: contracts that end within RENEWAL_DAYS.

Plain data, no Textual: `cockpit today` prints it, mails it or shows it as a desktop
notification. Archived and former clients are left out; on a team book it holds the
clients of the reps given (the user's own, and those nobody owns). Sensitive profile
answers never appear: occasions come from birthdays, the anniversary and children's
birthdays, none of which is sensitive, and nothing else is read from the profile.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from cockpit import client_view, clock, health
from cockpit.coming_renewals import ComingRenewal, coming_renewals
from cockpit.dates import day_seen_from, short_day
from cockpit.health_cache import cached_compute
from cockpit.profile.schema import FIELDS, REMINDER_FIELDS, Reminder
from cockpit.review.parts import occasion_window
from cockpit.segments import communications_of, recipient_ids
from cockpit.storage import book, review_facts
from cockpit.text import counted, ordinal, shorten
from cockpit.vocabulary import KIND_INFO, Kind, a_kind, period

RENEWAL_DAYS = 14  # renewals this many days ahead are on today's agenda
OCCASION_DAYS = 2  # today and tomorrow
NOTE_CHARS = 120  # of a follow-up's note, its first line
SCHEDULED_MISSED_DAYS = 6  # a touch scheduled at a review and missed stays this long
# Kinds of touch one has with someone rather than sends to them.
_WITH = frozenset({Kind.CALL, Kind.MEETING, Kind.EVENT})


@dataclass(frozen=True)
class TodayItem:
    """One line of the agenda: `text` says what to do and for whom. `facts` are the
    item's own figures, by name, for `--json` (dates as dates)."""

    kind: str  # follow-up, scheduled-touch, birthday, anniversary, child-birthday, plan,
    # segment-communication, drifting, renewal
    text: str
    client_id: int | None
    client: str
    company: str
    day: date | None
    facts: tuple[tuple[str, object], ...] = ()

    def as_json(self) -> dict:
        data = {
            "kind": self.kind,
            "text": self.text,
            "client_id": self.client_id,
            "client": self.client,
            "company": self.company,
            "day": _iso(self.day),
        }
        data.update((name, _iso(value)) for name, value in self.facts)
        return data


@dataclass(frozen=True)
class TodaySection:
    key: str
    title: str
    items: tuple[TodayItem, ...] = ()
    others: int = 0  # drifting: the drifting clients not core, left out
    others_line: str = ""

    @property
    def count(self) -> int:
        return len(self.items)

    def as_json(self) -> dict:
        data = {
            "key": self.key,
            "title": self.title,
            "count": self.count,
            "items": [item.as_json() for item in self.items],
        }
        if self.key == "drifting":
            data["others"] = self.others
        return data


@dataclass(frozen=True)
class Today:
    day: date
    sections: tuple[TodaySection, ...] = field(default_factory=tuple)

    @property
    def count(self) -> int:
        return sum(section.count for section in self.sections)

    @property
    def empty(self) -> bool:
        return self.count == 0

    @property
    def long_day(self) -> str:
        """ "Monday 23 November 2026"."""
        return f"{self.day:%A} {self.day.day} {self.day:%B %Y}"

    def headline(self) -> str:
        """What the day holds, counted: "3 follow-ups, 1 birthday, 2 drifting"; "nothing due"."""
        kinds = [item.kind for section in self.sections for item in section.items]
        birthdays = sum(kind in ("birthday", "child-birthday") for kind in kinds)
        communications = sum(kind in ("plan", "segment-communication") for kind in kinds)
        parts = [
            (self._count("follow-ups"), counted(self._count("follow-ups"), "follow-up")),
            (birthdays, counted(birthdays, "birthday")),
            (kinds.count("anniversary"), counted(kinds.count("anniversary"), "anniversary")),
            (communications, counted(communications, "planned communication")),
            (self._count("drifting"), f"{self._count('drifting')} drifting"),
            (self._count("renewals"), counted(self._count("renewals"), "renewal")),
        ]
        said = [words for number, words in parts if number]
        return ", ".join(said) if said else "nothing due"

    def _count(self, key: str) -> int:
        return next((s.count for s in self.sections if s.key == key), 0)

    def as_json(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "count": self.count,
            "headline": self.headline(),
            "sections": [section.as_json() for section in self.sections],
        }


SECTION_TITLES = {
    "follow-ups": "Follow-ups due",
    "occasions": "Occasions today and tomorrow",
    "communications": "Planned communications due",
    "drifting": "Core clients drifting",
    "renewals": f"Renewals in the next {RENEWAL_DAYS} days",
}


def build_today(as_of: date | None = None, reps: Sequence[str] | None = None) -> Today:
    """The agenda of `as_of` (default: today) for the clients of `reps` (owners; "" takes
    in the clients nobody owns), or of everyone when None."""
    as_of = as_of or clock.today()
    ours = None if reps is None else book.clients_of(reps)
    verdicts = [v for v in cached_compute(as_of) if ours is None or v.id in ours]
    drifting, others = _drifting(verdicts)
    sections = {
        "follow-ups": _follow_ups(as_of, reps, ours),
        "occasions": _occasions(as_of, ours),
        "communications": _communications(as_of, reps, ours, verdicts),
        "drifting": drifting,
        "renewals": [
            _renewal(renewal)
            for renewal in coming_renewals(as_of, as_of + timedelta(days=RENEWAL_DAYS), ours)
        ],
    }
    return Today(
        as_of,
        tuple(
            TodaySection(
                key,
                SECTION_TITLES[key],
                tuple(items),
                others if key == "drifting" else 0,
                _others_line(others) if key == "drifting" else "",
            )
            for key, items in sections.items()
        ),
    )


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _who(name: str, company: str) -> str:
    return f"{name} ({company})" if company else name


def _due(day: date, as_of: date) -> tuple[str, int]:
    """ "due today" or "overdue by 3 days (due Fri 20 Nov)", and the days overdue."""
    late = (as_of - day).days
    if late <= 0:
        return "due today", 0
    return f"overdue by {counted(late, 'day')} (due {day_seen_from(day, as_of)})", late


# --- Follow-ups ------------------------------------------------------------------------------


def _follow_ups(
    as_of: date, reps: Sequence[str] | None, ours: Collection[int] | None
) -> list[TodayItem]:
    rows, _ = review_facts.follow_ups_due(as_of, reps, None)  # the most overdue first
    items = []
    for row in rows:
        due, late = _due(row.due, as_of)
        label = KIND_INFO[Kind(row.kind)].label.lower()
        note = shorten((row.summary.strip().splitlines() or [""])[0], NOTE_CHARS)
        said = f": {note}" if note else ""
        items.append(
            TodayItem(
                "follow-up",
                f"Follow up with {_who(row.name, row.company)}: {due}; from the {label} of "
                f"{day_seen_from(row.day, as_of)}{said}",
                row.client_id,
                row.name,
                row.company,
                row.due,
                (
                    ("touch_id", row.touch_id),
                    ("days_overdue", late),
                    ("touch_kind", row.kind),
                    ("touch_day", row.day),
                    ("note", note),
                ),
            )
        )
    first = as_of - timedelta(days=SCHEDULED_MISSED_DAYS)
    for promise in review_facts.promises_due_between(first, as_of):
        if ours is not None and promise.client_id not in ours:
            continue
        promised_on = clock.local_day(promise.created_at)
        if review_facts.touched_between(promise.client_id, promised_on, as_of):
            continue  # kept already
        late = (as_of - promise.due_on).days
        for_when = "today"
        if late:
            for_when = f"{day_seen_from(promise.due_on, as_of)} ({counted(late, 'day')} ago)"
        items.append(
            TodayItem(
                "scheduled-touch",
                f"Get in touch with {_who(promise.name, promise.company)}: you scheduled a "
                f"touch for {for_when} at the weekly review of "
                f"{day_seen_from(promised_on, as_of)}",
                promise.client_id,
                promise.name,
                promise.company,
                promise.due_on,
                (("scheduled_id", promise.id), ("days_overdue", late)),
            )
        )
    return items


# --- Occasions -------------------------------------------------------------------------------

_OCCASION_KIND = {
    Reminder.BIRTHDAY: "birthday",
    Reminder.ANNIVERSARY: "anniversary",
    Reminder.CHILD_BIRTHDAY: "child-birthday",
}


def _occasions(as_of: date, ours: Collection[int] | None) -> list[TodayItem]:
    keys = sorted({key for key, _, _ in REMINDER_FIELDS if not FIELDS[key].sensitive})
    values, names = review_facts.dated_answers(
        keys, occasion_window(as_of, OCCASION_DAYS), children=not FIELDS["children"].sensitive
    )
    last_day = as_of + timedelta(days=OCCASION_DAYS - 1)
    found = []
    for client_id, client_values in values.items():
        if ours is not None and client_id not in ours:
            continue
        name, company = names[client_id]
        for occasion in client_view.occasions(client_values, as_of):
            if occasion.day <= last_day:
                found.append(_occasion(occasion, client_id, name, company, as_of))
    return sorted(found, key=lambda item: (item.day, item.client.casefold(), item.text))


def _occasion(
    occasion: client_view.Occasion, client_id: int, name: str, company: str, as_of: date
) -> TodayItem:
    """ "Ben Ueda's 57th birthday tomorrow, Tue 24 Nov (Pinecrest Capital)"."""
    when = "today" if occasion.day == as_of else f"tomorrow, {short_day(occasion.day)}"
    nth = f"{ordinal(occasion.age)} " if occasion.age else ""
    at = f" ({company})" if company else ""
    if occasion.reminder is Reminder.CHILD_BIRTHDAY:
        text = f"{occasion.child}'s {nth}birthday {when}, a child of {_who(name, company)}"
    elif occasion.reminder is Reminder.ANNIVERSARY:
        text = f"{name}'s {nth}wedding anniversary {when}{at}"
    else:
        text = f"{name}'s {nth}birthday {when}{at}"
    kind = _OCCASION_KIND[occasion.reminder]
    person = occasion.child if occasion.reminder is Reminder.CHILD_BIRTHDAY else name
    return TodayItem(
        kind,
        text,
        client_id,
        name,
        company,
        occasion.day,
        (("person", person), ("age", occasion.age), ("in_days", (occasion.day - as_of).days)),
    )


# --- Planned communications ------------------------------------------------------------------


def _communications(
    as_of: date,
    reps: Sequence[str] | None,
    ours: Collection[int] | None,
    verdicts: list[health.ClientHealth],
) -> list[TodayItem]:
    items = []
    for plan in review_facts.plans_due(as_of):  # the soonest first
        if ours is None or plan.client_id in ours:
            whom = _who(plan.name, plan.company)
            client = (plan.client_id, plan.name, plan.company)
            items.append(_communication("plan", plan, whom, client, as_of, plan_id=plan.plan_id))
    by_id = {verdict.id: verdict for verdict in verdicts}
    for communication in communications_of(reps):  # the soonest first
        if communication.next_due > as_of:
            break
        segment = communication.segment
        recipients = len(recipient_ids(segment, by_id, set(ours) if ours is not None else None))
        items.append(
            _communication(
                "segment-communication",
                communication,
                f"{segment.label} ({counted(recipients, 'client')} today)",
                (None, "", ""),
                as_of,
                communication_id=communication.id,
                segment=segment.typed,
                recipients=recipients,
                hint="; C in the cockpit marks it sent",
            )
        )
    return sorted(items, key=lambda item: item.day)  # stable: a client's before a segment's


def _communication(
    kind: str, planned, whom: str, client: tuple, as_of: date, *, hint: str = "", **ids
) -> TodayItem:
    """ "Quarterly market update to Wei Rossi (Brightline Health), an email every 3 months:
    due today", of a client's plan or a segment's communication (`planned`)."""
    due, late = _due(planned.next_due, as_of)
    to = "with" if Kind(planned.kind) in _WITH else "to"
    how_often = f"{a_kind(planned.kind)} {period(planned.every, planned.unit)}"
    return TodayItem(
        kind,
        f"{planned.what} {to} {whom}, {how_often}: {due}{hint}",
        *client,
        planned.next_due,
        (
            *ids.items(),
            ("what", planned.what),
            ("touch_kind", planned.kind),
            ("every", planned.every),
            ("unit", planned.unit),
            ("days_overdue", late),
        ),
    )


# --- Drifting core clients -------------------------------------------------------------------


def watched(verdict: health.ClientHealth) -> bool:
    """A client whose drift is on the day's agenda and in the calendar: core, or pinned as
    strategic; neither former nor archived."""
    return verdict.counts_as_core and verdict.still_a_client


def _drifting(verdicts: list[health.ClientHealth]) -> tuple[list[TodayItem], int]:
    attention = health.needing_attention(verdicts)
    core = [verdict for verdict in attention if watched(verdict)]
    items = [
        TodayItem(
            "drifting",
            f"{_who(v.name, v.company)}, {tier_word(v)}, drifting: {v.explanation}",
            v.id,
            v.name,
            v.company,
            None,
            (
                ("tier", v.tier.value),
                ("strategic", v.strategic),
                ("last_touch", v.last_touch),
                ("days_since_last_touch", v.days_since_last_touch),
                ("cadence_days", _cadence(v)),
                ("explanation", v.explanation),
            ),
        )
        for v in core
    ]
    return items, len(attention) - len(core)


def tier_word(verdict: health.ClientHealth) -> str:
    return "core" if verdict.tier is health.Tier.CORE else "pinned as strategic"


def _cadence(verdict: health.ClientHealth) -> int | None:
    interval = verdict.plan_interval
    return None if interval is None else max(1, math.floor(interval + 0.5))


def _others_line(others: int) -> str:
    if not others:
        return ""
    return (
        f"{counted(others, 'other client')} drifting, not core: cockpit drift lists "
        f"{'it' if others == 1 else 'them'}"
    )


def drift_alerts(
    as_of: date, ours: Collection[int] | None = None
) -> list[tuple[health.ClientHealth, date]]:
    """The core clients (and those pinned as strategic) of `ours` that are drifting or will
    be without a touch, each with the day it needs attention: today when it does now,
    else the day the engine judges it drifting (`ClientHealth.drifts_on`), or the day its
    snooze ends if later. By day, then name."""
    found = []
    for verdict in cached_compute(as_of):
        if not watched(verdict) or (ours is not None and verdict.id not in ours):
            continue
        day = verdict.drifts_on
        if day is None:
            continue
        snoozed = verdict.snoozed_until
        if snoozed is not None and snoozed > day:
            day = snoozed
        found.append((verdict, day))
    return sorted(found, key=lambda pair: (pair[1], pair[0].name.casefold(), pair[0].id))


# --- Renewals --------------------------------------------------------------------------------


def _renewal(renewal: ComingRenewal) -> TodayItem:
    return TodayItem(
        "renewal",
        renewal.line(),
        renewal.client_id,
        renewal.client,
        renewal.company,
        renewal.day,
        (
            ("deal_id", renewal.deal_id),
            ("account", renewal.account),
            ("amount_cents", renewal.amount_cents),
            ("currency", renewal.currency),
            ("what", renewal.what),
            ("in_days", renewal.in_days),
            ("term_months", renewal.term_months),
            ("at_risk", renewal.at_risk),
            ("call", renewal.call),
            ("call_id", renewal.call_id),
        ),
    )
