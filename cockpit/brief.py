"""The pre-call brief: one page on a client before calling them, in plain words and in this
order: their health and why (with what is at stake), open follow-ups and promises, the last
three touches, the next occasion within 30 days, what they care about (interests, goals,
family), the account around them, gives to offer, and what never to raise.

Only answers the profile schema does not mark sensitive feed the sections and the
suggestions; the sensitive ones are named in "do not raise", their content masked unless
`show_sensitive`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from cockpit.account_plan import open_actions_line
from cockpit.client_view import (
    CONFIDENTIAL_FIELD,
    Occasion,
    OpenFollowUp,
    TimelineEntry,
    occasions,
    open_follow_ups,
    sensitive_answers,
)
from cockpit.client_view import timeline as client_timeline
from cockpit.config import settings
from cockpit.dates import ago, short_day
from cockpit.errors import ValidationError
from cockpit.profile.document import MASK
from cockpit.profile.schema import FIELDS
from cockpit.storage import client_facts
from cockpit.storage.client_facts import ProfileEntry
from cockpit.validation import money
from cockpit.vocabulary import roles_in_words

OCCASION_DAYS = 30  # how far ahead the brief looks for a birthday or anniversary
LAST_TOUCHES = 3
# What the client cares about, each a non-sensitive field of the schema, as the brief names it.
INTEREST_FIELDS = (
    ("hobbies", ""),
    ("spectator_sports", "follows"),
    ("conversation_topics", "likes to talk about"),
    ("clubs", "member of"),
    ("community_involvement", "in the community"),
    ("favourite_dishes", "likes to eat"),
)
GOAL_FIELDS = (
    ("business_goal_now", "Business, now"),
    ("business_goal_long", "Business, long term"),
    ("personal_goal_now", "Personal, now"),
    ("personal_goal_long", "Personal, long term"),
    ("key_problems", "Their main problems"),
    ("proudest_achievement", "Proudest of"),
)
FAMILY_FIELDS = (
    ("spouse_interests", "Partner's interests"),
    ("children_interests", "Children's interests"),
    ("children_education", "Children's schooling"),
)


# The sections after the heading, in the brief's order: (title, the brief's attribute).
SECTIONS = (
    ("Follow-ups and promises", "follow_ups"),
    ("Last touches", "last_touches"),
    ("Next occasion", "next_occasion"),
    ("What they care about", "interests"),
    ("Goals", "goals"),
    ("Family", "family"),
    ("Account", "account"),
    ("Gives to offer", "suggested_gives"),
    ("Do not raise", "do_not_raise"),
)
NOTHING = {
    "follow_ups": "None open.",
    "last_touches": "No touch yet.",
    "next_occasion": "None within 30 days.",
    "interests": "Nothing known: the profile's interests (item 48) are empty.",
    "goals": "Nothing known.",
    "family": "Nothing known.",
    "account": "No account: no company is known.",
    "do_not_raise": "Nothing sensitive is known.",
}


@dataclass(frozen=True)
class Brief:
    """What to know before calling a client, each section in plain words."""

    client_id: int
    client: str
    company: str
    roles: str  # what they are at their account, in words ("" when nothing is known)
    health: str | None  # the verdict's value ("drifting"), None for a client not judged
    why: str
    stake: str  # the client's own (`stake_text` adds the account's renewal)
    follow_ups: tuple[str, ...]
    last_touches: tuple[str, ...]
    next_occasion: str | None
    interests: tuple[str, ...]
    goals: tuple[str, ...]
    family: tuple[str, ...]
    account: tuple[str, ...] | None  # None: not read yet
    suggested_gives: tuple[str, ...]
    do_not_raise: tuple[str, ...]
    sensitive_shown: bool
    open_follow_ups: tuple[OpenFollowUp, ...]  # for the call logged from the brief to close
    # (label, answer) of the sensitive subjects, their answers only when `sensitive_shown`
    sensitive: tuple[tuple[str, str], ...] = ()
    renewal: str | None = None  # the account's next renewal, in words

    @property
    def stake_text(self) -> str:
        """ "core, 10% of your revenue; $217,800 won in the last 12 months; Pinecrest
        Capital renews $259,100 on Sat 9 Jan, at risk." """
        return "; ".join(part for part in (self.stake, self.renewal) if part) + "."

    def heading(self) -> str:
        """ "Ann Park · Brightline (decision maker)"."""
        who = self.client + (f" · {self.company}" if self.company else "")
        return who + (f" ({self.roles})" if self.roles else "")

    def lines_of(self, attribute: str) -> list[str]:
        """A section's lines (`SECTIONS`), or what says it is empty."""
        value = getattr(self, attribute)
        if value is None and attribute == "account":
            return ["Reading the account…"]
        if value is None or value == ():
            return [NOTHING.get(attribute, "")]
        return [value] if isinstance(value, str) else list(value)


