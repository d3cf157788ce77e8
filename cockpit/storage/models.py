"""The tables of a Cockpit book.

Conventions: moments are stored as naive UTC datetimes; calendar days as
dates; text columns are never NULL (empty string instead). Every query that
later issues run over all clients has an index here; the big one is the
covering index on interactions, which lets per-client aggregates (touch
counts by day, minutes, intents) be answered from the index alone.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from peewee import (
    SQL,
    BigIntegerField,
    BooleanField,
    CharField,
    Check,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from cockpit.search import search_key
from cockpit.validation import MAX_EMAIL, MAX_PHONE, MAX_TAG
from cockpit.vocabulary import Intent, Kind, Lifecycle, PlanUnit, ReviewStep

database_proxy = DatabaseProxy()


def _one_of(column: str, values) -> Check:
    listed = ", ".join(f"'{value}'" for value in values)
    return Check(f"{column} IN ({listed})")


def _one_of_or_null(column: str, values) -> Check:
    listed = ", ".join(f"'{value}'" for value in values)
    return Check(f"{column} IS NULL OR {column} IN ({listed})")


def _not_blank(column: str) -> Check:
    return Check(f"TRIM({column}) <> ''")


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class BookInfo(BaseModel):
    """Key-value facts about the book itself (schema version, demo marker)."""

    key = CharField(max_length=64, primary_key=True)
    value = TextField()

    class Meta:
        table_name = "cockpit_meta"


def set_info(key: str, value: str) -> None:
    """Store one fact about the book (an upsert that SQLite and PostgreSQL share)."""
    BookInfo.insert(key=key, value=value).on_conflict(
        conflict_target=[BookInfo.key], update={BookInfo.value: value}
    ).execute()


class Account(BaseModel):
    """A company the user sells to: the unit of an account manager's work. Its name is
    the company every one of its people shows (`client.company` keeps a copy, written
    by `storage.accounts` alone). An account merged into another stays as an alias of
    it (`merged_into`), so the spelling still finds the account and the merge can be
    undone."""

    name = CharField(max_length=200, constraints=[_not_blank("name")])
    name_key = TextField(index=True)  # folded as `validation.match_key` folds
    domains = TextField(default="")  # email domains, lower case, one space between
    owner = TextField(default="", constraints=[SQL("DEFAULT ''")])  # the key account manager
    notes = TextField(default="")
    pinned_key = BooleanField(default=False)  # tier `key`, pinned by the user
    merged_into = ForeignKeyField("self", null=True, on_delete="SET NULL", backref="aliases")
    created_at = DateTimeField()
    updated_at = DateTimeField()


class Client(BaseModel):
    name = CharField(max_length=200, constraints=[_not_blank("name")])
    company = CharField(max_length=200, default="")
    # Case- and space-folded copies of name and company, for matching on import
    # the same way on every database (folding can make text longer: TextField).
    name_key = TextField()
    company_key = TextField(default="")
    title = CharField(max_length=200, default="")
    lifecycle = CharField(
        max_length=10, default=Lifecycle.ACTIVE.value, constraints=[_one_of("lifecycle", Lifecycle)]
    )
    client_since = DateField(null=True)
    keep_in_touch_days = IntegerField(
        null=True, constraints=[Check("keep_in_touch_days IS NULL OR keep_in_touch_days > 0")]
    )
    strategic = BooleanField(default=False)
    snoozed_until = DateField(null=True)
    archived = BooleanField(default=False)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    # Kept up to date by the book module on every write (see
    # `book.refresh_summaries`), so the health queries compare stored days
    # instead of doing date arithmetic in SQL, and the client list needs no
    # aggregate: the won date (client_since, else the first won deal), the
    # honeymoon's end, the last touch, and the touch days in the honeymoon.
    won_on = DateField(null=True)
    honeymoon_end = DateField(null=True)
    last_touch_on = DateField(null=True, index=True)
    honeymoon_touch_days = IntegerField(default=0)
    # Name and company as searches compare them (`search.search_key`), so SQL can
    # find the clients whose name or company holds a typed word.
    search_key = TextField(default="", constraints=[SQL("DEFAULT ''")])
    # The rep who owns the client: a PostgreSQL role, or on SQLite the `rep` setting ("" on
    # a book from before owners: everyone's).
    owner = TextField(default="", constraints=[SQL("DEFAULT ''")])
    previous_touch_on = DateField(null=True)  # summaries too: the touch day before the last,
    first_touch_since_won = DateField(null=True)  # and the first on or after the won date
    # The account they work at (its name is `company`), and what they are there: roles of
    # `vocabulary.Role`, comma-separated (`vocabulary.stored_roles`), and words of the user's.
    account = ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="people")
    roles = TextField(default="", constraints=[SQL("DEFAULT ''")])
    role_note = TextField(default="", constraints=[SQL("DEFAULT ''")])

    SUMMARY_FIELDS = frozenset(
        {
            "won_on",
            "honeymoon_end",
            "last_touch_on",
            "honeymoon_touch_days",
            "previous_touch_on",
            "first_touch_since_won",
        }
    )

    class Meta:
        indexes = ((("name_key", "company_key"), False),)

    def save(self, *args, **kwargs):
        """Saving a client never writes the summaries (an instance read before a
        touch was logged would put back what it saw then), and a new "client
        since" date moves the won date."""
        self.search_key = search_key(self.name or "", self.company or "")
        existing = self.id is not None and not kwargs.get("force_insert")
        since_changed = existing and "client_since" in self._dirty
        if existing and "only" not in kwargs:
            kwargs["only"] = [
                field
                for field in self._meta.sorted_fields
                if field.name not in self.SUMMARY_FIELDS and field is not self._meta.primary_key
            ]
        saved = super().save(*args, **kwargs)
        if since_changed:
            _summaries_changed(self.id, deals=True)
        return saved


