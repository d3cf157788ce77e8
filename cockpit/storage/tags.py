"""Tags on clients: a client's tags, setting them, the clients carrying a tag, every tag
with how many clients carry it, and the keys the client list filters by.

A tag is kept as typed with its key (`validation.tag_key`); a client has each key once.
Setting a client's tags writes only what changed and marks the client updated, so an
open cockpit, a kept verdict and a card's revision see the change. On a team book a
client's tags are its owner's to change (or a manager's), which the server enforces;
a rep trying another's is told whose the client is before anything is tried.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from peewee import fn

from cockpit import clock
from cockpit.errors import ValidationError
from cockpit.storage.models import Client, ClientTag, database_proxy
from cockpit.storage.reps import current_rep, rep_on_team_book
from cockpit.storage.summaries import id_chunks
from cockpit.validation import clean_tags, sorted_tags, tag_key, tag_rows


@dataclass(frozen=True)
class TagCount:
    """A tag of the book: as most clients carry it typed, its key, and how many carry it."""

    tag: str
    key: str
    clients: int


def tags_of(client_id: int) -> list[str]:
    """A client's tags, in the order they are shown."""
    query = ClientTag.select(ClientTag.tag).where(ClientTag.client == client_id)
    return sorted_tags(tag for (tag,) in query.tuples())


def set_tags(client_id: int, tags: Iterable[str]) -> list[str]:
    """Give a client exactly these tags (checked; the first of two with one key kept), in
    one transaction; returns its tags as stored."""
    wanted = clean_tags(tags)
    with database_proxy.atomic():
        _check_may_change(client_id)
        if store_tags(client_id, wanted):
            _updated(client_id)
    return sorted_tags(wanted)


def add_tags(client_id: int, tags: Iterable[str]) -> list[str]:
    """Add tags to a client's (those it has, by key, stay as they are); returns the ones
    added."""
    wanted = clean_tags(tags)
    with database_proxy.atomic():
        _check_may_change(client_id)
        held = {tag_key(tag) for tag in tags_of(client_id)}
        added = [tag for tag in wanted if tag_key(tag) not in held]
        if added:
            ClientTag.insert_many(tag_rows(client_id, added)).execute()
            _updated(client_id)
    return sorted_tags(added)


def remove_tags(client_id: int, tags: Iterable[str]) -> list[str]:
    """Take tags off a client, found by key; returns the ones it had (as they were typed)."""
    keys = [tag_key(tag) for tag in clean_tags(tags)]
    with database_proxy.atomic():
        _check_may_change(client_id)
        mine = (ClientTag.client == client_id) & ClientTag.tag_key.in_(keys)
        removed = [tag for (tag,) in ClientTag.select(ClientTag.tag).where(mine).tuples()]
        if removed:
            ClientTag.delete().where(mine).execute()
            _updated(client_id)
    return sorted_tags(removed)


def store_tags(client_id: int, tags: list[str]) -> bool:
    """Make a client's tags these (clean, one a key), inside the caller's transaction,
    changing only what differs: a tag kept keeps its row; one retyped in another case
    takes the new spelling. Returns whether anything changed."""
    held = {
        key: (row_id, tag)
        for row_id, tag, key in ClientTag.select(ClientTag.id, ClientTag.tag, ClientTag.tag_key)
        .where(ClientTag.client == client_id)
        .tuples()
    }
    wanted = {tag_key(tag): tag for tag in tags}
    gone = [row_id for key, (row_id, _) in held.items() if key not in wanted]
    added = [tag for key, tag in wanted.items() if key not in held]
    retyped = [
        (held[key][0], tag) for key, tag in wanted.items() if key in held and held[key][1] != tag
    ]
    if gone:
        ClientTag.delete().where(ClientTag.id.in_(gone)).execute()
    if added:
        ClientTag.insert_many(tag_rows(client_id, added)).execute()
    for row_id, tag in retyped:
        ClientTag.update(tag=tag).where(ClientTag.id == row_id).execute()
    return bool(gone or added or retyped)


def clients_tagged(tag: str, *, include_archived: bool = False) -> list[int]:
    """The ids of the clients carrying `tag` (by its key: any case, any accents), by id;
    archived clients only when asked."""
    query = (
        ClientTag.select(ClientTag.client)
        .join(Client, on=(Client.id == ClientTag.client))
        .where(ClientTag.tag_key == tag_key(tag))
        .order_by(ClientTag.client)
    )
    if not include_archived:
        query = query.where(Client.archived == False)  # noqa: E712 (SQL, not Python)
    return [client_id for (client_id,) in query.tuples()]


def tag_counts(*, include_archived: bool = False) -> list[TagCount]:
    """Every tag of the book with how many clients carry it, by key; each shown as most of
    its clients typed it. Archived clients count only when asked."""
    query = (
        ClientTag.select(ClientTag.tag_key, ClientTag.tag, fn.COUNT(ClientTag.id))
        .join(Client, on=(Client.id == ClientTag.client))
        .group_by(ClientTag.tag_key, ClientTag.tag)
    )
    if not include_archived:
        query = query.where(Client.archived == False)  # noqa: E712 (SQL, not Python)
    spellings: dict[str, list[tuple[int, str]]] = {}
    for key, tag, count in query.tuples():
        spellings.setdefault(key, []).append((count, tag))
    counts = [
        TagCount(max(found, key=lambda c: (c[0], c[1]))[1], key, sum(c for c, _ in found))
        for key, found in spellings.items()
    ]
    return sorted(counts, key=lambda count: (count.key, count.tag))


def tag_keys_by_client() -> dict[int, tuple[str, ...]]:
    """Every tagged client's tag keys, in one read: what the client list filters `#word`
    by, with no read of the book as the user types."""
    found: dict[int, list[str]] = {}
    query = ClientTag.select(ClientTag.client, ClientTag.tag_key).order_by(
        ClientTag.client, ClientTag.tag_key
    )
    for client_id, key in database_proxy.execute(query):
        found.setdefault(client_id, []).append(key)
    return {client_id: tuple(keys) for client_id, keys in found.items()}


def tags_by_client(client_ids: Iterable[int] | None = None) -> dict[int, list[str]]:
    """The tags of these clients (of every client for None), each list in the order shown."""
    found: dict[int, list[str]] = {}
    chunks: Iterable[list[int] | None] = (
        [None] if client_ids is None else id_chunks(sorted(set(client_ids)))
    )
    for chunk in chunks:
        query = ClientTag.select(ClientTag.client, ClientTag.tag)
        if chunk is not None:
            query = query.where(ClientTag.client.in_(chunk))
        for client_id, tag in query.tuples():
            found.setdefault(client_id, []).append(tag)
    return {client_id: sorted_tags(tags) for client_id, tags in found.items()}


def _check_may_change(client_id: int) -> None:
    """The client must exist; on a team book a rep changes only their own clients' tags
    (the server would refuse the rest): said before anything is tried."""
    row = Client.select(Client.name, Client.owner).where(Client.id == client_id).tuples().first()
    if row is None:
        raise ValidationError(f"there is no client #{client_id}")
    name, owner = row
    if rep_on_team_book() and owner != current_rep():
        if not owner:
            raise ValidationError(f"{name} is nobody's client yet: a manager changes their tags")
        raise ValidationError(
            f"{name} is {owner}'s client: only {owner} or a manager changes their tags"
        )


def _updated(client_id: int) -> None:
    Client.update(updated_at=clock.now_utc()).where(Client.id == client_id).execute()
