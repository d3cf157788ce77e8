"""Who a communication to a segment goes to: the To field's words read as a segment ("core",
"@Acme", "#golf"), and its recipients on a day: the clients in the tier the engine gives
them that day, at the account, or carrying the tag; never an archived or former client,
and on a team book only your own (each client's touches are its rep's to log)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from cockpit.errors import ValidationError
from cockpit.health import ClientHealth
from cockpit.health_cache import cached_compute
from cockpit.storage import segment_communications as stored
from cockpit.storage import tags as stored_tags
from cockpit.storage.segment_communications import TIERS, Communication, Segment
from cockpit.validation import tag_key

TO_HINT = "core, other or peripheral; @ and an account; # and a tag"


@dataclass(frozen=True)
class Recipient:
    client_id: int
    name: str
    company: str


def read_segment(typed: str) -> Segment:
    """The segment the To field names: a tier, "@account" or "#tag"."""
    text = typed.strip()
    if not text:
        raise ValidationError(f"To: who is it for? ({TO_HINT})")
    if text.casefold() in TIERS:
        return Segment(tier=text.casefold())
    if text.startswith("@"):
        found = stored.find_account(text[1:].strip())
        if found is None:
            raise ValidationError(f"To: there is no account named {text[1:].strip()!r}")
        return Segment(account_id=found[0], account_name=found[1])
    if text.startswith("#"):
        tag = text[1:].strip()
        key = tag_key(tag) if tag else ""
        if not key:
            raise ValidationError("To: type the tag after #, such as #golf")
        known = next((c.tag for c in stored_tags.tag_counts() if c.key == key), None)
        if known is None:
            raise ValidationError(f"To: no client carries the tag #{tag}")
        return Segment(tag_key=key, tag=known)
    raise ValidationError(f"To: {text!r} is no segment ({TO_HINT})")


def recipients(communication: Communication, as_of: date, ours: set[int] | None) -> list[Recipient]:
    """Who it goes to on `as_of`, by name (of the clients `ours`, when given)."""
    verdicts = {v.id: v for v in cached_compute(as_of)}
    ids = recipient_ids(communication.segment, verdicts, ours)
    chosen = [verdicts[client_id] for client_id in ids]
    chosen.sort(key=lambda v: (v.name.casefold(), v.company.casefold(), v.id))
    return [Recipient(v.id, v.name, v.company) for v in chosen]


def recipient_ids(
    segment: Segment, verdicts: Mapping[int, ClientHealth], ours: set[int] | None
) -> list[int]:
    """The ids of the segment's recipients, judged by `verdicts` (by id)."""
    if segment.tier is not None:
        candidates: Iterable[int] = (
            v.id for v in verdicts.values() if v.tier.value == segment.tier
        )
    elif segment.account_id is not None:
        candidates = stored.people_at(segment.account_id)
    else:
        candidates = stored_tags.clients_tagged(segment.tag_key or "")
    return [
        client_id
        for client_id in candidates
        if _reachable(verdicts.get(client_id)) and (ours is None or client_id in ours)
    ]


def _reachable(verdict: ClientHealth | None) -> bool:
    return verdict is not None and verdict.still_a_client


def communications_of(reps: Sequence[str] | None) -> list[Communication]:
    """The communications of `reps` (None: everyone's; on a SQLite book, all of them: it
    is one person's), the soonest due first."""
    from cockpit.storage.reps import on_server

    if reps is None or not on_server():
        return stored.communications()
    return stored.communications([rep for rep in reps if rep])
