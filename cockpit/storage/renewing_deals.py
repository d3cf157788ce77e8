"""The deals that renew (a renewal day or a term), each with the account it was won for."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from cockpit.storage.account_people import account_on, moves_by_person, stored_day
from cockpit.storage.models import (
    Client,
    Deal,
)


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
        renews = stored_day(renews_on) if renews_on else None
        found.append(
            RenewingDeal(
                deal_id,
                client_id,
                account_id,
                cents,
                currency,
                stored_day(won_on),
                renews,
                term,
                what,
            )
        )
    moved = moves_by_person({deal.client_id for deal in found})
    return [
        replace(deal, account_id=account_on(moved, deal.client_id, deal.won_on, deal.account_id))
        for deal in found
    ]


def largest_deal(client_id: int) -> int | None:
    """The id of a person's largest won deal (the first of equals)."""
    return (
        Deal.select(Deal.id)
        .where(Deal.client == client_id)
        .order_by(Deal.amount_cents.desc(), Deal.id)
        .scalar()
    )
