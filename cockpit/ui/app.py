"""The Cockpit application: for now one screen listing the book's clients."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import ClassVar

from peewee import DatabaseError as PeeweeDatabaseError
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from cockpit import clock, health
from cockpit.dates import ago
from cockpit.errors import CockpitError
from cockpit.storage.database import DatabaseLocation, explain_error, open_database
from cockpit.text import safe_text
from cockpit.vocabulary import Lifecycle

EMPTY_MESSAGE = (
    "No clients in this book yet.\n\n"
    "Run `cockpit demo` to explore Cockpit on a demo book of 60 clients."
)


def _health_cell(row: health.ClientHealth) -> Text:
    """Drifting clients stand out by a mark as well as by colour."""
    if row.lifecycle == Lifecycle.FORMER.value:
        return Text("former", style="dim")
    if row.needs_attention:
        return Text(f"! {row.health.value}", style="bold red")
    return Text(f"  {row.health.value}")


class CockpitApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Cockpit"
    BINDINGS: ClassVar = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("j", "cursor_down", "Down", show=False, id="down"),
        Binding("k", "cursor_up", "Up", show=False, id="up"),
    ]

    def __init__(self, location: DatabaseLocation) -> None:
        super().__init__()
        self.location = location
        self.database = None

    def compose(self) -> ComposeResult:
        yield Header()
        table = DataTable(id="clients", cursor_type="row", zebra_stripes=True)
        table.loading = True
        yield table
        yield Static(EMPTY_MESSAGE, id="empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.location.path.name
        self.database = open_database(self.location)
        table = self.query_one("#clients", DataTable)
        table.add_columns("Name", "Company", "Health", "Last touch", "Tier")
        self.load_clients()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load_clients(self) -> None:
        today = clock.today()
        with self.database.connection_context():
            results = health.compute(today)
        rows = [result for result in results if not result.archived]
        self.call_from_thread(self._show_clients, rows, today)

    def _show_clients(self, rows: list[health.ClientHealth], today: date) -> None:
        table = self.query_one("#clients", DataTable)
        table.clear()
        table.add_rows(
            (
                safe_text(row.name),
                safe_text(row.company),
                _health_cell(row),
                ago(row.last_touch, today),
                row.tier.value if row.tier is not health.Tier.OTHER else "",
            )
            for row in rows
        )
        table.loading = False
        self.query_one("#empty").display = not rows
        table.display = bool(rows)
        if rows:
            table.focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        message = error.message if isinstance(error, CockpitError) else str(error)
        if isinstance(error, PeeweeDatabaseError | sqlite3.Error):
            message = explain_error(error, self.location.path).message
        table = self.query_one("#clients", DataTable)
        table.loading = False
        table.display = False
        notice = self.query_one("#empty", Static)
        notice.update(safe_text(f"Cockpit could not read the book: {message}"))
        notice.display = True

    def action_cursor_down(self) -> None:
        self.query_one("#clients", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#clients", DataTable).action_cursor_up()

    def on_unmount(self) -> None:
        if self.database is not None:
            self.database.close()
