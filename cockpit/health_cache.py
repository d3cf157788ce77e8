"""Health verdicts kept while the book does not change.

A verdict depends on the day, the rules, the home currency and the rows of
clients, touches and deals; the book's revision (`storage.revision`) changes
with every write to those rows, from any process. So the last verdicts, and
the figures they were judged from, are kept in memory for this process, and in
two files in the user's cache directory for the next one (`cockpit clients`
after the cockpit computed them), and reused while all of that is the same.
After a write only the clients it changed are read again (`health.incremental`,
from the clients the revision's triggers noted) and the whole book judged on
the figures kept for the others.

The files hold no names, companies or notes: only ids and figures. Names and
companies are read from the book when a file is used, so a client deleted
or forgotten leaves nothing readable behind in the cache.
"""

from __future__ import annotations

import marshal
import os
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from datetime import date
from enum import Enum
from functools import partial
from hashlib import sha256
from itertools import repeat
from operator import itemgetter
from pathlib import Path

from cockpit import health
from cockpit.config import HealthSettings, settings
from cockpit.health import ClientHealth, engine, incremental
from cockpit.storage import health_facts
from cockpit.storage.health_facts import HealthFacts
from cockpit.storage.summaries import ensure_summaries

MAX_LISTED_IDS = 2000  # more wanted clients than this: all names are read, then picked
# A bigger book's figures are read back from their file when needed instead of kept in
# memory, where 50,000 clients' would take 35 MB.
KEEP_FIGURES_UP_TO = 20_000
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class _Kept:
    """The last verdicts worked out in this process, and the figures they came from
    (None when the verdicts came from the file: its figures are read if needed)."""

    key: tuple
    verdicts: list[ClientHealth]
    facts: HealthFacts | None


_kept: _Kept | None = None


def cached_compute(
    as_of: date, rules: HealthSettings | None = None, *, only: Collection[int] | None = None
) -> list[ClientHealth]:
    """`health.compute(as_of, rules)`, reused while nothing it depends on changed, and
    brought up to date after a few writes by reading again just the clients they changed
    (`health.incremental`).

    With `only`, the verdicts of just those clients (still by name): a command that
    shows a few clients then reads just theirs from the cache file, or judges just them.
    """
    global _kept
    rules = rules or settings().health
    if health_facts.in_transaction():  # uncommitted rows may yet be rolled back: never keep
        return _of(health.compute(as_of, rules), only)
    ensure_summaries()
    key = _key(as_of, rules)
    with _lock:
        kept = _kept
    if kept is not None and kept.key == key:
        return _of(kept.verdicts, only)
    file = _file()
    # Figures kept are brought up to date only where the book notes what changed.
    facts_file = file if file and health_facts.notes_changes() else None
    few = None if only is None or len(only) > MAX_LISTED_IDS else set(only)
    if kept is not None and _same_but_changes(kept.key, key):
        earlier = (kept.key, kept.facts) if kept.facts is not None else None
        if earlier is None and facts_file:
            written()  # this process's figures may still be on their way to the file
            earlier = _read_facts(facts_file, key)
    else:
        wanted = None if only is None else set(only)
        verdicts = _read(file, key, as_of, rules, wanted) if file else None
        if verdicts is not None:
            if wanted is None:
                with _lock:
                    _kept = _Kept(key, verdicts, None)
            return verdicts  # a few from the file: not worth keeping in memory
        earlier = _read_facts(facts_file, key, named=few) if facts_file else None
    with engine.no_collector_pauses():
        facts = _brought_up_to_date(earlier, as_of, rules)
        if facts is None:
            facts = engine.read_facts(as_of, rules)
        elif few is not None:  # a few, from figures kept earlier: judged alone, not kept
            return engine.judged(facts, as_of, rules, only=few)
        verdicts = engine.judged(facts, as_of, rules)
    if _key(as_of, rules) != key:  # written to meanwhile: not known to be either
        return _of(verdicts, only)
    with _lock:
        _kept = _Kept(key, verdicts, facts if len(facts.clients) <= KEEP_FIGURES_UP_TO else None)
    if file:
        _write_later(file, key, verdicts, facts if facts_file else None)
    return _of(verdicts, only)


