"""The timeline pane: every touch with the selected client and every deal won, newest
first, by month.

Each interaction is an option of the list, so the cursor can pick one to
edit or delete, or mark its follow-up done; each follow-up due is an option
too, standing for its touch. A won deal is a line of its own, which the touch
keys leave alone. Month headings are shown but not selectable.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from cockpit.text import printable, shorten
from cockpit.ui.widgets.pane import UP_DOWN_KEYS, pane_css
from cockpit.ui.widgets.screen_actions import ScreenActions

if TYPE_CHECKING:  # the client views load with the book, after the first page is drawn
    from cockpit.client_view import DealEntry, HeardEntry, TimelineEntry

MARKS = {"sales": "$", "relationship": "♥"}  # an ask, a give
DEAL_MARK = "★"
HEARD_MARK = "✉"
LEGEND = (
    "$ an ask (sales)   ♥ a give (relationship)   · an internal note   ★ a deal won   "
    "✉ heard from them (not your touch)"
)
# A long note shows its beginning: laying out 100 KB on every redraw would make the
# timeline slow to move through. `e` opens the touch with the whole note.
SUMMARY_LINES = 12
SUMMARY_CHARS = 1000
DUE_CHARS = 200  # a follow-up due shows the first line of its note, up to this


def shown_summary(summary: str) -> tuple[str, int]:
    """The part of a note the timeline shows, and how many characters are left out."""
    lines = summary.split("\n", SUMMARY_LINES)
    shown = "\n".join(lines[:SUMMARY_LINES])[:SUMMARY_CHARS]
    return shown, len(summary) - len(shown)


def entry_text(entry: TimelineEntry) -> Group:
    """A heading line (day, ask/give mark, kind, minutes) and the summary below it."""
    mark = MARKS.get(entry.intent, " ") if entry.is_touch else "·"
    style = "" if entry.is_touch else "dim"
    heading = Text(f"{entry.day:%d %a}  {mark} ", style=style)
    heading.append(entry.label, style="bold" if entry.is_touch else "dim")
    if entry.duration_min:
        heading.append(f" · {entry.duration_min} min", style=style)
    if entry.follow_up_on and not entry.follow_up_done:
        heading.append(f" · follow up {entry.follow_up_on.isoformat()}", style="yellow")
    elif entry.follow_up_on:
        heading.append(" · followed up ✓", style="dim")
    lines = [heading]
    if entry.summary:
        shown, left_out = shown_summary(entry.summary)
        summary = Text("    ", style=style)
        summary.append(
            printable(shown, multiline=True), style="" if entry.is_touch else "dim italic"
        )
        lines.append(summary)
        if left_out:
            more = f"    … {left_out:,} more characters (e opens it all)"
            lines.append(Text(more, style="dim"))
    return Group(*lines)


def deal_text(deal: DealEntry) -> Text:
    """The deal's day and "€12,000 won · Annual contract", its text never read as markup."""
    line = Text(f"{deal.day:%d %a}  {DEAL_MARK} ")
    line.append(printable(shorten(deal.text, DUE_CHARS)), style="bold green")
    return line


def heard_text(heard: HeardEntry) -> Group:
    """ "✉ Heard from them · the subject", dim: the client wrote, not a touch of yours."""
    shown, _ = shown_summary(heard.summary)
    first, _, rest = shown.partition("\n")
    line = Text(f"{heard.day:%d %a}  {HEARD_MARK} ", style="dim")
    line.append("Heard from them", style="italic")
    if first:
        line.append(" · " + printable(shorten(first, DUE_CHARS)), style="dim")
    lines = [line]
    if rest.strip():
        lines.append(Text("    " + printable(rest.strip(), multiline=True), style="dim italic"))
    return Group(*lines)


def timeline_options(
    entries: list[TimelineEntry | DealEntry | HeardEntry], today: date
) -> list[Option]:
    """Follow-ups due first, then the interactions, deals and days heard from grouped by
    month."""
    from cockpit.client_view import DealEntry, HeardEntry, TimelineEntry, follow_ups_due

    options: list[Option] = []
    due = follow_ups_due(entries, today)
    if due:
        heading = f"Follow-ups due ({len(due)}) · x marks one done"
        options.append(Option(Text(heading, style="bold red"), disabled=True))
        for entry in due:
            line = Text(f"  {entry.follow_up_on.isoformat()}  ")
            first = (entry.summary.strip().splitlines() or [entry.label])[0]
            line.append(printable(shorten(first, DUE_CHARS)))
            options.append(Option(line, id=f"due-{entry.id}"))
    if not any(isinstance(entry, TimelineEntry) for entry in entries):
        options.append(Option(Text("No touches yet.", style="dim"), disabled=True))
    month = None
    for entry in entries:
        if (entry.day.year, entry.day.month) != month:
            month = (entry.day.year, entry.day.month)
            options.append(
                Option(Text(f"{entry.day:%B %Y}", style="bold underline"), disabled=True)
            )
        if isinstance(entry, DealEntry):
            options.append(Option(deal_text(entry), id=f"deal-{entry.id}"))
        elif isinstance(entry, HeardEntry):
            options.append(Option(heard_text(entry), id=f"heard-{entry.id}"))
        else:
            options.append(Option(entry_text(entry), id=str(entry.id)))
    options.append(Option(Text(LEGEND, style="dim"), disabled=True))
    return options


class TimelinePane(ScreenActions, OptionList):
    SCREEN_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"edit_touch", "delete_touch", "follow_up_done"}
    )
    DEFAULT_CSS = pane_css("TimelinePane", "2fr")
    BINDINGS: ClassVar = [
        *UP_DOWN_KEYS,
        Binding("e", "edit_touch", "Edit touch"),
        Binding("d,delete", "delete_touch", "Delete touch"),
        Binding("x", "follow_up_done", "Follow-up done"),
    ]

    def action_edit_touch(self) -> None:
        self.screen_action("edit_touch")

    def action_delete_touch(self) -> None:
        self.screen_action("delete_touch")

    def action_follow_up_done(self) -> None:
        self.screen_action("follow_up_done")

    def on_focus(self) -> None:
        if self.highlighted is None:
            self.action_first()  # its keys act on a touch: Tab in selects the latest

    def on_mount(self) -> None:
        self.border_title = "Timeline"
        self.entries: dict[str, TimelineEntry] = {}

    def show(self, entries: list[TimelineEntry | DealEntry] | None, today: date) -> None:
        """Show these entries, keeping the highlighted one when it is still there."""
        from cockpit.client_view import TimelineEntry

        kept = self.selected_entry
        kept_option = self._highlighted_id()
        self.entries = {str(e.id): e for e in entries or [] if isinstance(e, TimelineEntry)}
        if entries is None:
            self.clear_options()
        else:  # in one go: clearing first would lay the pane out twice
            self.set_options(timeline_options(entries, today))
        if kept is None or str(kept.id) not in self.entries:
            return
        for option_id in (kept_option, str(kept.id)):  # the same line, else the touch itself
            try:
                self.highlighted = self.get_option_index(option_id)
                return
            except OptionDoesNotExist:
                continue

    def _highlighted_id(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id

    @property
    def selected_entry(self) -> TimelineEntry | None:
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id
        if option_id is None:
            return None
        return self.entries.get(option_id.removeprefix("due-"))
