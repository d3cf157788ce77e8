"""What `cockpit clients` and `cockpit deal` print."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date

from cockpit.dates import ago
from cockpit.health import Tier
from cockpit.text import cell_width, fit, json_printable, printable
from cockpit.vocabulary import STRATEGIC_MARK


def as_json(shown: Sequence, tags: Mapping[int, Sequence[str]]) -> str:
    rows = [
        {
            "id": r.id,
            "client": r.name,
            "company": r.company,
            "lifecycle": r.lifecycle,
            "health": r.health.value,
            "tier": r.tier.value,
            "strategic": r.strategic,
            "last_touch": r.last_touch.isoformat() if r.last_touch else None,
            "tags": list(tags.get(r.id, [])),
        }
        for r in shown
    ]
    return json_printable(json.dumps(rows, ensure_ascii=False, indent=2))


def as_table(shown: Sequence, today: date) -> str:
    """A line a client: name, company, health (marked when it needs attention), tier, and
    how long since the last touch."""
    table = [("CLIENT", "COMPANY", "HEALTH", "TIER", "LAST TOUCH")] + [
        (
            printable(r.name),
            printable(r.company),
            ("! " if r.needs_attention else "") + r.health.value,
            (r.tier.value if r.tier is not Tier.OTHER else "")
            + (STRATEGIC_MARK if r.strategic else ""),
            ago(r.last_touch, today),
        )
        for r in shown
    ]
    # Widths in terminal cells: an emoji or a CJK name takes two a character.
    widths = [min(30, max(cell_width(row[column]) for row in table)) for column in range(5)]
    lines = []
    for row in table:
        cells = [fit(cell, width) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    if any(r.strategic for r in shown):
        lines += ["", f"{STRATEGIC_MARK} pinned as strategic."]
    return "\n".join(lines)


def none_found(query: str, *, team: bool, tags: Sequence[str] = ()) -> str:
    if tags:
        whose = "No client" if team else "None of your clients"
        matches = f" matches {query!r} and" if query else ""
        tagged = " and ".join(repr(tag) for tag in tags)
        more = "" if team else " (--team searches the team's)"
        return printable(f"{whose}{matches} is tagged {tagged}{more}.")
    shown = printable(query)
    if team:
        return f"No client matches {shown!r}." if query else "No clients yet."
    if query:
        return f"None of your clients matches {shown!r} (--team searches the team's)."
    return "You have no clients yet (--team lists the team's)."


def deal_recorded(client: str, deal, *, made_active: bool = False) -> str:
    active = (
        " The first won deal: no longer a prospect, now an active client." if made_active else ""
    )
    renews = ""
    if deal.renews_on is not None:
        renews = f" It renews on {deal.renews_on.isoformat()}"
        renews += f", then every {deal.term_months} months." if deal.term_months else "."
    elif deal.term_months:
        renews = f" It renews every {deal.term_months} months from the day it was won."
    return printable(
        f"Recorded a won deal for {client}: {deal.amount:,.2f} {deal.currency} "
        f"on {deal.won_on.isoformat()}.{renews}{active}"
    )
