"""`cockpit drift`: the health verdicts as a readable table or as JSON."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from operator import attrgetter, itemgetter

from cockpit.cli.render.flat_json import flat_columns_json
from cockpit.health import FIELDS, ClientHealth, Stake, value_type
from cockpit.text import cell_width, fit, printable
from cockpit.vocabulary import DRIFT_MARK, STRATEGIC_MARK


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _iso_day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _value(member: Enum | None) -> object:
    return None if member is None else member.value


def _shown(kind: object) -> Callable[[object], object] | None:
    """How JSON shows a field of type `kind`; None when json writes it as it is."""
    values_of = value_type(kind)
    if values_of is date:
        return _iso_day
    if values_of is float:
        return _number
    if isinstance(values_of, type) and issubclass(values_of, Enum):
        return _value
    return None


# A client's object in JSON, key by key. A key is the field of ClientHealth it shows unless
# it is renamed here or is one of the figures worked out from the fields.
KEYS = (
    "id",
    "client",
    "company",
    "lifecycle",
    "archived",
    "strategic",
    "snoozed_until",
    "health",
    "drifting",
    "needs_attention",
    "tier",
    "won_on",
    "honeymoon_end",
    "last_touch",
    "days_since_last_touch",
    "honeymoon_interval",
    "current_interval",
    "plan_interval",
    "plan_source",
    "in_honeymoon",
    "severity",
    "stake",
    "stake_share",
    "revenue",
    "revenue_share",
    "time_minutes",
    "time_share",
    "give_ratio",
    "referral_ask_due",
    "explanation",
    "tier_explanation",
    "give_explanation",
)
RENAMED = {"client": "name"}
WORKED_OUT: dict[str, Callable[[ClientHealth], object]] = {
    "drifting": attrgetter("drifting"),
    "revenue": lambda r: str(r.revenue),
    "explanation": attrgetter("explanation"),
    "tier_explanation": attrgetter("tier_explanation"),
    "give_explanation": attrgetter("give_explanation"),
}
# Fields JSON leaves out: the revenue is shown in the currency, not in cents; the day and
# the rules are the same for every client; the rest it has never shown (showing them is a
# change of the output, not of how it is made).
NOT_SHOWN = (
    "revenue_cents",
    "as_of",
    "rules",
    "keep_in_touch_days",
    "counted",
    "honeymoon_touch_days",
    "fell_behind",
    "previous_touch",
    "silence_limit",
    "recent_touches",
    "recent_gives",
)


_AT = {name: at for at, (name, _kind) in enumerate(FIELDS)}


def _column(key: str) -> tuple[Callable[[ClientHealth], object], Callable | None]:
    """How to read the key's value from a verdict, and how JSON shows it (None: as it is)."""
    if key in WORKED_OUT:
        return WORKED_OUT[key], None
    name = RENAMED.get(key, key)
    return itemgetter(_AT[name]), _shown(FIELDS[_AT[name]][1])


_COLUMNS = tuple(_column(key) for key in KEYS)


def as_json(results: Sequence[ClientHealth]) -> str:
    # Column by column, each read with one C-level getter over every verdict (a big book
    # lists thousands) and written by the C encoder in one call.
    columns = []
    for read, show in _COLUMNS:
        values = map(read, results)
        columns.append(values if show is None else map(show, values))
    return flat_columns_json(KEYS, columns)


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
    big = sum(1 for r in results if r.needs_attention and r.stake is Stake.HIGH)
    if everyone:
        title = f"All {len(results)} clients on {as_of.isoformat()}, those needing attention first"
    else:
        count = "1 client needs" if len(results) == 1 else f"{len(results)} clients need"
        title = f"{count} attention on {as_of.isoformat()}"
        if big:
            title += f"; {big} of them with much at stake, listed first"
    name_width = max(12, min(28, max(cell_width(printable(r.name)) for r in results)))
    company_width = max(7, min(24, max(cell_width(printable(r.company)) for r in results)))
    header = (
        f"  {'CLIENT'.ljust(name_width)}  {'COMPANY'.ljust(company_width)}  "
        f"{'HEALTH':<10}  {'TIER':<10}  LAST TOUCH"
    )
    lines = [title, "", header]
    for r in results:
        mark = DRIFT_MARK if r.needs_attention else " "
        tier = r.tier.value + (STRATEGIC_MARK if r.strategic else "")
        lines.append(
            f"{mark} {_cell(r.name, name_width)}  {_cell(r.company, company_width)}  "
            f"{r.health.value:<10}  {tier:<10}  {_last_touch(r)}"
        )
        notes = [r.explanation]
        if r.give_explanation:
            notes.append(r.give_explanation)
        if r.snoozed_until and r.snoozed_until > as_of:
            notes.append(f"Snoozed until {r.snoozed_until.isoformat()}.")
        for note in notes:
            lines.append(_wrap(printable(note), width, indent=4))
    lines.append("")
    marks = f"Marks: {DRIFT_MARK} needs attention"
    if any(r.strategic for r in results):
        marks += f", {STRATEGIC_MARK} pinned as strategic"
    lines.append(marks + ".")
    return "\n".join(lines)


def _wrap(text: str, width: int, indent: int) -> str:
    import textwrap

    return textwrap.fill(
        text,
        width=max(40, width),
        initial_indent=" " * indent,
        subsequent_indent=" " * indent,
    )