# What keeps the client summaries after a write: `summaries` (which builds on this module)
# puts its function here as it loads; every open book has loaded it.
_after_write: list[Callable[..., None]] = []


def keep_summaries_with(refresh: Callable[..., None]) -> None:
    _after_write[:] = [refresh]


def _summaries_changed(client_id: int, *, deals: bool) -> None:
    if not _after_write:
        raise RuntimeError("write through cockpit.storage.book: the summaries module is not loaded")
    _after_write[0](client_id, deals=deals)


class _KeepsSummaries(BaseModel):
    """A table whose rows feed the client summaries: saving or deleting one
    through its instance refreshes its client's summary."""

    DEALS = False  # whether rows move the won date too

    def save(self, *args, **kwargs):
        saved = super().save(*args, **kwargs)
        _summaries_changed(self.client_id, deals=self.DEALS)
        return saved

    def delete_instance(self, *args, **kwargs):
        deleted = super().delete_instance(*args, **kwargs)
        _summaries_changed(self.client_id, deals=self.DEALS)
        return deleted


class ClientEmail(BaseModel):
    client = ForeignKeyField(Client, backref="emails", on_delete="CASCADE", index=False)
    address = CharField(max_length=MAX_EMAIL, constraints=[_not_blank("address")])
    address_key = TextField()  # case-folded, for matching
    label = CharField(max_length=40, default="")
    position = IntegerField(default=0)

    class Meta:
        indexes = (
            (("client", "address_key"), True),
            (("address_key",), False),
        )


class ClientPhone(BaseModel):
    client = ForeignKeyField(Client, backref="phones", on_delete="CASCADE")
    number = CharField(max_length=MAX_PHONE, constraints=[_not_blank("number")])
    label = CharField(max_length=40, default="")
    position = IntegerField(default=0)


class ClientTag(BaseModel):
    """A free label on a client ("golf", "key account"), as typed, with its key
    (`validation.tag_key`, folded as names are searched): a client has a tag once."""

    client = ForeignKeyField(Client, backref="tag_rows", on_delete="CASCADE", index=False)
    tag = CharField(max_length=MAX_TAG, constraints=[_not_blank("tag")])
    tag_key = TextField()  # folding can make text longer: TextField

    class Meta:
        table_name = "client_tag"
        indexes = (
            (("client", "tag_key"), True),
            (("tag_key",), False),  # every client with a tag
        )


class Interaction(_KeepsSummaries):
    # No single-column index on client: the two composite indexes below start with it.
    client = ForeignKeyField(Client, backref="interactions", on_delete="CASCADE", index=False)
    occurred_at = DateTimeField()  # UTC
    day = DateField()  # the user's local calendar day of occurred_at
    kind = CharField(max_length=20, constraints=[_one_of("kind", Kind)])
    intent = CharField(max_length=12, constraints=[_one_of("intent", Intent)])
    duration_min = IntegerField(constraints=[Check("duration_min >= 0")])
    summary = TextField(default="")
    follow_up_on = DateField(null=True)
    follow_up_done = BooleanField(default=False)
    created_at = DateTimeField()

    class Meta:
        indexes = (
            (("client", "occurred_at"), False),  # a client's timeline, newest first
            # Covering indexes for aggregates: per client, and over all clients by day.
            (("client", "day", "kind", "intent", "duration_min"), False),
            (("day", "client", "kind", "intent", "duration_min"), False),
        )


