"""Health verdicts kept while the book does not change.

A verdict depends on the day, the rules, the home currency and the rows of
clients, touches and deals; the book's revision (`storage.revision`) changes
with every write to those rows, from any process. So the last verdicts are
kept in memory for this process, and in a file in the user's cache directory
for the next one (`cockpit clients` after the cockpit computed them), and
reused while all of that is the same.

The file holds no names, companies or notes: only ids and figures. Names and
companies are read from the book when the file is used, so a client deleted
or forgotten leaves nothing readable behind in the cache.
"""

from __future__ import annotations

import marshal
import os
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import astuple
from datetime import date
from enum import Enum
from hashlib import sha256
from operator import attrgetter
from pathlib import Path

from cockpit import health
from cockpit.config import HealthSettings, settings
from cockpit.health import ClientHealth
from cockpit.storage import book, health_facts

MAX_LISTED_IDS = 500  # more wanted clients than this: all names are read, then picked
_lock = threading.Lock()
_kept: tuple[tuple, list[ClientHealth]] | None = None  # (key, verdicts) of the last compute


def cached_compute(
    as_of: date, rules: HealthSettings | None = None, *, only: Collection[int] | None = None
) -> list[ClientHealth]:
    """`health.compute(as_of, rules)`, reused while nothing it depends on changed.

    With `only`, the verdicts of just those clients (still by name): a command that
    shows a few clients then reads just theirs from the cache file.
    """
    global _kept
    rules = rules or settings().health
    if health_facts.in_transaction():  # uncommitted rows may yet be rolled back: never keep
        return _of(health.compute(as_of, rules), only)
    book.ensure_summaries()
    key = _key(as_of, rules)
    with _lock:
        if _kept is not None and _kept[0] == key:
            return _of(_kept[1], only)
    file = _file()
    wanted = None if only is None else set(only)
    verdicts = _read(file, key, as_of, rules, wanted) if file else None
    if verdicts is not None and wanted is not None:
        return verdicts  # a few from the file: not worth keeping in memory
    if verdicts is None:
        verdicts = health.compute(as_of, rules)
        if _key(as_of, rules) != key:  # written to meanwhile: not known to be either
            return _of(verdicts, only)
        if file:
            _write(file, key, verdicts)
    with _lock:
        _kept = (key, verdicts)
    return _of(verdicts, only)


def _of(verdicts: list[ClientHealth], only: Collection[int] | None) -> list[ClientHealth]:
    if only is None:
        return list(verdicts)
    wanted = set(only)
    return [verdict for verdict in verdicts if verdict.id in wanted]


def forget() -> None:
    """Drop the verdicts kept in memory (tests, and a book closed for another)."""
    global _kept
    with _lock:
        _kept = None


def _key(as_of: date, rules: HealthSettings) -> tuple:
    book, changes = health_facts.book_revision()
    return (_FINGERPRINT, book, changes, as_of.toordinal(), astuple(rules), settings().currency)


def cache_file_for(book: str, *, file: bool = True) -> Path:
    """Where the verdicts of the book at `book` (a file's path, or a server book's
    user, server and database) are kept."""
    from cockpit.locations import cache_dir

    name = sha256((os.path.realpath(book) if file else book).encode()).hexdigest()[:32]
    return cache_dir() / "health" / f"{name}.verdicts"


def _file(db=None) -> Path | None:
    """The cache file of the open book (or of the database `db`), None for one in memory."""
    identity = health_facts.cache_identity(db)
    if identity is None:
        return None
    name, file = identity
    return cache_file_for(name, file=file)


class _Ordinals(dict):
    """Days as the file keeps them (ordinals), each worked out once: 10,000 verdicts share
    a few hundred days, and a dict hit costs less than a call."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, day: date) -> int:
        ordinal = self[day] = day.toordinal()
        return ordinal


class _Days(dict):
    """Days from their ordinals, each made once (as `_Ordinals`)."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, ordinal: int) -> date:
        day = self[ordinal] = date.fromordinal(ordinal)
        return day


