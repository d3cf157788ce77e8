"""Accounts as an account manager weighs them: the roll-up of their people's revenue and
time, their tier, their health, and the next renewal.

Plain data, no Textual: `cockpit accounts` prints it, the cockpit's accounts list shows it,
the weekly review's renewals part reads it, tests read it directly.

An account's health takes the client health values. It is judged on its people's touches
against the strictest cadence of its key people (decision makers, champions; of all its
people when none is named): drifting when one of its key people is drifting, or when
nobody there was touched within that cadence (times the tolerance); lapsed after a year
without a touch; in its honeymoon while its first win is; recovering while a key person
is. A key or core account with one touched person is single-threaded.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date

from cockpit.config import HealthSettings, settings
from cockpit.dates import short_day
from cockpit.health import ClientHealth, Health
from cockpit.health.accounts import CORE_CADENCE_TIERS, AccountTier, account_figures, account_tiers
from cockpit.health.judge import weighed_ids
from cockpit.health_cache import (
    cached_verdicts_and_facts,
    keep_values,
    kept_beside,
    kept_values,
)
from cockpit.renewals import next_renewal
from cockpit.storage import account_people, renewing_deals
from cockpit.storage import accounts as stored
from cockpit.storage.account_people import Person
from cockpit.storage.health_facts import in_transaction
from cockpit.validation import money
from cockpit.vocabulary import KEY_ROLES, Lifecycle, role_label, roles_in_words, stored_roles

RENEWAL_SOON_DAYS = 90  # a renewal this close, on a drifting account, is a risk
_TIER_ORDER = {AccountTier.KEY: 0, AccountTier.CORE: 1, AccountTier.OTHER: 2}
_ATTENTION = {Health.DRIFTING: 0, Health.LAPSED: 1, Health.RECOVERING: 2}


@dataclass(frozen=True)
class AccountPerson(Person):
    """One of an account's people (`storage.account_people.Person`), with their verdict (None for
    one no longer judged)."""

    verdict: ClientHealth | None = None

    @property
    def key_person(self) -> bool:
        return self.left_on is None and any(role in KEY_ROLES for role in self.roles)

    def roles_text(self) -> str:
        return roles_in_words(stored_roles(self.roles), self.role_note)

    @property
    def health_word(self) -> str | None:
        """Their health as the account shows it ("former client" for one no longer a
        client); None when they are not judged."""
        if self.verdict is None:
            return None
        return "former client" if self.verdict.lifecycle == "former" else self.verdict.health.value

    def with_roles(self) -> str:
        """ "Ann Smith (champion)"."""
        roles = self.roles_text()
        return f"{self.name} ({roles})" if roles else self.name


@dataclass(frozen=True)
class Renewal:
    day: date
    amount_cents: int
    currency: str

    def text(self) -> str:
        return f"{money(self.amount_cents, self.currency)} on {short_day(self.day)}"


@dataclass(frozen=True)
class AccountHealth:
    """The roll-up and verdict of one account on a day."""

    id: int
    name: str
    owner: str
    domains: tuple[str, ...]
    notes: str
    pinned_key: bool
    tier: AccountTier
    health: Health
    revenue_12m_cents: int
    revenue_24m_cents: int
    minutes: int
    revenue_share: float
    time_share: float
    contacts: int  # the people there now (neither former clients nor archived)
    touched_90d: int  # of them, those touched in the recent days (90)
    single_threaded: bool
    last_touch: date | None
    silence: int | None  # days since anyone there was touched (or the first win)
    cadence: float | None  # the strictest cadence of its key people
    next_renewal: Renewal | None
    people: tuple[AccountPerson, ...]  # there now, then those who moved on
    champions_left: tuple[AccountPerson, ...]  # key people who moved on, not replaced
    touched: tuple[AccountPerson, ...]  # the people there touched in the recent days
    key_people: tuple[AccountPerson, ...]  # its decision makers and champions there now
    as_of: date
    rules: HealthSettings = field(repr=False, compare=False)

    @property
    def explanation(self) -> str:
        """The verdict in one line of plain words, naming the people (worked out when
        asked: a list of 2,000 accounts shows none)."""
        return _explanation(self, list(self.key_people), list(self.touched), self.rules)

    @property
    def drifting(self) -> bool:
        return self.health is Health.DRIFTING

    @property
    def renewal_at_risk(self) -> bool:
        """A renewal within 90 days while the relationship is drifting (or lapsed)."""
        renewal = self.next_renewal
        return (
            renewal is not None
            and (renewal.day - self.as_of).days <= RENEWAL_SOON_DAYS
            and self.health in (Health.DRIFTING, Health.LAPSED)
        )

    @property
    def current_people(self) -> list[AccountPerson]:
        return [person for person in self.people if person.left_on is None]


def whom_to_call(people: list[AccountPerson]) -> AccountPerson:
    """Of an account's people, the one to call about it: a drifting key person (decision
    maker, champion), else a key person, else whoever brings the most."""

    def pressing(person: AccountPerson) -> tuple:
        verdict = person.verdict
        return (
            not (person.key_person and verdict.health in (Health.DRIFTING, Health.LAPSED)),
            not person.key_person,
            -verdict.revenue_cents,
            person.name.casefold(),
        )

    return min(people, key=pressing)


def attention_order(account: AccountHealth) -> tuple:
    """Drifting accounts first (the key, then the core ones, the most revenue first), then
    lapsed and recovering ones, then the rest the same way."""
    return (
        _ATTENTION.get(account.health, 3),
        _TIER_ORDER.get(account.tier, 3),
        -account.revenue_24m_cents,
        account.name.casefold(),
        account.id,
    )


def accounts_health(
    as_of: date, rules: HealthSettings | None = None, only: Collection[int] | None = None
) -> list[AccountHealth]:
    """Every account's roll-up and verdict (those in `only`, if given), most pressing first."""
    rules = rules or settings().health
    split = _split(as_of, rules)
    by_id, figures, tiered, total_revenue, total_minutes, renewals, recent = split
    rows = stored.account_rows(only)
    people = account_people.people_of([row.id for row in rows] if only is not None else None)
    judged = []
    for row in rows:
        kept = figures.get(row.id)
        there = [
            AccountPerson(
                p.client_id, p.name, p.roles, p.role_note, p.left_on, by_id.get(p.client_id)
            )
            for p in people.get(row.id, [])
        ]
        judged.append(
            _judged(
                row,
                tiered.get(row.id, AccountTier.KEY if row.pinned_key else AccountTier.OTHER),
                kept,
                there,
                renewals.get(row.id),
                recent,
                total_revenue,
                total_minutes,
                as_of,
                rules,
            )
        )
    return sorted(judged, key=attention_order)