def client_brief(
    client_id: int, today: date, *, show_sensitive: bool = False, with_account: bool = True
) -> Brief:
    """The brief on a client as of `today` (a ValidationError when there is no such
    client). Without `with_account` its account is left to read (`with_account_read`):
    the first time, the 80/20 split over every account is worked out (then kept)."""
    from cockpit.health_cache import cached_compute

    detail = client_facts.client_record(client_id)
    if detail is None:
        raise ValidationError(f"there is no client #{client_id}")
    follow_ups = open_follow_ups(client_id)
    values = client_facts.profile_entries(client_id)
    answers = _answers(values)
    verdict = next(iter(cached_compute(today, only={client_id})), None)
    entries = client_timeline(client_id, limit=10)
    occasion = _next_occasion(values, today, detail.name)
    interests = _interests(answers)
    sensitive = _sensitive(values, show_sensitive)
    brief = Brief(
        client_id=client_id,
        client=detail.name,
        company=detail.company,
        roles=roles_in_words(detail.roles, detail.role_note),
        health=verdict.health.value if verdict is not None else None,
        why=_why(verdict),
        stake=_stake(verdict),
        follow_ups=tuple(_follow_ups(follow_ups, client_id, today)),
        last_touches=tuple(_last_touches(entries, today)),
        next_occasion=_occasion_text(occasion, today) if occasion else None,
        interests=tuple(interests),
        goals=tuple(_labelled(answers, GOAL_FIELDS)),
        family=tuple(_family(values, answers, today)),
        account=None,
        suggested_gives=tuple(_gives(occasion, interests, answers, today)),
        do_not_raise=tuple(f"{label}: {answer}" for label, answer in sensitive),
        sensitive_shown=show_sensitive,
        open_follow_ups=tuple(follow_ups),
        sensitive=tuple(sensitive) if show_sensitive else (),
    )
    return with_account_read(brief, today) if with_account else brief


def with_account_read(brief: Brief, today: date) -> Brief:
    """The brief with its account's part: the account's verdict, its other people, the
    account plan's open actions, and its next renewal in the stake."""
    account = _account(brief.client_id, today)
    renewal = None
    if account is not None and account.next_renewal is not None:
        risk = ", at risk" if account.renewal_at_risk else ""
        renewal = f"{account.name} renews {account.next_renewal.text()}{risk}"
    lines = _account_lines(account, brief.client_id)
    actions = open_actions_line(brief.client_id, today)
    if actions:
        lines.append(f"Open account plan actions: {actions}")
    return replace(brief, account=tuple(lines), renewal=renewal)


def _answers(values: Sequence[ProfileEntry]) -> dict[str, list[str]]:
    """Each non-sensitive field's answers (a list field's rows in order); a sensitive
    field's never."""
    found: dict[str, list[tuple[int, str]]] = {}
    for value in values:
        field = FIELDS.get(value.field_key)
        if field is None or field.sensitive or not value.text.strip():
            continue
        if value.column_key not in ("", "value", "name"):
            continue  # a list row's other cells (a child's birthday) are read where needed
        found.setdefault(value.field_key, []).append((value.row_no, value.text.strip()))
    return {key: [text for _, text in sorted(rows)] for key, rows in found.items()}


def _why(verdict) -> str:
    if verdict is None:
        return "Not judged: an archived client."
    why = verdict.explanation
    if verdict.give_explanation:
        why += " " + verdict.give_explanation
    return why


def _stake(verdict) -> str:
    """The tier, what is at stake as the verdicts weigh it, the revenue of the last year."""
    if verdict is None:
        return "Nothing at stake known yet"
    won = money(verdict.revenue_cents, settings().currency)
    months = round(verdict.rules.window_days / 30.44)
    stake = verdict.stake_phrase.strip().rstrip(".")
    stake = stake[:1].lower() + stake[1:]
    tier_and_stake = ", ".join(p for p in (verdict.tier.value, stake) if p)
    return f"{tier_and_stake}; {won} won in the last {months} months"


def _follow_ups(follow_ups: Sequence[OpenFollowUp], client_id: int, today: date) -> list[str]:
    found = [
        f"{'Overdue' if f.day < today else 'Due'} {short_day(f.day)} ({ago(f.day, today)}): "
        + f.what
        for f in follow_ups
    ]
    found += [
        f"A touch promised in the weekly review for {short_day(day)} ({ago(day, today)})"
        for day in client_facts.scheduled_days(client_id, today, limit=3)
    ]
    return found


def _last_touches(entries, today: date) -> list[str]:
    touches = [e for e in entries if isinstance(e, TimelineEntry) and e.is_touch]
    lines = []
    for touch in touches[:LAST_TOUCHES]:
        summary = (touch.summary.strip().splitlines() or [""])[0]
        intent = "a sales ask" if touch.intent == "sales" else "a relationship touch"
        text = f"{short_day(touch.day)} ({ago(touch.day, today)}): {touch.label}, {intent}"
        lines.append(text + (f": {summary}" if summary else ""))
    return lines


