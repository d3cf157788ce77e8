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


class AccountNotResolved(UsageError):
    pass


def resolve_account(text: str):
    """The one account `text` names: `#ID`, its name or a spelling merged into it (any
    case and spacing), or the only account whose name holds every word of it."""
    from cockpit.storage import accounts

    wanted = text.strip()
    if wanted.startswith("#"):
        number = wanted[1:]
        if not (number.isascii() and number.isdigit()):
            raise UsageError(f"{wanted!r} is not an account id; ids look like #12")
        found = accounts.account_now(int(number))
        if found is None:
            raise AccountNotResolved(f"there is no account #{number}")
        return found
    if not fold(wanted):
        raise UsageError("name an account: #ID, its name, or part of its name")
    exact = accounts.account_named(wanted)
    if exact is not None:
        return accounts.account_row(exact)
    candidates = accounts.account_candidates(holding=wanted)
    if len(candidates) == 1:
        return candidates[0]
    listed = "".join(f"\n  #{row.id} {row.name}" for row in candidates[:MAX_LISTED])
    if candidates:
        more = len(candidates) - MAX_LISTED
        listed += f"\n  … and {more} more" if more > 0 else ""
        raise AccountNotResolved(
            f"{wanted!r} matches {len(candidates)} accounts; name one by its id or more of "
            f"its name:{listed}"
        )
    everyone = accounts.account_rows()
    close = closest(wanted, [Candidate(row.id, row.name, "") for row in everyone])
    if close:
        listed = "".join(f"\n  #{c.id} {c.name}" for c in close)
        raise AccountNotResolved(f"no account matches {wanted!r}; the closest are:{listed}")
    raise AccountNotResolved(f"no account matches {wanted!r}")
