"""What `cockpit tag`, `untag` and `tags` print."""

from __future__ import annotations

import json
from collections.abc import Sequence

from cockpit.text import cell_width, fit, json_printable, printable


def _listed(tags: Sequence[str]) -> str:
    return ", ".join(tags) if tags else "none"


def tagged(client: str, added: Sequence[str], now: Sequence[str]) -> str:
    said = f"Tagged {client}: {_listed(added)}." if added else f"{client} has those tags already."
    return printable(f"{said} Tags now: {_listed(now)}.")


def untagged(client: str, removed: Sequence[str], now: Sequence[str]) -> str:
    said = (
        f"Took {_listed(removed)} off {client}." if removed else f"{client} has none of those tags."
    )
    return printable(f"{said} Tags now: {_listed(now)}.")


def as_table(counts: Sequence) -> str:
    """A line a tag: the tag as most of its clients have it typed, and how many they are."""
    if not counts:
        return "No client has a tag yet ('cockpit tag CLIENT TAG' gives one)."
    rows = [("TAG", "CLIENTS")] + [(printable(c.tag), str(c.clients)) for c in counts]
    width = max(cell_width(tag) for tag, _ in rows)
    return "\n".join(f"{fit(tag, width)}  {number:>7}".rstrip() for tag, number in rows)


def as_json(counts: Sequence) -> str:
    rows = [{"tag": c.tag, "key": c.key, "clients": c.clients} for c in counts]
    return json_printable(json.dumps(rows, ensure_ascii=False, indent=2))