def _split(as_of: date, rules: HealthSettings) -> tuple:
    """What judging any account takes from every client: the verdicts by id, each
    account's figures and tier (the 80/20 split over accounts), the totals, the next
    renewals and the recent touches by account. Kept in memory while the book, the day
    and the rules are the same: one account's verdict then costs its own rows alone (a
    brief asks for one after another)."""
    _, key = kept_beside(_KEPT, as_of, rules)
    with _split_lock:
        kept = _split_kept.get("split")
    if kept is not None and kept[0] == key:
        return kept[1]
    verdicts, facts = cached_verdicts_and_facts(as_of, rules)
    by_id = {verdict.id: verdict for verdict in verdicts}
    figures = account_figures(facts, weighed_ids(facts.clients, as_of))
    tiered, total_revenue, total_minutes = account_tiers(figures, facts.pinned, rules)
    split = (
        by_id,
        figures,
        tiered,
        total_revenue,
        total_minutes,
        next_renewals(as_of),
        _recent_at(facts.moved),
    )
    # Never what a transaction that may yet be rolled back sees, and not after a write.
    if not in_transaction() and kept_beside(_KEPT, as_of, rules)[1] == key:
        with _split_lock:
            _split_kept["split"] = (key, split)
    return split


def account_tiers_now(as_of: date, rules: HealthSettings | None = None) -> dict[int, AccountTier]:
    """Every account's tier as of `as_of` (key when pinned, else by the 80/20 split)."""
    return dict(_split(as_of, rules or settings().health)[2])


_split_kept: dict[str, tuple] = {}
_split_lock = threading.Lock()


def account_health(account_id: int, as_of: date) -> AccountHealth | None:
    found = accounts_health(as_of, only=[account_id])
    return found[0] if found else None


