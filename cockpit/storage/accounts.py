"""Accounts: the companies people work at, as records of their own.

The account is the one source of truth for a person's company: `client.company` keeps a
copy of the account's name, written here alone, so every list, export and search shows
the account's name. Whatever writes a client's company text (a form, an import, an undo)
calls `link_companies`, which links the client to the account of that name (following a
merged spelling to the account it was merged into), making the account if there is none.

A merge keeps the merged account as an alias and records what it moved, so
`undo_merge` puts it back. A person who changes jobs is moved (`move_person`): the touches
and deals from before the move stay the old account's (`storage.account_facts`).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from peewee import JOIN, fn

from cockpit import clock
from cockpit.errors import UsageError, ValidationError
from cockpit.search import fold, search_key
from cockpit.storage.models import (
    Account,
    AccountMerge,
    AccountMove,
    Client,
    ClientEmail,
    Deal,
    database_proxy,
)
from cockpit.storage.reps import current_rep
from cockpit.validation import clean_line, clean_text, match_key
from cockpit.vocabulary import Role, roles_of, stored_roles

# Free mail: a domain many unrelated people share, never an account's.
FREE_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "web.de",
        "mail.com",
        "fastmail.com",
        "example.com",
        "example.org",
        "example.net",
    }
)


@dataclass(frozen=True)
class AccountRow:
    """An account as lists and commands show it."""

    id: int
    name: str
    domains: tuple[str, ...]
    owner: str
    notes: str
    pinned_key: bool


@dataclass(frozen=True)
class Person:
    """One of an account's people: whoever works there now, or worked there before."""

    client_id: int
    name: str
    roles: tuple[Role, ...]
    role_note: str
    left_on: date | None = None  # a former person: the day they moved on


@dataclass(frozen=True)
class Merge:
    id: int
    kept: str
    merged: str
    people: int


@dataclass(frozen=True)
class Suggestion:
    """A person whose email domain is an account's, not linked to it."""

    client_id: int
    name: str
    email: str
    account_id: int
    account: str


def _row(account: Account) -> AccountRow:
    return AccountRow(
        account.id,
        account.name,
        tuple(account.domains.split()),
        account.owner,
        account.notes,
        bool(account.pinned_key),
    )


def account_rows(ids: Collection[int] | None = None) -> list[AccountRow]:
    """Every account (not the spellings merged into others), by name."""
    query = (
        Account.select(
            Account.id,
            Account.name,
            Account.domains,
            Account.owner,
            Account.notes,
            Account.pinned_key,
        )
        .where(Account.merged_into.is_null())
        .order_by(Account.name_key)
    )
    if ids is not None:
        query = query.where(Account.id.in_(list(ids)))
    # Rows from the cursor: 2,000 model objects would take longer than the query.
    return [
        AccountRow(account_id, name, tuple(domains.split()), owner, notes, bool(pinned))
        for account_id, name, domains, owner, notes, pinned in database_proxy.execute(query)
    ]


def account_row(account_id: int) -> AccountRow | None:
    account = Account.get_or_none(Account.id == account_id)
    return _row(account) if account is not None else None


def account_now(account_id: int) -> AccountRow | None:
    """An account by id; for a spelling merged into another, the account it is now."""
    if not Account.select().where(Account.id == account_id).exists():
        return None
    return account_row(_followed(account_id))


def account_named(name: str) -> int | None:
    """The account a name stands for, as typed (any case and spacing)."""
    return live_account_id(match_key(name))


def live_account_id(key: str) -> int | None:
    """The account a folded company name stands for: an account of that name, else the
    account a spelling of that name was merged into."""
    found = _accounts_named({key}).get(key)
    return found[0] if found is not None else None


def _followed(account_id: int) -> int:
    seen = set()
    while account_id not in seen:
        seen.add(account_id)
        merged_into = Account.select(Account.merged_into).where(Account.id == account_id).scalar()
        if merged_into is None:
            return account_id
        account_id = merged_into
    return account_id


def _new_account(
    name: str, owner: str, domains: Sequence[str] = (), moment: datetime | None = None
) -> int:
    moment = moment or clock.now_utc()
    return Account.insert(
        name=name,
        name_key=match_key(name),
        domains=" ".join(domains),
        owner=owner,
        notes="",
        pinned_key=False,
        created_at=moment,
        updated_at=moment,
    ).execute()


