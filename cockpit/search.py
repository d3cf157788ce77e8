"""Finding clients by what the user types: the list filter and client names on the command line.

Matching ignores case, accents and spacing. Every word typed must appear in
the client's name or company; the best matches come first (the name starts
with what was typed, then a word of the name does, then the company does).
When nothing matches, `closest` offers the nearest names for a typo. In the
list filter, `#word` keeps the clients with a tag beginning with `word`
(`#"key acc"` for one with spaces), beside the words looked for in names.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import NamedTuple


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


class Candidate:
    """A client as searches see it (its name and company folded once, when made)."""

    # A plain class with slots: the list makes one per client (50,000 on a large
    # book), and a frozen dataclass takes three times as long to make.
    __slots__ = ("company", "folded_company", "folded_name", "id", "name")

    def __init__(self, id: int, name: str, company: str, folded_company: str | None = None) -> None:
        self.id = id
        self.name = name
        self.company = company
        self.folded_name = fold(name)
        self.folded_company = fold(company) if folded_company is None else folded_company

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Candidate):
            return NotImplemented
        return (self.id, self.name, self.company) == (other.id, other.name, other.company)

    def __hash__(self) -> int:
        return hash((self.id, self.name, self.company))

    def __repr__(self) -> str:
        return f"Candidate(id={self.id!r}, name={self.name!r}, company={self.company!r})"

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


# A tag term of the filter: `#word`, or `#"words with spaces"` (the closing quote may be
# still to come), at the start of a word of what was typed.
_TAG_TERM = re.compile(r'(?<!\S)#(?:"([^"]*)"?|(\S*))')


class FilterQuery(NamedTuple):
    """What was typed in the filter box: the tag prefixes asked for (folded), and the
    rest (the words looked for in names, or `?words` for the notes)."""

    tags: tuple[str, ...]
    rest: str


def filter_query(typed: str) -> FilterQuery:
    """The tag terms of the filter text and what is left of it."""
    tags = tuple(fold(quoted or word) for quoted, word in _TAG_TERM.findall(typed))
    return FilterQuery(tags, " ".join(_TAG_TERM.sub(" ", typed).split()) if tags else typed)


def tag_entry(keys: Iterable[str]) -> str:
    """A client's tag keys (folded already) as the filter searches them: each after the
    separator, so `#word` is found only at the start of a tag."""
    return "".join(f"{SEARCH_KEY_SEPARATOR}{key}" for key in keys)


class FilterIndex:
    """Candidates in a fixed order (the list's), each folded once into one key, and their
    tags (`tag_entry`), for filtering as the user types: `positions` keeps exactly what
    `filtered` keeps, among the clients with the tags asked for.

    A query whose every word holds a word of an earlier one (one more letter typed), and
    whose every tag term begins with one of the earlier's, is looked for only among what
    that one kept, and the last queries are remembered, so Backspace finds its answer at
    once.
    """

    REMEMBERED = 32  # queries

    def __init__(self, candidates: Sequence[Candidate], tags: Sequence[str] = ()) -> None:
        # A typed word never holds the separator (whitespace to str.split), so no word
        # is found across name and company.
        self._keys = [
            f"{c.folded_name}{SEARCH_KEY_SEPARATOR}{c.folded_company}" for c in candidates
        ]
        self._tags = tags or [""] * len(self._keys)
        self._found: OrderedDict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._keys)

    def positions(self, query: str) -> Sequence[int]:
        """The positions of the candidates holding every word of `query` and a tag
        beginning with each of its tag terms, in order."""
        asked = filter_query(query)
        words = tuple(sorted(set(fold(asked.rest).split()), key=len, reverse=True))
        tags = tuple(sorted(set(asked.tags), key=len, reverse=True))
        if not words and not tags:
            return range(len(self._keys))
        found = self._found.get((words, tags))
        if found is not None:
            self._found.move_to_end((words, tags))
            return found
        keys = self._keys
        among = self._narrowest_broader(words, tags)
        if among is None:
            among = range(len(keys))
        if tags:
            among = self.tagged(among, tags)
        if not words:
            found = list(among)
        elif len(words) == 1:
            word = words[0]
            found = [n for n in among if word in keys[n]]
        else:  # the longest word first: it rules out the most
            found = [n for n in among if all(word in keys[n] for word in words)]
        self._found[(words, tags)] = found
        if len(self._found) > self.REMEMBERED:
            self._found.popitem(last=False)
        return found

    def tagged(self, among: Iterable[int], tags: Sequence[str]) -> list[int]:
        """Those of the positions `among` whose client has a tag beginning with each of
        `tags` (folded; an empty one: any tag)."""
        entries = self._tags
        starts = [f"{SEARCH_KEY_SEPARATOR}{tag}" for tag in tags]  # see `tag_entry`
        if len(starts) == 1:
            start = starts[0]
            return [n for n in among if start in entries[n]]
        return [n for n in among if all(start in entries[n] for start in starts)]

    def _narrowest_broader(self, words: tuple[str, ...], tags: tuple[str, ...]) -> list[int] | None:
        """The fewest positions an earlier query kept that hold all `words` and `tags` can
        hold: one whose every word is part of a word of these, and whose every tag term
        begins one of these."""
        best = None
        for (earlier, earlier_tags), found in self._found.items():
            if (
                (best is None or len(found) < len(best))
                and all(any(part in word for word in words) for part in earlier)
                and all(any(tag.startswith(part) for tag in tags) for part in earlier_tags)
            ):
                best = found
        return best


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


# --- Notes: words in touch summaries and profile answers --------------------------------

_WORD = re.compile(r"[^\W_]+")  # letters and digits, as SQLite's unicode61 tokenizer splits
SNIPPET_BEFORE = 30  # characters of context before the first match
SNIPPET_WIDTH = 80


def note_words(query: str) -> list[str]:
    """The folded words of a notes search; a note matches when it holds a word beginning
    with each of them."""
    return list(dict.fromkeys(_WORD.findall(fold(query))))


def _folded_with_origins(text: str) -> tuple[str, list[int]]:
    """`text` folded character by character, and for each folded character the index of
    the character of `text` it came from."""
    folded: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            part = " " if char.isspace() else char.lower()
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            part = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        folded.append(part)
        origins.extend([index] * len(part))
    return "".join(folded), origins


def _word_start(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]){re.escape(word)}")


def holds_note_words(text: str, words: Sequence[str]) -> bool:
    """Whether `text` holds a word beginning with each of `words` (see `note_words`)."""
    folded = fold(text)
    return all(_word_start(word).search(folded) for word in words)


class Snippet(NamedTuple):
    """A one-line piece of a note around its first match: `text`, and where in it the
    match is (`start`, `end`), for a screen to highlight."""

    text: str
    start: int
    end: int


def snippet(text: str, words: Sequence[str], width: int = SNIPPET_WIDTH) -> Snippet:
    """The part of `text` around the first word that matches, on one line, cut with …"""
    folded, origins = _folded_with_origins(text)
    found = [m for m in (_word_start(word).search(folded) for word in words) if m]
    if not found:
        return Snippet(" ".join(text[:width].split()), 0, 0)
    first = min(found, key=lambda m: m.start())
    start, end = origins[first.start()], origins[first.end() - 1] + 1
    begin = max(0, start - SNIPPET_BEFORE)
    if begin:  # from the start of a word
        space = text.find(" ", begin, start)
        begin = space + 1 if space != -1 else begin
    piece = text[begin : begin + width]
    lead = "…" if begin else ""
    tail = "…" if begin + width < len(text) else ""
    # Line breaks and tabs one space each: the match keeps its place in the piece.
    flat = "".join(" " if char.isspace() else char for char in piece)
    at = len(lead) + start - begin
    return Snippet(f"{lead}{flat}{tail}", at, min(at + end - start, len(lead) + len(flat)))
