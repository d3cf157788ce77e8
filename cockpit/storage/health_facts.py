"""What the health engine reads of the book, in a few set-based queries, as plain data.

One row per client (what its row keeps: the last touch and the honeymoon's touch days)
and, per client, the revenue and minutes of the trailing window, the recent touch days,
touches and gives, and the last referral ask. The queries run the same on SQLite and
PostgreSQL but for the activity figures, read in one GROUP BY on PostgreSQL (the branch
on the dialect lives here, and nowhere in the engine). Days come back as dates, flags as
bools, sums as ints, whichever database answered.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from peewee import SQL, Case, NodeList, fn

from cockpit.storage import alongside
from cockpit.storage.models import (
    Account,
    AccountMove,
    Client,
    Deal,
    Interaction,
    database_proxy,
)
from cockpit.storage.revision import Revision, changed_clients, current, is_postgres
from cockpit.vocabulary import KEY_ROLES, Intent, Kind

_TOUCH = Interaction.alias("touch")
_BEFORE = Interaction.alias("latest")
# The client list's order, which the (name_key, company_key) index gives without a sort.
BY_NAME = (Client.name_key, Client.company_key, Client.id)

# A client's row in `HealthFacts.clients`, by position: the engine reads 10,000 of them.
CLIENT_COLUMNS = (
    "id",
    "name",
    "company",
    "lifecycle",
    "archived",
    "strategic",
    "snoozed_until",
    "keep_in_touch_days",
    "won_on",
    "honeymoon_end",
    "last_touch",
    "honeymoon_touch_days",
    "previous_touch",  # the touch day before the last one
    "first_since_won",  # the first touch day on or after the won date
    "account_id",  # the account they work at, or None
    "key_role",  # whether they are a decision maker or champion there
)
AT = {name: at for at, name in enumerate(CLIENT_COLUMNS)}  # a column's position in a row


@dataclass(frozen=True, slots=True)
class HealthFacts:
    """The figures of every client on a day, as the engine weighs them."""

    clients: list[tuple]  # one row per client, by name: the columns of CLIENT_COLUMNS
    revenue: dict[int, int]  # cents won over the trailing window, in the home currency
    stake: dict[int, int]  # cents won over the stake's (longer) window
    minutes: dict[int, int]  # minutes spent over the trailing window
    recent: dict[int, tuple[int, int, int]]  # over the recent days: touch days, touches, gives
    referrals: dict[int, date]  # the last referral ask on or before the day
    # A person who moved between accounts: the share of their figures each account they
    # were at has, as (account id or None, revenue, stake, minutes, recent touch days).
    moved: dict[int, tuple[tuple, ...]] = field(default_factory=dict)
    pinned: frozenset[int] = frozenset()  # the accounts the user pinned as key


def health_facts(
    as_of: date,
    *,
    window_days: int,
    recent_days: int,
    stake_days: int,
    currency: str,
    only: Collection[int] | None = None,
) -> HealthFacts:
    """Every client's figures as of `as_of` (touches and deals after it are ignored), or
    those of the clients in `only` (a few hundred at most: their ids go into the SQL)."""
    some = None if only is None else sorted(only)
    path = None if some is not None else alongside.book_file(database_proxy.obj)
    if path is None:
        queries = _Queries(as_of, window_days, recent_days, stake_days, currency, some)
        return _read(queries, queries.activity_rows)
    # A big book: the activity (the slowest queries) read on a second connection meanwhile.
    with database_proxy.atomic("DEFERRED"):  # the same snapshot for every query
        queries = _Queries(as_of, window_days, recent_days, stake_days, currency, some)
        revision = current(database_proxy)
        reader = alongside.Alongside(path, [queries.minutes, queries.recent])
        reader.start()

        def activity_rows() -> tuple[list[tuple], list[tuple]]:
            rows = reader.rows_at(revision)
            return queries.activity_rows() if rows is None else (rows[0], rows[1])

        return _read(queries, activity_rows)


class _Queries:
    """The queries of `health_facts`, for every client or for those in `some`."""

    def __init__(
        self,
        as_of: date,
        window_days: int,
        recent_days: int,
        stake_days: int,
        currency: str,
        some: list[int] | None,
    ) -> None:
        self.as_of, self.some, self.currency = as_of, some, currency
        self.windows = (window_days, stake_days, recent_days)
        self.revenue = _of(
            _revenue_query(as_of, window_days, stake_days, currency), Deal.client, some
        )
        self.referrals = _of(_referral_query(as_of), Interaction.client, some)
        self.clients = _of(_client_query(as_of), Client.id, some)
        self.server = is_postgres(database_proxy.obj)
        if self.server:
            self.activity = _of(
                _activity_query(as_of, window_days, recent_days), Interaction.client, some
            )
        else:
            self.minutes = _of(_minutes_query(as_of, window_days), Client.id, some)
            self.recent = _of(_recent_query(as_of, recent_days), Interaction.client, some)

    def activity_rows(self) -> tuple[list[tuple], list[tuple]]:
        """SQLite: the rows of the minutes and recent activity queries."""
        return _fetch(database_proxy, self.minutes), _fetch(database_proxy, self.recent)


def _read(queries: _Queries, activity_rows) -> HealthFacts:
    db = database_proxy
    # Rows come straight from cursors, a batch at a time (fetchmany converts a batch in
    # one call, which psycopg does far faster than row by row; all at once, the rows of
    # 50,000 clients would take memory the process keeps): 10,000 model objects would
    # cost more than the queries themselves.
    revenue, stake = {}, {}
    for client_id, cents, staked in _each(db.execute(queries.revenue)):
        if cents:
            revenue[client_id] = int(cents)
        if staked:
            stake[client_id] = int(staked)
    days = _Days()
    referrals = {client_id: days[day] for client_id, day in _each(db.execute(queries.referrals))}
    clients = _plain_rows(db.execute(queries.clients), days)
    minutes, recent = {}, {}
    if queries.server:
        for client_id, total, touch_days, touches, gives in _each(db.execute(queries.activity)):
            if total:
                minutes[client_id] = int(total)
            if touches:
                recent[client_id] = (touch_days, touches, gives)
    else:
        minutes_rows, recent_rows = activity_rows()
        minutes = {client_id: int(total) for client_id, total in minutes_rows if total}
        recent = {row[0]: tuple(row[1:]) for row in recent_rows}
    moved = moved_figures(queries.as_of, *queries.windows, queries.currency, queries.some)
    return HealthFacts(clients, revenue, stake, minutes, recent, referrals, moved, pinned())


def pinned() -> frozenset[int]:
    """The accounts the user pinned as key."""
    query = Account.select(Account.id).where(
        (Account.pinned_key == True) & Account.merged_into.is_null()  # noqa: E712 (SQL)
    )
    return frozenset(account_id for (account_id,) in query.tuples())


def moved_figures(
    as_of: date,
    window_days: int,
    stake_days: int,
    recent_days: int,
    currency: str,
    some: list[int] | None = None,
) -> dict[int, tuple[tuple, ...]]:
    """For each person who moved between accounts (of those in `some`): their figures
    split by the account they were at when each touch and deal happened, as (account id
    or None, revenue, stake, minutes, recent touch days), the account they are at now
    included. Moves are few: their people's rows are read and split here."""
    moves = AccountMove.select(
        AccountMove.client, AccountMove.moved_on, AccountMove.from_account
    ).order_by(AccountMove.client, AccountMove.moved_on)
    if some is not None:
        moves = moves.where(AccountMove.client.in_(some))
    spans: dict[int, list[tuple[date, int | None]]] = {}
    for client_id, moved_on, from_account in moves.tuples():
        spans.setdefault(client_id, []).append((_as_date(moved_on), from_account))
    if not spans:
        return {}
    ids = sorted(spans)
    now_at = dict(Client.select(Client.id, Client.account).where(Client.id.in_(ids)).tuples())
    window_start = as_of - timedelta(days=window_days)
    stake_start = as_of - timedelta(days=stake_days)
    recent_start = as_of - timedelta(days=recent_days)
    figures: dict[tuple[int, int | None], list] = {}

    def share(client_id: int, day: date) -> list:
        account = next(
            (left for moved_on, left in spans[client_id] if day < moved_on), now_at.get(client_id)
        )
        return figures.setdefault((client_id, account), [0, 0, 0, set()])

    deals = Deal.select(Deal.client, Deal.won_on, Deal.amount_cents).where(
        Deal.client.in_(ids)
        & (Deal.currency == currency)
        & (Deal.won_on <= as_of)
        & (Deal.won_on > min(window_start, stake_start))
    )
    for client_id, won_on, cents in deals.tuples():
        won_on = _as_date(won_on)
        kept = share(client_id, won_on)
        if won_on > window_start:
            kept[0] += cents
        if won_on > stake_start:
            kept[1] += cents
    touches = Interaction.select(
        Interaction.client, Interaction.day, Interaction.duration_min
    ).where(
        Interaction.client.in_(ids)
        & (Interaction.kind != Kind.NOTE.value)
        & (Interaction.day <= as_of)
        & (Interaction.day > min(window_start, recent_start))
    )
    for client_id, day, duration in touches.tuples():
        day = _as_date(day)
        kept = share(client_id, day)
        if day > window_start:
            kept[2] += duration
        if day > recent_start:
            kept[3].add(day)
    for client_id in ids:  # the account they are at now, even with nothing there yet
        figures.setdefault((client_id, now_at.get(client_id)), [0, 0, 0, set()])
    moved: dict[int, list[tuple]] = {}
    for (client_id, account), (revenue, stake, minutes, days) in sorted(
        figures.items(), key=lambda item: (item[0][0], item[0][1] or 0)
    ):
        moved.setdefault(client_id, []).append((account, revenue, stake, minutes, len(days)))
    return {client_id: tuple(shares) for client_id, shares in moved.items()}


