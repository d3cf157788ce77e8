"""The import ledger: every write of an import, recorded so that `cockpit import --undo`
can take it back exactly, and never clobber what was changed since.

An import (`ImportRun`) writes only through an `ImportWriter`, which keeps, in the same
transaction as the writes themselves:

- the clients it created (`ImportedClient`, `created`), each with a digest of its row as the
  import left it, and the clients that were there before and that it changed;
- the rows it added to a client's tables (touches, notes, deals, emails, phones, tags,
  profile answers of a client it created): their ids, given by the writer (`bulk.reserve_ids`),
  in runs of consecutive ids (`ImportedRows`), with a digest of each row as it went in;
- the values it changed in a client that was there before (`ImportChange`): the name,
  company and title, the lifecycle (a first won deal makes a prospect active), a profile
  field's rows; each before and after, as JSON.

A digest is 8 bytes of BLAKE2b over the row's values as Python reads them back (no
answer's text for a profile row, so no digest can confirm a guess at an answer that was
erased). An undo (`import_undo`) reads the rows again: a row whose digest differs was
edited since, a value that is no longer what the import wrote was changed since, a
created client with rows nobody imported was worked on since; those are not undone.

An import's ledger is its rep's: on a team book only they read it and undo it (a manager
reads it too), which the server enforces (`team.install_row_security`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter

from peewee import BooleanField, DateField, DateTimeField, Field, fn

from cockpit import clock
from cockpit.storage import bulk
from cockpit.storage.accounts import link_companies
from cockpit.storage.models import (
    Client,
    ClientEmail,
    ClientPhone,
    ClientTag,
    Deal,
    HeardFrom,
    ImportChange,
    ImportedClient,
    ImportedRows,
    ImportRun,
    ImportSource,
    Interaction,
    ProfileValue,
    ScheduledTouch,
    database_proxy,
)
from cockpit.storage.reps import current_rep, on_server
from cockpit.storage.summaries import batch_writes, id_chunks, summaries_changed
from cockpit.validation import (
    checked_emails,
    checked_phones,
    interaction_row,
    match_key,
    profile_rows,
    tag_rows,
)
from cockpit.vocabulary import Kind, Lifecycle

DIGEST_SIZE = 8  # bytes; 16 hex digits a row
RUN_LENGTH = 20_000  # ids recorded in one ImportedRows row at most
CHUNK = 25_000  # rows written at once (a progress bar moves between them)
CLIENT_IDS = 1024  # client ids drawn at once, at most
# The tables whose added rows are recorded, by table name.
ROW_TABLES = {
    model._meta.table_name: model
    for model in (
        Interaction,
        Deal,
        ClientEmail,
        ClientPhone,
        ProfileValue,
        ClientTag,
        ScheduledTouch,
        ImportSource,
        HeardFrom,
    )
}
# What names a client's changed columns in the ledger.
CLIENT_COLUMNS = "client"
LIFECYCLE = "lifecycle"
PROFILE = "profile:"
ROW = "row:"  # a row an earlier import added, changed or removed by this one: row:TABLE:ID
_PROFILE_TEXT = frozenset({"text", "date_year", "date_month", "date_day"})


# --- Digests ---------------------------------------------------------------------------------


# Columns added after the ledger: left out, so the digests of earlier imports still match
# their rows (a person's account and roles, and a deal's renewal, are no import's).
_LATER = {
    Client: frozenset({"account", "roles", "role_note"}),
    Deal: frozenset({"renews_on", "term_months"}),
}


def digest_fields(model) -> list[Field]:
    """The columns a row's digest covers: all but the id; a client's summaries are left
    out (every touch moves them), and a profile answer's text (see the module's note:
    an answer is known by its id, field, place and the moment it was written)."""
    fields = [
        field
        for field in model._meta.sorted_fields
        if field is not model._meta.primary_key and field.name not in _LATER.get(model, ())
    ]
    if model is Client:
        return [field for field in fields if field.name not in Client.SUMMARY_FIELDS]
    if model is ProfileValue:
        return [field for field in fields if field.name not in _PROFILE_TEXT]
    return fields


def digest(values: tuple) -> str:
    """The digest of a row's values (a tuple), in the order of `digest_fields`."""
    return hashlib.blake2b(repr(values).encode(), digest_size=DIGEST_SIZE).hexdigest()


