"""The schema version of a book and the steps that bring an older one up to date.

A new book is created from the current models at `SCHEMA_VERSION`. An older
book is upgraded in place, one step at a time, inside one transaction; the
database module makes a backup copy first. A book from a newer Cockpit is
refused, never touched.

Adding a schema change: bump `SCHEMA_VERSION` (in schema_version.py), register the step below with
`@migration(N)`, and add `tests/fixtures/schema_vN.db` (see
`tests/fixtures/make_fixture.py`). A step must not use the current model
classes to build tables (they describe the newest schema, not version N):
declare what it needs with `playhouse.migrate` operations or a model frozen
inside the step.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

from peewee import Database

from cockpit.config import settings
from cockpit.errors import DatabaseError
from cockpit.storage import notes_index, revision
from cockpit.storage.models import ALL_MODELS, BookInfo, set_info
from cockpit.storage.schema_version import (
    HONEYMOON_DAYS_KEY,
    SCHEMA_VERSION,
    SCHEMA_VERSION_KEY,
    TEAM_SETTING_PREFIX,
)

if TYPE_CHECKING:  # imported when a book is upgraded: most runs never need it
    from playhouse.migrate import SchemaMigrator


Step = Callable[[Database, "SchemaMigrator"], None]
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


def _refuse_newer(db: Database, version: int) -> None:
    raise DatabaseError(
        f"{db.database} was written by a newer Cockpit (schema {version}; this Cockpit knows "
        f"up to {SCHEMA_VERSION}). Upgrade Cockpit, or open another book with --db. "
        "The file was left as it is."
    )


class UpgradeHooks:
    """What a database needs around an upgrade; the SQLite set-up fills these in."""

    def around(self) -> AbstractContextManager:
        """Wraps the upgrade transaction (SQLite: foreign keys off during rebuilds)."""
        return nullcontext()

    def backup(self, version: int) -> str | None:
        """Copies the book before it is changed, under the write lock; returns where."""
        return None


def _check_upgradable(db: Database, version: int) -> None:
    missing = [v for v in range(version + 1, SCHEMA_VERSION + 1) if v not in STEPS]
    if version < 1 or missing:
        raise DatabaseError(
            f"{db.database} has schema version {version}, which this Cockpit cannot upgrade; "
            "it was left as it is"
        )


def ensure_schema(
    db: Database,
    hooks: UpgradeHooks | None = None,
    accepted: Callable[[], None] = lambda: None,
) -> None:
    """Create the tables of a new book, or upgrade an older one in place.

    Nothing is written before the file is known to be a Cockpit book this
    version can use; then `accepted()` runs (the SQLite set-up switches the
    journal to WAL there). An upgrade takes the write lock, looks at the
    version again (another process may have upgraded meanwhile), has the
    hooks back the book up, and runs every step in one transaction.
    """
    hooks = hooks or UpgradeHooks()
    version = stored_version(db)
    if version is not None and version > SCHEMA_VERSION:
        _refuse_newer(db, version)
    if version is not None and version < SCHEMA_VERSION:
        _check_upgradable(db, version)
    accepted()
    if version == SCHEMA_VERSION:
        return
    if version is None:
        with db.atomic():
            if stored_version(db) is None:
                db.create_tables(ALL_MODELS)
                revision.install(db)
                notes_index.install(db)
                if revision.is_postgres(db):
                    from cockpit.storage.team import install_row_security

                    install_row_security(db)
                _set_version(SCHEMA_VERSION)
                set_info(HONEYMOON_DAYS_KEY, str(settings().health.honeymoon_days))
        return
    backup = None
    try:
        with hooks.around(), db.atomic():
            version = stored_version(db)
            if version == SCHEMA_VERSION:
                return
            if version > SCHEMA_VERSION:
                _refuse_newer(db, version)
            backup = hooks.backup(version)
            from playhouse.migrate import SchemaMigrator

            migrator = SchemaMigrator.from_database(db)
            for target in range(version + 1, SCHEMA_VERSION + 1):
                STEPS[target](db, migrator)
                _set_version(target)
    except DatabaseError:
        raise
    except Exception as error:
        kept = f"; a copy made before it is at {backup}" if backup else ""
        raise DatabaseError(
            f"upgrading {db.database} from schema version {version} failed ({error}); "
            f"the book was left as it was{kept}"
        ) from error


@migration(2)
def add_weekly_review(db: Database, migrator: SchemaMigrator) -> None:
    """Version 2: the weekly review's records, their actions, and scheduled touches."""
    from peewee import (
        CharField,
        Check,
        DateField,
        DateTimeField,
        ForeignKeyField,
        Model,
        TextField,
    )

    class Frozen(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Client(Frozen):  # only what the new tables refer to
        pass

    class Review(Frozen):
        week_start = DateField(index=True)
        started_at = DateTimeField()
        finished_at = DateTimeField(null=True)
        agenda = TextField()
        summary = TextField(default="")

    steps = "'done', 'logged', 'scheduled', 'snoozed', 'skipped'"

    class ReviewAction(Frozen):
        review = ForeignKeyField(Review, on_delete="CASCADE")
        item_key = CharField(max_length=100)
        step = CharField(max_length=10, constraints=[Check(f"step IN ({steps})")])
        on_date = DateField(null=True)
        created_at = DateTimeField()

        class Meta:
            indexes = ((("review", "item_key"), True),)

    class ScheduledTouch(Frozen):
        client = ForeignKeyField(Client, on_delete="CASCADE")
        due_on = DateField()
        review = ForeignKeyField(Review, null=True, on_delete="SET NULL")
        created_at = DateTimeField()

        class Meta:
            indexes = ((("client", "due_on"), False),)

    db.create_tables([Review, ReviewAction, ScheduledTouch])


@migration(3)
def count_changes_and_fold_names(db: Database, migrator: SchemaMigrator) -> None:
    """Version 3: the book's revision, counted by triggers, behind the cached health
    verdicts; and each client's folded name and company, for SQL to search."""
    from cockpit.search import search_key

    db.execute_sql("""ALTER TABLE "client" ADD COLUMN "search_key" TEXT NOT NULL DEFAULT ''""")
    rows = db.execute_sql('SELECT "id", "name", "company" FROM "client"').fetchall()
    for client_id, name, company in rows:
        db.execute_sql(
            'UPDATE "client" SET "search_key" = ? WHERE "id" = ?',
            (search_key(name, company), client_id),
        )
    revision.install(db)  # after the keys: filling them is no change to count


@migration(4)
def add_owners(db: Database, migrator: SchemaMigrator) -> None:
    """Version 4: each client's owner (a rep), and each profile answer's sensitivity, for
    a team book's row-level security."""
    from cockpit.profile.schema import FIELDS

    boolean = "BOOLEAN" if revision.is_postgres(db) else "INTEGER"
    db.execute_sql("""ALTER TABLE "client" ADD COLUMN "owner" TEXT NOT NULL DEFAULT \'\'""")
    db.execute_sql(
        f'ALTER TABLE "profile_value" ADD COLUMN "sensitive" {boolean} NOT NULL DEFAULT FALSE'
    )
    sensitive = sorted(key for key, field in FIELDS.items() if field.sensitive)
    marks = ", ".join(db.param for _ in sensitive)
    db.execute_sql(
        f'UPDATE "profile_value" SET "sensitive" = TRUE WHERE "field_key" IN ({marks})',
        sensitive,
    )
    # PostgreSQL's row-level security comes with step 5, which always follows in the same
    # transaction: its rules name the review's owner, a column of version 5.


@migration(5)
def guard_the_team_book(db: Database, migrator: SchemaMigrator) -> None:
    """Version 5: each review's rep; on PostgreSQL, rules that no search_path can bend,
    team settings and reviews under them, and the revision counted by the server. The
    honeymoon the book's summaries were kept with becomes the team's setting."""
    db.execute_sql("""ALTER TABLE "review" ADD COLUMN "owner" TEXT NOT NULL DEFAULT \'\'""")
    if not revision.is_postgres(db):
        return
    from cockpit.config import HealthSettings
    from cockpit.storage.team import install_row_security

    kept = BookInfo.select(BookInfo.value).where(BookInfo.key == HONEYMOON_DAYS_KEY).scalar()
    if kept and kept != str(HealthSettings().honeymoon_days):
        set_info(f"{TEAM_SETTING_PREFIX}honeymoon_days", kept)
    install_row_security(db)


@migration(6)
def judge_by_cadence(db: Database, migrator: SchemaMigrator) -> None:
    """Version 6: each client's touch day before its last one (a client called after a
    drift is recovering) and its first since the won date (the honeymoon's usual gap), and
    the kind of touch that keeps a planned communication."""
    db.execute_sql("""ALTER TABLE "client" ADD COLUMN "previous_touch_on" DATE""")
    db.execute_sql("""ALTER TABLE "client" ADD COLUMN "first_touch_since_won" DATE""")
    db.execute_sql(
        """ALTER TABLE "planned_communication" ADD COLUMN "kind" VARCHAR(20) NOT NULL """
        """DEFAULT 'email'"""
    )
    db.execute_sql(
        """UPDATE "client" SET "previous_touch_on" = (SELECT MAX(t."day") FROM "interaction" t """
        """WHERE t."client_id" = "client"."id" AND t."kind" <> 'note' """
        """AND t."day" < "client"."last_touch_on")"""
    )
    db.execute_sql(
        """UPDATE "client" SET "first_touch_since_won" = (SELECT MIN(t."day") """
        """FROM "interaction" t WHERE t."client_id" = "client"."id" AND t."kind" <> 'note' """
        """AND t."day" >= "client"."won_on")"""
    )


@migration(7)
def note_changed_clients(db: Database, migrator: SchemaMigrator) -> None:
    """Version 7: on SQLite the triggers note which client each change was about, so the
    verdicts kept at one revision are brought up to date by judging again the clients
    changed since. The book gets a new identity: verdicts kept before, when changes were
    not noted, are never brought up to date from notes that miss them."""
    if revision.is_postgres(db):
        return
    revision.install_client_changes(db)
    revision.new_identity(db)


@migration(8)
def keep_an_import_ledger(db: Database, migrator: SchemaMigrator) -> None:
    """Version 8: the import ledger (`storage/import_ledger.py`): each import, the clients
    it created or changed, the rows it added and the values it changed, so that
    `cockpit import --undo` takes an import back. On PostgreSQL, under the rules of a team
    book: a rep's imports are theirs alone."""
    from peewee import (
        SQL,
        BigIntegerField,
        BooleanField,
        CharField,
        DateTimeField,
        ForeignKeyField,
        IntegerField,
        Model,
        TextField,
    )

    class Frozen(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Client(Frozen):  # only what the new tables refer to
        pass

    class ImportRun(Frozen):
        owner = TextField(default="", constraints=[SQL("DEFAULT ''")])
        started_at = DateTimeField()
        finished_at = DateTimeField(null=True)
        sources = TextField(default="")
        files = IntegerField(default=0)
        summary = TextField(default="")
        undone_at = DateTimeField(null=True)
        undo_summary = TextField(default="")

    class ImportedClient(Frozen):
        run = ForeignKeyField(ImportRun, on_delete="CASCADE", index=False)
        client = ForeignKeyField(Client, on_delete="CASCADE")
        created = BooleanField(default=False)
        digest = TextField(default="")

        class Meta:
            table_name = "import_client"
            indexes = ((("run", "client"), True),)

    class ImportedRows(Frozen):
        run = ForeignKeyField(ImportRun, on_delete="CASCADE")
        table_name = CharField(max_length=40)
        first_id = BigIntegerField()
        last_id = BigIntegerField()
        digests = TextField()

        class Meta:
            table_name = "import_rows"

    class ImportChange(Frozen):
        run = ForeignKeyField(ImportRun, on_delete="CASCADE", index=False)
        client = ForeignKeyField(Client, on_delete="CASCADE")
        what = CharField(max_length=80)
        before = TextField()
        after = TextField()
        sensitive = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])

        class Meta:
            table_name = "import_change"
            indexes = ((("run", "client"), False),)

    db.create_tables([ImportRun, ImportedClient, ImportedRows, ImportChange])
    if revision.is_postgres(db):
        from cockpit.storage.team import install_row_security

        install_row_security(db)  # the rules again, the ledger's with them


