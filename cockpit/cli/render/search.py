"""What `cockpit search` prints: a line a note that matched, with its client, where the
note is, and the part of it around the match."""

from __future__ import annotations

import json

from cockpit.search import snippet
from cockpit.text import cell_width, fit, json_printable, printable

CLIENT_WIDTH = 30


def where(match) -> str:
    """Where a note is: "call on 2026-11-02", or "profile: Hobbies"."""
    if match.day is not None:
        return f"{match.kind} on {match.day.isoformat()}"
    return f"profile: {match.item}"


def _client(match) -> str:
    return match.client + (f" ({match.company})" if match.company else "")


def as_json(found) -> str:
    rows = [
        {
            "client_id": m.client_id,
            "client": m.client,
            "company": m.company,
            "where": m.where,
            "day": m.day.isoformat() if m.day else None,
            "kind": m.kind or None,
            "item": m.item or None,
            "snippet": snippet(m.text, found.words).text,
        }
        for m in found.matches
    ]
    return json_printable(json.dumps(rows, ensure_ascii=False, indent=2))


def as_table(found, limit: int | None) -> str:
    table = [("CLIENT", "WHERE", "NOTE")] + [
        (printable(_client(m)), printable(where(m)), printable(snippet(m.text, found.words).text))
        for m in found.matches
    ]
    widths = [min(CLIENT_WIDTH, max(cell_width(row[column]) for row in table)) for column in (0, 1)]
    lines = [
        "  ".join([fit(row[0], widths[0]), fit(row[1], widths[1]), row[2]]).rstrip()
        for row in table
    ]
    if found.more:
        lines += ["", f"The first {limit} matches; --limit N shows more."]
    return "\n".join(lines)


def none_found(query: str, *, team: bool) -> str:
    shown = printable(query)
    if team:
        return f"No note matches {shown!r}."
    return f"None of your clients' notes matches {shown!r} (--team searches the team's)."


def found_nothing_to_look_for(query: str) -> str:
    return f"{printable(query)!r} has no word to look for (letters or digits)."
