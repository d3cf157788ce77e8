"""How the accounts screen shows an account, a person at one, and a line of an account's
timeline: user data as text, never markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from cockpit.text import printable, shorten
from cockpit.ui.widgets.timeline_pane import DEAL_MARK, MARKS

if TYPE_CHECKING:
    from cockpit.account_view import AccountHealth, AccountPerson, AccountTimelineEntry

DRIFT_MARK = "!"
HEALTH_STYLES = {"drifting": "bold red", "lapsed": "red", "recovering": "yellow"}


def account_line(account: AccountHealth, currency: str) -> Text:
    """One account in the list: a mark when drifting, name, health, tier (·1: single-
    threaded), revenue over 12 months, how many of its people were touched lately, and ↻
    when its renewal is at risk."""
    from cockpit.validation import money

    line = Text(f"{DRIFT_MARK if account.drifting else ' '} ", style="bold red")
    line.append(printable(shorten(account.name, 22)).ljust(22), style="bold")
    health = account.health.value
    line.append(f" {health:<10}", style=HEALTH_STYLES.get(health, ""))
    tier = account.tier.value + ("·1" if account.single_threaded else "")
    line.append(f"{tier:<11}")
    line.append(f"{money(account.revenue_12m_cents, currency):>9}")
    line.append(f" {account.touched_90d}/{account.contacts}", style="dim")
    if account.renewal_at_risk:
        line.append(" ↻", style="bold red")
    return line


def person_line(person: AccountPerson) -> Text:
    verdict = person.verdict
    line = Text(printable(person.name), style="bold" if person.key_person else "")
    roles = person.roles_text()
    if roles:
        line.append(f" · {printable(roles)}", style="cyan")
    if person.left_on is not None:
        line.append(f" · moved on {person.left_on:%d %b %Y}", style="dim")
    elif verdict is not None:
        style = HEALTH_STYLES.get(verdict.health.value, "dim")
        line.append(f" · {person.health_word}", style=style)
    return line


def timeline_line(line: AccountTimelineEntry) -> Text:
    """A touch or deal of the account, with whose it was."""
    entry = line.entry
    text = Text(f"{entry.day:%d %b %Y}  ")
    if hasattr(entry, "amount_cents"):
        text.append(f"{DEAL_MARK} ", style="green")
        text.append(printable(shorten(entry.text, 80)), style="bold green")
    elif not hasattr(entry, "intent"):  # a day the person wrote to you: not a touch
        text.append("✉ Heard from them", style="dim italic")
        summary = (entry.summary.strip().splitlines() or [""])[0]
        if summary:
            text.append(f": {printable(shorten(summary, 80))}", style="dim")
    else:
        mark = MARKS.get(entry.intent, " ") if entry.is_touch else "·"
        text.append(f"{mark} {entry.label}", style="bold" if entry.is_touch else "dim")
        summary = (entry.summary.strip().splitlines() or [""])[0]
        if summary:
            text.append(f": {printable(shorten(summary, 80))}")
    text.append(f" · {printable(line.person)}", style="cyan")
    return text
