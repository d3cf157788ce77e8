"""Which client a command means: `#ID`, an exact name, or a unique match.

Every command that names a client (`deal`, `log`, `profile`) resolves it here.
None or several → `ClientNotResolved` (exit 2), listing the closest candidates
with their ids, and the command writes nothing.
"""

from __future__ import annotations

from cockpit.errors import UsageError
from cockpit.search import Candidate, closest, fold, matching
from cockpit.storage import book

MAX_LISTED = 8


class ClientNotResolved(UsageError):
    def __init__(self, message: str, candidates: list[Candidate]) -> None:
        listed = "".join(f"\n  {c.label()}" for c in candidates[:MAX_LISTED])
        more = len(candidates) - MAX_LISTED
        if more > 0:
            listed += f"\n  … and {more} more"
        super().__init__(message + listed)
        self.candidates = candidates


def resolve_client(text: str) -> Candidate:
    """The one client `text` names."""
    wanted = text.strip()
    if wanted.startswith("#"):
        number = wanted[1:]
        if not (number.isascii() and number.isdigit()):
            raise UsageError(f"{wanted!r} is not a client id; ids look like #12")
        found = book.client_candidate(int(number))
        if found is None:
            raise ClientNotResolved(f"there is no client #{number}", [])
        return found
    if not fold(wanted):
        raise UsageError("name a client: #ID, a name, or part of a name or company")
    candidates = book.client_candidates(holding=wanted)
    # An exact name, any case; only if none, an exact name without regard to accents.
    exact = [c for c in candidates if c.name.casefold() == wanted.casefold()]
    if not exact:
        exact = [c for c in candidates if c.folded_name == fold(wanted)]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise ClientNotResolved(
            f"{len(exact)} clients are named {wanted!r}; name one by its id:", exact
        )
    found = matching(wanted, candidates)
    if len(found) == 1:
        return found[0]
    if found:
        raise ClientNotResolved(
            f"{wanted!r} matches {len(found)} clients; name one by its id or more of its name:",
            found,
        )
    suggestions = closest(wanted, book.client_candidates())
    if suggestions:
        raise ClientNotResolved(f"no client matches {wanted!r}; the closest are:", suggestions)
    raise ClientNotResolved(f"no client matches {wanted!r}", [])
