"""The schema version of a book and the steps that bring an older one up to date.

A new book is created from the current models at `SCHEMA_VERSION`. An older
book is upgraded in place, one step at a time, inside one transaction; the
database module makes a backup copy first. A book from a newer Cockpit is
refused, never touched.

Adding a schema change: bump `SCHEMA_VERSION`, register the step below with
`@migration(N)`, and add `tests/fixtures/schema_vN.db` (see
`tests/fixtures/make_fixture.py`). A step must not use the current model
classes to build tables (they describe the newest schema, not version N):
declare what it needs with `playhouse.migrate` operations or a model frozen
inside the step.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from datetime import date, timedelta

from peewee import DateField, Database, IntegerField, Model, fn
from playhouse.migrate import SchemaMigrator, migrate

from cockpit.config import settings

from cockpit.errors import DatabaseError
from cockpit.storage.models import ALL_MODELS, BookInfo

SCHEMA_VERSION = 2
SCHEMA_VERSION_KEY = "schema_version"
HONEYMOON_DAYS_KEY = "honeymoon_days"  # the honeymoon length behind client.honeymoon_end

Step = Callable[[Database, SchemaMigrator], None]
STEPS: dict[int, Step] = {}  # version a step upgrades to -> the step


def migration(version: int) -> Callable[[Step], Step]:
    def register(step: Step) -> Step:
        STEPS[version] = step
        return step

    return register


def stored_version(db: Database) -> int | None:
    """The book's schema version; None for a database with no tables at all."""
    if not db.table_exists(BookInfo._meta.table_name):
        if db.get_tables():
            raise DatabaseError(
                f"{db.database} is a database but not a Cockpit book; choose another file with --db"
            )
        return None
    row = BookInfo.select(BookInfo.value).where(BookInfo.key == SCHEMA_VERSION_KEY).first()
    if row is None or not row.value.isdigit():
        raise DatabaseError(
            f"{db.database} has no valid Cockpit schema version; it was left as it is"
        )
    return int(row.value)


def _set_version(version: int) -> None:
    set_info(SCHEMA_VERSION_KEY, str(version))


def set_info(key: str, value: str) -> None:
    """Store one fact about the book (an upsert that SQLite and PostgreSQL share)."""
    BookInfo.insert(key=key, value=value).on_conflict(
        conflict_target=[BookInfo.key], update={BookInfo.value: value}
    ).execute()


def _refuse_newer(db: Database, version: int) -> None:
    raise DatabaseError(
        f"{db.database} was written by a newer Cockpit (schema {version}; this Cockpit knows "
        f"up to {SCHEMA_VERSION}). Upgrade Cockpit, or open another book with --db. "
        "The file was left as it is."
    )


def ensure_schema(
    db: Database,
    prepare_upgrade: Callable[[int], AbstractContextManager] = lambda _version: nullcontext(),
    accepted: Callable[[], None] = lambda: None,
) -> None:
    """Create the tables of a new book, or upgrade an older one in place.

    Nothing is written before the file is known to be a Cockpit book this
    version can use; then `accepted()` runs (the SQLite set-up switches the
    journal to WAL there). `prepare_upgrade(old_version)` wraps an upgrade;
    the SQLite set-up writes a backup copy in it and switches foreign keys
    off while tables are rebuilt.
    """
    version = stored_version(db)
    if version is not None and version > SCHEMA_VERSION:
        _refuse_newer(db, version)
    accepted()
    if version == SCHEMA_VERSION:
        return
    if version is None:
        with db.atomic():
            # Another process may have created the book since we looked.
            if stored_version(db) is None:
                db.create_tables(ALL_MODELS)
                _set_version(SCHEMA_VERSION)
                set_info(HONEYMOON_DAYS_KEY, str(settings().health.honeymoon_days))
        return
    with prepare_upgrade(version), db.atomic():
        version = stored_version(db)
        if version is not None and version > SCHEMA_VERSION:
            _refuse_newer(db, version)
        migrator = SchemaMigrator.from_database(db)
        for target in range(version + 1, SCHEMA_VERSION + 1):
            STEPS[target](db, migrator)
            _set_version(target)



@migration(2)
def _won_dates_on_clients(db: Database, migrator: SchemaMigrator) -> None:
    """Keep each client's won date and honeymoon end on the client row."""
    migrate(
        migrator.add_column("client", "won_on", DateField(null=True)),
        migrator.add_column("client", "honeymoon_end", DateField(null=True)),
    )

    class FrozenClient(Model):
        client_since = DateField(null=True)
        won_on = DateField(null=True)
        honeymoon_end = DateField(null=True)

        class Meta:
            database = db
            table_name = "client"

    class FrozenDeal(Model):
        client_id = IntegerField()
        won_on = DateField()

        class Meta:
            database = db
            table_name = "deal"

    honeymoon = timedelta(days=settings().health.honeymoon_days)
    first_deals = dict(
        FrozenDeal.select(FrozenDeal.client_id, fn.MIN(FrozenDeal.won_on))
        .group_by(FrozenDeal.client_id)
        .tuples()
    )
    for client in FrozenClient.select(FrozenClient.id, FrozenClient.client_since):
        won = client.client_since or _date(first_deals.get(client.id))
        if won is not None:
            FrozenClient.update(won_on=won, honeymoon_end=won + honeymoon).where(
                FrozenClient.id == client.id
            ).execute()
    set_info(HONEYMOON_DAYS_KEY, str(honeymoon.days))


def _date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