def row_digest(model, row: dict) -> str:
    """The digest of a row about to be written (or just written) as a dict of its values,
    as `current_digests` will read it back."""
    return digest(tuple(row.get(field.name) for field in digest_fields(model)))


def current_digests(model, ids: Sequence[int]) -> dict[int, tuple[int, str]]:
    """The rows of `model` with these ids that are still there: id -> (client id, digest).
    Read without Peewee's conversions, which are slow for many rows: a day or a moment
    SQLite keeps as text is read back as `fromisoformat` reads it, the very value."""
    fields = digest_fields(model)
    readers = [_reader(field) for field in fields]
    at_client = [field.name for field in fields].index("client") if model is not Client else None
    found: dict[int, tuple[int, str]] = {}
    key = model._meta.primary_key
    for match in by_runs(model, sorted(ids)):
        for row_id, *stored in database_proxy.execute(model.select(key, *fields).where(match)):
            values = tuple(
                read(value) if read is not None and value is not None else value
                for read, value in zip(readers, stored, strict=True)
            )
            found[row_id] = (row_id if at_client is None else values[at_client], digest(values))
    return found


def _reader(field):
    """How a column's stored value reads back as the Python value it was written from."""
    if isinstance(field, DateTimeField):
        return _moment
    if isinstance(field, DateField):
        return _day
    if isinstance(field, BooleanField):
        return bool
    return None


def _moment(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _day(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def by_runs(model, ids: list[int]):
    """Conditions matching exactly these ids (sorted): a long run of consecutive ids (an
    import's rows mostly are) as a range, the others a few hundred at a time."""
    single: list[int] = []
    start = 0
    for index in range(1, len(ids) + 1):
        if index < len(ids) and ids[index] == ids[index - 1] + 1:
            continue
        if index - start >= 100:
            yield model._meta.primary_key.between(ids[start], ids[index - 1])
        else:
            single.extend(ids[start:index])
        start = index
    for chunk in id_chunks(single):
        yield model._meta.primary_key.in_(chunk)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=_moment_text)


def _moment_text(value):
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"no JSON for {value!r}")


def profile_field_rows(client_id: int, field_key: str) -> list[list]:
    """A client's stored rows of one profile field, as the ledger keeps them: row, column,
    text, year, month, day, when written (ISO), sensitive, and the row's id."""
    rows = (
        ProfileValue.select(
            ProfileValue.id,
            ProfileValue.row_no,
            ProfileValue.column_key,
            ProfileValue.text,
            ProfileValue.date_year,
            ProfileValue.date_month,
            ProfileValue.date_day,
            ProfileValue.updated_at,
            ProfileValue.sensitive,
        )
        .where((ProfileValue.client == client_id) & (ProfileValue.field_key == field_key))
        .order_by(ProfileValue.row_no, ProfileValue.column_key)
        .tuples()
    )
    kept = []
    for row_id, row_no, column, text, year, month, day, at, sensitive in rows:
        moment = _as_datetime(at).isoformat()
        kept.append([row_no, column, text, year, month, day, moment, bool(sensitive), row_id])
    return kept


def same_answers(stored: list[list], kept: list[list]) -> bool:
    """Whether two lists of a field's rows hold the same answers (when they were written
    aside: saving an unchanged answer again changes nothing)."""

    def answers(rows: list[list]) -> list[tuple]:
        return sorted((row[0], row[1], row[2]) for row in rows)

    return answers(stored) == answers(kept)


