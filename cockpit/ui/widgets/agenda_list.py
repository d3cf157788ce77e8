"""The weekly review's agenda as a list: each item with a mark of what was done with it,
its client and its reason, and the summary of a finished review."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import OptionList

from cockpit.dates import short_day
from cockpit.review import AgendaItem
from cockpit.review.keeping import Choice
from cockpit.text import printable, shorten
from cockpit.ui.widgets.pane import UP_DOWN_KEYS, pane_css
from cockpit.vocabulary import ReviewStep


def choice_mark(choice: Choice | None, *, let_go: bool = False) -> tuple[str, str]:
    """A short mark of what was done with an item (`let_go`: its client made former), and
    its style."""
    if choice is None:
        return "•", "bold"
    if let_go:
        return "✓ former", "green"
    if choice.step is ReviewStep.DONE:
        return "✓ done", "green"
    if choice.step is ReviewStep.LOGGED:
        return "✓ logged", "green"
    if choice.step is ReviewStep.SCHEDULED:
        return f"→ {short_day(choice.on_date)}", "cyan"
    if choice.step is ReviewStep.SNOOZED:
        return f"z {short_day(choice.on_date)}", "yellow"
    return "↷ skipped", "dim"


REASON_CHARS = 300


def item_text(item: AgendaItem, choice: Choice | None, *, let_go: bool = False) -> Table:
    """The mark in a column of its own, the client and the reason beside it."""
    mark, style = choice_mark(choice, let_go=let_go)
    heading = Text(printable(item.client), style="bold" if choice is None else "")
    if item.company:
        heading.append(f"  {printable(item.company)}", style="dim")
    # A follow-up's reason quotes its note's first line, which may be 100 KB long.
    reason = Text(printable(shorten(item.text, REASON_CHARS)))
    if choice is not None:
        reason.stylize("dim")
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=12, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(mark, style=style), Group(heading, reason))
    return grid


def summary_text(summary: dict[str, int]) -> str:
    return (
        f"Done {summary['done'] + summary['logged']} (touches logged {summary['logged']}), "
        f"scheduled {summary['scheduled']}, snoozed {summary['snoozed']}, "
        f"skipped {summary['skipped']}; not reached {summary['untouched']} "
        f"of {summary['items']} items."
    )


class AgendaList(OptionList):
    DEFAULT_CSS = pane_css("AgendaList", "1fr")
    BINDINGS: ClassVar = list(UP_DOWN_KEYS)
