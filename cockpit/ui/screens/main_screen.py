"""The cockpit's main screen: the client list with the profile and timeline of the
selected client; its actions and writes are in `main_actions`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from cockpit import clock
from cockpit.search import Candidate, filtered
from cockpit.text import printable, safe_text
from cockpit.ui.bindings import MAIN_BINDINGS
from cockpit.ui.listing import (
    FIRST_PAGE,
    SORTS,
    candidates_for,
    first_looks,
    ours,
    sort_key,
    subtitle,
)
from cockpit.ui.screens.main_actions import MainActions
from cockpit.ui.widgets.client_list import NO_TOUCHES, ClientList, FirstLook, ListRow
from cockpit.ui.widgets.profile_pane import ProfilePane
from cockpit.ui.widgets.timeline_pane import TimelinePane

if TYPE_CHECKING:  # these load with the book, after the first page is drawn
    from cockpit import health
    from cockpit.storage import book

EMPTY_MESSAGE = (
    "No clients in this book yet.\n\n"
    "Press n to add a client, import your touch history with `cockpit import FILE.csv`,\n"
    "or run `cockpit demo` to explore Cockpit on a demo book of 60 clients."
)

FIRST_FRAME_WAIT = 1.0  # seconds the book waits to open until the first page is drawn


class MainScreen(MainActions, Screen[None]):
    DEFAULT_CSS = """
    MainScreen #cockpit {
        height: 1fr;
    }
    MainScreen #left {
        width: 3fr;
    }
    MainScreen #right {
        width: 2fr;
        min-width: 34;
        max-width: 64;
    }
    MainScreen #filter {
        display: none;
    }
    MainScreen #empty {
        display: none;
        height: 1fr;
        content-align: center middle;
        text-align: center;
        color: $text-muted;
    }
    """
    BINDINGS = MAIN_BINDINGS

    def __init__(self, first_page: list[FirstLook] | None, today: date) -> None:
        """`first_page`: the first clients, read before the book was opened (None: the
        book opens first)."""
        super().__init__()
        self.first_page = first_page
        self.today = today
        self.results: list[health.ClientHealth] = []
        self.sparklines: dict[int, list[int]] = {}
        self.candidates: list[Candidate] = []
        self.candidate_of: dict[int, Candidate] = {}
        self.by_id: dict[int, health.ClientHealth] = {}
        self.completeness: dict[int, int] = {}
        self.sort_mode = SORTS[0]
        self.team_view = False  # the whole team's clients, not only yours
        self.undoable: book.LoggedTouch | None = None
        self.undo_deadline = 0.0
        self.opening_review = False
        self.detail_waits = False  # a client was selected before the book was open
        self.detail_read: tuple[int, Worker] | None = None  # the panes' latest read

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="cockpit"):
            with Vertical(id="left"):  # the filter box joins it later: see _filter_box
                clients = ClientList(id="clients")
                clients.loading = self.first_page is None
                yield clients
            with Vertical(id="right"):
                yield ProfilePane(id="profile")
                yield TimelinePane(id="timeline")
        yield Static(EMPTY_MESSAGE, id="empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ClientList).focus()
        if self.first_page is None:
            self.app.first_frame.set()
        else:  # the names are in the first frame; the book opens once it is drawn
            self._show_first_page(self.first_page, None, self.today)
            self.call_after_refresh(self.app.first_frame.set)
        self.load_book()
        self.call_after_refresh(self._filter_box)

    def _update_subtitle(self) -> None:
        self.app.sub_title = subtitle(self.app.location.short_name, self.team_view, self.sort_mode)

    @work(thread=True, exclusive=True, group="book", exit_on_error=False)
    def load_book(self, keep_client: int | None = None) -> None:
        # Nothing competes with drawing the first page: opening the book (and
        # loading Peewee, the health engine...) waits until it is on the screen.
        app = self.app
        app.first_frame.wait(FIRST_FRAME_WAIT)
        from cockpit import client_view
        from cockpit.health_cache import cached_compute
        from cockpit.notices import take as take_notices
        from cockpit.storage import book

        today = clock.today()
        opening = app.open_book()  # may wait for another writer: not on the UI thread
        waiting = None
        if opening:
            waiting = app.call_from_thread(self._book_opened)
            for notice in take_notices():
                app.call_from_thread(app.notify, printable(notice), markup=False, timeout=10)
        worker = get_current_worker()

        def show(*args) -> bool:
            """Hand results to the screen unless a newer load took over (a thread
            worker cannot be stopped; what it found must then go unseen)."""
            if worker.is_cancelled:
                return False
            app.call_from_thread(*args)
            return True

        with app.database.connection_context():
            owned = None if self.team_view else book.clients_of(book.my_reps())
            if waiting is not None:  # the client selected on the first page, first
                detail = client_view.client_detail(waiting, self.today)
                if not show(self._show_client, waiting, detail, client_view.timeline(waiting)):
                    return
            if opening:  # a screenful of names first, then all; the verdicts follow
                if self.first_page is None:
                    page = ours(first_looks(book.client_rows(limit=FIRST_PAGE)), owned)
                    if not show(self._show_first_page, page, None, today):
                        return
                everyone = ours(first_looks(book.client_rows()), owned)
                candidates = candidates_for(self.candidate_of, everyone)
                if not show(self._show_first_page, everyone, candidates, today):
                    return
            results = ours([r for r in cached_compute(today) if not r.archived], owned)
            candidates = candidates_for(self.candidate_of, results)
            sparklines = client_view.monthly_touches(today)
            completeness = client_view.profile_completeness()
        show(self._show_book, results, candidates, sparklines, completeness, today, keep_client)

    def _book_opened(self) -> int | None:
        """The book is open: the client selected while it opened, whose profile and
        timeline the panes wait for (None if none)."""
        selected = self.query_one(ClientList).selected
        waiting = selected.id if self.detail_waits and selected is not None else None
        self.detail_waits = False
        return waiting

    def reload(self) -> None:
        """Read the book again, keeping the selected client."""
        selected = self.query_one(ClientList).selected
        self.load_book(selected.id if selected else None)

    def _show_first_page(
        self, first: list[FirstLook], candidates: dict[int, Candidate] | None, today: date
    ) -> None:
        if self.results:
            return  # the verdicts came first after all
        self.today = today
        if candidates is not None:
            self.candidate_of = candidates
        self.by_id = {r.id: r for r in first}
        self.candidates = [
            self.candidate_of.get(r.id) or Candidate(r.id, r.name, r.company) for r in first
        ]
        self.query_one(ClientList).loading = False
        self._show_empty_or_list(not first)
        self._apply(keep_client=self._users_choice())
        if self.focused is None:
            self.query_one(ClientList).focus()
        self.call_after_refresh(self.app.stage_reached, "first-page")

    def _users_choice(self) -> int | None:
        """The client the user picked before the verdicts came (moved to, or filtered
        down to): the list stays with them when it is read again."""
        clients = self.query_one(ClientList)
        chose = clients.moved_by_user or self._filter_text().strip()
        return clients.selected.id if chose and clients.selected is not None else None

    def _show_empty_or_list(self, empty: bool) -> None:
        notice = self.query_one("#empty", Static)
        notice.update(EMPTY_MESSAGE)
        notice.display = empty
        self.query_one("#cockpit").display = not empty

    def _show_book(
        self, results, candidates, sparklines, completeness, today: date, keep_client: int | None
    ) -> None:
        self.candidate_of = candidates
        clients = self.query_one(ClientList)
        was_first_look = isinstance(clients.selected, FirstLook)
        changed = keep_client  # the client a change to the book was about
        if was_first_look and keep_client is None:
            keep_client = self._users_choice()
        self.completeness = completeness
        self.results = results
        self.sparklines = sparklines
        self.today = today
        self._order()
        clients.loading = False
        self._show_empty_or_list(not results)
        self._apply(keep_client=keep_client)
        if changed is not None:
            self._load_detail(changed, fresh=True)  # the panes show the change too
        elif was_first_look and clients.selected is not None:
            self._load_detail(clients.selected.id)  # now with its verdict
        self.call_after_refresh(self.app.stage_reached, "loaded")
        if self.focused is None:
            clients.focus()

    def _order(self) -> None:
        """Sort once per load or sort change, so a filter keystroke only filters."""
        self.results.sort(key=sort_key(self.sort_mode, self.completeness))
        self.by_id = {r.id: r for r in self.results}
        self.candidates = [self.candidate_of[r.id] for r in self.results]

    def _apply(self, keep_client: int | None) -> None:
        """Filter the sorted clients into the list."""
        query = self._filter_text()
        shown = [self.by_id[c.id] for c in filtered(query, self.candidates)]
        sparklines = self.sparklines
        rows = [ListRow(r, sparklines.get(r.id, NO_TOUCHES)) for r in shown]
        self.query_one(ClientList).set_rows(rows, self.today, keep_client=keep_client)
        if not rows:
            self.query_one(ProfilePane).show(None, None, self.today)
            self.query_one(TimelinePane).show(None, self.today)

    @on(ClientList.Highlighted)
    def _client_highlighted(self, event: ClientList.Highlighted) -> None:
        if event.client_id is None:
            return
        if self.app.database is None:
            self.detail_waits = True  # until the book is open
        else:
            self._load_detail(event.client_id)

    def _load_detail(self, client_id: int, fresh: bool = False) -> None:
        """Read a client's profile and timeline for the panes, unless that read is on
        its way already and need not be `fresh` (it shows the verdict the list holds
        when it arrives; a change to the book needs a fresh one)."""
        on_its_way = (WorkerState.PENDING, WorkerState.RUNNING)
        reading = self.detail_read
        if not fresh and reading and reading[0] == client_id and reading[1].state in on_its_way:
            return
        self.detail_read = (client_id, self.load_client(client_id))

    @work(thread=True, exclusive=True, group="client", exit_on_error=False)
    def load_client(self, client_id: int) -> None:
        from cockpit import client_view

        with self.app.database.connection_context():
            detail = client_view.client_detail(client_id, self.today)
            entries = client_view.timeline(client_id)
        if not get_current_worker().is_cancelled:  # a newer read is on its way
            self.app.call_from_thread(self._show_client, client_id, detail, entries)

    def _show_client(self, client_id: int, detail, entries) -> None:
        selected = self.query_one(ClientList).selected
        if selected is None or selected.id != client_id:
            return  # the cursor moved on meanwhile
        verdict = None if isinstance(selected, FirstLook) else selected
        self.query_one(ProfilePane).show(detail, verdict, self.today)
        self.query_one(TimelinePane).show(entries, self.today)

    def _filter_box(self) -> Input:
        """The filter box. It starts hidden, so it is mounted once the first page is
        drawn (or when first asked for)."""
        try:
            return self.query_one("#filter", Input)
        except NoMatches:
            box = Input(placeholder="Filter by name or company", id="filter")
            self.query_one("#left").mount(box, before=0)
            return box

    def _filter_text(self) -> str:
        try:
            return self.query_one("#filter", Input).value
        except NoMatches:
            return ""  # not mounted yet: nothing typed

    def action_filter(self) -> None:
        box = self._filter_box()
        box.display = True
        # Focus at once, so keys typed right after "/" land in the box.
        self.set_focus(box)

    def action_clear_filter(self) -> None:
        box = self._filter_box()
        if box.value:
            box.value = ""
        box.display = False
        self.query_one(ClientList).focus()

    def action_team_view(self) -> None:
        """Show only your clients (and those nobody owns), or the whole team's."""
        self.team_view = not self.team_view
        self._update_subtitle()
        self.reload()

    def action_sort(self) -> None:
        self.sort_mode = SORTS[(SORTS.index(self.sort_mode) + 1) % len(SORTS)]
        self._update_subtitle()
        if not self.results:
            return  # the verdicts are on their way: they come sorted this way
        self._order()
        selected = self.query_one(ClientList).selected
        self._apply(keep_client=selected.id if selected else None)

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._apply(keep_client=None)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(ClientList).focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        if event.worker.group not in ("book", "client"):
            self.app.say_failure(event.worker.error)  # the screen stays as it is
            return
        from cockpit.storage.guarded import failure_message

        message = failure_message(event.worker.error, self.app.location.label)
        self.query_one(ClientList).loading = False
        self.query_one("#cockpit").display = False
        notice = self.query_one("#empty", Static)
        notice.update(safe_text(f"Cockpit could not read the book: {message}"))
        notice.display = True