def _mismatched(client_ids: Sequence[int] | None):
    """The clients whose account does not match their company text, as (id, name,
    company, owner, account id)."""
    query = (
        Client.select(Client.id, Client.name, Client.company, Client.owner, Client.account)
        .join(Account, JOIN.LEFT_OUTER, on=(Account.id == Client.account))
        .where(
            ((Client.company != "") & (Account.id.is_null() | (Account.name != Client.company)))
            | ((Client.company == "") & Client.account.is_null(False))
        )
    )
    if client_ids is None:
        return list(query.tuples())
    return [
        row
        for start in range(0, len(client_ids), _CHUNK)
        for row in query.where(Client.id.in_(client_ids[start : start + _CHUNK])).tuples()
    ]


_CHUNK = 500  # ids in one query


def link_companies(
    client_ids: Collection[int] | None = None, *, moment: datetime | None = None
) -> int:
    """Link the clients (those in `client_ids`, or every one) whose company text and
    account disagree: to the account of that name, made when there is none, their company
    then spelled as the account's name; a client with no company leaves their account.
    An account made is dated `moment` (now when None). Returns how many were linked anew.

    Set-based, as an import of 10,000 people at 2,000 companies calls it: the accounts of
    every name met are read in a few queries, the clients written in one batch."""
    if client_ids is not None and not client_ids:
        return 0
    linked = 0
    with database_proxy.atomic():
        rows = _mismatched(None if client_ids is None else sorted(client_ids))
        if not rows:
            return 0
        accounts = _accounts_named({match_key(company) for _, _, company, _, _ in rows if company})
        placed: list[tuple] = []  # (account id or None, company, company key, search key, id)
        for client_id, name, company, owner, account_id in rows:
            if not company:
                placed.append((None, "", "", search_key(name, ""), client_id))
                continue
            key = match_key(company)
            target = accounts.get(key)
            if target is None:
                made = _new_account(company, owner or current_rep(), moment=moment)
                target = accounts[key] = (made, company)
            if target[0] != account_id:
                linked += 1
            spelled = target[1]
            placed.append(
                (target[0], spelled, match_key(spelled), search_key(name, spelled), client_id)
            )
        mark = database_proxy.param
        database_proxy.cursor().executemany(
            f'UPDATE "client" SET "account_id" = {mark}, "company" = {mark}, '
            f'"company_key" = {mark}, "search_key" = {mark} WHERE "id" = {mark}',
            placed,
        )
    return linked


