"""Taking an import back (`cockpit import --undo [ID]`) from its ledger (`import_ledger`).

An undo removes the clients the import created, with everything of theirs, and the rows it
added to clients that were there before; it puts back the values it changed in those
clients (name, company, title, lifecycle, profile answers). It looks first, and never
clobbers what was changed since:

- a client the import created that was edited since, or has a touch, deal, email, plan...
  nobody imported, or one of whose imported rows was edited;
- a row the import added to a client that was there before, edited since;
- a value the import changed that holds something else now;

are "changed since". With any of them the undo is refused and changes nothing, naming
them (and the later imports that changed them: undo those first); `keep_changed` undoes
the rest and keeps them. What was removed since by someone else is simply gone. An import
is undone once; its ledger says when and what the undo did.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from cockpit import clock
from cockpit.errors import CockpitError, UsageError
from cockpit.storage import import_ledger
from cockpit.storage.accounts import link_companies, prune_accounts
from cockpit.storage.bulk import changes_counted_per_client
from cockpit.storage.import_ledger import (
    CLIENT_COLUMNS,
    LIFECYCLE,
    PROFILE,
    ROW,
    ROW_TABLES,
    ImportEntry,
    by_runs,
    current_digests,
    profile_field_rows,
    row_values,
    same_answers,
)
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
    PlannedCommunication,
    ProfileValue,
    ScheduledTouch,
    database_proxy,
)
from cockpit.storage.reps import on_server
from cockpit.storage.summaries import id_chunks, refresh_summaries
from cockpit.text import counted
from cockpit.validation import match_key
from cockpit.vocabulary import Kind

# A client's tables, for what was added to a created client since: model -> what it holds.
CLIENT_TABLES = (
    (Interaction, "touch or note", "touches or notes"),
    (Deal, "deal", "deals"),
    (ClientEmail, "email", "emails"),
    (ClientPhone, "phone number", "phone numbers"),
    (ClientTag, "tag", "tags"),
    (ProfileValue, "profile answer", "profile answers"),
    (PlannedCommunication, "planned communication", "planned communications"),
    (ScheduledTouch, "scheduled touch", "scheduled touches"),
    (HeardFrom, "heard-from line", "heard-from lines"),
)
SOURCES = ImportSource._meta.table_name
_NOUNS = {model._meta.table_name: (one, many) for model, one, many in CLIENT_TABLES} | {
    SOURCES: ("record of an imported event or message", "records of imported events or messages")
}
_COLUMN_WORDS = {"name": "name", "company": "company", "title": "title"}


@dataclass(frozen=True)
class ChangedSince:
    """A client of the import changed since, and how: it is kept as it is."""

    client_id: int
    name: str
    reasons: list[str]
    later_imports: list[int]  # imports after this one that changed the client too

    def line(self) -> str:
        later = ""
        if self.later_imports:
            listed = ", ".join(f"#{number}" for number in self.later_imports)
            which = "import" if len(self.later_imports) == 1 else "imports"
            later = f" (the later {which} {listed} changed it too: undo {listed} first)"
        return f"{self.name} (#{self.client_id}): {'; '.join(self.reasons)}{later}"


@dataclass
class UndoReport:
    """What an undo did (or, refused or dry, would do)."""

    entry: ImportEntry
    removed: dict[str, int] = field(default_factory=dict)  # what -> how many
    restored_values: int = 0
    restored_clients: int = 0
    kept: list[ChangedSince] = field(default_factory=list)
    gone: int = 0  # rows the import added that were removed since
    dry_run: bool = False

    def summary(self) -> str:
        """One line: what was removed, put back and kept."""
        verb, would = ("Would undo", "would ") if self.dry_run else ("Undid", "")
        removed = _listed(
            [counted(count, _ONE[what], what) for what, count in self.removed.items() if count]
        )
        parts = [f"{would}remove {removed}" if self.dry_run else f"removed {removed}"]
        if self.restored_values:
            values = "value" if self.restored_values == 1 else "values"
            clients = "client" if self.restored_clients == 1 else "clients"
            put = "would put back" if self.dry_run else "put back"
            parts.append(
                f"{put} {self.restored_values} changed {values} of "
                f"{self.restored_clients} {clients}"
            )
        if self.kept:
            clients = "client" if len(self.kept) == 1 else "clients"
            keep = "would keep" if self.dry_run else "kept"
            parts.append(f"{keep} {len(self.kept)} {clients} changed since, as they are")
        if self.gone:
            rows = "row" if self.gone == 1 else "rows"
            parts.append(f"{self.gone} {rows} it added had been removed since")
        return f"{verb} import #{self.entry.id}: {'; '.join(parts)}."


def _listed(items: list[str]) -> str:
    if len(items) < 2:
        return items[0] if items else "nothing"
    return f"{', '.join(items[:-1])} and {items[-1]}"


class UndoRefused(CockpitError):
    """An undo that would clobber what was changed since: nothing was changed."""

    def __init__(self, entry: ImportEntry, changed: list[ChangedSince]) -> None:
        clients = "client was" if len(changed) == 1 else "clients were"
        super().__init__(
            f"import #{entry.id} was not undone: {len(changed)} of its {clients} changed "
            "since, and undoing it would lose that; nothing was changed. Undo the later "
            "imports first, or undo the rest and keep these as they are (--keep-changed)"
        )
        self.entry = entry
        self.changed = changed


class _DryRun(Exception):
    """Raised to roll a dry run back."""


def undo_import(
    import_id: int | None = None, *, keep_changed: bool = False, dry_run: bool = False
) -> UndoReport:
    """Take back the import `import_id` (None: the user's latest) in one transaction.

    Raises UsageError when there is no such import of the user's or it was undone already,
    and UndoRefused when something it did was changed since (unless `keep_changed`).
    """
    report: UndoReport | None = None
    try:
        with database_proxy.atomic():
            entry = _the_import(import_id)
            plan = _Plan(entry)
            if plan.changed and not keep_changed:
                raise UndoRefused(entry, plan.changed)
            report = plan.carry_out()
            report.dry_run = dry_run
            ImportRun.update(undone_at=clock.now_utc(), undo_summary=report.summary()).where(
                ImportRun.id == entry.id
            ).execute()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    assert report is not None
    return report


def _the_import(import_id: int | None) -> ImportEntry:
    whose = " of yours" if on_server() else ""
    if import_id is None:
        entry = import_ledger.latest_import()
        if entry is None:
            raise UsageError(f"there is no import{whose} to undo")
        if entry.undone_at is not None:
            raise UsageError(
                f"the latest import, #{entry.id}, was undone already ({_when(entry.undone_at)}); "
                "name an earlier one with --undo ID ('cockpit import --list' lists them)"
            )
        return entry
    entry = import_ledger.import_entry(import_id)
    if entry is None:
        raise UsageError(
            f"there is no import #{import_id}{whose} ('cockpit import --list' lists them)"
        )
    if entry.undone_at is not None:
        raise UsageError(f"import #{import_id} was undone already ({_when(entry.undone_at)})")
    return entry


def _when(moment: datetime) -> str:
    return clock.to_local(moment).strftime("%Y-%m-%d %H:%M")


class _Plan:
    """What undoing an import would do, read before anything changes."""

    def __init__(self, entry: ImportEntry) -> None:
        self.entry = entry
        run = entry.id
        existing: set[int] = set()  # clients there before, which the import changed
        created: dict[int, str] = {}
        for client_id, is_created, digest in (
            ImportedClient.select(
                ImportedClient.client, ImportedClient.created, ImportedClient.digest
            )
            .where(ImportedClient.run == run)
            .tuples()
        ):
            if is_created:
                created[client_id] = digest
            else:
                existing.add(client_id)
        now = current_digests(Client, list(created))
        self.created = set(now)  # the clients it created that are still there
        self.reasons: dict[int, list[str]] = defaultdict(list)
        for client_id, (_, digest) in now.items():
            if digest != created[client_id]:
                self.reasons[client_id].append("its details were edited since")
        self._read_rows(run)
        self._extra_rows()
        self._read_changes(run)
        self._others_clients(set(created) | existing)
        self.changed = self._changed_since()

    # Reading -------------------------------------------------------------------------------

    def _read_rows(self, run: int) -> None:
        """The rows the import added, still as it added them (`self.rows`: table -> ids,
        with their clients), edited since, or gone."""
        self.rows: dict[str, dict[int, int]] = defaultdict(dict)  # table -> id -> client
        self.imported: dict[str, set[int]] = defaultdict(set)  # table -> every id it added
        self.edited: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.gone = 0
        wanted: dict[str, dict[int, str]] = defaultdict(dict)
        for table, first, last, digests in ImportedRows.select(
            ImportedRows.table_name, ImportedRows.first_id, ImportedRows.last_id,
            ImportedRows.digests,
        ).where(ImportedRows.run == run).tuples():  # fmt: skip
            size = import_ledger.DIGEST_SIZE * 2
            for offset, row_id in enumerate(range(first, last + 1)):
                wanted[table][row_id] = digests[offset * size : (offset + 1) * size]
        for table, digests in wanted.items():
            self.imported[table] = set(digests)
            now = current_digests(ROW_TABLES[table], list(digests))
            self.gone += len(digests) - len(now)
            for row_id, (client_id, digest) in now.items():
                if digest == digests[row_id]:
                    self.rows[table][row_id] = client_id
                else:
                    self.edited[client_id][table] += 1

    def _extra_rows(self) -> None:
        """Rows of the clients it created that no import of its added: work done since."""
        if not self.created:
            return
        for model, one, many in CLIENT_TABLES:
            table = model._meta.table_name
            ours = self.imported.get(table, set())
            extra: dict[int, int] = defaultdict(int)
            for chunk in id_chunks(sorted(self.created)):
                for row_id, client_id in (
                    model.select(model.id, model.client).where(model.client.in_(chunk)).tuples()
                ):
                    if row_id not in ours:
                        extra[client_id] += 1
            for client_id, count in extra.items():
                what = one if count == 1 else many
                verb = "was" if count == 1 else "were"
                self.reasons[client_id].append(f"{count} {what} {verb} added since")

    def _read_changes(self, run: int) -> None:
        """The values it changed in clients that were there before: put back, or changed
        since (`self.reasons`)."""
        self.restores: list[tuple[int, str, object, object]] = []  # (client, what, before, after)
        self.lifecycles: list[tuple[int, dict, dict]] = []
        for client_id, what, before, after in (
            ImportChange.select(
                ImportChange.client, ImportChange.what, ImportChange.before, ImportChange.after
            )
            .where(ImportChange.run == run)
            .tuples()
        ):
            if client_id in self.created:
                continue  # taken back whole
            before, after = json.loads(before), json.loads(after)
            client = Client.get_or_none(Client.id == client_id)
            if client is None:
                continue
            if what == CLIENT_COLUMNS:
                columns = [column for column in after if column != "updated_at"]
                differ = [column for column in columns if getattr(client, column) != after[column]]
                if differ:
                    words = _listed([f"the {_COLUMN_WORDS.get(c, c)}" for c in differ])
                    self.reasons[client_id].append(f"{words} this import set changed since")
                else:
                    self.restores.append((client_id, what, before, after))
            elif what == LIFECYCLE:
                if client.lifecycle == after["lifecycle"]:
                    self.lifecycles.append((client_id, before, after))
                else:
                    self.reasons[client_id].append("the lifecycle this import set changed since")
            elif what.startswith(ROW):
                self._read_row_change(client_id, what, before, after)
            elif what.startswith(PROFILE):
                key = what.removeprefix(PROFILE)
                if same_answers(profile_field_rows(client_id, key), after):
                    self.restores.append((client_id, what, before, after))
                else:
                    label = key.replace("_", " ")
                    self.reasons[client_id].append(
                        f"the profile's {label}, which this import set, changed since"
                    )

    def _read_row_change(self, client_id: int, what: str, before, after) -> None:
        """A row an earlier import added that this one changed (`after`: its new values) or
        removed (`after` None): put back unless it was changed (or put back) since."""
        table, row_id = what.removeprefix(ROW).rsplit(":", 1)
        model = ROW_TABLES[table]
        row = model.get_or_none(model._meta.primary_key == int(row_id))
        one = _NOUNS[table][0]
        if after is None:
            if row is None:
                self.restores.append((client_id, what, before, after))
            else:
                self.reasons[client_id].append(f"a {one} this import removed is back since")
            return
        if row is not None and all(
            getattr(row, name) == value
            for name, value in row_values(model, after).items()
            if name != "client"
        ):
            self.restores.append((client_id, what, before, after))
        else:
            self.reasons[client_id].append(f"a {one} this import changed was changed since")

    def _others_clients(self, client_ids: set[int]) -> None:
        """On a team book, a rep's import of clients handed to another rep since: the
        server would let the undo change nothing of theirs."""
        if not on_server() or not client_ids:
            return
        from cockpit.storage.reps import current_rep
        from cockpit.storage.team import Powers, powers

        if powers(database_proxy.obj) is not Powers.REP:
            return
        me = current_rep()
        for chunk in id_chunks(sorted(client_ids)):
            for client_id, owner in (
                Client.select(Client.id, Client.owner).where(Client.id.in_(chunk)).tuples()
            ):
                if owner != me:
                    whose = f"{owner}'s" if owner else "nobody's"
                    self.reasons[client_id].append(
                        f"it is {whose} client now: only they or a manager may change it"
                    )

    def _changed_since(self) -> list[ChangedSince]:
        for client_id, tables in self.edited.items():
            for table, count in tables.items():
                if table == SOURCES:  # a later import's: the row it is about says so
                    continue
                one, many = _NOUNS[table]
                what = f"a {one}" if count == 1 else f"{count} {many}"
                self.reasons[client_id].append(f"{what} this import added edited since")
        if not self.reasons:
            return []
        ids = sorted(self.reasons)
        names: dict[int, str] = {}
        later: dict[int, set[int]] = defaultdict(set)
        for chunk in id_chunks(ids):
            names.update(Client.select(Client.id, Client.name).where(Client.id.in_(chunk)).tuples())
            query = (
                ImportedClient.select(ImportedClient.client, ImportedClient.run)
                .join(ImportRun)
                .where(
                    ImportedClient.client.in_(chunk)
                    & (ImportRun.id > self.entry.id)
                    & ImportRun.undone_at.is_null()
                )
            )
            for client_id, run in query.tuples():
                later[client_id].add(run)
        return [
            ChangedSince(
                client_id,
                names.get(client_id, "?"),
                self.reasons[client_id],
                sorted(later[client_id]),
            )
            for client_id in ids
        ]

    # Doing ---------------------------------------------------------------------------------

    def carry_out(self) -> UndoReport:
        kept = {changed.client_id for changed in self.changed}
        report = UndoReport(self.entry, kept=self.changed, gone=self.gone)
        restored: set[int] = set()
        for client_id, what, before, after in self.restores:
            if client_id in kept:
                continue
            _put_back(client_id, what, before, after)
            report.restored_values += 1
            restored.add(client_id)
        removed_clients = sorted(self.created - kept)
        counts: dict[str, int] = defaultdict(int)
        touched: set[int] = set()
        doomed: dict[str, list[int]] = {}
        for table, rows in self.rows.items():
            doomed[table] = sorted(row_id for row_id, client in rows.items() if client not in kept)
            touched.update(client for client in rows.values() if client not in kept)
            if ROW_TABLES[table] is Interaction:
                notes = _count_notes(doomed[table])
                counts["notes"] += notes
                counts["touches"] += len(doomed[table]) - notes
            elif table != SOURCES:  # where the rows came from: no one's to count
                counts[_NOUNS[table][1]] += len(doomed[table])
        with changes_counted_per_client(
            [ROW_TABLES[table] for table in doomed],
            touched - set(removed_clients),  # those removed are counted as they go
            count=sum(len(ids) for ids in doomed.values()),
            event="DELETE",
        ):
            for table, ids in doomed.items():
                model = ROW_TABLES[table]
                for match in by_runs(model, ids):
                    model.delete().where(match).execute()
            left: set[int] = set()
            for chunk in id_chunks(removed_clients):
                left.update(
                    account
                    for (account,) in Client.select(Client.account)
                    .where(Client.id.in_(chunk) & Client.account.is_null(False))
                    .tuples()
                )
                Client.delete().where(Client.id.in_(chunk)).execute()  # the rest cascades
        prune_accounts(left)
        _forget_in_reviews(removed_clients)
        for client_id, before, after in self.lifecycles:
            if client_id in kept:
                continue
            if not Deal.select().where(Deal.client == client_id).exists():
                _put_back(client_id, LIFECYCLE, before, after)
                report.restored_values += 1
                restored.add(client_id)
        existing = (touched | restored) - set(removed_clients)
        if existing:
            refresh_summaries(existing)
        report.removed = {
            "clients": len(removed_clients),
            **{what: counts[what] for what in _ORDER if counts.get(what)},
        }
        report.restored_clients = len(restored)
        return report


_ORDER = (
    "touches",
    "notes",
    "deals",
    "emails",
    "phone numbers",
    "tags",
    "profile answers",
    "scheduled touches",
    "heard-from lines",
)
_ONE = (
    {"clients": "client", "touches": "touch"}
    | {what: what[:-1] for what in _ORDER[1:]}
    | {"scheduled touches": "scheduled touch", "heard-from lines": "heard-from line"}
)


def _count_notes(ids: list[int]) -> int:
    notes = 0
    for match in by_runs(Interaction, ids):
        notes += Interaction.select().where(match & (Interaction.kind == Kind.NOTE.value)).count()
    return notes


def _put_back(client_id: int, what: str, before, after) -> None:
    """A value as it was before the import changed it; the client's "updated" moment too,
    unless the client was changed since (then that moment is the later change's)."""
    if what.startswith(ROW):
        table, row_id = what.removeprefix(ROW).rsplit(":", 1)
        model = ROW_TABLES[table]
        values = row_values(model, before)
        if after is None:  # removed: back under its own id, else a new one
            taken = model.get_or_none(model._meta.primary_key == values["id"]) is not None
            if taken:
                del values["id"]
            model.insert(values).execute()
        else:
            model.update(values).where(model._meta.primary_key == int(row_id)).execute()
        return
    if what.startswith(PROFILE):
        key = what.removeprefix(PROFILE)
        ProfileValue.delete().where(
            (ProfileValue.client == client_id) & (ProfileValue.field_key == key)
        ).execute()
        rows = [
            {
                "client": client_id,
                "field_key": key,
                "row_no": row_no,
                "column_key": column,
                "text": text,
                "date_year": year,
                "date_month": month,
                "date_day": day,
                "updated_at": datetime.fromisoformat(at),
                "sensitive": sensitive,
                "id": row_id,
            }
            for row_no, column, text, year, month, day, at, sensitive, row_id in before
        ]
        # Under their own ids where these are free (a SQLite book may have given one again).
        taken = {
            row_id
            for (row_id,) in ProfileValue.select(ProfileValue.id)
            .where(ProfileValue.id.in_([row["id"] for row in rows]))
            .tuples()
        }
        for row in rows:
            if row["id"] in taken:
                del row["id"]
        for row in rows:
            ProfileValue.insert(row).execute()
        return
    client = Client.get_by_id(client_id)
    for column, value in before.items():
        if column == "updated_at":
            continue
        setattr(client, column, value)
        if column in ("name", "company"):
            setattr(client, f"{column}_key", match_key(value))
    if client.updated_at == datetime.fromisoformat(after["updated_at"]):
        client.updated_at = datetime.fromisoformat(before["updated_at"])
    left = client.account_id
    client.save()
    if "company" in before:
        link_companies([client_id])
        prune_accounts([left])


def _forget_in_reviews(client_ids: Iterable[int]) -> None:
    """Take the clients just deleted out of the stored review agendas, as deleting a client
    does (`reviews.forget_client`), for those the agendas name."""
    ids = set(client_ids)
    if not ids:
        return
    from cockpit.storage import reviews

    for client_id in sorted(_in_reviews(ids)):
        reviews.forget_client(client_id)


def _in_reviews(ids: set[int]) -> set[int]:
    """Which of these clients a stored review agenda names."""
    if on_server():
        from cockpit.storage.revision import quoted_schema

        schema = quoted_schema(database_proxy.obj)
        found: set[int] = set()
        for chunk in id_chunks(sorted(ids)):
            (named,) = database_proxy.execute_sql(
                f"SELECT {schema}.cockpit_gone_in_reviews(%s::bigint[])", (chunk,)
            ).fetchone()
            found.update(named or [])
        return found
    from cockpit.storage.models import Review

    named: set[int] = set()
    for (agenda,) in Review.select(Review.agenda).tuples():
        try:
            data = json.loads(agenda)
            named.update(item["client_id"] for part in data["parts"] for item in part["items"])
        except (ValueError, TypeError, KeyError, AttributeError):
            continue  # not an agenda Cockpit wrote: nothing of ours in it
    return named & ids