# Partial indexes: only interactions with a follow-up, for the follow-ups-due
# query, and only referral asks, for "when was a referral last asked".
Interaction.add_index(
    Interaction.index(Interaction.follow_up_on, where=SQL("follow_up_on IS NOT NULL"))
)
Interaction.add_index(
    Interaction.index(Interaction.client, Interaction.day, where=SQL("kind = 'referral-asked'"))
)


class Deal(_KeepsSummaries):
    DEALS = True

    client = ForeignKeyField(Client, backref="deals", on_delete="CASCADE", index=False)
    # Whole cents: sums stay exact on every database.
    amount_cents = BigIntegerField(constraints=[Check("amount_cents > 0")])
    currency = CharField(max_length=3, constraints=[Check("LENGTH(currency) = 3")])
    won_on = DateField()
    description = TextField(default="")
    created_at = DateTimeField()
    # A contract that renews: on a day, and every `term_months` after it (a term alone
    # renews from the won date).
    renews_on = DateField(null=True)
    term_months = IntegerField(
        null=True, constraints=[Check("term_months IS NULL OR term_months > 0")]
    )

    class Meta:
        indexes = ((("client", "won_on", "currency", "amount_cents"), False),)  # covering

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_cents).scaleb(-2)


class AccountMove(BaseModel):
    """A person who left an account for another (a job change): their touches and deals
    before `moved_on` stay the old account's, and the roles they held there are kept."""

    client = ForeignKeyField(Client, on_delete="CASCADE", backref="moves")
    from_account = ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="left")
    to_account = ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="joined")
    moved_on = DateField()
    roles = TextField(default="")  # what they were at the old account
    created_at = DateTimeField()

    class Meta:
        table_name = "account_move"


class AccountMerge(BaseModel):
    """One account merged into another, with what the merge changed, so it can be undone:
    the people it moved and the kept account's details as they were."""

    kept = ForeignKeyField(Account, on_delete="CASCADE", backref="merges")
    merged = ForeignKeyField(Account, on_delete="CASCADE", backref="merged_by")
    people = TextField(default="")  # JSON: the ids of the people moved to the kept account
    before = TextField(default="")  # JSON: the kept account's domains, notes and pin before
    owner = TextField(default="", constraints=[SQL("DEFAULT ''")])  # who merged
    merged_at = DateTimeField()
    undone_at = DateTimeField(null=True)

    class Meta:
        table_name = "account_merge"


class ProfileValue(BaseModel):
    """One answer of the Mackay 66 profile.

    `field_key` names a field of `cockpit.profile.schema`; list fields take one
    row per entry (`row_no`) and one value per column (`column_key`), single
    fields use row 0 and an empty column. Dates keep their parts in columns of
    their own, so "every child's birthday this month" is one indexed query.
    """

    client = ForeignKeyField(Client, backref="profile_values", on_delete="CASCADE", index=False)
    field_key = CharField(max_length=64)
    row_no = IntegerField(default=0)
    column_key = CharField(max_length=64, default="")
    text = TextField()
    date_year = IntegerField(null=True)
    date_month = IntegerField(null=True)
    date_day = IntegerField(null=True)
    updated_at = DateTimeField()
    # A copy of the field's sensitivity, for PostgreSQL's row-level security to go by.
    sensitive = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])

    class Meta:
        indexes = (
            (("client", "field_key", "row_no", "column_key"), True),
            (("field_key", "date_month", "date_day"), False),
        )


class PlannedCommunication(BaseModel):
    """A recurring touch the user promised, e.g. a quarterly market update."""

    client = ForeignKeyField(Client, backref="plans", on_delete="CASCADE")
    what = CharField(max_length=200, constraints=[_not_blank("what")])
    every = IntegerField(constraints=[Check("every > 0")])
    unit = CharField(max_length=6, constraints=[_one_of("unit", PlanUnit)])
    next_due = DateField(index=True)
    created_at = DateTimeField()
    # The kind of touch that keeps it: marking it done logs a touch of this kind.
    kind = CharField(max_length=20, default="email", constraints=[SQL("DEFAULT 'email'")])


SEGMENT_TIERS = ("core", "other", "peripheral")