def _of(query, client, some: list[int] | None):
    """The query narrowed to the clients in `some` (all when None)."""
    return query if some is None else query.where(client.in_(some))


def client_order() -> list[int]:
    """Every client's id, by name (the order of `HealthFacts.clients`)."""
    return [
        client_id
        for (client_id,) in _fetch(database_proxy, Client.select(Client.id).order_by(*BY_NAME))
    ]


def notes_changes() -> bool:
    """Whether the open book notes which clients each change was about (SQLite)."""
    return not is_postgres(database_proxy.obj)


def changed_since(changes: int) -> set[int] | None:
    """The clients changed after the revision's count `changes`, or None where the book
    does not note them (`storage.revision.changed_clients`)."""
    return changed_clients(database_proxy.obj, changes)


def _plain_rows(cursor, days: _Days) -> list[tuple]:
    """The client rows of `cursor` with dates for days and bools for flags, whichever
    database answered. Read a batch at a time, each made plain before the next: all at
    once, 50,000 rows' days as text took 34 MiB, which the process keeps once freed.
    Days, lifecycles and companies, repeated across clients, are kept once each."""
    shared: dict[str, str] = {}
    rows: list[tuple] = []
    while batch := cursor.fetchmany(_BATCH_ROWS):
        rows += _plain(batch, days, shared)
    return rows


