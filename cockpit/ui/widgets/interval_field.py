"""A field for how often: "30", "2 weeks", "monthly", "every 6 weeks", that says the number
of days it means as it is typed."""

from __future__ import annotations

from cockpit import phrases
from cockpit.text import counted
from cockpit.ui.widgets.phrase_field import PhraseField

INTERVAL_HINT = "30, 2 weeks, 3 months, monthly"


class IntervalField(PhraseField):
    def __init__(self, days: int | None, **options) -> None:
        super().__init__(str(days) if days else "", **options)

    def parse(self, text: str) -> int:
        return phrases.parse_interval(text)

    def meaning(self, value: int) -> str:
        return f"means every {counted(value, 'day')}"