def _next_occasion(values: Sequence[ProfileEntry], today: date, name: str) -> Occasion | None:
    """The first birthday or anniversary within 30 days, the client's own named for them."""
    within = today + timedelta(days=OCCASION_DAYS)
    coming = [o for o in occasions(_not_sensitive(values), today) if o.day <= within]
    if not coming:
        return None
    first = coming[0]
    if first.what == "Birthday":
        return Occasion(first.day, f"{name.split()[0]}'s birthday", first.age)
    return first


def _not_sensitive(values: Sequence[ProfileEntry]) -> list[ProfileEntry]:
    return [v for v in values if v.field_key in FIELDS and not FIELDS[v.field_key].sensitive]


def _occasion_text(occasion: Occasion, today: date) -> str:
    text = f"{occasion.what} on {short_day(occasion.day)} ({ago(occasion.day, today)})"
    if occasion.age is not None:
        turning = "turning" if "birthday" in occasion.what.lower() else "years:"
        text += f", {turning} {occasion.age}"
    return text


def _interests(answers: dict[str, list[str]]) -> list[str]:
    found = []
    for key, how in INTEREST_FIELDS:
        for answer in answers.get(key, []):
            first = answer.splitlines()[0]
            found.append(f"{first} ({how})" if how else first)
    return found


def _labelled(answers: dict[str, list[str]], fields) -> list[str]:
    return [
        f"{label}: {' / '.join(line for text in answers[key] for line in text.splitlines())}"
        for key, label in fields
        if key in answers
    ]


def _family(values: Sequence[ProfileEntry], answers: dict[str, list[str]], today: date):
    children = _children(values, today)
    found = [f"Children: {', '.join(children)}"] if children else []
    return found + _labelled(answers, FAMILY_FIELDS)


def _children(values: Sequence[ProfileEntry], today: date) -> list[str]:
    """Each child by name, with their age when their birthday's year is known."""
    from cockpit.partial_date import PartialDate

    if FIELDS["children"].sensitive:
        return []
    rows: dict[int, dict[str, str]] = {}
    for value in values:
        if value.field_key == "children":
            rows.setdefault(value.row_no, {})[value.column_key] = value.text.strip()
    found = []
    for _, row in sorted(rows.items()):
        name = row.get("name")
        if not name:
            continue
        age = None
        if row.get("birthday"):
            try:
                age = PartialDate.parse(row["birthday"]).age_on(today)
            except ValidationError:
                age = None
        found.append(f"{name} ({age})" if age is not None else name)
    return found


def _account(client_id: int, today: date):
    """The account the client works at now, judged (`account_view.AccountHealth`), or None."""
    from cockpit.account_view import account_health
    from cockpit.storage.accounts import account_of

    account_id = account_of(client_id)
    return account_health(account_id, today) if account_id is not None else None


def _account_lines(account, client_id: int) -> list[str]:
    if account is None:
        return []
    lines = [f"{account.name}: {account.health.value}, {account.tier.value}", account.explanation]
    for person in account.current_people:
        if person.client_id == client_id:
            continue
        lines.append(f"{person.with_roles()}: {person.health_word or 'not judged'}")
    return lines


def _gives(
    occasion: Occasion | None, interests: list[str], answers: dict[str, list[str]], today: date
) -> list[str]:
    """Gives drawn from what is known: an occasion, an interest, a problem a referral could
    solve, a favourite place."""
    gives = []
    if occasion is not None:
        gives.append(f"A card or a small gift for {_occasion_text(occasion, today)}")
    for interest in interests[:2]:
        gives.append(f"Something on {interest}: an article, a book or tickets")
    for problem in answers.get("key_problems", [])[:1]:
        first = problem.splitlines()[0]
        gives.append(f"An introduction to someone who can help with: {first}")
    hosted = answers.get("objects_to_being_hosted", [])
    for place in answers.get("favourite_restaurants", [])[:1]:
        if not any(answer.lower().startswith("yes") for answer in hosted):
            gives.append(f"Lunch at {place}")
    if not gives:
        gives.append(
            "Nothing known to give yet: their interests (item 48) or occasions (items 5, 17, "
            "18) in the profile would suggest some"
        )
    return gives


def _sensitive(values: Sequence[ProfileEntry], show: bool) -> list[tuple[str, str]]:
    """(label, answer) of the sensitive subjects this client has answers for, the subjects
    to avoid (item 39) first; each answer masked unless `show`."""
    by_field: dict[str, list[ProfileEntry]] = {}
    for value in values:
        if value.text.strip():
            by_field.setdefault(value.field_key, []).append(value)
    confidential = FIELDS[CONFIDENTIAL_FIELD].label
    found = sorted(sensitive_answers(by_field), key=lambda kept: kept[0] != confidential)
    return [(label, answer if show else MASK) for label, answer in found]