@migration(9)
def index_the_notes(db: Database, migrator: SchemaMigrator) -> None:
    """Version 9: on SQLite, the index of the touches' summaries and the profile answers
    that are not sensitive (`storage/notes_index.py`), filled from the book, for
    `cockpit search`. A PostgreSQL book searches its tables under its rules: nothing new."""
    notes_index.install(db)


@migration(10)
def add_accounts(db: Database, migrator: SchemaMigrator) -> None:
    """Version 10: accounts (`storage/accounts.py`), each client linked to the account of
    their company (made from the company text, the most common spelling winning, owned by
    the rep with most people there), each account's email domains taken from its people's
    addresses where no other account's people share them; people's roles, job moves and
    account merges; a deal's renewal day and term."""
    from peewee import (
        SQL,
        BooleanField,
        CharField,
        Check,
        DateField,
        DateTimeField,
        ForeignKeyField,
        Model,
        TextField,
    )

    class Frozen(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Account(Frozen):
        name = CharField(max_length=200, constraints=[Check("TRIM(name) <> ''")])
        name_key = TextField(index=True)
        domains = TextField(default="")
        owner = TextField(default="", constraints=[SQL("DEFAULT ''")])
        notes = TextField(default="")
        pinned_key = BooleanField(default=False)
        merged_into = ForeignKeyField("self", null=True, on_delete="SET NULL")
        created_at = DateTimeField()
        updated_at = DateTimeField()

    class Client(Frozen):  # only what the new tables refer to
        pass

    class AccountMove(Frozen):
        client = ForeignKeyField(Client, on_delete="CASCADE")
        from_account = ForeignKeyField(Account, null=True, on_delete="SET NULL")
        to_account = ForeignKeyField(Account, null=True, on_delete="SET NULL")
        moved_on = DateField()
        roles = TextField(default="")
        created_at = DateTimeField()

        class Meta:
            table_name = "account_move"

    class AccountMerge(Frozen):
        kept = ForeignKeyField(Account, on_delete="CASCADE")
        merged = ForeignKeyField(Account, on_delete="CASCADE")
        people = TextField(default="")
        before = TextField(default="")
        owner = TextField(default="", constraints=[SQL("DEFAULT ''")])
        merged_at = DateTimeField()
        undone_at = DateTimeField(null=True)

        class Meta:
            table_name = "account_merge"

    db.create_tables([Account, AccountMove, AccountMerge])
    new_columns = """"account_id" INTEGER, "roles" TEXT NOT NULL DEFAULT '', """
    new_columns += """"role_note" TEXT NOT NULL DEFAULT ''"""
    account_key = '"account_id") REFERENCES "account" ("id") ON DELETE SET NULL'
    if revision.is_postgres(db):
        for column in new_columns.split(", "):
            db.execute_sql(f'ALTER TABLE "client" ADD COLUMN {column}')
        db.execute_sql(f'ALTER TABLE "client" ADD FOREIGN KEY ({account_key}')
    else:
        _rebuild_sqlite_table(db, "client", f"{new_columns}, FOREIGN KEY ({account_key}")
    db.execute_sql('CREATE INDEX "client_account_id" ON "client" ("account_id")')
    db.execute_sql('ALTER TABLE "deal" ADD COLUMN "renews_on" DATE')
    db.execute_sql(
        'ALTER TABLE "deal" ADD COLUMN "term_months" INTEGER '
        "CHECK (term_months IS NULL OR term_months > 0)"
    )
    revision.count_account_changes(db)
    _link_companies_on_upgrade(db)
    if revision.is_postgres(db):
        from cockpit.storage.team import install_row_security

        install_row_security(db)  # the rules again, the accounts' with them


@migration(11)
def add_account_plans(db: Database, migrator: SchemaMigrator) -> None:
    """Version 11: key account plans (`storage/account_plans.py`): one per account, or
    per client at no account, with its objectives and actions."""
    from peewee import (
        SQL,
        CharField,
        Check,
        DateField,
        DateTimeField,
        ForeignKeyField,
        Model,
        TextField,
    )

    class Frozen(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Account(Frozen):  # only what the new tables refer to
        pass

    class Client(Frozen):
        pass

    class Interaction(Frozen):
        pass

    class AccountPlan(Frozen):
        account = ForeignKeyField(Account, null=True, unique=True, on_delete="CASCADE")
        client = ForeignKeyField(Client, null=True, unique=True, on_delete="CASCADE")
        relationship = TextField(default="")
        risks = TextField(default="")
        competitors = TextField(default="")
        review_on = DateField(null=True, index=True)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            table_name = "account_plan"
            constraints = (Check("(account_id IS NULL) <> (client_id IS NULL)"),)

    class PlanObjective(Frozen):
        plan = ForeignKeyField(AccountPlan, on_delete="CASCADE")
        what = TextField(constraints=[Check("TRIM(what) <> ''")])
        target_on = DateField(null=True)
        measure = TextField(default="")

        class Meta:
            table_name = "plan_objective"

    class PlanAction(Frozen):
        plan = ForeignKeyField(AccountPlan, on_delete="CASCADE")
        what = TextField(constraints=[Check("TRIM(what) <> ''")])
        who = TextField(default="")
        client = ForeignKeyField(Client, null=True, on_delete="SET NULL")
        kind = CharField(max_length=20, default="meeting", constraints=[SQL("DEFAULT 'meeting'")])
        intent = CharField(
            max_length=12,
            default="relationship",
            constraints=[
                Check("intent IN ('sales', 'relationship')"),
                SQL("DEFAULT 'relationship'"),
            ],
        )
        due_on = DateField(null=True, index=True)
        done_on = DateField(null=True)
        touch = ForeignKeyField(Interaction, null=True, on_delete="SET NULL")

        class Meta:
            table_name = "plan_action"

    db.create_tables([AccountPlan, PlanObjective, PlanAction])
    if revision.is_postgres(db):
        from cockpit.storage.team import install_row_security

        install_row_security(db)  # the rules again, the plans' with them


@migration(12)
def add_client_tags(db: Database, migrator: SchemaMigrator) -> None:
    """Version 12: tags on clients (`storage/tags.py`), as typed and by their folded key."""
    from peewee import CharField, Check, ForeignKeyField, Model, TextField

    class Frozen(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Client(Frozen):  # only what the new table refers to
        pass

    class ClientTag(Frozen):
        client = ForeignKeyField(Client, on_delete="CASCADE", index=False)
        tag = CharField(max_length=40, constraints=[Check("TRIM(tag) <> ''")])
        tag_key = TextField()

        class Meta:
            table_name = "client_tag"
            indexes = (
                (("client", "tag_key"), True),
                (("tag_key",), False),
            )

    db.create_tables([ClientTag])
    if revision.is_postgres(db):
        from cockpit.storage.team import install_row_security

        install_row_security(db)  # the rules again, the tags' with them


@migration(13)
def add_segment_communications(db: Database, migrator: SchemaMigrator) -> None:
    """Version 13: communications to a segment of clients (a tier, an account or a tag),
    each marked sent once for all its recipients (`storage/segment_communications.py`)."""
    from peewee import (
        SQL,
        CharField,
        Check,
        DateField,
        DateTimeField,
        ForeignKeyField,
        IntegerField,
        Model,
        TextField,
    )

    class Frozen(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Account(Frozen):  # only what the new table refers to
        pass

    class SegmentCommunication(Frozen):
        what = CharField(max_length=200, constraints=[Check("TRIM(what) <> ''")])
        kind = CharField(max_length=20, default="email", constraints=[SQL("DEFAULT 'email'")])
        every = IntegerField(constraints=[Check("every > 0")])
        unit = CharField(max_length=6, constraints=[Check("unit IN ('days', 'weeks', 'months')")])
        next_due = DateField(index=True)
        tier = CharField(
            max_length=10,
            null=True,
            constraints=[Check("tier IS NULL OR tier IN ('core', 'other', 'peripheral')")],
        )
        account = ForeignKeyField(Account, null=True, on_delete="CASCADE")
        tag_key = TextField(null=True)
        tag = TextField(default="")
        owner = TextField(default="", constraints=[SQL("DEFAULT ''")])
        created_at = DateTimeField()

        class Meta:
            table_name = "segment_communication"
            constraints = (
                Check(
                    "(CASE WHEN tier IS NULL THEN 0 ELSE 1 END) + "
                    "(CASE WHEN account_id IS NULL THEN 0 ELSE 1 END) + "
                    "(CASE WHEN tag_key IS NULL THEN 0 ELSE 1 END) = 1"
                ),
            )

    db.create_tables([SegmentCommunication])
    if revision.is_postgres(db):
        from cockpit.storage.team import install_row_security

        install_row_security(db)  # the rules again, the communications' with them


@migration(14)
def add_import_sources(db: Database, migrator: SchemaMigrator) -> None:
    """Version 14: where an imported row came from (a calendar event's occurrence), so a
    later import finds it again (`storage/import_sources.py`)."""
    from peewee import BigIntegerField, CharField, ForeignKeyField, Model, TextField

    class Frozen(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Client(Frozen):  # only what the new table refers to
        pass

    class ImportSource(Frozen):
        client = ForeignKeyField(Client, on_delete="CASCADE", index=False)
        source_key = TextField()
        table_name = CharField(max_length=40)
        row_id = BigIntegerField()
        digest = TextField(default="")

        class Meta:
            table_name = "import_source"
            indexes = (
                (("source_key", "client", "table_name"), True),
                (("client",), False),
            )

    db.create_tables([ImportSource])
    if revision.is_postgres(db):
        from cockpit.storage.team import install_row_security

        install_row_security(db)  # the rules again, the sources' with them


@migration(15)
def add_heard_from(db: Database, migrator: SchemaMigrator) -> None:
    """Version 15: the days a client wrote to you, from imported mail (`heard_from`), kept
    apart from your touches."""
    from peewee import DateField, DateTimeField, ForeignKeyField, Model, TextField

    class Frozen(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Client(Frozen):  # only what the new table refers to
        pass

    class HeardFrom(Frozen):
        client = ForeignKeyField(Client, on_delete="CASCADE", index=False)
        occurred_at = DateTimeField()
        day = DateField()
        summary = TextField(default="")
        created_at = DateTimeField()

        class Meta:
            table_name = "heard_from"
            indexes = ((("client", "day"), False), (("day",), False))

    db.create_tables([HeardFrom])
    if revision.is_postgres(db):
        from cockpit.storage.team import install_row_security

        install_row_security(db)  # the rules again, heard_from's with them


def _rebuild_sqlite_table(db: Database, table: str, added: str) -> None:
    """SQLite: the table made anew with `added` (columns, then table constraints) after its
    columns, as a new book's is (ALTER TABLE cannot add a foreign key there), its rows,
    indexes and triggers kept. Foreign keys are off meanwhile (`UpgradeHooks.around`)."""
    (sql,) = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    kept = [
        statement
        for (statement,) in db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL ORDER BY type, name",
            (table,),
        ).fetchall()
    ]
    columns = ", ".join(
        f'"{name}"' for _, name, *_ in db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()
    )
    body = sql.split("(", 1)[1]
    body = body.rstrip().removesuffix(")")
    db.execute_sql(f'CREATE TABLE "{table}_rebuilt" ({body}, {added})')
    db.execute_sql(f'INSERT INTO "{table}_rebuilt" ({columns}) SELECT {columns} FROM "{table}"')
    db.execute_sql(f'DROP TABLE "{table}"')
    db.execute_sql(f'ALTER TABLE "{table}_rebuilt" RENAME TO "{table}"')
    for statement in kept:
        db.execute_sql(statement)


def _link_companies_on_upgrade(db: Database) -> None:
    from collections import Counter
    from datetime import UTC, datetime

    from cockpit.search import search_key
    from cockpit.storage.accounts import FREE_MAIL

    spellings: dict[str, Counter] = {}
    owners: dict[str, Counter] = {}
    members: dict[str, list[tuple[int, str]]] = {}
    for client_id, name, company, company_key, owner in db.execute_sql(
        'SELECT "id", "name", "company", "company_key", "owner" FROM "client" '
        """WHERE "company_key" <> '' ORDER BY "id\""""
    ).fetchall():
        spellings.setdefault(company_key, Counter())[company] += 1
        owners.setdefault(company_key, Counter())[owner] += 1
        members.setdefault(company_key, []).append((client_id, name))
    domain_keys: dict[str, set[str]] = {}
    for address, company_key in db.execute_sql(
        'SELECT e."address", c."company_key" FROM "client_email" e '
        'JOIN "client" c ON c."id" = e."client_id" '
        """WHERE c."company_key" <> ''"""
    ).fetchall():
        domain = address.rsplit("@", 1)[-1].strip().lower()
        if domain and domain not in FREE_MAIL:
            domain_keys.setdefault(domain, set()).add(company_key)
    domains_of: dict[str, list[str]] = {}
    for domain, keys in sorted(domain_keys.items()):
        if len(keys) == 1:
            domains_of.setdefault(next(iter(keys)), []).append(domain)
    now = datetime.now(UTC).replace(tzinfo=None)
    moment = now if revision.is_postgres(db) else now.strftime("%Y-%m-%d %H:%M:%S.%f")
    param = db.param
    for company_key, counts in spellings.items():
        # The most common spelling; among equals, the first met.
        name = max(counts, key=lambda spelling: counts[spelling])
        owner = max(owners[company_key], key=lambda rep: owners[company_key][rep])
        cursor = db.execute_sql(
            'INSERT INTO "account" ("name", "name_key", "domains", "owner", "notes", '
            f'"pinned_key", "created_at", "updated_at") VALUES ({param}, {param}, {param}, '
            f"{param}, '', FALSE, {param}, {param})"
            + (' RETURNING "id"' if revision.is_postgres(db) else ""),
            (name, company_key, " ".join(domains_of.get(company_key, [])), owner, moment, moment),
        )
        account_id = cursor.fetchone()[0] if revision.is_postgres(db) else cursor.lastrowid
        for client_id, client_name in members[company_key]:
            db.execute_sql(
                f'UPDATE "client" SET "account_id" = {param}, "company" = {param}, '
                f'"search_key" = {param} WHERE "id" = {param}',
                (account_id, name, search_key(client_name, name), client_id),
            )
