"""Searching what the notes say: touch summaries and the profile answers that are not
sensitive (a sensitive answer is never searched, so never shown).

A note matches when it holds a word beginning with each word typed, case and accents
aside (`search.note_words`). A SQLite book asks its index (`notes_index`); a SQLite
without FTS5 folds every note as it reads it, slower but with the same answers; a
PostgreSQL book reads the tables themselves, under its row-level rules, and each note
is checked here as on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from cockpit.profile.schema import FIELDS, SENSITIVE_FIELD_KEYS
from cockpit.search import fold, holds_note_words, note_words
from cockpit.storage import revision
from cockpit.storage.models import database_proxy
from cockpit.storage.notes_index import PROFILE_INDEX, TOUCH_INDEX, has_index
from cockpit.validation.text import check_encodable

TOUCH = "touch"
PROFILE = "profile"
_FOLD_FUNCTION = "cockpit_fold"
_POSTGRES_WORD_START = r"\m"


@dataclass(frozen=True)
class NoteMatch:
    """A note holding what was searched: a touch (`day`, `kind`) or a profile answer
    (`item`, the field's label), and its whole text."""

    client_id: int
    client: str
    company: str
    where: str  # TOUCH or PROFILE
    text: str
    day: date | None = None
    kind: str = ""
    item: str = ""


@dataclass(frozen=True)
class NotesFound:
    matches: list[NoteMatch]
    more: bool  # more matched than the limit let through
    words: list[str]


def search_notes(
    query: str, *, limit: int | None = None, owners: Sequence[str] | None = None
) -> NotesFound:
    """The notes of clients not archived (of `owners`, when given) holding every word of
    `query`: profile answers first (by client), then touches, newest first."""
    check_encodable(query, "the text to look for")
    words = note_words(query)
    if not words:
        return NotesFound([], False, words)
    wanted = None if limit is None else limit + 1
    matches: list[NoteMatch] = []
    for reader in (_profile_answers, _touches):
        left = None if wanted is None else wanted - len(matches)
        if left is not None and left <= 0:
            break
        matches.extend(_checked(reader(words, owners), words, left))
    more = limit is not None and len(matches) > limit
    return NotesFound(matches[:limit] if limit is not None else matches, more, words)


def _checked(rows: Iterator[NoteMatch], words: list[str], left: int | None) -> list[NoteMatch]:
    kept = []
    for match in rows:
        if left is not None and len(kept) >= left:
            break
        if holds_note_words(match.text, words):
            kept.append(match)
    return kept


def _profile_answers(words: list[str], owners: Sequence[str] | None) -> Iterator[NoteMatch]:
    sql = _select(
        "p.field_key, p.text FROM profile_value p",
        _found("p", "text", PROFILE_INDEX, words) + " AND NOT p.sensitive",
        owners,
        "c.name, c.id, p.field_key, p.row_no, p.column_key",
    )
    for client_id, name, company, field_key, text in _rows(sql, words, owners):
        field = FIELDS.get(field_key)
        if field is None or field_key in SENSITIVE_FIELD_KEYS:
            continue  # a field this version no longer knows is shown nowhere either
        yield NoteMatch(client_id, name, company, PROFILE, text, item=field.label)


def _touches(words: list[str], owners: Sequence[str] | None) -> Iterator[NoteMatch]:
    sql = _select(
        "i.day, i.kind, i.summary FROM interaction i",
        _found("i", "summary", TOUCH_INDEX, words),
        owners,
        "i.occurred_at DESC, i.id DESC",
    )
    for client_id, name, company, day, kind, text in _rows(sql, words, owners):
        if isinstance(day, str):
            day = date.fromisoformat(day)
        yield NoteMatch(client_id, name, company, TOUCH, text, day=day, kind=kind)


def _select(notes: str, found: str, owners: Sequence[str] | None, order: str) -> str:
    """The notes `found` keeps, with their client (`notes` names the columns and the table,
    as "p.text FROM profile_value p")."""
    alias = notes.split()[-1]
    return (
        f"SELECT {alias}.client_id, c.name, c.company, {notes} "
        f"JOIN client c ON c.id = {alias}.client_id {found} {_not_archived(owners)} "
        f"ORDER BY {order}"
    )


def _found(alias: str, column: str, index: str, words: list[str]) -> str:
    """The join and condition keeping the rows whose note may hold every word."""
    db = database_proxy.obj
    if revision.is_postgres(db):
        return "WHERE " + " AND ".join(f"{alias}.{column} ~* %s" for _ in words)
    if has_index(db):
        return f"JOIN {index} f ON f.rowid = {alias}.id WHERE {index} MATCH ?"
    return "WHERE " + " AND ".join(
        f"{_FOLD_FUNCTION}({alias}.{column}) LIKE ? ESCAPE '\\'" for _ in words
    )


def _not_archived(owners: Sequence[str] | None) -> str:
    shown = "AND NOT c.archived"
    if owners is None:
        return shown
    marks = ", ".join(database_proxy.obj.param for _ in owners)
    return f"{shown} AND c.owner IN ({marks})"


def _rows(sql: str, words: list[str], owners: Sequence[str] | None) -> Iterator[tuple]:
    db = database_proxy.obj
    if revision.is_postgres(db):
        found = [_postgres_pattern(word) for word in words]
    elif has_index(db):
        found = [" ".join(f'"{word}"*' for word in words)]
    else:
        db.connection().create_function(_FOLD_FUNCTION, 1, fold, deterministic=True)
        found = [f"%{_escaped(word)}%" for word in words]
    cursor = db.execute_sql(sql, [*found, *(owners or [])])
    while rows := cursor.fetchmany(500):
        yield from rows


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _postgres_pattern(word: str) -> str:
    """A PostgreSQL regular expression for a word beginning with `word`, whatever the case
    and accents of its letters (each letter: itself or any letter that folds to it)."""
    return _POSTGRES_WORD_START + "".join(_letter_class(char) for char in word)


def _letter_class(char: str) -> str:
    variants = _FOLDED_TO.get(char)
    if not variants:
        return f"[{char}]" if char.isalnum() else "\\" + char
    return f"[{char}{char.upper()}{variants}]"


def _accented_letters() -> dict[str, str]:
    """For each plain letter, the Latin letters with accents that fold to it."""
    letters: dict[str, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded.isascii() and folded.isalpha() and folded != char:
            letters[folded] = letters.get(folded, "") + char
    return letters


_FOLDED_TO = _accented_letters()


def clients_with_notes(query: str, owners: Sequence[str] | None = None) -> dict[int, NoteMatch]:
    """The clients with a note holding every word of `query`, each with its first such
    note (a profile answer, else the newest touch)."""
    check_encodable(query, "the text to look for")
    words = note_words(query)
    found: dict[int, NoteMatch] = {}
    if not words:
        return found
    for reader in (_profile_answers, _touches):
        for match in reader(words, owners):
            if match.client_id not in found and holds_note_words(match.text, words):
                found[match.client_id] = match
    return found