class SegmentCommunication(BaseModel):
    """A recurring communication to a segment of clients ("a quarterly market update to
    every core client"): everyone in a tier (as the engine judges that day), at an account,
    or carrying a tag (its folded key, and the tag as typed). Marking it sent logs a touch
    on each recipient."""

    what = CharField(max_length=200, constraints=[_not_blank("what")])
    kind = CharField(max_length=20, default="email", constraints=[SQL("DEFAULT 'email'")])
    every = IntegerField(constraints=[Check("every > 0")])
    unit = CharField(max_length=6, constraints=[_one_of("unit", PlanUnit)])
    next_due = DateField(index=True)
    tier = CharField(max_length=10, null=True, constraints=[_one_of_or_null("tier", SEGMENT_TIERS)])
    account = ForeignKeyField(Account, null=True, on_delete="CASCADE", backref="communications")
    tag_key = TextField(null=True)
    tag = TextField(default="")  # as typed, for its label
    owner = TextField(default="", constraints=[SQL("DEFAULT ''")])  # the rep it is for
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


class AccountPlan(BaseModel):
    """The key account plan: what we want from an account and what we will do for it, by
    when. One per account; a client who is at no account may have one of their own
    (`client`), kept with them even once they are at an account. On a team book it follows
    its account's rules (or its client's): its owner or a manager changes it."""

    account = ForeignKeyField(Account, null=True, unique=True, on_delete="CASCADE")
    client = ForeignKeyField(Client, null=True, unique=True, on_delete="CASCADE")
    # Who we see, how often, the gives we intend (a quarterly business review…).
    relationship = TextField(default="")
    risks = TextField(default="")
    competitors = TextField(default="")
    review_on = DateField(null=True, index=True)  # when the plan itself is looked at again
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = "account_plan"
        constraints = (Check("(account_id IS NULL) <> (client_id IS NULL)"),)


class PlanObjective(BaseModel):
    """What we want from the account: by a target date, measured by `measure`."""

    plan = ForeignKeyField(AccountPlan, backref="objectives", on_delete="CASCADE")
    what = TextField(constraints=[_not_blank("what")])
    target_on = DateField(null=True)
    measure = TextField(default="")

    class Meta:
        table_name = "plan_objective"


