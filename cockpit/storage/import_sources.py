"""Where imported rows came from (`import_source`, schema 14): a calendar event's occurrence
behind a touch or a scheduled touch, the messages behind an email touch or a heard-from
line (schema 15), so that importing the same calendar or mailbox again finds them.

An importer that knows its sources by a key (`importers/calendar_keys.py` makes them for
calendars; `importers/mail/keys.py` keys messages by Message-ID) writes through these functions and
an `ImportWriter`, so the ledger records every row added, changed or removed and
`cockpit import --undo` takes it back:

- `add_rows_from`: new touches or scheduled touches, each with its source;
- `sources_of`: what the book holds for some keys, each row as it is now, and whether the
  user edited it since an import last wrote it (its digest differs);
- `rewrite`: an unedited row moved to its source's new values (a meeting moved);
- `drop`: an unedited row whose source is gone (a meeting cancelled since), with its key;
- `add_keys`: more keys for a row written before (a day's email touch is its messages');
- `imported_days`: the email touches or heard-from lines of some clients, by day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from cockpit.storage.import_ledger import (
    ImportWriter,
    current_digests,
    row_digest,
)
from cockpit.storage.models import HeardFrom, ImportSource, Interaction, ScheduledTouch
from cockpit.storage.summaries import batch_writes, summaries_changed

TOUCH = Interaction._meta.table_name
PROMISE = ScheduledTouch._meta.table_name  # a scheduled touch: the next meeting, promised
HEARD = HeardFrom._meta.table_name  # a client wrote to you (imported mail)
_MODELS = {TOUCH: Interaction, PROMISE: ScheduledTouch, HEARD: HeardFrom}
CHUNK = 500  # keys in one query


@dataclass(frozen=True)
class Source:
    """A row an import wrote from a source, as the book holds it now."""

    id: int  # of the import_source row
    key: str
    client_id: int
    table: str  # TOUCH, PROMISE or HEARD
    row_id: int
    exists: bool  # the row is still there (the user may have deleted it)
    edited: bool  # its digest is not the one the import wrote: the user changed it
    day: date | None  # a touch's day or a promise's due day
    occurred_at: datetime | None  # a touch's moment (UTC)
    duration_min: int | None
    summary: str


def sources_of(keys: Iterable[str]) -> dict[tuple[str, int, str], Source]:
    """What the book holds for these keys: (key, client id, table) -> its Source."""
    found: dict[tuple[str, int, str], Source] = {}
    rows: list[tuple] = []
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows.extend(
            ImportSource.select(
                ImportSource.id,
                ImportSource.source_key,
                ImportSource.client,
                ImportSource.table_name,
                ImportSource.row_id,
                ImportSource.digest,
            )
            .where(ImportSource.source_key.in_(chunk))
            .tuples()
        )
    for table, model in _MODELS.items():
        ids = [row[4] for row in rows if row[3] == table]
        if not ids:
            continue
        digests = current_digests(model, ids)
        values = _values(table, ids)
        for source_id, key, client_id, _, row_id, kept in (row for row in rows if row[3] == table):
            now = digests.get(row_id)
            day, moment, minutes, summary = values.get(row_id, (None, None, None, ""))
            found[(key, client_id, table)] = Source(
                source_id,
                key,
                client_id,
                table,
                row_id,
                exists=now is not None,
                edited=now is not None and now[1] != kept,
                day=day,
                occurred_at=moment,
                duration_min=minutes,
                summary=summary,
            )
    return found


def _values(table: str, ids: list[int]) -> dict[int, tuple]:
    found: dict[int, tuple] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        if table == TOUCH:
            query = Interaction.select(
                Interaction.id,
                Interaction.day,
                Interaction.occurred_at,
                Interaction.duration_min,
                Interaction.summary,
            ).where(Interaction.id.in_(chunk))
            for row_id, day, moment, minutes, summary in query.tuples():
                found[row_id] = (day, moment, minutes, summary)
        elif table == HEARD:
            query = HeardFrom.select(
                HeardFrom.id, HeardFrom.day, HeardFrom.occurred_at, HeardFrom.summary
            ).where(HeardFrom.id.in_(chunk))
            for row_id, day, moment, summary in query.tuples():
                found[row_id] = (day, moment, None, summary)
        else:
            query = ScheduledTouch.select(ScheduledTouch.id, ScheduledTouch.due_on).where(
                ScheduledTouch.id.in_(chunk)
            )
            for row_id, day in query.tuples():
                found[row_id] = (day, None, None, "")
    return found


def add_rows_from(
    writer: ImportWriter,
    table: str,
    rows: Sequence[dict],
    keys: Sequence[str | Sequence[str]],
):
    """Add touches (rows made by `validation.interaction_row`), scheduled touches
    (`promise_row`) or heard-from lines (`heard_row`), each with its source key (or keys:
    a day's messages), through the writer (the ledger records both)."""
    if not rows:
        return
    model = _MODELS[table]
    with batch_writes():
        writer.add_rows(model, list(rows))
        writer.add_rows(
            ImportSource,
            [
                {
                    "client": row["client"],
                    "source_key": key,
                    "table_name": table,
                    "row_id": row["id"],
                    "digest": row_digest(model, row),
                }
                for row, row_keys in zip(rows, keys, strict=True)
                for key in ([row_keys] if isinstance(row_keys, str) else row_keys)
            ],
        )
        if table == TOUCH:
            for client_id in {row["client"] for row in rows}:
                summaries_changed(client_id, deals=False)


def promise_row(client_id: int, due_on: date, created_at: datetime) -> dict:
    """A scheduled touch: the client's next meeting, which the weekly review checks was kept."""
    return {"client": client_id, "due_on": due_on, "review": None, "created_at": created_at}


def rewrite(writer: ImportWriter, source: Source, values: dict) -> None:
    """Move an unedited row to its source's new values (a touch's moment, day, minutes and
    summary; a promise's due day), and note its new digest, so the user's later edits
    are still told apart."""
    model = _MODELS[source.table]
    with batch_writes():
        writer.change_row(model, source.row_id, values)
        (_, now), *_ = current_digests(model, [source.row_id]).values()
        writer.change_row(ImportSource, source.id, {"digest": now})
        if source.table == TOUCH:
            summaries_changed(source.client_id, deals=False)


def rekey(writer: ImportWriter, source: Source, key: str) -> Source:
    """The row known by another key from now on (a one-off event turned into a series, or
    back): the same source, its digest kept."""
    writer.change_row(ImportSource, source.id, {"source_key": key})
    return replace(source, key=key)


def drop(writer: ImportWriter, source: Source) -> None:
    """Remove an unedited row whose source is gone or called off, and its source."""
    model = _MODELS[source.table]
    with batch_writes():
        if source.exists:
            writer.remove_row(model, source.row_id)
        writer.remove_row(ImportSource, source.id)
        if source.table == TOUCH:
            summaries_changed(source.client_id, deals=False)


def heard_row(client_id: int, occurred_at: datetime, day: date, summary: str, created_at) -> dict:
    """A heard-from line: a client wrote to you on a day (UTC moment, your local day)."""
    return {
        "client": client_id,
        "occurred_at": occurred_at,
        "day": day,
        "summary": summary,
        "created_at": created_at,
    }


def add_keys(
    writer: ImportWriter, table: str, client_id: int, row_id: int, keys: Iterable[str]
) -> None:
    """More source keys for a row an import wrote (another message of the day of an email
    touch or heard-from line), with the digest the import last wrote for it, so that an
    edit of the user's is still told apart (a row deleted since stays deleted)."""
    keys = list(keys)
    if not keys:
        return
    model = _MODELS[table]
    known = (
        ImportSource.select(ImportSource.digest)
        .where((ImportSource.table_name == table) & (ImportSource.row_id == row_id))
        .first()
    )
    if known is not None:
        digest = known.digest
    else:
        digest = next(iter(current_digests(model, [row_id]).values()), (0, ""))[1]
    writer.add_rows(
        ImportSource,
        [
            {
                "client": client_id,
                "source_key": key,
                "table_name": table,
                "row_id": row_id,
                "digest": digest,
            }
            for key in keys
        ],
    )


def imported_days(
    table: str, client_ids: Iterable[int], kind: str | None = None
) -> dict[tuple[int, date], tuple[int, bool]]:
    """The rows of a table (touches of `kind`, or heard-from lines) of these clients by
    (client id, day): the first row's id, and whether an import wrote it from a source
    (else the user logged it, by hand or from a history file)."""
    model = _MODELS[table]
    found: dict[tuple[int, date], tuple[int, bool]] = {}
    ids = sorted(set(client_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        sourced = {
            row_id
            for (row_id,) in ImportSource.select(ImportSource.row_id)
            .where(ImportSource.client.in_(chunk) & (ImportSource.table_name == table))
            .tuples()
        }
        where = model.client.in_(chunk)
        if kind is not None:
            where &= model.kind == kind
        query = model.select(model.id, model.client, model.day).where(where).order_by(model.id)
        for row_id, client_id, day in query.tuples():
            day = day if isinstance(day, date) else date.fromisoformat(str(day))
            found.setdefault((client_id, day), (row_id, row_id in sourced))
    return found
