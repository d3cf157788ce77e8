"""What the client list is made of: the first looks before the verdicts, whose clients
are shown, the sort orders and the search entries."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from cockpit.search import Candidate, FilterIndex, fold, tag_entry
from cockpit.text import printable
from cockpit.ui.widgets.client_list import FirstLook

if TYPE_CHECKING:
    from cockpit.storage import book

FIRST_PAGE = 120  # clients read before anything else: more than a tall terminal shows
SORTS = ("attention", "last touch", "revenue", "name", "profile")


def subtitle(book_name: str, team_view: bool, sort_mode: str) -> str:
    whose = " · the team's clients" if team_view else ""  # yours: the usual case
    return f"{printable(book_name)}{whose} · sorted by {sort_mode}"


def first_looks(rows: list[book.ClientRow]) -> list[FirstLook]:
    return [FirstLook(r.id, r.name, r.company, r.lifecycle, r.last_touch) for r in rows]


def ours(rows: list, owned: set[int] | None) -> list:
    """The rows of the clients in `owned` (all of them for None)."""
    return rows if owned is None else [row for row in rows if row.id in owned]


def first_page_looks(rows: list[tuple]) -> list[FirstLook]:
    """FirstLooks from `read_first_page`'s rows."""
    return [
        FirstLook(id_, name, company, lifecycle, date.fromisoformat(last) if last else None)
        for id_, name, company, lifecycle, last in rows
    ]


class Listing(NamedTuple):
    """The list before the filter, made in a worker (on a large book, sorting and
    folding the names takes a while): its clients in order with their search entries,
    the folded index the filter searches (names and tags), and the clients by id."""

    sort_mode: str | None  # None: as given (by name, before the verdicts)
    clients: list
    candidates: list[Candidate]
    index: FilterIndex
    by_id: dict


def listing(
    clients: list,
    candidate_of: dict[int, Candidate],
    sort_mode: str | None = None,
    completeness: dict[int, int] | None = None,
    tags: Mapping[int, str] | None = None,
) -> Listing:
    """These clients as the list shows them: in `sort_mode`'s order (as given for
    None), with their search entries (those in `candidate_of` reused) and their tags
    (`tags`: each tagged client's `search.tag_entry`)."""
    if sort_mode is not None:
        clients = sorted(clients, key=sort_key(sort_mode, completeness or {}))
    candidates = [candidate_of.get(c.id) or Candidate(c.id, c.name, c.company) for c in clients]
    by_id = {c.id: c for c in clients}
    entries = [tags.get(c.id, "") for c in clients] if tags else []
    return Listing(sort_mode, clients, candidates, FilterIndex(candidates, entries), by_id)


def sort_key(mode: str, completeness: dict[int, int]):
    if mode == "profile":  # the fullest Mackay 66 profiles first
        return lambda r: (-completeness.get(r.id, 0), r.name.casefold(), r.id)
    if mode == "attention":
        from cockpit import health

        return health.attention_order
    if mode == "last touch":
        return lambda r: (r.last_touch is None, -(r.last_touch.toordinal() if r.last_touch else 0))
    if mode == "revenue":
        return lambda r: (-r.revenue_cents, r.name.casefold(), r.id)
    return lambda r: (r.name.casefold(), r.company.casefold(), r.id)


def tag_entries(keys: Mapping[int, tuple[str, ...]]) -> dict[int, str]:
    """Each tagged client's tags as the filter searches them (`book.tag_keys_by_client`)."""
    return {client_id: tag_entry(held) for client_id, held in keys.items()}


def candidates_for(known: dict[int, Candidate], clients) -> dict[int, Candidate]:
    """Search entries for these clients, made in a worker (folding names costs
    time); those in `known` whose name and company did not change are reused."""
    found = {}
    folded: dict[str, str] = {}  # companies are shared by several clients: folded once
    for client in clients:
        candidate = known.get(client.id)
        company = client.company
        if candidate is None or (candidate.name, candidate.company) != (client.name, company):
            folded_company = folded.get(company)
            if folded_company is None:
                folded_company = folded[company] = fold(company)
            candidate = Candidate(client.id, client.name, company, folded_company)
        found[client.id] = candidate
    return found