def _each(cursor) -> Iterator[tuple]:
    """The rows of `cursor`, read a batch at a time."""
    while batch := cursor.fetchmany(_BATCH_ROWS):
        yield from batch


_BATCH_ROWS = 2000


def _plain(rows: list[tuple], days: _Days, shared: dict[str, str]) -> list[tuple]:
    """`rows` made plain, each replaced as it is made."""
    share = shared.setdefault
    for at, (
        client_id,
        name,
        company,
        lifecycle,
        archived,
        strategic,
        snoozed,
        keep,
        won,
        end,
        last,
        honeymoon_days,
        previous,
        first,
        account_id,
        roles,
    ) in enumerate(rows):
        rows[at] = (
            client_id,
            name,
            share(company, company),
            share(lifecycle, lifecycle),
            bool(archived),
            bool(strategic),
            days[snoozed],
            keep,
            days[won],
            days[end],
            days[last],
            honeymoon_days,
            days[previous],
            days[first],
            account_id,
            bool(roles) and _holds_key_role(roles),
        )
    return rows


def _holds_key_role(roles: str) -> bool:
    return any(role.value in roles.split(",") for role in KEY_ROLES)


def names_by_id(only: list[int] | None = None) -> dict[int, tuple[str, str]]:
    """Each client's (name, company) by id, of every client or of those in `only`. In no
    order: walking the name index costs four times as much on a big book."""
    if only is None:
        names = _fetch(database_proxy, Client.select(Client.id, Client.name, Client.company))
    elif not only:
        return {}
    else:  # SQL of its own: Peewee took 3 times as long to write 1,300 ids as SQLite to find them
        marks = ", ".join([database_proxy.param] * len(only))
        table = Client._meta.table_name
        names = database_proxy.execute_sql(
            f'SELECT "id", "name", "company" FROM "{table}" WHERE "id" IN ({marks})', list(only)
        ).fetchall()
    return {client_id: (name, company) for client_id, name, company in names}


