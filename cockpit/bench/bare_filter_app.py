"""The floor of a filter keystroke: a bare Textual app whose Input updates a second widget.

    python cockpit/bench/bare_filter_app.py NAMES_FILE

`cockpit bench` runs this file as a script in the same kind of terminal as
Cockpit and times it the same way, so the cost of Textual itself (reading the
key, laying out, drawing, writing to the terminal) and of tmux is measured in
the same run. NAMES_FILE holds a client a line, "name<TAB>company". The app
shows a filter box and, below, a header and the clients whose name or company
holds every word typed, as many as fit, in the same columns as Cockpit's list
(so the bench reads both screens alike). Escape empties the box. It imports
nothing of Cockpit, and nothing but what Textual itself needs.
"""

from __future__ import annotations

import sys
import unicodedata
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

NAME_WIDTH = 19
COMPANY_WIDTH = 13
ROWS = 40  # at most this many rows are drawn: no terminal of the bench is taller


def fold(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in bare if not unicodedata.combining(c)).casefold().split())


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class BareFilterApp(App[None]):
    CSS = "Static { height: 1fr; }"
    BINDINGS: ClassVar = [("escape", "clear", "Clear")]

    def __init__(self, clients: list[tuple[str, str]]) -> None:
        super().__init__()
        self.clients = clients
        self.folded = [f"{fold(name)}\x1f{fold(company)}" for name, company in clients]

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter by name or company", id="filter")
        yield Static(self._rows(""), id="list", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False  # no output but the keys' own

    def _rows(self, query: str) -> str:
        words = fold(query).split()
        lines = ["  " + "Name".ljust(NAME_WIDTH) + "Company".ljust(COMPANY_WIDTH)]
        for (name, company), key in zip(self.clients, self.folded, strict=True):
            if all(word in key for word in words):
                lines.append(
                    "  "
                    + cut(name, NAME_WIDTH - 1).ljust(NAME_WIDTH)
                    + cut(company, COMPANY_WIDTH - 1)
                )
                if len(lines) > ROWS:
                    break
        return "\n".join(lines)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#list", Static).update(self._rows(event.value))

    def action_clear(self) -> None:
        self.query_one(Input).value = ""


def read_clients(path: str) -> list[tuple[str, str]]:
    clients = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            name, _tab, company = line.rstrip("\n").partition("\t")
            clients.append((name, company))
    return clients


if __name__ == "__main__":
    BareFilterApp(read_clients(sys.argv[1])).run()