def _accounts_named(keys: set[str]) -> dict[str, tuple[int, str]]:
    """The account each folded name stands for, as (id, name): of that name, else the
    account a spelling of that name was merged into (`live_account_id`, in bulk)."""
    found: dict[str, tuple[int, str]] = {}
    wanted = sorted(keys)
    merged: dict[str, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = (
            Account.select(Account.id, Account.name, Account.name_key, Account.merged_into)
            .where(Account.name_key.in_(wanted[start : start + _CHUNK]))
            .order_by(Account.merged_into.is_null(False), Account.id)
        )
        for account_id, name, key, merged_into in database_proxy.execute(query):
            if merged_into is None:
                found.setdefault(key, (account_id, name))
            else:
                merged.setdefault(key, merged_into)
    for key, account_id in merged.items():
        if key not in found:
            live = _followed(account_id)
            found[key] = (live, _name_of(live))
    return found


def _name_of(account_id: int) -> str:
    return Account.select(Account.name).where(Account.id == account_id).scalar()


def _place(
    client_id: int, account_id: int, client_name: str | None = None, name: str | None = None
) -> None:
    """The client at the account, their company spelled as its name."""
    name = name if name is not None else _name_of(account_id)
    if client_name is None:
        client_name = Client.select(Client.name).where(Client.id == client_id).scalar()
    Client.update(
        account=account_id,
        company=name,
        company_key=match_key(name),
        search_key=search_key(client_name, name),
    ).where(Client.id == client_id).execute()


def unlinked_count() -> int:
    """How many clients' company and account disagree (0 in a book kept by Cockpit)."""
    return len(_mismatched(None))


def _checked_name(name: str) -> str:
    return clean_line(name, "an account's name", required=True, limit=200)


def create_account(
    name: str, *, owner: str | None = None, domains: Sequence[str] = (), notes: str = ""
) -> int:
    """A new account; refused when one of that name (or a spelling merged into one) is."""
    name = _checked_name(name)
    with database_proxy.atomic():
        existing = live_account_id(match_key(name))
        if existing is not None:
            raise ValidationError(f"there is an account {account_row(existing).name!r} already")
        account_id = _new_account(name, owner if owner is not None else current_rep())
        set_account_details(account_id, domains=domains, notes=notes)
    return account_id


def checked_domains(domains: Sequence[str]) -> list[str]:
    """Email domains as an account keeps them: lower case, no "@" or "www.", no repeats."""
    kept: list[str] = []
    for typed in domains:
        for word in typed.replace(",", " ").split():
            domain = word.strip().lower().removeprefix("@").removeprefix("www.").rstrip(".")
            domain = domain.split("://")[-1].split("/")[0]
            if not domain or "." not in domain or any(c.isspace() for c in domain):
                raise ValidationError(f"{word!r} is not a domain; domains look like acme.com")
            if domain in FREE_MAIL:
                raise ValidationError(f"{domain} is a free mail domain, shared by everyone")
            if domain not in kept:
                kept.append(domain)
    return kept


def set_account_details(
    account_id: int,
    *,
    domains: Sequence[str] | None = None,
    notes: str | None = None,
    pinned_key: bool | None = None,
    owner: str | None = None,
    moment: datetime | None = None,
) -> None:
    """Change an account's domains, notes, pin or owner (what is None stays), at `moment`
    (now when None)."""
    changes: dict = {}
    if domains is not None:
        changes["domains"] = " ".join(checked_domains(domains))
    if notes is not None:
        changes["notes"] = clean_text(notes, "the notes")
    if pinned_key is not None:
        changes["pinned_key"] = bool(pinned_key)
    if owner is not None:
        changes["owner"] = owner
    if not changes:
        return
    changes["updated_at"] = moment or clock.now_utc()
    _existing(account_id)
    Account.update(**changes).where(Account.id == account_id).execute()


def _existing(account_id: int) -> Account:
    account = Account.get_or_none(Account.id == account_id)
    if account is None:
        raise ValidationError(f"there is no account #{account_id}")
    if account.merged_into_id is not None:
        kept = Account.get_by_id(account.merged_into_id)
        raise ValidationError(f"{account.name!r} was merged into {kept.name!r}")
    return account


def _only_my_people(account_ids: Sequence[int], doing: str) -> None:
    """On a team book a rep may not change other reps' clients: renaming or merging an
    account where some work is a manager's to do (the server would leave their company as
    it was)."""
    from cockpit.storage.reps import on_server

    if not on_server():
        return
    from cockpit.storage.team import Powers, powers

    if powers(database_proxy.obj) is not Powers.REP:
        return
    others = Client.select(Client.id).where(
        Client.account.in_(list(account_ids)) & (Client.owner != current_rep())
    )
    if others.exists():
        raise ValidationError(f"other reps' clients work there: a manager {doing}")


def rename_account(account_id: int, name: str) -> None:
    """Rename an account; its people's company follows."""
    name = _checked_name(name)
    with database_proxy.atomic():
        _existing(account_id)
        _only_my_people([account_id], "renames it")
        other = live_account_id(match_key(name))
        if other is not None and other != account_id:
            raise ValidationError(
                f"there is an account {account_row(other).name!r} already; merge the two instead"
            )
        Account.update(name=name, name_key=match_key(name), updated_at=clock.now_utc()).where(
            Account.id == account_id
        ).execute()
        for (client_id,) in Client.select(Client.id).where(Client.account == account_id).tuples():
            _place(client_id, account_id)


def merge_accounts(kept_id: int, merged_id: int) -> Merge:
    """Merge an account into another: its people, its domains and its notes go to the
    kept account, which keeps its name; the merged name stays as a spelling of it."""
    if kept_id == merged_id:
        raise ValidationError("an account cannot be merged into itself")
    with database_proxy.atomic():
        kept, merged = _existing(kept_id), _existing(merged_id)
        _only_my_people([kept_id, merged_id], "merges them")
        people = [
            client_id
            for (client_id,) in Client.select(Client.id)
            .where(Client.account == merged_id)
            .order_by(Client.id)
            .tuples()
        ]
        before = {"domains": kept.domains, "notes": kept.notes, "pinned_key": kept.pinned_key}
        domains = list(dict.fromkeys(kept.domains.split() + merged.domains.split()))
        notes = "\n\n".join(text for text in (kept.notes, merged.notes) if text.strip())
        Account.update(
            domains=" ".join(domains),
            notes=notes,
            pinned_key=kept.pinned_key or merged.pinned_key,
            updated_at=clock.now_utc(),
        ).where(Account.id == kept_id).execute()
        Account.update(merged_into=kept_id, updated_at=clock.now_utc()).where(
            Account.id == merged_id
        ).execute()
        for client_id in people:
            _place(client_id, kept_id)
        merge_id = AccountMerge.insert(
            kept=kept_id,
            merged=merged_id,
            people=json.dumps(people),
            before=json.dumps(before),
            owner=current_rep(),
            merged_at=clock.now_utc(),
        ).execute()
    return Merge(merge_id, kept.name, merged.name, len(people))


def undo_merge(merge_id: int | None = None) -> Merge:
    """Take a merge back (the latest not undone, when no id is given): the merged account
    comes back with the people it had, unless they were moved elsewhere since, and the
    kept account's domains, notes and pin are as they were."""
    with database_proxy.atomic():
        query = AccountMerge.select().where(AccountMerge.undone_at.is_null())
        if merge_id is not None:
            query = query.where(AccountMerge.id == merge_id)
        merge = query.order_by(AccountMerge.id.desc()).first()
        if merge is None:
            if merge_id is None:
                raise UsageError("there is no account merge to undo")
            raise UsageError(f"there is no merge #{merge_id} to undo (or it was undone)")
        later = (
            AccountMerge.select()
            .where(
                AccountMerge.undone_at.is_null()
                & (AccountMerge.id > merge.id)
                & (
                    (AccountMerge.merged == merge.kept_id)
                    | (AccountMerge.kept == merge.merged_id)
                    | (AccountMerge.merged == merge.merged_id)
                )
            )
            .first()
        )
        if later is not None:
            raise UsageError(f"undo merge #{later.id} first: it merged one of these accounts again")
        _only_my_people([merge.kept_id], "undoes the merge")
        before = json.loads(merge.before)
        Account.update(
            domains=before["domains"],
            notes=before["notes"],
            pinned_key=before["pinned_key"],
            updated_at=clock.now_utc(),
        ).where(Account.id == merge.kept_id).execute()
        Account.update(merged_into=None, updated_at=clock.now_utc()).where(
            Account.id == merge.merged_id
        ).execute()
        moved_back = 0
        for client_id in json.loads(merge.people):
            still = Client.select(Client.account).where(Client.id == client_id).scalar()
            if still == merge.kept_id:
                _place(client_id, merge.merged_id)
                moved_back += 1
        AccountMerge.update(undone_at=clock.now_utc()).where(AccountMerge.id == merge.id).execute()
        kept = Account.get_by_id(merge.kept_id)
        merged = Account.get_by_id(merge.merged_id)
    return Merge(merge.id, kept.name, merged.name, moved_back)


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
    name = _checked_name(account_name)
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
            target = _new_account(name, client.owner or current_rep(), moment=moment)
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
        _place(client_id, target)
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
            Person(client_id, name, tuple(roles_of(roles)), "", left_on=_day(moved_on))
        )
    return people


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def account_of(client_id: int) -> int | None:
    return Client.select(Client.account).where(Client.id == client_id).scalar()