def cached_verdicts_and_facts(
    as_of: date, rules: HealthSettings | None = None
) -> tuple[list[ClientHealth], HealthFacts]:
    """`cached_compute`'s verdicts with the figures they were judged from (kept in memory,
    else from the figures file, else read afresh): the accounts' roll-up is made of both."""
    rules = rules or settings().health
    if health_facts.in_transaction():  # nothing kept: the figures read once, judged here
        with engine.no_collector_pauses():
            facts = engine.read_facts(as_of, rules)
            return engine.judged(facts, as_of, rules), facts
    verdicts = cached_compute(as_of, rules)
    key = _key(as_of, rules)
    with _lock:
        kept = _kept
    if kept is not None and kept.key == key and kept.facts is not None:
        return verdicts, kept.facts
    file = _file()
    if file is not None and health_facts.notes_changes():
        written()
        found = _read_facts(file, key)
        if found is not None and found[0] == key:
            return verdicts, found[1]
    return verdicts, engine.read_facts(as_of, rules)


def cached_needing_attention(
    as_of: date, rules: HealthSettings | None = None
) -> list[ClientHealth]:
    """The verdicts of `cached_compute` that need attention (by name): from the file, just
    theirs are read (`cockpit drift` on a big book)."""
    rules = rules or settings().health
    file = None if health_facts.in_transaction() else _file()
    if file is not None:
        ensure_summaries()
        with _lock:
            kept = _kept
        key = _key(as_of, rules)
        if kept is None or kept.key != key:
            verdicts = _read(file, key, as_of, rules, attention=True)
            if verdicts is not None:
                return verdicts
    return [verdict for verdict in cached_compute(as_of, rules) if verdict.needs_attention]


def _same_but_changes(earlier: tuple, key: tuple) -> bool:
    """Whether `earlier` is the key of the same book, day, rules and currency at a count
    of changes no later than `key`'s."""
    return (
        earlier[:_CHANGES] == key[:_CHANGES]
        and earlier[_CHANGES + 1 :] == key[_CHANGES + 1 :]
        and earlier[_CHANGES] <= key[_CHANGES]
    )


def _brought_up_to_date(
    earlier: tuple[tuple, HealthFacts] | None, as_of: date, rules: HealthSettings
) -> HealthFacts | None:
    """The figures kept at an earlier key, brought up to date with the clients changed
    since; None when there are none, or they cannot be (read everything afresh)."""
    if earlier is None:
        return None
    earlier_key, earlier_facts = earlier
    changed = health_facts.changed_since(earlier_key[_CHANGES])
    if changed is None:
        return None
    return incremental.brought_up_to_date(earlier_facts, changed, as_of, rules)


def _of(verdicts: list[ClientHealth], only: Collection[int] | None) -> list[ClientHealth]:
    if only is None:
        return list(verdicts)
    wanted = set(only)
    return [verdict for verdict in verdicts if verdict.id in wanted]


def forget() -> None:
    """Drop the verdicts kept in memory (tests, and a book closed for another), once
    those on their way to the file are in it."""
    global _kept
    written()
    with _lock:
        _kept = None


def kept_beside(suffix: str, as_of: date, rules: HealthSettings | None = None):
    """Where something worked out from the verdicts is kept beside them (the open book's
    cache file with another suffix), and the key it is kept under: (None, key) when the
    book keeps no files (in memory, or inside a transaction that may be rolled back)."""
    rules = rules or settings().health
    ensure_summaries()
    key = _key(as_of, rules)
    if health_facts.in_transaction():
        return None, key
    file = _file()
    return (file.with_suffix(suffix) if file is not None else None), key


def keep_values(file: Path, values: Iterable[object]) -> None:
    """Write `values` to `file` as the verdicts are written (a failure is no error)."""
    _write_values(file, values)


def kept_values(file: Path) -> Iterator[object]:
    """The values `keep_values` wrote; OSError, EOFError or ValueError when unreadable."""
    return _read_values(file)


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
    layout = (
        "by column, one at a time",
        _NOT_KEPT,
        [(name, str(kind)) for name, kind in typed_fields],
    )
    return sha256(repr(layout).encode()).hexdigest()[:16]


# The file keeps the verdicts by column: one list per field (health.FIELDS), each value
# encoded as its type says, but for these, which it keeps as None: names and companies are
# read from the book when the file is used, the day and the rules are the key's.
_NOT_KEPT = ("name", "company", "as_of", "rules")
_AT = {name: at for at, (name, _kind) in enumerate(health.FIELDS)}
_ID = _AT["id"]
_NAME, _COMPANY, _AS_OF, _RULES = (_AT[name] for name in _NOT_KEPT)
_CODECS = {
    _AT[name]: codec
    for name, kind in health.FIELDS
    if name not in _NOT_KEPT and (codec := _codec(name, kind))
}
_FINGERPRINT = _fingerprint(health.FIELDS)
_NEEDS_ATTENTION = _AT["needs_attention"]
_CHANGES = 2  # the position of the count of changes in a key
_ID_IN_ROW = health_facts.AT["id"]


