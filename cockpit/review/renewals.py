"""The weekly review's renewals at risk: an account whose contract comes up for renewal
within 90 days while the relationship with it is drifting (`account_view`). Its item names
the person to call: a drifting decision maker or champion, else a key person, else whoever
there brings the most."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from cockpit.account_view import (
    RENEWAL_SOON_DAYS,
    AccountHealth,
    AccountPerson,
    accounts_health,
    next_renewals,
    whom_to_call,
)
from cockpit.dates import short_day
from cockpit.health import Health
from cockpit.review.items import AgendaItem
from cockpit.validation import money

_DRIFTED = (Health.DRIFTING, Health.LAPSED)


def renewals_at_risk(as_of: date, ours: Collection[int] | None = None) -> list[AgendaItem]:
    """An item per account at risk (of those where one of `ours` works, when given), the
    soonest renewal first."""
    # The accounts renewing soon first (a query of the few deals that renew), and only
    # those judged: most weeks none is, and the review need not weigh 2,000 accounts.
    soon = {
        account_id
        for account_id, renewal in next_renewals(as_of).items()
        if (renewal.day - as_of).days <= RENEWAL_SOON_DAYS
    }
    if not soon:
        return []
    at_risk = sorted(
        (account for account in accounts_health(as_of, only=soon) if account.renewal_at_risk),
        key=lambda a: (a.next_renewal.day, -a.next_renewal.amount_cents, a.name.casefold()),
    )
    items = []
    for account in at_risk:
        people = [
            p for p in account.current_people if p.verdict and (ours is None or p.client_id in ours)
        ]
        if not people:
            continue
        person = whom_to_call(people)
        items.append(
            AgendaItem(
                f"renewals:{account.id}",
                "renewals",
                person.client_id,
                person.name,
                account.name,
                renewal_text(account),
                due=account.next_renewal.day,
            )
        )
    return items


def renewal_text(account: AccountHealth) -> str:
    """ "Renewal of $48,000 on Mon 1 Feb; nobody at Brightline Health touched in 63 days"."""
    renewal = account.next_renewal
    head = f"Renewal of {money(renewal.amount_cents, renewal.currency)} on {short_day(renewal.day)}"
    drifting = [
        person
        for person in account.current_people
        if person.key_person and person.verdict and person.verdict.health in _DRIFTED
    ]
    if drifting:
        named = ", ".join(
            f"{person.with_roles()} last touched {_days(person)} days ago" for person in drifting
        )
        return f"{head}; {named}."
    return f"{head}; nobody at {account.name} touched in {account.silence} days."


def _days(person: AccountPerson) -> int | str:
    verdict = person.verdict
    if verdict.last_touch is None:
        return "never"
    return (verdict.as_of - verdict.last_touch).days
