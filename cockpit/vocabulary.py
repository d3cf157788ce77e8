"""The fixed vocabularies of the model: interaction kinds, intents, lifecycles.

Every interaction kind but `note` is a *touch*: contact with the client. A note
stays on the timeline but never counts as contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    CALL = "call"
    MEETING = "meeting"
    EMAIL = "email"
    MESSAGE = "message"
    HANDWRITTEN_NOTE = "handwritten-note"
    GIFT = "gift"
    EVENT = "event"
    REFERRAL_ASKED = "referral-asked"
    REFERRAL_RECEIVED = "referral-received"
    REFERRAL_GIVEN = "referral-given"
    NOTE = "note"


class Intent(StrEnum):
    SALES = "sales"  # an ask: pitch, renewal, upsell, referral ask
    RELATIONSHIP = "relationship"  # a give: check-in, help, gift, congratulations


@dataclass(frozen=True)
class KindInfo:
    label: str
    minutes: int  # the time it takes when the user logs none


KIND_INFO: dict[Kind, KindInfo] = {
    Kind.CALL: KindInfo("Call", 15),
    Kind.MEETING: KindInfo("Meeting", 60),
    Kind.EMAIL: KindInfo("Email", 5),
    Kind.MESSAGE: KindInfo("Message", 2),
    Kind.HANDWRITTEN_NOTE: KindInfo("Handwritten note", 10),
    Kind.GIFT: KindInfo("Gift", 20),
    Kind.EVENT: KindInfo("Event", 120),
    Kind.REFERRAL_ASKED: KindInfo("Referral asked", 5),
    Kind.REFERRAL_RECEIVED: KindInfo("Referral received", 5),
    Kind.REFERRAL_GIVEN: KindInfo("Referral given", 15),
    Kind.NOTE: KindInfo("Note", 0),
}

# Marks in the client list and the commands' tables, standing out without colour.
DRIFT_MARK = "!"  # needs attention
STRATEGIC_MARK = "*"  # pinned as strategic by the user
SNOOZE_MARK = "z"  # snoozed: out of the drift list until a day

# The one key that picks each kind in the quick log, and in `cockpit log` its one-letter
# name (case matters: r asked, R received, G given).
KIND_KEYS: dict[str, Kind] = {
    "c": Kind.CALL,
    "m": Kind.MEETING,
    "e": Kind.EMAIL,
    "t": Kind.MESSAGE,
    "h": Kind.HANDWRITTEN_NOTE,
    "g": Kind.GIFT,
    "v": Kind.EVENT,
    "r": Kind.REFERRAL_ASKED,
    "R": Kind.REFERRAL_RECEIVED,
    "G": Kind.REFERRAL_GIVEN,
    "n": Kind.NOTE,
}


def kind_named(text: str) -> str:
    """The kind a user typed: its one-letter key (`c`), its name (`call`, `Handwritten
    note`, `referral_asked`); returned as a kind's value, or as typed (stripped) for the
    validation to refuse with the list of kinds."""
    typed = text.strip()
    if typed in KIND_KEYS:
        return KIND_KEYS[typed].value
    return "-".join(typed.lower().replace("_", " ").split())


TOUCH_KINDS: frozenset[Kind] = frozenset(kind for kind in Kind if kind is not Kind.NOTE)


def a_kind(kind: Kind | str) -> str:
    """The kind as a sentence names it: "a call", "an email"."""
    label = KIND_INFO[Kind(kind)].label.lower()
    return ("an " if label[0] in "aeiou" else "a ") + label


def is_touch(kind: Kind | str) -> bool:
    return Kind(kind) is not Kind.NOTE


class Lifecycle(StrEnum):
    """Where a client stands, as the user says (never computed)."""

    PROSPECT = "prospect"
    ACTIVE = "active"
    FORMER = "former"


class PlanUnit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


def period(every: int, unit: PlanUnit | str) -> str:
    """A plan's period in words: "every month", "every 3 months"."""
    unit = PlanUnit(unit).value
    return f"every {unit[:-1]}" if every == 1 else f"every {every} {unit}"


class ReviewStep(StrEnum):
    """What the user did with one item of the weekly review."""

    DONE = "done"  # handled
    LOGGED = "logged"  # a touch logged from the review
    SCHEDULED = "scheduled"  # the next touch is planned for a day
    SNOOZED = "snoozed"  # out of sight until a day
    SKIPPED = "skipped"  # not handled: it comes back next review


class Role(StrEnum):
    """What a contact is at their account (several per person, plus free text)."""

    DECISION_MAKER = "decision-maker"
    CHAMPION = "champion"
    INFLUENCER = "influencer"
    USER = "user"
    FINANCE = "finance"
    GATEKEEPER = "gatekeeper"


# The roles an account hangs on: their holders get the core cadence at a key or core
# account, and their leaving is flagged ("champion left").
KEY_ROLES: frozenset[Role] = frozenset({Role.DECISION_MAKER, Role.CHAMPION})


def role_label(role: Role | str) -> str:
    """A role in words: "decision maker"."""
    return Role(role).value.replace("-", " ")


def roles_named(text: str) -> list[Role]:
    """The roles a user typed ("champion, decision maker", "dm"), in the vocabulary's
    order; a ValueError naming the roles when one is not known."""
    found: set[Role] = set()
    for typed in text.replace(";", ",").split(","):
        word = "-".join(typed.strip().lower().replace("_", " ").split())
        if not word:
            continue
        role = _ROLE_SHORT.get(word) or next((r for r in Role if r.value == word), None)
        if role is None:
            known = ", ".join(role_label(r) for r in Role)
            raise ValueError(f"{typed.strip()!r} is not a role; use some of {known}")
        found.add(role)
    return [role for role in Role if role in found]


_ROLE_SHORT = {"dm": Role.DECISION_MAKER, "decision": Role.DECISION_MAKER, "fin": Role.FINANCE}


def stored_roles(roles) -> str:
    """Roles as a client's row keeps them: their values, comma-separated, in order."""
    chosen = {Role(role) for role in roles}
    return ",".join(role.value for role in Role if role in chosen)


def roles_of(stored: str) -> list[Role]:
    """The roles a client's row keeps (`stored_roles`)."""
    return [Role(value) for value in stored.split(",") if value]


def roles_in_words(stored: str, note: str = "") -> str:
    """A person's roles and their own words, as the panes say them: "decision maker,
    champion, signs off IT"."""
    return ", ".join([role_label(role) for role in roles_of(stored)] + ([note] if note else []))


_ROLE_BRIEF = {Role.DECISION_MAKER: "DM"}
ROLE_BRIEFS = tuple(_ROLE_BRIEF.get(role, role.value) for role in Role)  # as the list shows them


def roles_brief(stored: str, note: str = "") -> str:
    """A person's roles in a few letters, as the client list shows them ("DM, champion");
    their own words when no role of the vocabulary is held."""
    held = [_ROLE_BRIEF.get(role, role.value) for role in roles_of(stored)]
    return ", ".join(held) if held else note
