"""What a user may edit of a client and of a touch: one definition that the forms hold,
storage checks and writes, and the exporters read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime

from cockpit.vocabulary import Lifecycle


@dataclass
class ClientFields:
    """A client's editable details."""

    name: str = ""
    company: str = ""
    title: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    lifecycle: str = Lifecycle.ACTIVE.value
    client_since: date | None = None
    keep_in_touch_days: int | None = None
    strategic: bool = False
    snoozed_until: date | None = None
    tags: list[str] = field(default_factory=list)  # free labels ("golf", "key account")

    @classmethod
    def of(cls, source: object) -> ClientFields:
        """The editable details of anything that carries them as attributes (a stored
        client's view, a model row)."""
        return cls(**{name: getattr(source, name) for name in CLIENT_FIELD_NAMES})

    def as_keywords(self) -> dict:
        return asdict(self)


@dataclass
class TouchFields:
    """A logged touch's editable details (`when` None: now, for a touch being logged)."""

    kind: str
    intent: str | None  # None: `validation.default_intent` chooses it as it is saved
    when: datetime | None
    duration_min: int
    summary: str
    follow_up_on: date | None

    @classmethod
    def of(cls, source: object) -> TouchFields:
        return cls(**{name: getattr(source, name) for name in TOUCH_FIELD_NAMES})

    def as_keywords(self) -> dict:
        return asdict(self)


CLIENT_FIELD_NAMES = tuple(item.name for item in fields(ClientFields))
TOUCH_FIELD_NAMES = tuple(item.name for item in fields(TouchFields))