def account_candidates(holding: str = "") -> list[AccountRow]:
    """The accounts whose name holds every word of `holding` (all when empty), by name;
    a merged spelling finds the account it was merged into."""
    words = fold(holding).split()
    found: dict[int, AccountRow] = {}
    for account in Account.select().order_by(Account.name_key):
        if all(word in fold(account.name) for word in words):
            target = account if account.merged_into_id is None else None
            if target is None:
                target = Account.get_by_id(_followed(account.id))
            found.setdefault(target.id, _row(target))
    return sorted(found.values(), key=lambda row: (fold(row.name), row.id))


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
        _existing(account_id)
        if not Client.select().where(Client.id == client_id).exists():
            raise ValidationError(f"there is no client #{client_id}")
        _place(client_id, account_id)


def merges() -> list[tuple[int, str, str, bool]]:
    """Every merge: its id, the kept and the merged account's names, and whether undone."""
    kept, merged = Account.alias("kept"), Account.alias("merged")
    rows = (
        AccountMerge.select(AccountMerge.id, kept.name, merged.name, AccountMerge.undone_at)
        .join(kept, on=(kept.id == AccountMerge.kept))
        .switch(AccountMerge)
        .join(merged, on=(merged.id == AccountMerge.merged))
        .order_by(AccountMerge.id)
        .tuples()
    )
    return [(merge_id, a, b, undone is not None) for merge_id, a, b, undone in rows]


