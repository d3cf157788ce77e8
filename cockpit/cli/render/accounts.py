"""What `cockpit accounts`, `cockpit account` and the other account commands print."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from cockpit.dates import ago, short_day
from cockpit.text import cell_width, fit, json_printable, printable
from cockpit.validation import money
from cockpit.vocabulary import DRIFT_MARK

if TYPE_CHECKING:
    from cockpit.account_view import AccountHealth, AccountPerson, AccountSummary


def _amount(cents: int) -> str:
    return str(Decimal(cents).scaleb(-2))


def _renewal(account: AccountHealth | AccountSummary) -> dict | None:
    renewal = account.next_renewal
    if renewal is None:
        return None
    return {
        "on": renewal.day.isoformat(),
        "amount": _amount(renewal.amount_cents),
        "currency": renewal.currency,
    }


def _summary(account: AccountHealth | AccountSummary) -> dict:
    return {
        "id": account.id,
        "account": account.name,
        "tier": account.tier.value,
        "health": account.health.value,
        "drifting": account.drifting,
        "revenue_12m": _amount(account.revenue_12m_cents),
        "contacts": account.contacts,
        "touched_90d": account.touched_90d,
        "single_threaded": account.single_threaded,
        "next_renewal": _renewal(account),
        "explanation": account.explanation,
    }


def as_json(accounts: Sequence[AccountSummary]) -> str:
    return json_printable(json.dumps([_summary(a) for a in accounts], ensure_ascii=False, indent=2))


def _person(person: AccountPerson) -> dict:
    verdict = person.verdict
    return {
        "id": person.client_id,
        "client": person.name,
        "roles": [role.value for role in person.roles],
        "role_note": person.role_note,
        "lifecycle": verdict.lifecycle if verdict else None,
        "health": verdict.health.value if verdict else None,
        "drifting": bool(verdict and verdict.drifting),
        "last_touch": verdict.last_touch.isoformat() if verdict and verdict.last_touch else None,
        "left_on": person.left_on.isoformat() if person.left_on else None,
    }


def account_json(account: AccountHealth, domains: Sequence[str], notes: str) -> str:
    document = {
        **_summary(account),
        "owner": account.owner,
        "pinned_key": account.pinned_key,
        "revenue_24m": _amount(account.revenue_24m_cents),
        "time_minutes": account.minutes,
        "revenue_share": round(account.revenue_share, 4),
        "time_share": round(account.time_share, 4),
        "last_touch": account.last_touch.isoformat() if account.last_touch else None,
        "renewal_at_risk": account.renewal_at_risk,
        "champions_left": [person.name for person in account.champions_left],
        "domains": list(domains),
        "notes": notes,
        "people": [_person(person) for person in account.people],
    }
    return json_printable(json.dumps(document, ensure_ascii=False, indent=2))


def _table(rows: list[tuple[str, ...]], caps: Sequence[int]) -> list[str]:
    widths = [
        min(cap, max(cell_width(row[column]) for row in rows)) for column, cap in enumerate(caps)
    ]
    return [
        "  ".join(fit(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def as_table(accounts: Sequence[AccountSummary], currency: str) -> str:
    """A line an account, the most pressing first: name, health (marked when drifting),
    tier, revenue over the year, people touched lately of those there, the next renewal."""
    rows = [("ACCOUNT", "HEALTH", "TIER", "REVENUE 12M", "TOUCHED", "RENEWAL")]
    for account in accounts:
        renewal = account.next_renewal
        rows.append(
            (
                printable(account.name),
                (f"{DRIFT_MARK} " if account.drifting else "") + account.health.value,
                account.tier.value + (" 1-thread" if account.single_threaded else ""),
                money(account.revenue_12m_cents, currency),
                f"{account.touched_90d}/{account.contacts}",
                renewal.text() if renewal else "",
            )
        )
    return "\n".join(_table(rows, (32, 12, 18, 14, 8, 26)))


def none_found(query: str) -> str:
    if query:
        return f"No account matches {printable(query)!r}."
    return "No accounts yet: a client's company makes one (cockpit account NAME shows it)."


def account_text(
    account: AccountHealth, domains: Sequence[str], notes: str, currency: str, today: date
) -> str:
    """One account: its verdict, roll-up, renewal, people with roles and health."""
    tier = account.tier.value + (" (pinned)" if account.pinned_key else "")
    lines = [
        printable(account.name),
        f"  {account.health.value}, {tier}: {printable(account.explanation)}",
        f"  Revenue: {money(account.revenue_12m_cents, currency)} in 12 months "
        f"({account.revenue_share:.0%} of yours), {money(account.revenue_24m_cents, currency)} "
        f"in 24; time: {_hours(account.minutes)} in 12 months ({account.time_share:.0%})",
        f"  People: {account.contacts}, {account.touched_90d} touched in 90 days; last touch "
        f"{ago(account.last_touch, today)}",
    ]
    if account.next_renewal is not None:
        risk = " — at risk: the relationship is drifting" if account.renewal_at_risk else ""
        lines.append(f"  Next renewal: {account.next_renewal.text()}{risk}")
    if account.owner:
        lines.append(f"  Key account manager: {printable(account.owner)}")
    if domains:
        lines.append(f"  Domains: {', '.join(domains)}")
    if notes:
        lines.append("  Notes: " + printable(notes).replace("\n", "\n         "))
    people = [
        (
            printable(person.name),
            printable(person.roles_text()),
            _health_word(person),
            ago(person.verdict.last_touch, today) if person.verdict else "",
        )
        for person in account.current_people
    ]
    if people:
        lines += [
            "",
            *_table([("PERSON", "ROLES", "HEALTH", "LAST TOUCH"), *people], (30, 30, 11, 14)),
        ]
    former = [person for person in account.people if person.left_on is not None]
    if former:
        lines += ["", "Moved on:"]
        lines += [
            f"  {printable(person.name)}"
            + (f" ({printable(person.roles_text())})" if person.roles else "")
            + f", {short_day(person.left_on)} {person.left_on.year}"
            for person in former
        ]
    return "\n".join(lines)


def _health_word(person: AccountPerson) -> str:
    verdict = person.verdict
    if verdict is None:
        return ""
    if verdict.lifecycle == "former":
        return "former client"
    return verdict.health.value + (" (archived)" if verdict.archived else "")


def _hours(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes / 60:.1f} h"
