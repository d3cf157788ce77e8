"""The Cockpit application: the client list with the profile and timeline of the selected client."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import ClassVar

from peewee import DatabaseError as PeeweeDatabaseError
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Static
from textual.worker import Worker, WorkerState

from cockpit import client_view, clock, health
from cockpit.errors import CockpitError
from cockpit.search import Candidate, matching
from cockpit.storage.database import DatabaseLocation, explain_error, open_database
from cockpit.text import safe_text
from cockpit.ui.widgets.client_list import ClientList, ListRow
from cockpit.ui.widgets.profile_pane import ProfilePane
from cockpit.ui.widgets.timeline_pane import TimelinePane

EMPTY_MESSAGE = (
    "No clients in this book yet.\n\n"
    "Import your touch history with `cockpit import FILE.csv`,\n"
    "or run `cockpit demo` to explore Cockpit on a demo book of 60 clients."
)

SORTS = ("attention", "last touch", "revenue", "name")


def _sort_key(mode: str):
    if mode == "attention":
        return health.attention_order
    if mode == "last touch":
        return lambda r: (r.last_touch is None, -(r.last_touch.toordinal() if r.last_touch else 0))
    if mode == "revenue":
        return lambda r: (-r.revenue_cents, r.name.casefold(), r.id)
    return lambda r: (r.name.casefold(), r.company.casefold(), r.id)


class CockpitApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Cockpit"
    AUTO_FOCUS = "#clients"
    BINDINGS: ClassVar = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("s", "sort", "Sort", id="sort"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear_filter"),
    ]

    def __init__(self, location: DatabaseLocation) -> None:
        super().__init__()
        self.location = location
        self.database = None
        self.results: list[health.ClientHealth] = []
        self.sparklines: dict[int, list[int]] = {}
        self.candidates: list[Candidate] = []
        self.sort_mode = SORTS[0]
        self.today = clock.today()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="cockpit"):
            with Vertical(id="left"):
                yield Input(placeholder="Filter by name or company", id="filter")
                clients = ClientList(id="clients")
                clients.loading = True
                yield clients
            with Vertical(id="right"):
                yield ProfilePane(id="profile")
                yield TimelinePane(id="timeline")
        yield Static(EMPTY_MESSAGE, id="empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.database = open_database(self.location)
        self._update_subtitle()
        self.query_one(ClientList).focus()
        self.load_book()

    def _update_subtitle(self) -> None:
        self.sub_title = f"{self.location.path.name} · sorted by {self.sort_mode}"

    @work(thread=True, exclusive=True, group="book", exit_on_error=False)
    def load_book(self) -> None:
        today = clock.today()
        with self.database.connection_context():
            results = [r for r in health.compute(today) if not r.archived]
            sparklines = client_view.monthly_touches(today)
        self.call_from_thread(self._show_book, results, sparklines, today)

    def _show_book(self, results, sparklines, today: date) -> None:
        self.results = results
        self.sparklines = sparklines
        self.today = today
        self.candidates = [Candidate(r.id, r.name, r.company) for r in results]
        clients = self.query_one(ClientList)
        clients.loading = False
        empty = not results
        self.query_one("#empty").display = empty
        self.query_one("#cockpit").display = not empty
        self._apply(keep_client=None)
        if not isinstance(self.focused, Input):
            clients.focus()

    def _apply(self, keep_client: int | None) -> None:
        """Filter and sort the clients into the list."""
        query = self.query_one("#filter", Input).value
        by_id = {r.id: r for r in self.results}
        shown = [by_id[c.id] for c in matching(query, self.candidates)]
        if not query.strip():
            shown.sort(key=_sort_key(self.sort_mode))
        rows = [ListRow(r, self.sparklines.get(r.id, [0] * 12)) for r in shown]
        self.query_one(ClientList).set_rows(rows, self.today, keep_client=keep_client)
        if not rows:
            self.query_one(ProfilePane).show(None, None, self.today)
            self.query_one(TimelinePane).show(None, self.today)

    @on(ClientList.Highlighted)
    def _client_highlighted(self, event: ClientList.Highlighted) -> None:
        if event.client_id is not None:
            self.load_client(event.client_id)

    @work(thread=True, exclusive=True, group="client", exit_on_error=False)
    def load_client(self, client_id: int) -> None:
        with self.database.connection_context():
            detail = client_view.client_detail(client_id, self.today)
            entries = client_view.timeline(client_id)
        self.call_from_thread(self._show_client, client_id, detail, entries)

    def _show_client(self, client_id: int, detail, entries) -> None:
        selected = self.query_one(ClientList).selected
        if selected is None or selected.id != client_id:
            return  # the cursor moved on meanwhile
        self.query_one(ProfilePane).show(detail, selected, self.today)
        self.query_one(TimelinePane).show(entries, self.today)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        # Focus at once, so keys typed right after "/" land in the box.
        self.screen.set_focus(box)

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        box.display = False
        self.query_one(ClientList).focus()

    def action_sort(self) -> None:
        self.sort_mode = SORTS[(SORTS.index(self.sort_mode) + 1) % len(SORTS)]
        self._update_subtitle()
        selected = self.query_one(ClientList).selected
        self._apply(keep_client=selected.id if selected else None)

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._apply(keep_client=None)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(ClientList).focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Keys typed into the filter are text, not commands.
        return not (action in ("quit", "sort", "filter") and isinstance(self.focused, Input))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        message = error.message if isinstance(error, CockpitError) else str(error)
        if isinstance(error, PeeweeDatabaseError | sqlite3.Error):
            message = explain_error(error, self.location.path).message
        self.query_one(ClientList).loading = False
        self.query_one("#cockpit").display = False
        notice = self.query_one("#empty", Static)
        notice.update(safe_text(f"Cockpit could not read the book: {message}"))
        notice.display = True

    def on_unmount(self) -> None:
        if self.database is not None:
            self.database.close()