def _recent_at(moved: dict[int, tuple]) -> dict[tuple[int, int], int]:
    """For people who moved: their recent touch days at each account."""
    return {
        (client_id, account): days
        for client_id, shares in moved.items()
        for account, _revenue, _stake, _minutes, days in shares
        if account is not None
    }


def next_renewals(as_of: date) -> dict[int, Renewal]:
    """Each account's next renewal: the earliest coming, the deals renewing that day summed
    (per currency: the home currency's when there are several)."""
    home = settings().currency
    coming: dict[int, dict[date, dict[str, int]]] = {}
    for deal in renewing_deals.renewing_deals():
        if deal.account_id is None:
            continue
        day = next_renewal(deal.won_on, deal.renews_on, deal.term_months, as_of)
        if day is None:
            continue
        sums = coming.setdefault(deal.account_id, {}).setdefault(day, {})
        sums[deal.currency] = sums.get(deal.currency, 0) + deal.amount_cents
    found = {}
    for account_id, days in coming.items():
        day = min(days)
        sums = days[day]
        currency = home if home in sums else min(sums)
        found[account_id] = Renewal(day, sums[currency], currency)
    return found


def _judged(
    row: stored.AccountRow,
    tier: AccountTier,
    kept,
    there: list[AccountPerson],
    renewal: Renewal | None,
    recent: dict[tuple[int, int], int],
    total_revenue: int,
    total_minutes: int,
    as_of: date,
    rules: HealthSettings,
) -> AccountHealth:
    now = [
        person
        for person in there
        if person.left_on is None
        and person.verdict is not None
        and person.verdict.lifecycle != Lifecycle.FORMER.value
        and not person.verdict.archived
    ]
    touched = [
        person
        for person in now
        if recent.get((person.client_id, row.id), person.verdict.recent_touches and 1)
    ]
    key_people = [person for person in now if person.key_person]
    won = [person for person in now if person.verdict.won_on is not None]
    judged_by = [person for person in (key_people or now) if person.verdict.plan_interval]
    cadence = min((person.verdict.plan_interval for person in judged_by), default=None)
    if cadence is None and won:
        core_like = tier in CORE_CADENCE_TIERS
        cadence = float(rules.cadence_days("core" if core_like else tier.value))
    lasts = [person.verdict.last_touch for person in now if person.verdict.last_touch]
    last_touch = max(lasts, default=None)
    first_won = min((person.verdict.won_on for person in won), default=None)
    silence = None
    if first_won is not None:
        since = last_touch if last_touch is not None and last_touch > first_won else first_won
        silence = (as_of - since).days
    health = _health(key_people, won, silence, cadence, first_won, as_of, rules)
    single = tier in CORE_CADENCE_TIERS and len(touched) == 1
    replaced = {role for person in now for role in person.roles if role in KEY_ROLES}
    left = tuple(
        person
        for person in there
        if person.left_on is not None
        and any(role in KEY_ROLES and role not in replaced for role in person.roles)
    )
    revenue = kept.revenue_cents if kept else 0
    minutes = kept.minutes if kept else 0
    counted = kept is not None and kept.weighed
    account = AccountHealth(
        id=row.id,
        name=row.name,
        owner=row.owner,
        domains=row.domains,
        notes=row.notes,
        pinned_key=row.pinned_key,
        tier=tier,
        health=health,
        revenue_12m_cents=revenue,
        revenue_24m_cents=kept.stake_cents if kept else 0,
        minutes=minutes,
        revenue_share=revenue / total_revenue if counted and total_revenue else 0.0,
        time_share=minutes / total_minutes if counted and total_minutes else 0.0,
        contacts=len(now),
        touched_90d=len(touched),
        single_threaded=single,
        last_touch=last_touch,
        silence=silence,
        cadence=cadence,
        next_renewal=renewal,
        people=tuple(there),
        champions_left=left,
        touched=tuple(touched),
        key_people=tuple(key_people),
        as_of=as_of,
        rules=rules,
    )
    return account


