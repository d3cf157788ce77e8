"""Where imported rows came from (`import_source`, schema 14): a calendar event's occurrence
behind a touch or a scheduled touch, so that importing the same calendar again finds them.

An importer that knows its sources by a key (`importers/calendar_keys.py` makes them for
calendars; mail will key its messages by Message-ID) writes through these functions and
an `ImportWriter`, so the ledger records every row added, changed or removed and
`cockpit import --undo` takes it back:

- `add_rows_from`: new touches or scheduled touches, each with its source;
- `sources_of`: what the book holds for some keys, each row as it is now, and whether the
  user edited it since an import last wrote it (its digest differs);
- `rewrite`: an unedited row moved to its source's new values (a meeting moved);
- `drop`: an unedited row whose source is gone (a meeting cancelled since), with its key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from cockpit.storage.import_ledger import (
    ImportWriter,
    current_digests,
    row_digest,
)
from cockpit.storage.models import ImportSource, Interaction, ScheduledTouch
from cockpit.storage.summaries import batch_writes, summaries_changed

TOUCH = Interaction._meta.table_name
PROMISE = ScheduledTouch._meta.table_name  # a scheduled touch: the next meeting, promised
_MODELS = {TOUCH: Interaction, PROMISE: ScheduledTouch}
CHUNK = 500  # keys in one query


@dataclass(frozen=True)
class Source:
    """A row an import wrote from a source, as the book holds it now."""

    id: int  # of the import_source row
    key: str
    client_id: int
    table: str  # TOUCH or PROMISE
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
        else:
            query = ScheduledTouch.select(ScheduledTouch.id, ScheduledTouch.due_on).where(
                ScheduledTouch.id.in_(chunk)
            )
            for row_id, day in query.tuples():
                found[row_id] = (day, None, None, "")
    return found


def add_rows_from(writer: ImportWriter, table: str, rows: Sequence[dict], keys: Sequence[str]):
    """Add touches (rows made by `validation.interaction_row`) or scheduled touches
    (`promise_row`), each with its source key, through the writer (the ledger records
    both)."""
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
                for row, key in zip(rows, keys, strict=True)
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


def drop(writer: ImportWriter, source: Source) -> None:
    """Remove an unedited row whose source is gone or called off, and its source."""
    model = _MODELS[source.table]
    with batch_writes():
        if source.exists:
            writer.remove_row(model, source.row_id)
        writer.remove_row(ImportSource, source.id)
        if source.table == TOUCH:
            summaries_changed(source.client_id, deals=False)