def _verdict_values(key: tuple, verdicts: list[ClientHealth]) -> Iterator[object]:
    """What the verdicts file keeps, a value at a time: the key, then a list of values per
    field (made one after the other, so only one is in memory beside the verdicts)."""
    yield key
    for at in range(len(health.FIELDS)):
        if at in (_NAME, _COMPANY, _AS_OF, _RULES):
            yield None
            continue
        values = map(itemgetter(at), verdicts)
        codec = _CODECS.get(at)
        yield list(values if codec is None else map(codec[0], values))


def _verdicts(
    columns: list[list | None],
    picked: list[int] | None,
    names: dict[int, tuple[str, str]],
    as_of: date,
    rules: HealthSettings,
) -> list[ClientHealth]:
    """The verdicts from the file's columns (those at the positions `picked`, else all),
    named from `names`; a KeyError when one is not there."""
    if picked is not None:
        columns = [None if values is None else [values[at] for at in picked] for values in columns]
    ids = columns[_ID]
    named = [names[client_id] for client_id in ids]
    whole = len(ids)
    values: list = []
    for at, column in enumerate(columns):
        if at == _NAME:
            column = [name for name, _company in named]
        elif at == _COMPANY:
            column = [company for _name, company in named]
        elif at == _AS_OF:
            column = repeat(as_of, whole)
        elif at == _RULES:
            column = repeat(rules, whole)
        elif (codec := _CODECS.get(at)) is not None:
            column = map(codec[1], column)
        values.append(column)
    return list(map(partial(tuple.__new__, ClientHealth), zip(*values, strict=True)))


def _write_later(
    file: Path, key: tuple, verdicts: list[ClientHealth], facts: HealthFacts | None
) -> None:
    """Keep the verdicts and their figures for the next process, on a thread of its own:
    the caller has its verdicts meanwhile. Python waits for the thread before it exits,
    so a command's file is written all the same. Inside `writes_held` the thread starts
    when the block ends."""
    writer = threading.Thread(
        target=_write, args=(file, key, verdicts, facts), name="health-cache-writer"
    )
    held = getattr(_held, "writers", None)
    if held is not None:
        held.append(writer)
    else:
        _start(writer)


def _start(writer: threading.Thread) -> None:
    with _lock:
        _writers[:] = [w for w in _writers if w.is_alive()] + [writer]
    writer.start()


@contextmanager
def writes_held() -> Iterator[None]:
    """The files of the verdicts worked out in this block are written once it ends, not
    meanwhile: writing 50,000 verdicts holds Python's lock for half a second, which the
    cockpit needs to show them first."""
    if getattr(_held, "writers", None) is not None:
        yield  # held already, by an outer block
        return
    _held.writers = []
    try:
        yield
    finally:
        writers, _held.writers = _held.writers, None
        for writer in writers:
            _start(writer)


def written() -> None:
    """Wait until the verdicts handed to the file are in it (tests, and a book closed)."""
    held = getattr(_held, "writers", None)
    while held:  # this thread's own, held: they are needed now
        _start(held.pop(0))
    with _lock:
        writers = list(_writers)
    for writer in writers:
        writer.join()


_writers: list[threading.Thread] = []
_held = threading.local()  # .writers: this thread's writers held by `writes_held`, or None


def _write(file: Path, key: tuple, verdicts: list[ClientHealth], facts: HealthFacts | None) -> None:
    """Keep the verdicts, and the figures behind them if given, for the next process."""
    _write_values(file, _verdict_values(key, verdicts))
    if facts is not None:
        _write_values(_facts_file(file), _facts_values(key, facts))


