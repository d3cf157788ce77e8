"""The timeline pane: every touch with the selected client, newest first, by month."""

from __future__ import annotations

from datetime import date

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from cockpit.client_view import TimelineEntry, follow_ups_due
from cockpit.text import printable

MARKS = {"sales": "$", "relationship": "♥"}  # an ask, a give


def _entry(entry: TimelineEntry) -> list[Text]:
    """A heading line (day, ask/give mark, kind, minutes) and the summary below it."""
    mark = MARKS.get(entry.intent, " ") if entry.is_touch else "·"
    style = "" if entry.is_touch else "dim"
    heading = Text(f"{entry.day:%d %a}  {mark} ", style=style)
    heading.append(entry.label, style="bold" if entry.is_touch else "dim")
    if entry.duration_min:
        heading.append(f" · {entry.duration_min} min", style=style)
    if entry.follow_up_on and not entry.follow_up_done:
        heading.append(f" · follow up {entry.follow_up_on.isoformat()}", style="yellow")
    lines = [heading]
    if entry.summary:
        summary = Text("    ", style=style)
        summary.append(printable(entry.summary), style="" if entry.is_touch else "dim italic")
        lines.append(summary)
    return lines


def timeline_text(entries: list[TimelineEntry], today: date) -> Group:
    """Follow-ups due first, then the touches grouped by month; user text stays text."""
    lines: list[Text] = []
    due = follow_ups_due(entries, today)
    if due:
        lines.append(Text(f"Follow-ups due ({len(due)})", style="bold red"))
        for entry in due:
            lines.append(
                Text(f"  {entry.follow_up_on.isoformat()}  ")
                + Text(printable(entry.summary or entry.label))
            )
        lines.append(Text(""))
    if not entries:
        lines.append(Text("No touches yet. Log one after your next call.", style="dim"))
    month = None
    for entry in entries:
        if (entry.day.year, entry.day.month) != month:
            month = (entry.day.year, entry.day.month)
            lines.append(Text(f"{entry.day:%B %Y}", style="bold underline"))
        lines.extend(_entry(entry))
    lines.append(
        Text("$ an ask (sales)   ♥ a give (relationship)   · an internal note", style="dim")
    )
    return Group(*lines)


class TimelinePane(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    TimelinePane {
        height: 2fr;
        border: round $primary 50%;
        padding: 0 1;
    }
    TimelinePane:focus {
        border: round $accent;
    }
    """

    def compose(self):
        yield Static(id="timeline-body")

    def on_mount(self) -> None:
        self.border_title = "Timeline"

    def show(self, entries: list[TimelineEntry] | None, today: date) -> None:
        body = self.query_one("#timeline-body", Static)
        body.update(timeline_text(entries or [], today) if entries is not None else Text(""))
        self.scroll_home(animate=False)