class PlanAction(BaseModel):
    """A step of the plan: what, who does it, by when. Done, it may have logged a touch
    (`touch`) with `client`, the person it was with (of the kind `kind`)."""

    plan = ForeignKeyField(AccountPlan, backref="actions", on_delete="CASCADE")
    what = TextField(constraints=[_not_blank("what")])
    who = TextField(default="")  # who on our side does it ("me", "Dana in support")
    client = ForeignKeyField(Client, null=True, on_delete="SET NULL")  # the person it is with
    kind = CharField(max_length=20, default="meeting", constraints=[SQL("DEFAULT 'meeting'")])
    intent = CharField(
        max_length=12,
        default=Intent.RELATIONSHIP.value,
        constraints=[_one_of("intent", Intent), SQL(f"DEFAULT '{Intent.RELATIONSHIP.value}'")],
    )
    due_on = DateField(null=True, index=True)
    done_on = DateField(null=True)
    touch = ForeignKeyField(Interaction, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "plan_action"


class Review(BaseModel):
    """One weekly review: its agenda as it stood when it began, and how it ended."""

    week_start = DateField(index=True)  # the first of its 7 days
    started_at = DateTimeField()
    finished_at = DateTimeField(null=True)
    agenda = TextField()  # JSON: the items in order, so a resumed review shows the same list
    summary = TextField(default="")  # JSON counts of what was done, once finished
    # The rep whose review it is (on a team book, theirs alone; a manager reads it too).
    owner = TextField(default="", constraints=[SQL("DEFAULT ''")])


class ReviewAction(BaseModel):
    """What the user did with one item of a review (the latest choice counts)."""

    review = ForeignKeyField(Review, backref="actions", on_delete="CASCADE")
    item_key = CharField(max_length=100)
    step = CharField(max_length=10, constraints=[_one_of("step", ReviewStep)])
    on_date = DateField(null=True)  # snoozed until, or scheduled for
    created_at = DateTimeField()

    class Meta:
        indexes = ((("review", "item_key"), True),)


class ScheduledTouch(BaseModel):
    """A touch the user promised for a day; kept when any touch is logged by then."""

    client = ForeignKeyField(Client, backref="scheduled_touches", on_delete="CASCADE")
    due_on = DateField()
    review = ForeignKeyField(Review, null=True, backref="scheduled", on_delete="SET NULL")
    created_at = DateTimeField()

    class Meta:
        indexes = ((("client", "due_on"), False),)


class ImportRun(BaseModel):
    """One `cockpit import` (or an import from the cockpit): its files went in together,
    in one transaction, and `cockpit import --undo ID` takes them back. What it added
    and changed is in the three tables below (`storage/import_ledger.py`)."""

    owner = TextField(default="", constraints=[SQL("DEFAULT ''")])  # the rep who imported
    started_at = DateTimeField()
    finished_at = DateTimeField(null=True)
    sources = TextField(default="")  # the files and folders named, one a line
    files = IntegerField(default=0)  # the files read
    summary = TextField(default="")  # the grand total, as the import said it
    undone_at = DateTimeField(null=True)
    undo_summary = TextField(default="")  # what the undo did (and kept)


class ImportedClient(BaseModel):
    """A client an import created or changed; for a created one, a digest of its row as
    the import left it, so an undo sees whether it was edited since."""

    run = ForeignKeyField(ImportRun, on_delete="CASCADE", index=False)
    client = ForeignKeyField(Client, on_delete="CASCADE")
    created = BooleanField(default=False)
    digest = TextField(default="")

    class Meta:
        table_name = "import_client"
        indexes = ((("run", "client"), True),)


class ImportedRows(BaseModel):
    """Rows an import added to one table, ids `first_id` to `last_id`, with a digest of
    each as it was added (16 hex digits a row, in id order)."""

    run = ForeignKeyField(ImportRun, on_delete="CASCADE")
    table_name = CharField(max_length=40)
    first_id = BigIntegerField()
    last_id = BigIntegerField()
    digests = TextField()

    class Meta:
        table_name = "import_rows"


class ImportChange(BaseModel):
    """A value an import changed in a client that was there before it: its columns
    (`client`), its lifecycle, or a profile field (`profile:KEY`), as JSON before and
    after, so an undo puts it back unless it was changed again since."""

    run = ForeignKeyField(ImportRun, on_delete="CASCADE", index=False)
    client = ForeignKeyField(Client, on_delete="CASCADE")
    what = CharField(max_length=80)
    before = TextField()
    after = TextField()
    # A sensitive profile answer: on a team book only the client's owner or a manager reads it.
    sensitive = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])

    class Meta:
        table_name = "import_change"
        indexes = ((("run", "client"), False),)


class ImportSource(BaseModel):
    """Where a row an import wrote came from (a calendar event's occurrence, a message), so
    that importing the same source again finds the row instead of adding it twice: the
    source's key, the row (a touch, a scheduled touch) and a digest of that row as the
    import last wrote it (`import_ledger.digest`): a row whose digest differs now was
    edited by the user, and a later import leaves it as it is. One key has a row per client
    and table (a meeting with two clients is a touch of each)."""

    client = ForeignKeyField(Client, on_delete="CASCADE", index=False)
    source_key = TextField()  # "ics:UID" or "ics:UID|RECURRENCE-ID" (`importers/calendar_keys`)
    table_name = CharField(max_length=40)
    row_id = BigIntegerField()
    digest = TextField(default="")

    class Meta:
        table_name = "import_source"
        indexes = (
            (("source_key", "client", "table_name"), True),
            (("client",), False),
        )


class HeardFrom(BaseModel):
    """A client wrote to you on a day (imported mail: their messages of that day as one
    line, the first one's moment and subject). Shown on the client's timeline, never one
    of your touches: the health rules, summaries and last touch do not read it."""

    client = ForeignKeyField(Client, on_delete="CASCADE", index=False)
    occurred_at = DateTimeField()  # UTC, the day's first message's
    day = DateField()  # your local day
    summary = TextField(default="")  # the subject (and with --with-notes the text)
    created_at = DateTimeField()

    class Meta:
        table_name = "heard_from"
        indexes = ((("client", "day"), False), (("day",), False))


ALL_MODELS: tuple[type[BaseModel], ...] = (
    BookInfo,
    Account,
    Client,
    ClientEmail,
    ClientPhone,
    ClientTag,
    Interaction,
    Deal,
    AccountMove,
    AccountMerge,
    ProfileValue,
    PlannedCommunication,
    SegmentCommunication,
    AccountPlan,
    PlanObjective,
    PlanAction,
    Review,
    ReviewAction,
    ScheduledTouch,
    ImportRun,
    ImportedClient,
    ImportedRows,
    ImportChange,
    ImportSource,
    HeardFrom,
)