def _codec(name: str, kind: object) -> tuple[Callable, Callable] | None:
    """How the file keeps a field of type `kind`: (encode, decode), or None when marshal
    keeps its values as they are."""
    values_of = health.value_type(kind)
    if values_of in (bool, int, float, str):
        return None
    if values_of is date:
        return _Ordinals().__getitem__, _Days().__getitem__
    if isinstance(values_of, type) and issubclass(values_of, Enum):
        values = {None: None} | {member: member.value for member in values_of}
        members = {None: None} | {member.value: member for member in values_of}
        return values.__getitem__, members.__getitem__
    raise TypeError(f"the health cache cannot keep {name!r} of type {kind}")


def _fingerprint(typed_fields: Sequence[tuple[str, object]]) -> str:
    """The record layout in a few characters: adding, removing, renaming or retyping a
    field gives another, so a file written by another layout is never read as verdicts."""
    layout = (_NOT_KEPT, [(name, str(kind)) for name, kind in typed_fields])
    return sha256(repr(layout).encode()).hexdigest()[:16]


# A record is a verdict's fields in order (health.FIELDS), each encoded as its type says,
# but for these, which the file keeps as None: names and companies are read from the book
# when the file is used, the day and the rules are the key's.
_NOT_KEPT = ("name", "company", "as_of", "rules")
_AT = {name: at for at, (name, _kind) in enumerate(health.FIELDS)}
_ID = _AT["id"]
_NAME, _COMPANY, _AS_OF, _RULES = (_AT[name] for name in _NOT_KEPT)
_CODECS = [
    (_AT[name], codec)
    for name, kind in health.FIELDS
    if name not in _NOT_KEPT and (codec := _codec(name, kind))
]
_ENCODERS = tuple((at, encode) for at, (encode, _decode) in _CODECS)
_DECODERS = tuple((at, decode) for at, (_encode, decode) in _CODECS)
_fields_of = attrgetter(*_AT)
_FINGERPRINT = _fingerprint(health.FIELDS)


def _record(verdict: ClientHealth) -> tuple:
    values = list(_fields_of(verdict))
    values[_NAME] = values[_COMPANY] = values[_AS_OF] = values[_RULES] = None
    for at, encode in _ENCODERS:
        values[at] = encode(values[at])
    return tuple(values)  # marshal reads tuples back faster than lists


def _verdict(
    record: tuple, name: str, company: str, as_of: date, rules: HealthSettings
) -> ClientHealth:
    values = list(record)
    for at, decode in _DECODERS:
        values[at] = decode(values[at])
    values[_NAME], values[_COMPANY], values[_AS_OF], values[_RULES] = name, company, as_of, rules
    return ClientHealth(*values)


def _write(file: Path, key: tuple, verdicts: list[ClientHealth]) -> None:
    """Keep the verdicts for the next process; a cache that cannot be written is no error."""
    payload = marshal.dumps((key, [_record(v) for v in verdicts]))
    temporary = file.with_name(f".{file.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(payload)
        os.replace(temporary, file)
    except OSError:
        temporary.unlink(missing_ok=True)


def _read(
    file: Path, key: tuple, as_of: date, rules: HealthSettings, only: set[int] | None = None
) -> list[ClientHealth] | None:
    """The verdicts the file keeps for `key` (of the clients in `only`, if given), named
    from the book; None if it has none."""
    try:
        kept_key, records = marshal.loads(file.read_bytes())
        if kept_key != key:
            return None
        by_id = {record[_ID]: record for record in records}
        listed = sorted(only) if only is not None and len(only) <= MAX_LISTED_IDS else None
        rows = health_facts.client_names(listed)
        verdicts = [
            _verdict(by_id[client_id], name, company, as_of, rules)
            for client_id, name, company in rows
            if only is None or client_id in only
        ]
    except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError):
        return None  # unreadable, or not what this version writes: computed afresh
    if only is None:
        return verdicts if len(verdicts) == len(by_id) else None
    return verdicts if len(verdicts) == len(only) else None
