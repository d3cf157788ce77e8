"""The contracts coming up for renewal, deal by deal: each renewing deal's next renewal day
(its renewal day and every term after it, `renewals.next_renewal`), the account it was won
for (else the client who won it), and whether the renewal is at risk: within 90 days while
the relationship is drifting or lapsed (the account's, as `account_view` judges it; a
client's own at no account), with the person to call then.

Plain data, no Textual: `cockpit today` lists those within days, the calendar export has
them all. Deals of archived and former clients are left out.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from cockpit.account_view import RENEWAL_SOON_DAYS, AccountHealth, accounts_health, whom_to_call
from cockpit.dates import day_seen_from
from cockpit.health import ClientHealth, Health
from cockpit.health_cache import cached_compute
from cockpit.renewals import next_renewal
from cockpit.storage.accounts import account_now
from cockpit.storage.renewing_deals import renewing_deals
from cockpit.validation import money

_DRIFTED = (Health.DRIFTING, Health.LAPSED)


@dataclass(frozen=True)
class ComingRenewal:
    """One deal's next renewal."""

    deal_id: int
    day: date
    amount_cents: int
    currency: str
    description: str
    term_months: int | None  # renews every this many months; None: once
    client_id: int  # who won it
    client: str
    company: str
    account_id: int | None  # the account it was won for
    account: str  # its name ("" at no account)
    at_risk: bool
    call: str = ""  # at risk: whom to call, with their roles ("Ben Ueda (decision maker)")
    call_id: int | None = None
    as_of: date | None = None
    health: str = ""  # at risk: the relationship's health, "drifting" or "lapsed"

    @property
    def whose(self) -> str:
        """Whose contract it is: the account's, else the client's."""
        return self.account or self.client

    @property
    def amount(self) -> str:
        return money(self.amount_cents, self.currency)

    @property
    def in_days(self) -> int:
        return (self.day - self.as_of).days

    @property
    def what(self) -> str:
        """The deal's description, its first line."""
        return (self.description.strip().splitlines() or [""])[0]

    def line(self) -> str:
        """ "Renewal: Acme's contract ends Sat 12 Dec ($24,000), in 5 days: Annual licence."
        and, when at risk, whom to call."""
        days = self.in_days
        when = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
        what = f": {self.what}" if self.what else ""
        line = (
            f"Renewal: {self.whose}'s contract ends {day_seen_from(self.day, self.as_of)} "
            f"({self.amount}), {when}{what}."
        )
        return line + self.risk_words()

    def risk_words(self) -> str:
        """ " At risk, the relationship is lapsed: call Ben Ueda (decision maker)." or ""."""
        if not self.at_risk:
            return ""
        return f" At risk, the relationship is {self.health or 'drifting'}: call {self.call}."


def coming_renewals(
    as_of: date, until: date | None = None, ours: Collection[int] | None = None
) -> list[ComingRenewal]:
    """The next renewal of every deal that renews, from `as_of` to `until` (None: however
    far), of the clients `ours` (None: everyone's) neither archived nor former, the
    soonest first."""
    verdicts = {verdict.id: verdict for verdict in cached_compute(as_of)}
    found = []
    for deal in renewing_deals():
        client = verdicts.get(deal.client_id)
        if client is None or not client.still_a_client:
            continue
        if ours is not None and deal.client_id not in ours:
            continue
        day = next_renewal(deal.won_on, deal.renews_on, deal.term_months, as_of)
        if day is None or (until is not None and day > until):
            continue
        found.append((deal, day, client))
    accounts = _accounts(as_of, {deal.account_id for deal, _, _ in found if deal.account_id})
    renewals = []
    for deal, day, client in found:
        account = accounts.get(deal.account_id) if deal.account_id else None
        soon = (day - as_of).days <= RENEWAL_SOON_DAYS
        at_risk, call, call_id = _risk(account, client, soon, ours)
        health = (account.health if account else client.health).value if at_risk else ""
        renewals.append(
            ComingRenewal(
                deal.deal_id,
                day,
                deal.amount_cents,
                deal.currency,
                deal.description,
                deal.term_months,
                client.id,
                client.name,
                client.company,
                account.id if account else None,
                account.name if account else "",
                at_risk,
                call,
                call_id,
                as_of,
                health,
            )
        )
    return sorted(renewals, key=lambda r: (r.day, -r.amount_cents, r.whose.casefold(), r.deal_id))


def _accounts(as_of: date, account_ids: set[int]) -> dict[int, AccountHealth]:
    """The accounts judged, by the ids the deals hold (a spelling merged into another
    account stands for that one)."""
    now = {}
    for account_id in account_ids:
        row = account_now(account_id)
        if row is not None:
            now[account_id] = row.id
    if not now:
        return {}
    judged = {account.id: account for account in accounts_health(as_of, only=set(now.values()))}
    return {held: judged[live] for held, live in now.items() if live in judged}


def _risk(
    account: AccountHealth | None,
    client: ClientHealth,
    soon: bool,
    ours: Collection[int] | None,
) -> tuple[bool, str, int | None]:
    """Whether the renewal is at risk, and then whom to call (with their roles) and their
    id: of the people there now (of `ours`), as the weekly review picks them."""
    if not soon:
        return False, "", None
    if account is None:
        if client.health in _DRIFTED:
            return True, client.name, client.id
        return False, "", None
    if account.health not in _DRIFTED:
        return False, "", None
    people = [
        person
        for person in account.current_people
        if person.verdict is not None
        and person.verdict.still_a_client
        and (ours is None or person.client_id in ours)
    ]
    if not people:
        return True, client.name, client.id
    person = whom_to_call(people)
    return True, person.with_roles(), person.client_id