def _as_datetime(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


# --- Writing an import -------------------------------------------------------------------------


class ImportWriter:
    """The writes of one import, each recorded in the ledger (unless `recorded` is False:
    a merge that is no import of its own, as some tests make). Runs inside the caller's
    transaction; `finish` completes the ledger."""

    def __init__(self, sources: Sequence[str] = (), *, recorded: bool = True) -> None:
        self.moment = clock.now_utc()  # every row the import writes was made now
        self.owner = current_rep()  # new clients are the importing rep's
        self.run_id: int | None = None
        if recorded:
            self.run_id = ImportRun.create(
                owner=self.owner, started_at=self.moment, sources="\n".join(sources)
            ).id
        self._client_ids: list[int] = []  # drawn, not taken yet, the next last
        self._client_block = 1
        self.created: set[int] = set()
        self.changed: set[int] = set()  # clients there before, which the import changed
        self._changes: dict[tuple[int, str], list] = {}  # (client, what) -> [before, after, sens]
        self._added: dict[str, list[tuple[int, str]]] = {}  # table -> (id, digest)
        self._dropped: dict[str, set[int]] = {}  # table -> ids it added, then deleted itself
        self._high: dict[str, int] = {}  # table -> the highest id it took

    # Clients -------------------------------------------------------------------------------

    def next_client_id(self) -> int:
        """Take the id of the next client the import creates."""
        client_id = self.peek_client_id()
        self._client_ids.pop()
        return client_id

    def peek_client_id(self) -> int:
        """The id `next_client_id` gives next, not taken yet (a client is checked first).
        Ids are drawn a few at a time, more as more are needed (`bulk.reserve_ids`: on
        PostgreSQL from the table's sequence, which a rep may draw from)."""
        if not self._client_ids:
            self._client_block = min(2 * self._client_block, CLIENT_IDS)
            self._client_ids = self._reserve(Client, self._client_block)[::-1]
        return self._client_ids[-1]

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A savepoint: what fails in it leaves no trace, in the book or in the ledger."""
        changes = {key: list(value) for key, value in self._changes.items()}
        added = {table: len(rows) for table, rows in self._added.items()}
        dropped = {table: set(ids) for table, ids in self._dropped.items()}
        changed = set(self.changed)
        with database_proxy.atomic():
            try:
                yield
            except BaseException:
                self._changes = changes
                for table, rows in self._added.items():
                    del rows[added.get(table, 0) :]
                self._dropped = dropped
                self.changed = changed
                raise

    def add_new_clients(self, batch: Sequence[bulk.NewClientRows]) -> None:
        """Store new clients made with ids from `next_client_id`, and their rows."""
        if not batch:
            return
        bulk.insert_new_clients(batch, self.add_rows)
        self.created.update(new.client["id"] for new in batch)

    def set_client_columns(self, client_id: int, columns: dict[str, str]) -> None:
        """Set a client's name, company or title (checked already), with their match keys."""
        client = Client.get_by_id(client_id)
        before = {column: getattr(client, column) for column in columns}
        before["updated_at"] = client.updated_at
        for column, value in columns.items():
            setattr(client, column, value)
            if column in ("name", "company"):
                setattr(client, f"{column}_key", match_key(value))
        client.updated_at = self.moment
        client.save()
        if "company" in columns:
            link_companies([client_id])
        self._changed(client_id, CLIENT_COLUMNS, before, {**columns, "updated_at": self.moment})

    def _changed(self, client_id: int, what: str, before, after, sensitive: bool = False) -> None:
        """Note a change to a client that was there before the import (one it created is
        taken back whole); a second change of the same value keeps the first `before`."""
        if client_id in self.created:
            return
        self.changed.add(client_id)
        kept = self._changes.get((client_id, what))
        if kept is None:
            self._changes[(client_id, what)] = [before, after, sensitive]
        elif isinstance(before, dict):  # the columns: the first before of each, the last after
            kept[0] = {**before, **kept[0]}
            kept[1] = {**kept[1], **after}
        else:
            kept[1] = after
            kept[2] = kept[2] or sensitive

    # Rows ----------------------------------------------------------------------------------

    def add_rows(
        self, model, rows: list[dict], progress: Callable[[int], None] | None = None
    ) -> None:
        """Insert rows of one of the `ROW_TABLES`, with ids reserved for them, and record
        them; the client summaries are the caller's. `progress(rows)` hears of each
        CHUNK of them written."""
        if not rows:
            return
        for row, row_id in zip(rows, self._reserve(model, len(rows)), strict=True):
            row["id"] = row_id
        fields = digest_fields(model)
        defaults = bulk.defaults_of(fields, rows[0])
        names = [field.name for field in fields]
        added = self._added.setdefault(model._meta.table_name, [])
        clients = {row["client"] for row in rows}
        with bulk.changes_counted_per_client([model], clients, count=len(rows)):
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                bulk.insert_rows(model, chunk)
                if defaults:
                    values = [
                        tuple(r.get(name, defaults.get(name)) for name in names) for r in chunk
                    ]
                else:
                    values = list(map(itemgetter(*names), chunk))
                added.extend(zip([row["id"] for row in chunk], map(digest, values), strict=True))
                if progress is not None:
                    progress(len(chunk))
        self.changed.update(clients - self.created)

    def _reserve(self, model, count: int) -> list[int]:
        """Ids for new rows (`bulk.reserve_ids`), never one this import took before: on
        SQLite the largest id is taken again once its row is deleted (a profile field an
        import replaces in a client it created, a merge refused half-way)."""
        table = model._meta.table_name
        ids = bulk.reserve_ids(model, count)
        if ids and ids[0] <= self._high.get(table, 0):
            start = self._high[table] + 1
            ids = list(range(start, start + count))
        if ids:
            self._high[table] = max(ids[-1], self._high.get(table, 0))
        return ids

    def change_row(self, model, row_id: int, values: dict) -> None:
        """Change columns of a row of one of the `ROW_TABLES` that an earlier import added
        (a meeting whose event moved), keeping what they held for an undo."""
        names = list(values)
        found = (
            model.select(model.client, *[getattr(model, name) for name in names])
            .where(model._meta.primary_key == row_id)
            .tuples()
            .first()
        )
        if found is None:
            return
        client_id, *old = found
        before = {name: _plain(model, name, value) for name, value in zip(names, old, strict=True)}
        model.update(values).where(model._meta.primary_key == row_id).execute()
        after = {name: _plain(model, name, value) for name, value in values.items()}
        self._changed(client_id, f"{ROW}{model._meta.table_name}:{row_id}", before, after)

    def remove_row(self, model, row_id: int) -> None:
        """Delete a row of one of the `ROW_TABLES` that an earlier import added (a meeting
        whose event was cancelled since), keeping it whole for an undo."""
        fields = [model._meta.primary_key, *digest_fields(model)]
        found = model.select(*fields).where(model._meta.primary_key == row_id).tuples().first()
        if found is None:
            return
        row = {
            field.name: _plain(model, field.name, value)
            for field, value in zip(fields, found, strict=True)
        }
        model.delete().where(model._meta.primary_key == row_id).execute()
        self._changed(row["client"], f"{ROW}{model._meta.table_name}:{row_id}", row, None)

    def add_contacts(self, client_id: int, emails: Sequence[str], phones: Sequence[str]) -> None:
        """Add emails and phones after a client's existing ones (duplicates are the
        caller's), as `book.add_contacts` does."""
        email_list, phone_list = checked_emails(emails), checked_phones(phones)
        for model, values, row_of in (
            (ClientEmail, email_list, _email_row),
            (ClientPhone, phone_list, _phone_row),
        ):
            if not values:
                continue
            last = model.select(fn.MAX(model.position)).where(model.client == client_id).scalar()
            rows = [
                row_of(client_id, value, position)
                for position, value in enumerate(values, start=(last or 0) + 1)
            ]
            self.add_rows(model, rows)

    def add_tags(self, client_id: int, tags: Sequence[str]) -> None:
        """Add tags (checked, none the client has) to a client's."""
        self.add_rows(ClientTag, tag_rows(client_id, tags))

    def set_profile(self, client_id: int, answers: dict) -> None:
        """Replace the given profile fields of a client (as `book.set_profile`), keeping
        what they held for an undo."""
        rows = profile_rows(client_id, answers, self.moment)
        replaced = (ProfileValue.client == client_id) & ProfileValue.field_key.in_(list(answers))
        if client_id in self.created:  # its rows are the import's: taken back with it
            gone = [
                row_id
                for (row_id,) in ProfileValue.select(ProfileValue.id).where(replaced).tuples()
            ]
            ProfileValue.delete().where(replaced).execute()
            self._dropped.setdefault(ProfileValue._meta.table_name, set()).update(gone)
            self.add_rows(ProfileValue, rows)
            return
        before = {key: profile_field_rows(client_id, key) for key in answers}
        ProfileValue.delete().where(replaced).execute()
        bulk.insert_rows(ProfileValue, rows)
        for key in answers:
            after = [_kept_answer(row) for row in rows if row["field_key"] == key]
            sensitive = any(row[7] for row in before[key] + after)
            self._changed(client_id, PROFILE + key, before[key], after, sensitive)

    def add_note(self, client_id: int, summary: str, won_on) -> None:
        """An internal note on a client's timeline; `won_on` as `interaction_row` takes it."""
        row = interaction_row(
            client_id, Kind.NOTE, summary=summary, won_on=won_on, created_at=self.moment
        )
        with batch_writes():
            self.add_rows(Interaction, [row])
            summaries_changed(client_id, deals=False)

    def add_history(
        self,
        interactions: list[dict],
        deals: list[dict],
        progress: Callable[[float], None] | None = None,
    ) -> None:
        """Touches and deals (rows made by `interaction_row` and `deal_row`); a prospect's
        first won deal makes it an active client, as `book.insert_many` does.
        `progress(fraction)` hears how far the writing is."""
        total, done = max(1, len(interactions) + len(deals)), 0

        def written(rows: int) -> None:
            nonlocal done
            done += rows
            if progress is not None:
                progress(done / total)

        with batch_writes():
            self._activate_prospects({row["client"] for row in deals})
            self.add_rows(Interaction, interactions, written)
            self.add_rows(Deal, deals, written)
            for client_id in {row["client"] for row in (*interactions, *deals)}:
                summaries_changed(client_id, deals=True)

    def _activate_prospects(self, client_ids: set[int]) -> None:
        for chunk in id_chunks(sorted(client_ids)):
            has_a_deal = Deal.select(Deal.id).where(Deal.client == Client.id)
            prospects = Client.select(Client.id, Client.updated_at).where(
                Client.id.in_(chunk)
                & (Client.lifecycle == Lifecycle.PROSPECT.value)
                & ~fn.EXISTS(has_a_deal)
            )
            found = list(prospects.tuples())
            if not found:
                continue
            Client.update(lifecycle=Lifecycle.ACTIVE.value, updated_at=self.moment).where(
                Client.id.in_([client_id for client_id, _ in found])
            ).execute()
            for client_id, updated_at in found:
                self._changed(
                    client_id,
                    LIFECYCLE,
                    {"lifecycle": Lifecycle.PROSPECT.value, "updated_at": updated_at},
                    {"lifecycle": Lifecycle.ACTIVE.value, "updated_at": self.moment},
                )

    # The end -------------------------------------------------------------------------------

    def finish(self, files: int, summary: str) -> int | None:
        """Complete the ledger: the clients, rows and changes, and the grand total; returns
        the import's id (None when not recorded)."""
        if self.run_id is None:
            return None
        run = self.run_id
        clients = [
            {"run": run, "client": client_id, "created": True, "digest": found}
            for client_id, (_, found) in sorted(current_digests(Client, self.created).items())
        ]
        clients += [
            {"run": run, "client": client_id, "created": False, "digest": ""}
            for client_id in sorted(self.changed - self.created)
        ]
        bulk.insert_rows(ImportedClient, clients)
        bulk.insert_rows(ImportedRows, list(self._row_runs(run)))
        bulk.insert_rows(
            ImportChange,
            [
                {
                    "run": run,
                    "client": client_id,
                    "what": what,
                    "before": _json(before),
                    "after": _json(after),
                    "sensitive": sensitive,
                }
                for (client_id, what), (before, after, sensitive) in sorted(self._changes.items())
            ],
        )
        ImportRun.update(finished_at=clock.now_utc(), files=files, summary=summary).where(
            ImportRun.id == run
        ).execute()
        return run

    def _row_runs(self, run: int) -> Iterator[dict]:
        """The rows added, table by table, in runs of consecutive ids."""
        for table, rows in sorted(self._added.items()):
            dropped = self._dropped.get(table, set())
            added = sorted(dict(row for row in rows if row[0] not in dropped).items())
            start = 0
            for index in range(1, len(added) + 1):
                if (
                    index == len(added)
                    or added[index][0] != added[index - 1][0] + 1
                    or index - start >= RUN_LENGTH
                ):
                    chunk = added[start:index]
                    yield {
                        "run": run,
                        "table_name": table,
                        "first_id": chunk[0][0],
                        "last_id": chunk[-1][0],
                        "digests": "".join(found for _, found in chunk),
                    }
                    start = index


def _plain(model, name: str, value):
    """A column's value as Python reads it back (a day or a moment SQLite keeps as text),
    for the ledger's JSON."""
    field = model._meta.fields[name]
    read = _reader(field)
    value = read(value) if read is not None and value is not None else value
    return value.isoformat() if isinstance(value, date) else value


def row_values(model, kept: dict) -> dict:
    """A row's values as `change_row` or `remove_row` kept them in the ledger's JSON, as
    Python values to write back."""
    values = {}
    for name, value in kept.items():
        field = model._meta.fields[name]
        if value is not None and isinstance(field, DateTimeField):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(field, DateField):
            value = date.fromisoformat(value)
        values[name] = value
    return values


def _kept_answer(row: dict) -> list:
    """A profile row about to be stored, as `profile_field_rows` reads it back (its id
    not known yet)."""
    return [
        row["row_no"],
        row["column_key"],
        row["text"],
        row["date_year"],
        row["date_month"],
        row["date_day"],
        row["updated_at"].isoformat(),
        bool(row["sensitive"]),
        None,
    ]


def _email_row(client_id: int, address: str, position: int) -> dict:
    return {
        "client": client_id,
        "address": address,
        "address_key": match_key(address),
        "position": position,
    }


def _phone_row(client_id: int, number: str, position: int) -> dict:
    return {"client": client_id, "number": number, "position": position}


# --- Reading the ledger ------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportEntry:
    """One import as `cockpit import --list` shows it."""

    id: int
    owner: str
    started_at: datetime  # UTC, naive
    sources: list[str]
    files: int
    summary: str
    undone_at: datetime | None
    undo_summary: str
    finished: bool


def _entry(run: ImportRun) -> ImportEntry:
    return ImportEntry(
        id=run.id,
        owner=run.owner,
        started_at=run.started_at,
        sources=[line for line in run.sources.splitlines() if line],
        files=run.files,
        summary=run.summary,
        undone_at=run.undone_at,
        undo_summary=run.undo_summary,
        finished=run.finished_at is not None,
    )


def _mine():
    """The imports of the user: on a team book their own (the server shows a manager the
    others' too); a SQLite book is one person's, whatever `rep` said then."""
    if on_server():
        return ImportRun.owner == current_rep()
    return True


def imports() -> list[ImportEntry]:
    """The user's imports, the latest first."""
    query = ImportRun.select().where(_mine()).order_by(ImportRun.id.desc())
    return [_entry(run) for run in query]


def import_entry(import_id: int) -> ImportEntry | None:
    run = ImportRun.get_or_none((ImportRun.id == import_id) & _mine())
    return _entry(run) if run is not None else None


def latest_import() -> ImportEntry | None:
    """The user's latest import, undone or not."""
    run = ImportRun.select().where(_mine()).order_by(ImportRun.id.desc()).first()
    return _entry(run) if run is not None else None


def forget_profile_copies(client_id: int) -> None:
    """Erase the profile answers the ledger keeps of a client whose answers were erased
    (`cockpit forget --profile`): an undo could otherwise put them back, and the book
    would still hold them. On a team book the server does it, whoever's import it was."""
    if on_server():
        from cockpit.storage.revision import quoted_schema

        schema = quoted_schema(database_proxy.obj)
        database_proxy.execute_sql(f"SELECT {schema}.cockpit_forget_in_imports(%s)", (client_id,))
        return
    ImportChange.delete().where(
        (ImportChange.client == client_id) & ImportChange.what.startswith(PROFILE)
    ).execute()