def _health(
    key_people: list[AccountPerson],
    won: list[AccountPerson],
    silence: int | None,
    cadence: float | None,
    first_won: date | None,
    as_of: date,
    rules: HealthSettings,
) -> Health:
    if not won or silence is None:
        return Health.PROSPECT
    if silence >= rules.lapsed_days:
        return Health.LAPSED
    healths = {person.verdict.health for person in key_people}
    if Health.DRIFTING in healths or Health.LAPSED in healths:
        return Health.DRIFTING
    if cadence is not None and silence > rules.cadence_tolerance * cadence:
        return Health.DRIFTING
    if (as_of - first_won).days < rules.honeymoon_days:
        return Health.HONEYMOON
    if Health.RECOVERING in healths:
        return Health.RECOVERING
    return Health.STEADY


def _explanation(
    account: AccountHealth,
    key_people: list[AccountPerson],
    touched: list[AccountPerson],
    rules: HealthSettings,
) -> str:
    health, name = account.health, account.name
    parts: list[str] = []
    if health is Health.PROSPECT:
        parts.append(f"No won deal at {name} yet.")
    elif health is Health.LAPSED:
        parts.append(f"Nobody at {name} touched in {account.silence} days: win back or let go.")
    elif health is Health.DRIFTING:
        drifting = [
            person
            for person in key_people
            if person.verdict.health in (Health.DRIFTING, Health.LAPSED)
        ]
        if drifting:
            named = ", ".join(
                f"{person.with_roles()} {_last(person.verdict)}" for person in drifting
            )
            parts.append(f"Drifting: {named}.")
        else:
            parts.append(
                f"Nobody at {name} touched in {account.silence} days; "
                f"the cadence is every {_whole(account.cadence)} days."
            )
    elif health is Health.HONEYMOON:
        parts.append(f"In the honeymoon of its first win; {_touched(account, touched, rules)}.")
    elif health is Health.RECOVERING:
        back = [p for p in key_people if p.verdict.health is Health.RECOVERING]
        who = ", ".join(person.name for person in back) or "its people"
        parts.append(f"Recovering: back in touch with {who}.")
    else:
        parts.append(f"Steady: {_touched(account, touched, rules)}.")
    if account.single_threaded:
        parts.append(
            f"Single-threaded: only {touched[0].name} was touched in {rules.recent_days} days."
        )
    for person in account.champions_left:
        roles = " and ".join(role_label(r) for r in person.roles if r in KEY_ROLES)
        parts.append(
            f"{roles.capitalize()} left: {person.name} moved on {short_day(person.left_on)}."
        )
    if not key_people and account.contacts and health is not Health.PROSPECT:
        parts.append("No decision maker or champion named.")
    return " ".join(parts)


def _touched(account: AccountHealth, touched: list[AccountPerson], rules: HealthSettings) -> str:
    line = f"{len(touched)} of {account.contacts} people touched in {rules.recent_days} days"
    if account.last_touch is not None:
        line += f", the last {_days_ago((account.as_of - account.last_touch).days)}"
    return line


def _last(verdict: ClientHealth) -> str:
    if verdict.last_touch is None:
        return "never touched"
    return f"last touched {_days_ago((verdict.as_of - verdict.last_touch).days)}"


def _days_ago(days: int) -> str:
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


def _whole(days: float | None) -> int:
    return max(1, math.floor((days or 0) + 0.5))


@dataclass(frozen=True)
class AccountTimelineEntry:
    """A line of an account's timeline: whose touch or deal it was."""

    person: str
    client_id: int
    entry: object  # a client_view.TimelineEntry or DealEntry


def account_timeline(account: AccountHealth, limit: int = 300) -> list[AccountTimelineEntry]:
    """Every touch and deal of the account's people while they were there, newest first:
    those who moved on until they left, those who came from elsewhere since they came."""
    from cockpit.client_view import DealEntry, timeline

    people = {person.client_id: person for person in account.people}
    moves = account_people.moves_by_person(list(people))
    lines = []
    for client_id, person in people.items():
        now_at = None if person.left_on is not None else account.id
        for entry in timeline(client_id, limit):
            if account_people.account_on(moves, client_id, entry.day, now_at) == account.id:
                lines.append(AccountTimelineEntry(person.name, client_id, entry))
    lines.sort(key=lambda line: (line.entry.day, isinstance(line.entry, DealEntry)), reverse=True)
    return lines[:limit]


# --- The list, kept beside the verdicts --------------------------------------------------