def in_transaction() -> bool:
    """Whether a transaction is open: its rows may yet be rolled back."""
    return database_proxy.in_transaction()


def book_revision() -> Revision:
    """Which book is open and how many changes it has seen (`storage.revision`)."""
    return current(database_proxy)


def cache_identity(db=None) -> tuple[str, bool] | None:
    """What names the open book (or `db`) for a cache kept beside it: (a file's path, True)
    or (a server book's user, server and database, False); None for a book in memory."""
    db = database_proxy.obj if db is None else db  # the proxy itself is no PostgresqlDatabase
    path = getattr(db, "database", None)
    if not isinstance(path, str) or path in ("", ":memory:") or path.startswith("file:"):
        return None
    if is_postgres(db):  # who sees what can differ by role: theirs
        params = db.connect_params
        server = f"{params.get('user')}@{params.get('host')}:{params.get('port')}/{path}"
        return f"postgresql://{server}", False
    return path, True


def _as_date(value: object) -> date | None:
    """A day as the database returns it: a date (PostgreSQL) or ISO text (SQLite)."""
    if value.__class__ is str:
        return date.fromisoformat(value[:10])
    return value


class _Days(dict):
    """Days as the database returns them, each parsed once: 10,000 clients share a few
    hundred distinct days."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, value: object) -> date:
        day = self[value] = _as_date(value)
        return day


def _fetch(db, query) -> list[tuple]:
    return db.execute(query).fetchall()


def _client_query(as_of: date):
    """Every client with what its row keeps: the last touch and the honeymoon's touch days.

    Those two are kept on the row for every touch; for the few clients where
    the stored value may count touches after `as_of` a subquery recounts
    (CASE evaluates it only then), so a past `as_of` stays exact. When no touch
    is dated after `as_of` (the usual case: as of today) the stored values are
    exact as they are.
    """
    columns = (
        Client.id,
        Client.name,
        Client.company,
        Client.lifecycle,
        Client.archived,
        Client.strategic,
        Client.snoozed_until,
        Client.keep_in_touch_days,
        Client.won_on,
        Client.honeymoon_end,
    )
    touch = _TOUCH
    counted = (touch.client == Client.id) & (touch.kind != Kind.NOTE.value) & (touch.day <= as_of)
    latest = Interaction.select(fn.MAX(Interaction.day)).scalar()
    if latest is None or _as_date(latest) <= as_of:
        stored = (
            Client.last_touch_on,
            Client.honeymoon_touch_days,
            Client.previous_touch_on,
            Client.first_touch_since_won,
        )
        return Client.select(*columns, *stored, *_ACCOUNT_COLUMNS).order_by(*BY_NAME)
    kept_exact = (Client.last_touch_on.is_null()) | (Client.last_touch_on <= as_of)
    last_touch = Case(
        None,
        [(kept_exact, Client.last_touch_on)],
        touch.select(fn.MAX(touch.day)).where(counted),
    )
    honeymoon_days = Case(
        None,
        [
            (
                (Client.honeymoon_end.is_null()) | (Client.honeymoon_end <= as_of),
                Client.honeymoon_touch_days,
            )
        ],
        touch.select(fn.COUNT(touch.day.distinct())).where(
            counted & (touch.day >= Client.won_on) & (touch.day < Client.honeymoon_end)
        ),
    )
    before = _BEFORE
    previous_touch = Case(
        None,
        [(kept_exact, Client.previous_touch_on)],
        touch.select(fn.MAX(touch.day)).where(
            counted
            & (
                touch.day
                < before.select(fn.MAX(before.day)).where(
                    (before.client == Client.id)
                    & (before.kind != Kind.NOTE.value)
                    & (before.day <= as_of)
                )
            )
        ),
    )
    first_since_won = Case(
        None,
        [(kept_exact, Client.first_touch_since_won)],
        touch.select(fn.MIN(touch.day)).where(counted & (touch.day >= Client.won_on)),
    )
    return Client.select(
        *columns, last_touch, honeymoon_days, previous_touch, first_since_won, *_ACCOUNT_COLUMNS
    ).order_by(*BY_NAME)


_ACCOUNT_COLUMNS = (Client.account, Client.roles)


def _touches_between(after: date, until: date):
    return (
        (Interaction.kind != Kind.NOTE.value)
        & (Interaction.day > after)
        & (Interaction.day <= until)
    )


def _recent_query(as_of: date, recent_days: int):
    """Per client over the recent days: touch days, touches, and gives (SQLite only: a
    comparison is 0 or 1 there, summed as it is)."""
    return (
        Interaction.select(
            Interaction.client,
            fn.COUNT(Interaction.day.distinct()),
            fn.COUNT(SQL("*")),
            fn.SUM(Interaction.intent == Intent.RELATIONSHIP.value),
        )
        .where(_touches_between(as_of - timedelta(days=recent_days), as_of))
        .group_by(Interaction.client)
    )


def _minutes_query(as_of: date, window_days: int):
    """Per client: the minutes spent over the trailing window.

    A correlated subquery per client seeks its own touches in the (client, day)
    index; one GROUP BY over the window's rows would sort them all first, which
    takes longer once most touches fall in the window.
    """
    touch = _TOUCH
    window = (
        (touch.client == Client.id)
        & (touch.kind != Kind.NOTE.value)
        & (touch.day > as_of - timedelta(days=window_days))
        & (touch.day <= as_of)
    )
    # A client whose last touch came before the window has no minutes in it: not sought.
    # The clients are taken in id order (the unary + keeps SQLite off the last-touch index,
    # whose order would need a sort), so the seeks walk the touch index from one end to the
    # other instead of jumping about it: at 50,000 clients that takes half the time.
    last_touch = NodeList((SQL("+"), Client.last_touch_on), glue="")
    return (
        Client.select(Client.id, touch.select(fn.SUM(touch.duration_min)).where(window))
        .where(last_touch > as_of - timedelta(days=window_days))
        .order_by(Client.id)
    )


def _revenue_query(as_of: date, window_days: int, stake_days: int, currency: str):
    """Per client: revenue in cents over the trailing window, and over the stake's window,
    in the home currency (the longer window read, the shorter summed by a CASE)."""
    window = Deal.won_on > as_of - timedelta(days=window_days)
    stake = Deal.won_on > as_of - timedelta(days=stake_days)
    longer, shorter = (stake, window) if stake_days >= window_days else (window, stake)
    part = fn.SUM(Deal.amount_cents).filter(shorter)
    whole = fn.SUM(Deal.amount_cents)
    sums = (part, whole) if stake_days >= window_days else (whole, part)
    return (
        Deal.select(Deal.client, *sums)
        .where(longer & (Deal.won_on <= as_of) & (Deal.currency == currency))
        .group_by(Deal.client)
    )


def _activity_query(as_of: date, window_days: int, recent_days: int):
    """PostgreSQL: per client, the minutes over the trailing window and the recent
    touch days, touches and gives, in one GROUP BY over the (client, day, ...) covering
    index, which hands the touches over in client order (no sort, one pass).

    On PostgreSQL a correlated subquery per client (`_minutes_query`) costs an index
    descent for each of 100,000 clients, and `_recent_query` sorts its rows by client
    for the distinct days; this reads each touch of the window once instead.
    """
    recent_start = as_of - timedelta(days=recent_days)
    window_start = as_of - timedelta(days=window_days)
    recent = Interaction.day > recent_start
    return (
        Interaction.select(
            Interaction.client,
            fn.SUM(Interaction.duration_min).filter(Interaction.day > window_start),
            fn.COUNT(Interaction.day.distinct()).filter(recent),
            fn.COUNT(SQL("*")).filter(recent),
            fn.COUNT(SQL("*")).filter(recent & (Interaction.intent == Intent.RELATIONSHIP.value)),
        )
        .where(_touches_between(min(recent_start, window_start), as_of))
        .group_by(Interaction.client)
        .order_by(Interaction.client)
    )


def _referral_query(as_of: date):
    # The kind is a literal, not a parameter, so SQLite can use the partial index.
    return (
        Interaction.select(Interaction.client, fn.MAX(Interaction.day))
        .where((Interaction.kind == SQL("'referral-asked'")) & (Interaction.day <= as_of))
        .group_by(Interaction.client)
    )
