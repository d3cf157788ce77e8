"""The people at an account: their roles there, links made by hand or suggested by an
email domain, and job moves. A person who changes jobs is moved (`move_person`): the
touches and deals from before the move stay the old account's."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from peewee import fn

from cockpit import clock
from cockpit.errors import ValidationError
from cockpit.storage.accounts import (
    CHUNK,
    checked_account_name,
    existing_account,
    live_account_id,
    new_account,
    place_client,
)
from cockpit.storage.models import (
    Account,
    AccountMove,
    Client,
    ClientEmail,
    database_proxy,
)
from cockpit.storage.reps import current_rep
from cockpit.validation import clean_line, match_key
from cockpit.vocabulary import Role, roles_of, stored_roles


@dataclass(frozen=True)
class Person:
    """One of an account's people: whoever works there now, or worked there before."""

    client_id: int
    name: str
    roles: tuple[Role, ...]
    role_note: str
    left_on: date | None = None  # a former person: the day they moved on


@dataclass(frozen=True)
class Suggestion:
    """A person whose email domain is an account's, not linked to it."""

    client_id: int
    name: str
    email: str
    account_id: int
    account: str


def move_person(
    client_id: int,
    account_name: str,
    *,
    on: date,
    roles: Sequence[Role | str] = (),
    moment: datetime | None = None,
) -> tuple[str | None, str]:
    """A person changed jobs: they join the account named (made if new) from `on`, with
    `roles` there; their touches and deals before `on` stay their old account's, which
    keeps the roles they held. Returns the old account's name (None: they had none) and
    the new one's."""
    name = checked_account_name(account_name)
    with database_proxy.atomic():
        client = Client.get_or_none(Client.id == client_id)
        if client is None:
            raise ValidationError(f"there is no client #{client_id}")
        if on > clock.today():
            raise ValidationError("a move is recorded on the day it happened, not ahead")
        latest = (
            AccountMove.select(fn.MAX(AccountMove.moved_on))
            .where(AccountMove.client == client_id)
            .scalar()
        )
        if latest is not None and on <= latest:
            raise ValidationError(f"{client.name} last moved on {latest}; a move must come after")
        moment = moment or clock.now_utc()
        target = live_account_id(match_key(name))
        if target is None:
            target = new_account(name, client.owner or current_rep(), moment=moment)
        if target == client.account_id:
            raise ValidationError(f"{client.name} is at {name} already")
        old = client.account_id
        AccountMove.insert(
            client=client_id,
            from_account=old,
            to_account=target,
            moved_on=on,
            roles=client.roles,
            created_at=moment,
        ).execute()
        Client.update(roles=stored_roles(roles), role_note="").where(
            Client.id == client_id
        ).execute()
        place_client(client_id, target)
        old_name = Account.select(Account.name).where(Account.id == old).scalar() if old else None
        new_name = Account.select(Account.name).where(Account.id == target).scalar()
    return old_name, new_name


def set_roles(client_id: int, roles: Sequence[Role | str], note: str | None = None) -> None:
    """What a person is at their account: roles of the vocabulary, and words of the user's."""
    changes = {"roles": stored_roles(roles)}
    if note is not None:
        changes["role_note"] = clean_line(note, "the role", limit=200)
    with database_proxy.atomic():
        updated = Client.update(**changes).where(Client.id == client_id).execute()
        if not updated:
            raise ValidationError(f"there is no client #{client_id}")


def people_of(account_ids: Collection[int] | None = None) -> dict[int, list[Person]]:
    """Each account's people: those there now (by name), then those who moved on (latest
    first), with the roles they held."""
    people: dict[int, list[Person]] = {}
    current = Client.select(
        Client.account, Client.id, Client.name, Client.roles, Client.role_note
    ).where(Client.account.is_null(False))
    if account_ids is not None:
        current = current.where(Client.account.in_(sorted(account_ids)))
    no_roles: tuple[Role, ...] = ()
    for account_id, client_id, name, roles, note in database_proxy.execute(
        current.order_by(Client.name_key, Client.id)
    ):
        held = tuple(roles_of(roles)) if roles else no_roles
        people.setdefault(account_id, []).append(Person(client_id, name, held, note))
    former = (
        AccountMove.select(
            AccountMove.from_account,
            Client.id,
            Client.name,
            AccountMove.roles,
            AccountMove.moved_on,
        )
        .join(Client)
        .where(AccountMove.from_account.is_null(False))
        .order_by(AccountMove.moved_on.desc())
    )
    if account_ids is not None:
        former = former.where(AccountMove.from_account.in_(sorted(account_ids)))
    for account_id, client_id, name, roles, moved_on in former.tuples():
        people.setdefault(account_id, []).append(
            Person(client_id, name, tuple(roles_of(roles)), "", left_on=stored_day(moved_on))
        )
    return people