@dataclass(frozen=True)
class AccountSummary:
    """What the list of accounts shows of one (`cockpit accounts`)."""

    id: int
    name: str
    tier: AccountTier
    health: Health
    pinned_key: bool
    revenue_12m_cents: int
    contacts: int
    touched_90d: int
    single_threaded: bool
    next_renewal: Renewal | None
    renewal_at_risk: bool
    explanation: str

    @property
    def drifting(self) -> bool:
        return self.health is Health.DRIFTING


_KEPT = ".accounts"
_KEPT_LAYOUT = ("accounts", 1)
# An explanation is kept with its names left out (the cache's files hold none): a person's
# name and own words, and the account's name, are read from the book as it is shown.
_NAME, _NOTE, _ACCOUNT = "\x00", "\x01", "\x02"
_MARKS = re.compile("([\x00\x01])([0-9]+)[\x00\x01]|\x02")


def account_summaries(as_of: date, rules: HealthSettings | None = None) -> list[AccountSummary]:
    """Every account as the list shows it, most pressing first: read from the file kept
    beside the verdicts while the book, the day and the rules are the same, else worked
    out (`accounts_health`) and kept."""
    rules = rules or settings().health
    file, key = kept_beside(_KEPT, as_of, rules)
    if file is not None:
        found = _read_kept(file, key)
        if found is not None:
            return found
    judged = accounts_health(as_of, rules)
    rows = [_kept_row(account) for account in judged]
    if file is not None and kept_beside(_KEPT, as_of, rules)[1] == key:
        keep_values(file, [_KEPT_LAYOUT, key, rows])
    return [
        AccountSummary(
            a.id,
            a.name,
            a.tier,
            a.health,
            a.pinned_key,
            a.revenue_12m_cents,
            a.contacts,
            a.touched_90d,
            a.single_threaded,
            a.next_renewal,
            a.renewal_at_risk,
            a.explanation,
        )
        for a in judged
    ]


def _kept_row(account: AccountHealth) -> tuple:
    """An account's summary as the file keeps it: numbers, and the explanation with marks
    where names go."""
    masked = [
        replace(
            person,
            name=f"{_NAME}{person.client_id}{_NAME}",
            role_note=f"{_NOTE}{person.client_id}{_NOTE}" if person.role_note else "",
        )
        for person in account.people
    ]
    by_id = {person.client_id: person for person in masked}
    template = replace(
        account,
        name=_ACCOUNT,
        people=tuple(masked),
        touched=tuple(by_id[p.client_id] for p in account.touched),
        key_people=tuple(by_id[p.client_id] for p in account.key_people),
        champions_left=tuple(by_id[p.client_id] for p in account.champions_left),
    ).explanation
    renewal = account.next_renewal
    return (
        account.id,
        account.tier.value,
        account.health.value,
        account.pinned_key,
        account.revenue_12m_cents,
        account.contacts,
        account.touched_90d,
        account.single_threaded,
        None
        if renewal is None
        else (renewal.day.toordinal(), renewal.amount_cents, renewal.currency),
        account.renewal_at_risk,
        template,
    )


def _read_kept(file, key: tuple) -> list[AccountSummary] | None:
    try:
        values = kept_values(file)
        if next(values) != _KEPT_LAYOUT or next(values) != key:
            return None
        rows = next(values)
        names = stored.account_names()
        mentioned = {
            int(match[2]) for row in rows for match in _MARKS.finditer(row[-1]) if match[2]
        }
        people = account_people.people_words(mentioned)
        return [_summary(row, names, people) for row in rows]
    except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError, StopIteration):
        return None  # unreadable, or not what this version writes: worked out afresh


def _summary(row: tuple, names: dict[int, str], people: dict) -> AccountSummary:
    account_id, tier, health, pinned, revenue, contacts, touched, single, renewal = row[:9]
    at_risk, text = row[9:]
    name = names[account_id]

    def filled(match: re.Match) -> str:
        if match[0] == _ACCOUNT:
            return name
        who = people[int(match[2])]  # a KeyError: gone since, so the file is not used
        return who[0] if match[1] == _NAME else who[1]

    return AccountSummary(
        account_id,
        name,
        AccountTier(tier),
        Health(health),
        pinned,
        revenue,
        contacts,
        touched,
        single,
        None if renewal is None else Renewal(date.fromordinal(renewal[0]), renewal[1], renewal[2]),
        at_risk,
        _MARKS.sub(filled, text),
    )
