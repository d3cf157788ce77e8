"""`cockpit drift`: the health verdicts as a readable table or as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from cockpit.health import ClientHealth
from cockpit.text import cell_width, fit, printable

DRIFT_MARK = "!"  # drifting clients stand out without colour


def as_json(results: Sequence[ClientHealth]) -> str:
    def number(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return json.dumps(
        [
            {
                "id": r.id,
                "client": r.name,
                "company": r.company,
                "lifecycle": r.lifecycle,
                "archived": r.archived,
                "strategic": r.strategic,
                "snoozed_until": day(r.snoozed_until),
                "health": r.health.value,
                "drifting": r.drifting,
                "needs_attention": r.needs_attention,
                "tier": r.tier.value,
                "won_on": day(r.won_on),
                "honeymoon_end": day(r.honeymoon_end),
                "last_touch": day(r.last_touch),
                "days_since_last_touch": r.days_since_last_touch,
                "honeymoon_interval": number(r.honeymoon_interval),
                "current_interval": number(r.current_interval),
                "plan_interval": number(r.plan_interval),
                "plan_source": r.plan_source,
                "severity": number(r.severity),
                "revenue": str(r.revenue),
                "revenue_share": number(r.revenue_share),
                "time_minutes": r.time_minutes,
                "time_share": number(r.time_share),
                "give_ratio": number(r.give_ratio),
                "referral_ask_due": r.referral_ask_due,
                "explanation": r.explanation,
                "tier_explanation": r.tier_explanation,
                "give_explanation": r.give_explanation,
            }
            for r in results
        ],
        ensure_ascii=False,
        indent=2,
    )


def _cell(text: str, width: int) -> str:
    """`text` in `width` terminal cells (an emoji or a CJK character takes two)."""
    return fit(printable(text), width)


def _last_touch(r: ClientHealth) -> str:
    days = r.days_since_last_touch
    if days is None:
        return "never"
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


def as_table(results: Sequence[ClientHealth], as_of: date, *, everyone: bool, width: int) -> str:
    """One line per client and its explanation below it, indented."""
    if not results:
        if everyone:
            return "The book has no clients yet."
        return f"Nobody needs attention on {as_of.isoformat()}: no active client is drifting."
    core = sum(1 for r in results if r.needs_attention and r.counts_as_core)
    if everyone:
        title = f"All {len(results)} clients on {as_of.isoformat()}, those needing attention first"
    else:
        count = "1 client needs" if len(results) == 1 else f"{len(results)} clients need"
        title = f"{count} attention on {as_of.isoformat()}"
        if core:
            title += f"; {core} of them core, listed first"
    name_width = max(12, min(28, max(cell_width(printable(r.name)) for r in results)))
    company_width = max(7, min(24, max(cell_width(printable(r.company)) for r in results)))
    header = (
        f"  {'CLIENT'.ljust(name_width)}  {'COMPANY'.ljust(company_width)}  "
        f"{'HEALTH':<9}  {'TIER':<10}  LAST TOUCH"
    )
    lines = [title, "", header]
    for r in results:
        mark = DRIFT_MARK if r.needs_attention else " "
        tier = r.tier.value + ("*" if r.strategic and r.tier.value != "core" else "")
        lines.append(
            f"{mark} {_cell(r.name, name_width)}  {_cell(r.company, company_width)}  "
            f"{r.health.value:<9}  {tier:<10}  {_last_touch(r)}"
        )
        notes = [r.explanation]
        if r.give_explanation:
            notes.append(r.give_explanation)
        if r.snoozed_until and r.snoozed_until > as_of:
            notes.append(f"Snoozed until {r.snoozed_until.isoformat()}.")
        for note in notes:
            lines.append(_wrap(printable(note), width, indent=4))
    lines.append("")
    lines.append(f"Marks: {DRIFT_MARK} needs attention, * pinned as strategic.")
    return "\n".join(lines)


def _wrap(text: str, width: int, indent: int) -> str:
    import textwrap

    return textwrap.fill(
        text,
        width=max(40, width),
        initial_indent=" " * indent,
        subsequent_indent=" " * indent,
    )
