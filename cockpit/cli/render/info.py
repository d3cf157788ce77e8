"""What `cockpit info` prints."""

from __future__ import annotations

from collections.abc import Sequence

from cockpit.text import printable


def as_table(lines: Sequence[tuple[str, str]]) -> str:
    """A line a fact: its label, padded so the values line up, and its value."""
    width = max(len(label) for label, _ in lines)
    return "\n".join(f"{label:<{width}}  {printable(value)}" for label, value in lines)