def _write_values(file: Path, values: Iterable[object]) -> None:
    """Replace `file` at once with `values`, each marshalled after its length as it comes
    (all of 50,000 clients' at once took 40 MB more); a cache that cannot be written is
    no error."""
    temporary = file.with_name(f".{file.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            for value in values:
                data = marshal.dumps(value)
                out.write(len(data).to_bytes(_LENGTH_BYTES, "little"))
                out.write(data)
        os.replace(temporary, file)
    except OSError:
        temporary.unlink(missing_ok=True)
    except BaseException:
        temporary.unlink(missing_ok=True)  # nothing half written is left behind
        raise


_LENGTH_BYTES = 8


def _read_values(file: Path) -> Iterator[object]:
    """The values `_write_values` wrote to `file`, in order; an OSError, EOFError or
    ValueError where it is cut short or not such a file."""
    data = memoryview(file.read_bytes())
    at = 0
    while at < len(data):
        length = int.from_bytes(data[at : at + _LENGTH_BYTES], "little")
        start = at + _LENGTH_BYTES
        if length > len(data) - start or start > len(data):
            raise EOFError(f"{file} is cut short")
        yield marshal.loads(data[start : start + length])
        at = start + length


def _facts_file(file: Path) -> Path:
    return file.with_suffix(".facts")


# The figures file keeps the client rows of `HealthFacts` without names and companies
# (read from the book when it is used), days as ordinals.
_FACTS_LAYOUT = ("facts", 3, health_facts.CLIENT_COLUMNS)
_ROW_NAME, _ROW_COMPANY = health_facts.AT["name"], health_facts.AT["company"]
_ROW_DAYS = tuple(
    health_facts.AT[name]
    for name in (
        "snoozed_until",
        "won_on",
        "honeymoon_end",
        "last_touch",
        "previous_touch",
        "first_since_won",
    )
)


def _facts_values(key: tuple, facts: HealthFacts) -> Iterator[object]:
    """What the figures file keeps, a value at a time: its layout, the key, the client
    rows a column at a time (no names or companies, days as ordinals), then the dicts."""
    yield _FACTS_LAYOUT
    yield key
    ordinals = _Ordinals()
    for at in range(len(health_facts.CLIENT_COLUMNS)):
        if at in (_ROW_NAME, _ROW_COMPANY):
            yield None
            continue
        values = map(itemgetter(at), facts.clients)
        yield list(map(ordinals.__getitem__, values) if at in _ROW_DAYS else values)
    yield facts.revenue
    yield facts.stake
    yield facts.minutes
    yield facts.recent
    yield {client_id: ordinals[day] for client_id, day in facts.referrals.items()}
    yield facts.moved
    yield sorted(facts.pinned)


def _read_facts(
    file: Path, key: tuple, named: set[int] | None = None
) -> tuple[tuple, HealthFacts] | None:
    """The figures the file keeps for the same book, day and rules as `key` at an earlier
    count of changes (and that count's key), named from the book (just the clients in
    `named`, when given: the others only count in the split); None if it has none."""
    try:
        values = _read_values(_facts_file(file))
        if next(values) != _FACTS_LAYOUT:
            return None
        kept_key = next(values)
        if not _same_but_changes(kept_key, key):
            return None
        columns = [next(values) for _ in health_facts.CLIENT_COLUMNS]
        revenue, stake, minutes, recent, referrals, moved, pinned = [next(values) for _ in range(7)]
        names = health_facts.names_by_id(sorted(named) if named is not None else None)
        unnamed = (None, None)
        named_rows = [names.get(client_id, unnamed) for client_id in columns[_ID_IN_ROW]]
        columns[_ROW_NAME] = [name for name, _company in named_rows]
        columns[_ROW_COMPANY] = [company for _name, company in named_rows]
        days = _Days()
        for at in _ROW_DAYS:
            columns[at] = list(map(days.__getitem__, columns[at]))
        clients = list(zip(*columns, strict=True))
        referrals = {client_id: days[ordinal] for client_id, ordinal in referrals.items()}
    except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError, StopIteration):
        return None  # unreadable, or not what this version writes: read afresh
    return kept_key, HealthFacts(
        clients, revenue, stake, minutes, recent, referrals, moved, frozenset(pinned)
    )


def _read(
    file: Path,
    key: tuple,
    as_of: date,
    rules: HealthSettings,
    only: set[int] | None = None,
    *,
    attention: bool = False,
) -> list[ClientHealth] | None:
    """The verdicts the file keeps for `key` (of the clients in `only`, or of those
    needing attention, if asked), named from the book; None if it has none."""
    try:
        values = _read_values(file)
        if next(values) != key:
            return None
        columns = [next(values) for _ in health.FIELDS]
        picked = None
        if only is not None:
            picked = [at for at, client_id in enumerate(columns[_ID]) if client_id in only]
            if len(picked) != len(only):
                return None
        elif attention:
            picked = [at for at, needs in enumerate(columns[_NEEDS_ATTENTION]) if needs]
        ids = columns[_ID] if picked is None else [columns[_ID][at] for at in picked]
        listed = sorted(ids) if picked is not None and len(ids) <= MAX_LISTED_IDS else None
        names = health_facts.names_by_id(listed)
        if picked is None and len(names) != len(ids):
            return None
        return _verdicts(columns, picked, names, as_of, rules)
    except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError, StopIteration):
        return None  # unreadable, or not what this version writes: computed afresh