def stored_day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def domain_suggestions() -> list[Suggestion]:
    """People whose email domain is an account's but who are not at that account (nor at
    any when they have a company of their own): suggested, never linked by themselves."""
    domains: dict[str, tuple[int, str]] = {}
    for account_id, name, listed in (
        Account.select(Account.id, Account.name, Account.domains)
        .where(Account.merged_into.is_null() & (Account.domains != ""))
        .tuples()
    ):
        for domain in listed.split():
            domains.setdefault(domain, (account_id, name))
    if not domains:
        return []
    suggestions = []
    seen: set[int] = set()
    rows = (
        ClientEmail.select(ClientEmail.client, Client.name, ClientEmail.address, Client.account)
        .join(Client)
        .where(Client.archived == False)  # noqa: E712 (SQL, not Python)
        .order_by(Client.name_key, ClientEmail.position)
        .tuples()
    )
    for client_id, name, address, account_id in rows:
        domain = address.rsplit("@", 1)[-1].lower()
        match = domains.get(domain)
        if match is None or client_id in seen or match[0] == account_id or account_id is not None:
            continue
        seen.add(client_id)
        suggestions.append(Suggestion(client_id, name, address, match[0], match[1]))
    return suggestions


def link_person(client_id: int, account_id: int) -> None:
    """Put a person at an account (a suggestion taken, or a correction): their company
    becomes its name; no move is recorded (use `move_person` for a job change)."""
    with database_proxy.atomic():
        existing_account(account_id)
        if not Client.select().where(Client.id == client_id).exists():
            raise ValidationError(f"there is no client #{client_id}")
        place_client(client_id, account_id)


def moves_by_person(client_ids: Collection[int]) -> dict[int, list[tuple[date, int | None]]]:
    """The moves of these people, as (day moved, account left), earliest first."""
    spans: dict[int, list[tuple[date, int | None]]] = {}
    if not client_ids:
        return spans
    ids = sorted(client_ids)
    for start in range(0, len(ids), CHUNK):
        rows = (
            AccountMove.select(AccountMove.client, AccountMove.moved_on, AccountMove.from_account)
            .where(AccountMove.client.in_(ids[start : start + CHUNK]))
            .order_by(AccountMove.client, AccountMove.moved_on)
            .tuples()
        )
        for client_id, moved_on, left in rows:
            spans.setdefault(client_id, []).append((stored_day(moved_on), left))
    return spans


def account_on(spans, client_id: int, day: date, now_at: int | None) -> int | None:
    """The account a person was at on a day."""
    for moved_on, left in spans.get(client_id, ()):
        if day < moved_on:
            return left
    return now_at


def roles_stored(client_id: int) -> tuple[str, str]:
    """A person's roles as stored (`vocabulary.stored_roles`) and their note."""
    row = Client.select(Client.roles, Client.role_note).where(Client.id == client_id).tuples()
    found = row.first()
    if found is None:
        raise ValidationError(f"there is no client #{client_id}")
    return found


def people_rows(account_id: int) -> list[tuple[int, str, str, date | None, date | None]]:
    """The people at an account now, by name: (id, name, lifecycle, won on, last touch)."""
    rows = (
        Client.select(Client.id, Client.name, Client.lifecycle, Client.won_on, Client.last_touch_on)
        .where(Client.account == account_id)
        .order_by(Client.name_key, Client.id)
        .tuples()
    )
    return [
        (
            client_id,
            name,
            lifecycle,
            stored_day(won) if won else None,
            stored_day(last) if last else None,
        )
        for client_id, name, lifecycle, won, last in rows
    ]


def roles_held() -> dict[int, tuple[str, str]]:
    """Everyone who holds a role at their account or has words for it: (roles as stored,
    role note) by id."""
    query = Client.select(Client.id, Client.roles, Client.role_note).where(
        (Client.roles != "") | (Client.role_note != "")
    )
    return {client_id: (roles, note) for client_id, roles, note in database_proxy.execute(query)}


def people_words(client_ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """These people's (name, role note) by id."""
    found: dict[int, tuple[str, str]] = {}
    ids = sorted(client_ids)
    for start in range(0, len(ids), CHUNK):
        query = Client.select(Client.id, Client.name, Client.role_note).where(
            Client.id.in_(ids[start : start + CHUNK])
        )
        for client_id, name, note in database_proxy.execute(query):
            found[client_id] = (name, note)
    return found
