"""Reading what was typed into a form. Days and intervals are read by their own fields, as
phrases (cockpit/ui/widgets/date_field.py, interval_field.py)."""

from __future__ import annotations


def listed(text: str) -> list[str]:
    """Comma-separated values, blanks dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]
