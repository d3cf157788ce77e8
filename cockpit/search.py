"""Finding clients by what the user types: the list filter and client names on the command line.

Matching ignores case, accents and spacing. Every word typed must appear in
the client's name or company; the best matches come first (the name starts
with what was typed, then a word of the name does, then the company does).
When nothing matches, `closest` offers the nearest names for a typo.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


def fold(text: str) -> str:
    """Text as compared: no accents, no case, single spaces."""
    if text.isascii():  # most names: nothing to decompose (and 10,000 of them add up)
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


SEARCH_KEY_SEPARATOR = "\x1f"  # whitespace to str.split(), so no typed word holds it


def search_key(name: str, company: str) -> str:
    """Name and company folded, as stored for SQL to find typed words in."""
    return f"{fold(name)}{SEARCH_KEY_SEPARATOR}{fold(company)}"


@dataclass(frozen=True)
class Candidate:
    """A client as searches see it."""

    id: int
    name: str
    company: str
    folded_name: str = field(init=False, repr=False, compare=False)
    folded_company: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded_name", fold(self.name))
        object.__setattr__(self, "folded_company", fold(self.company))

    def label(self) -> str:
        return f"#{self.id} {self.name}" + (f" ({self.company})" if self.company else "")


def _rank(candidate: Candidate, query: str, first_word: str) -> int:
    name = candidate.folded_name
    if name.startswith(query):
        return 0
    if any(word.startswith(first_word) for word in name.split()):
        return 1
    if candidate.folded_company.startswith(query):
        return 2
    return 3


def filtered(query: str, candidates: Iterable[Candidate]) -> list[Candidate]:
    """The candidates that hold every word of `query`, in the order given."""
    words = fold(query).split()
    return [
        c
        for c in candidates
        if all(word in c.folded_name or word in c.folded_company for word in words)
    ]


def matching(query: str, candidates: Iterable[Candidate]) -> list[Candidate]:
    """The candidates whose name or company hold every word of `query`, best first."""
    folded = fold(query)
    if not folded:
        return sorted(candidates, key=lambda c: (c.folded_name, c.id))
    first_word = folded.split()[0]
    found = filtered(query, candidates)
    return sorted(found, key=lambda c: (_rank(c, folded, first_word), c.folded_name, c.id))


def closest(query: str, candidates: Sequence[Candidate], limit: int = 5) -> list[Candidate]:
    """The candidates whose name or company look most like `query` (for typos)."""
    import difflib  # only when nothing matched

    folded = fold(query)
    scored = []
    for candidate in candidates:
        score = max(
            difflib.SequenceMatcher(None, folded, candidate.folded_name).ratio(),
            difflib.SequenceMatcher(None, folded, candidate.folded_company).ratio(),
        )
        if score >= 0.6:
            scored.append((-score, candidate.folded_name, candidate.id, candidate))
    return [item[-1] for item in sorted(scored)[:limit]]