def prune_accounts(account_ids: Collection[int | None]) -> int:
    """Delete those of these accounts left bare: nobody there or ever there, nothing the
    user wrote on them (domains, notes, a pin), no merge. An account the user made stays
    while it holds any of that. Returns how many went."""
    ids = sorted({account_id for account_id in account_ids if account_id is not None})
    if not ids:
        return 0
    bare = (
        Account.select(Account.id)
        .where(
            Account.id.in_(ids)
            & (Account.domains == "")
            & (Account.notes == "")
            & (Account.pinned_key == False)  # noqa: E712 (SQL, not Python)
            & Account.merged_into.is_null()
            & ~fn.EXISTS(Client.select(Client.id).where(Client.account == Account.id))
            & ~fn.EXISTS(
                AccountMove.select(AccountMove.id).where(
                    (AccountMove.from_account == Account.id)
                    | (AccountMove.to_account == Account.id)
                )
            )
            & ~fn.EXISTS(
                AccountMerge.select(AccountMerge.id).where(
                    (AccountMerge.kept == Account.id) | (AccountMerge.merged == Account.id)
                )
            )
        )
        .tuples()
    )
    doomed = [account_id for (account_id,) in bare]
    if doomed:
        Account.delete().where(Account.id.in_(doomed)).execute()
    return len(doomed)


@dataclass(frozen=True)
class RenewingDeal:
    """A deal that renews, with the account it was won for."""

    deal_id: int
    client_id: int
    account_id: int | None  # where its client worked the day it was won
    amount_cents: int
    currency: str
    won_on: date
    renews_on: date | None
    term_months: int | None
    description: str


def renewing_deals() -> list[RenewingDeal]:
    """Every deal with a renewal day or a term, by the day it was won."""
    rows = (
        Deal.select(
            Deal.id,
            Deal.client,
            Client.account,
            Deal.amount_cents,
            Deal.currency,
            Deal.won_on,
            Deal.renews_on,
            Deal.term_months,
            Deal.description,
        )
        .join(Client)
        .where(Deal.renews_on.is_null(False) | Deal.term_months.is_null(False))
        .order_by(Deal.won_on, Deal.id)
        .tuples()
    )
    found = []
    for deal_id, client_id, account_id, cents, currency, won_on, renews_on, term, what in rows:
        renews = _day(renews_on) if renews_on else None
        found.append(
            RenewingDeal(
                deal_id, client_id, account_id, cents, currency, _day(won_on), renews, term, what
            )
        )
    moved = moves_by_person({deal.client_id for deal in found})
    return [
        replace(deal, account_id=account_on(moved, deal.client_id, deal.won_on, deal.account_id))
        for deal in found
    ]


def moves_by_person(client_ids: Collection[int]) -> dict[int, list[tuple[date, int | None]]]:
    """The moves of these people, as (day moved, account left), earliest first."""
    spans: dict[int, list[tuple[date, int | None]]] = {}
    if not client_ids:
        return spans
    ids = sorted(client_ids)
    for start in range(0, len(ids), _CHUNK):
        rows = (
            AccountMove.select(AccountMove.client, AccountMove.moved_on, AccountMove.from_account)
            .where(AccountMove.client.in_(ids[start : start + _CHUNK]))
            .order_by(AccountMove.client, AccountMove.moved_on)
            .tuples()
        )
        for client_id, moved_on, left in rows:
            spans.setdefault(client_id, []).append((_day(moved_on), left))
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
        (client_id, name, lifecycle, _day(won) if won else None, _day(last) if last else None)
        for client_id, name, lifecycle, won, last in rows
    ]


def largest_deal(client_id: int) -> int | None:
    """The id of a person's largest won deal (the first of equals)."""
    return (
        Deal.select(Deal.id)
        .where(Deal.client == client_id)
        .order_by(Deal.amount_cents.desc(), Deal.id)
        .scalar()
    )


def account_names() -> dict[int, str]:
    """Every account's name by id (merged spellings too)."""
    return dict(database_proxy.execute(Account.select(Account.id, Account.name)))


def people_words(client_ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """These people's (name, role note) by id."""
    found: dict[int, tuple[str, str]] = {}
    ids = sorted(client_ids)
    for start in range(0, len(ids), _CHUNK):
        query = Client.select(Client.id, Client.name, Client.role_note).where(
            Client.id.in_(ids[start : start + _CHUNK])
        )
        for client_id, name, note in database_proxy.execute(query):
            found[client_id] = (name, note)
    return found
