"""`?`: every key of every screen, read from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cockpit.ui.notes_filter import FILTER_LEGEND
from cockpit.ui.screens.dialog import dialog_css
from cockpit.ui.widgets.client_list import MARKS_LEGEND

KEY_NAMES = {
    "slash": "/",
    "dollar_sign": "$",
    "question_mark": "?",
    "delete": "Del",
    "escape": "Esc",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "enter": "Enter",
    "tab": "Tab",
    "down": "Down",
    "up": "Up",
    "home": "Home",
    "end": "End",
}


def _key(binding: Binding) -> str:
    def name(key: str) -> str:
        key = key.strip()
        for prefix, shown in (("ctrl+", "Ctrl+"), ("shift+", "Shift+")):
            if key.startswith(prefix):
                return shown + name(key[len(prefix) :])
        return KEY_NAMES.get(key, key)

    return " / ".join(name(key) for key in binding.key.split(","))


def bindings_table(sections: list[tuple[str, list]]) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for title, bindings in sections:
        table.add_row(f"[reverse] {title} [/reverse]", "")
        for binding in bindings:
            if isinstance(binding, Binding):
                table.add_row(escape(_key(binding)), escape(binding.description or binding.action))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = dialog_css(
        "HelpScreen", "VerticalScroll", width="76", max_height="90%", padding="1 2"
    )
    AUTO_FOCUS = "VerticalScroll"
    BINDINGS: ClassVar = [
        Binding("escape,q,question_mark", "close", "Close help"),
    ]

    def __init__(self, sections: list[tuple[str, list]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(MARKS_LEGEND + "\n", markup=False)
            yield Static(FILTER_LEGEND + "\n", markup=False)
            yield Static("Keys (Ctrl+P finds every action by name)\n")
            yield Static(bindings_table(self.sections))

    def action_close(self) -> None:
        self.dismiss(None)
