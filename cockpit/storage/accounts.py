"""Accounts: the companies people work at, as records of their own.

The account is the one source of truth for a person's company: `client.company` keeps a
copy of the account's name, written here alone, so every list, export and search shows
the account's name. Whatever writes a client's company text (a form, an import, an undo)
calls `link_companies`, which links the client to the account of that name (following a
merged spelling to the account it was merged into), making the account if there is none.

Merging two spellings is `account_merges`'s; the people at an account, their roles and
their job moves are `account_people`'s; the deals that renew, `renewing_deals`'s.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from peewee import JOIN, fn

from cockpit import clock
from cockpit.errors import ValidationError
from cockpit.search import fold, search_key
from cockpit.storage.models import (
    Account,
    AccountMerge,
    AccountMove,
    AccountPlan,
    Client,
    SegmentCommunication,
    database_proxy,
)
from cockpit.storage.reps import current_rep
from cockpit.validation import clean_line, clean_text, match_key

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


def new_account(
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
        for start in range(0, len(client_ids), CHUNK)
        for row in query.where(Client.id.in_(client_ids[start : start + CHUNK])).tuples()
    ]


CHUNK = 500  # ids in one query


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
                made = new_account(company, owner or current_rep(), moment=moment)
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
    for start in range(0, len(wanted), CHUNK):
        query = (
            Account.select(Account.id, Account.name, Account.name_key, Account.merged_into)
            .where(Account.name_key.in_(wanted[start : start + CHUNK]))
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


def place_client(
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


def checked_account_name(name: str) -> str:
    return clean_line(name, "an account's name", required=True, limit=200)


def create_account(
    name: str, *, owner: str | None = None, domains: Sequence[str] = (), notes: str = ""
) -> int:
    """A new account; refused when one of that name (or a spelling merged into one) is."""
    name = checked_account_name(name)
    with database_proxy.atomic():
        existing = live_account_id(match_key(name))
        if existing is not None:
            raise ValidationError(f"there is an account {account_row(existing).name!r} already")
        account_id = new_account(name, owner if owner is not None else current_rep())
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
    existing_account(account_id)
    write_account(account_id, **changes)


def write_account(account_id: int, **changes) -> None:
    """Change an account's row; refused, naming its manager, when the book would not let
    this user change it (on a team book the server leaves another rep's account as it is)."""
    if not Account.update(**changes).where(Account.id == account_id).execute():
        owner = Account.select(Account.owner).where(Account.id == account_id).scalar()
        raise ValidationError(f"the account is {owner}'s: they or a manager change it")


def existing_account(account_id: int) -> Account:
    account = Account.get_or_none(Account.id == account_id)
    if account is None:
        raise ValidationError(f"there is no account #{account_id}")
    if account.merged_into_id is not None:
        kept = Account.get_by_id(account.merged_into_id)
        raise ValidationError(f"{account.name!r} was merged into {kept.name!r}")
    return account


def only_my_people(account_ids: Sequence[int], doing: str) -> None:
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
    name = checked_account_name(name)
    with database_proxy.atomic():
        existing_account(account_id)
        only_my_people([account_id], "renames it")
        other = live_account_id(match_key(name))
        if other is not None and other != account_id:
            raise ValidationError(
                f"there is an account {account_row(other).name!r} already; merge the two instead"
            )
        write_account(account_id, name=name, name_key=match_key(name), updated_at=clock.now_utc())
        for (client_id,) in Client.select(Client.id).where(Client.account == account_id).tuples():
            place_client(client_id, account_id)


def edit_account(account_id: int, *, name: str, domains: Sequence[str], notes: str) -> None:
    """An account's name, email domains and notes as the user edited them, in one change."""
    with database_proxy.atomic():
        if existing_account(account_id).name != name.strip():
            rename_account(account_id, name)
        set_account_details(account_id, domains=domains, notes=notes)


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


def prune_accounts(account_ids: Collection[int | None]) -> int:
    """Delete those of these accounts left bare: nobody there or ever there, nothing the
    user wrote on them (domains, notes, a pin, an account plan, a communication to its
    people), no merge. An account the
    user made stays while it holds any of that. Returns how many went."""
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
                AccountPlan.select(AccountPlan.id).where(AccountPlan.account == Account.id)
            )
            & ~fn.EXISTS(
                SegmentCommunication.select(SegmentCommunication.id).where(
                    SegmentCommunication.account == Account.id
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


def account_names() -> dict[int, str]:
    """Every account's name by id (merged spellings too)."""
    return dict(database_proxy.execute(Account.select(Account.id, Account.name)))
