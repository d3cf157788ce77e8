"""Giving clients to a rep: one client, or a whole book when a rep leaves.

On a team book only a manager (or the role that owns the book) hands clients over, and
the server holds to that; the new owner must be a rep's login role there. On SQLite, one
person's file, anyone may, to any name. Each client handed over gets a note on its
timeline saying from whom to whom, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cockpit.errors import CockpitError, ValidationError
from cockpit.storage import book
from cockpit.storage.models import Account, Client, Interaction, database_proxy
from cockpit.vocabulary import Kind

REFUSED = (
    "only a manager (a member of cockpit_manager) or the role that owns the book can hand "
    "clients over on a team book"
)


@dataclass(frozen=True)
class HandedOver:
    client_id: int
    name: str
    was: str  # "" when nobody owned the client


def assign(client_id: int, rep: str) -> HandedOver | None:
    """Give one client to `rep`; None when it is theirs already."""
    rep = _checked_rep(rep)
    row = Client.get_or_none(Client.id == client_id)
    if row is None:
        raise ValidationError(f"there is no client #{client_id}")
    if row.owner == rep:
        return None
    with database_proxy.atomic(), _refused_as_cockpit_error():
        return _hand_over(row.id, row.name, row.owner, rep)


def hand_over_all(from_rep: str, to_rep: str) -> tuple[list[HandedOver], int]:
    """Give every client of `from_rep` (archived ones too) to `to_rep`, and the accounts
    `from_rep` manages; returns the clients and how many accounts."""
    from_rep = book.clean_line(from_rep, "the rep handing over", required=True)
    to_rep = _checked_rep(to_rep)
    if from_rep == to_rep:
        raise ValidationError(f"{from_rep} and {to_rep} are the same rep")
    with database_proxy.atomic(), _refused_as_cockpit_error():
        rows = Client.select(Client.id, Client.name).where(Client.owner == from_rep)
        handed = [
            _hand_over(row.id, row.name, from_rep, to_rep) for row in rows.order_by(Client.id)
        ]
        accounts = Account.update(owner=to_rep).where(Account.owner == from_rep).execute()
    return handed, accounts


def assign_account(account_id: int, rep: str) -> tuple[str, list[HandedOver]]:
    """Give an account to `rep` as its key account manager, with every person there now;
    returns who managed it before and the people handed over (those not `rep`'s already)."""
    rep = _checked_rep(rep)
    account = Account.get_or_none(Account.id == account_id)
    if account is None:
        raise ValidationError(f"there is no account #{account_id}")
    with database_proxy.atomic(), _refused_as_cockpit_error():
        Account.update(owner=rep).where(Account.id == account_id).execute()
        rows = Client.select(Client.id, Client.name, Client.owner).where(
            (Client.account == account_id) & (Client.owner != rep)
        )
        handed = [_hand_over(row.id, row.name, row.owner, rep) for row in rows.order_by(Client.id)]
    return account.owner, handed


def _hand_over(client_id: int, name: str, was: str, rep: str) -> HandedOver:
    Client.update(owner=rep).where(Client.id == client_id).execute()
    said = f"Handed over from {was} to {rep}." if was else f"Given to {rep} (nobody owned it)."
    Interaction.create(**book.interaction_row(client_id, Kind.NOTE, summary=said))
    return HandedOver(client_id, name, was)


def _checked_rep(rep: str) -> str:
    rep = book.clean_line(rep, "the rep", required=True)
    if book.on_server():
        from cockpit.storage.team import Powers, login_rep, powers

        db = database_proxy.obj
        if powers(db) is Powers.REP:
            raise CockpitError(REFUSED)
        problem = login_rep(db, rep)
        if problem:
            raise ValidationError(problem)
    return rep


@contextmanager
def _refused_as_cockpit_error() -> Iterator[None]:
    """The server's refusal, said as the rule it enforces."""
    from peewee import DatabaseError as PeeweeDatabaseError

    try:
        yield
    except PeeweeDatabaseError as error:
        if "row-level security" in str(error) or "permission denied" in str(error):
            raise CockpitError(REFUSED) from None
        raise
