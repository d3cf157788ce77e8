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
from collections.abc import Collection
from dataclasses import astuple
from datetime import date
from hashlib import sha256
from pathlib import Path

from cockpit import health
from cockpit.config import HealthSettings, settings
from cockpit.health import ClientHealth, Health, Tier
from cockpit.storage import book, revision
from cockpit.storage.models import Client

MAX_LISTED_IDS = 500  # more wanted clients than this: all names are read, then picked
FORMAT = 1  # bump when the record layout below changes
_HEALTH = {member.value: member for member in Health}
_TIER = {member.value: member for member in Tier}
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
    db = Client._meta.database
    if db.in_transaction():  # uncommitted rows may yet be rolled back: never keep them
        return _of(health.compute(as_of, rules), only)
    book.ensure_summaries()
    key = _key(db, as_of, rules)
    with _lock:
        if _kept is not None and _kept[0] == key:
            return _of(_kept[1], only)
    file = _file(db)
    wanted = None if only is None else set(only)
    verdicts = _read(file, key, as_of, rules, wanted) if file else None
    if verdicts is not None and wanted is not None:
        return verdicts  # a few from the file: not worth keeping in memory
    if verdicts is None:
        verdicts = health.compute(as_of, rules)
        if _key(db, as_of, rules) != key:  # written to meanwhile: not known to be either
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


def _key(db, as_of: date, rules: HealthSettings) -> tuple:
    book, changes = revision.current(db)
    return (FORMAT, book, changes, as_of.toordinal(), astuple(rules), settings().currency)


def cache_file_for(book: str, *, file: bool = True) -> Path:
    """Where the verdicts of the book at `book` (a file's path, or a server book's
    user, server and database) are kept."""
    from cockpit.locations import cache_dir

    name = sha256((os.path.realpath(book) if file else book).encode()).hexdigest()[:32]
    return cache_dir() / "health" / f"{name}.verdicts"


def _file(db) -> Path | None:
    path = getattr(db, "database", None)
    if not isinstance(path, str) or path in ("", ":memory:") or path.startswith("file:"):
        return None
    if revision.is_postgres(db):  # who sees what can differ by role: theirs
        params = db.connect_params
        server = f"{params.get('user')}@{params.get('host')}:{params.get('port')}/{path}"
        return cache_file_for(f"postgresql://{server}", file=False)
    return cache_file_for(path)


def _date(value: date | None) -> int | None:
    return None if value is None else value.toordinal()


def _day(value: int | None) -> date | None:
    return None if value is None else date.fromordinal(value)


def _record(v: ClientHealth) -> tuple:
    return (
        v.id,
        v.lifecycle,
        v.archived,
        v.strategic,
        _date(v.snoozed_until),
        v.keep_in_touch_days,
        v.health.value,
        _date(v.won_on),
        _date(v.honeymoon_end),
        _date(v.last_touch),
        v.days_since_last_touch,
        v.honeymoon_touch_days,
        v.honeymoon_interval,
        v.current_interval,
        v.plan_interval,
        v.plan_source,
        v.fell_behind,
        v.severity,
        v.tier.value,
        v.revenue_cents,
        v.revenue_share,
        v.time_minutes,
        v.time_share,
        v.recent_touches,
        v.recent_gives,
        v.give_ratio,
        v.referral_ask_due,
        v.needs_attention,
        v.counted,
    )


def _verdict(
    record: tuple, name: str, company: str, as_of: date, rules: HealthSettings
) -> ClientHealth:
    (
        client_id,
        lifecycle,
        archived,
        strategic,
        snoozed_until,
        keep,
        verdict,
        won,
        honeymoon_end,
        last_touch,
        *figures,
        tier,
        revenue_cents,
        revenue_share,
        minutes,
        time_share,
        recent,
        gives,
        give_ratio,
        referral_ask_due,
        needs_attention,
        counted,
    ) = record
    return ClientHealth(
        client_id,
        name,
        company,
        lifecycle,
        archived,
        strategic,
        _day(snoozed_until),
        keep,
        _HEALTH[verdict],
        _day(won),
        _day(honeymoon_end),
        _day(last_touch),
        *figures,
        _TIER[tier],
        revenue_cents,
        revenue_share,
        minutes,
        time_share,
        recent,
        gives,
        give_ratio,
        referral_ask_due,
        needs_attention,
        counted,
        as_of,
        rules,
    )


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
        by_id = {record[0]: record for record in records}
        names = Client.select(Client.id, Client.name, Client.company)
        if only is not None and len(only) <= MAX_LISTED_IDS:
            names = names.where(Client.id.in_(sorted(only)))
        rows = Client._meta.database.execute(names.order_by(*health.BY_NAME))
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
