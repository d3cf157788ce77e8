"""The cockpit's main screen: the client list with the profile and timeline of the
selected client; its actions and writes are in `main_actions`."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from cockpit import clock
from cockpit.search import Candidate, FilterIndex, filter_query
from cockpit.text import printable, safe_text
from cockpit.ui.bindings import MAIN_BINDINGS
from cockpit.ui.listing import (
    FIRST_PAGE,
    SORTS,
    Listing,
    candidates_for,
    first_looks,
    listing,
    ours,
    subtitle,
    tag_entries,
)
from cockpit.ui.notes_filter import PLACEHOLDER, NotesFilter
from cockpit.ui.pane_reads import PaneData, PaneReads, around
from cockpit.ui.screens.main_actions import MainActions
from cockpit.ui.widgets.client_list import ClientList, FirstLook
from cockpit.ui.widgets.key_footer import KeyFooter
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
READ_AHEAD_AFTER = 0.15  # seconds the cursor rests before the clients around it are read
PAINT_WAIT = 1.0  # seconds the verdicts' cache file waits for the list to be painted
QUIET_BEFORE_WRITING = 1.0  # seconds without a key before the verdicts' file is written
ALL_NAMES_AFTER = 2.0  # seconds after the book opens: every name, unless the verdicts came


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
    /* A short terminal (an 80x24 laptop split): the two panes share the height evenly,
       and the one with the focus takes two thirds of it. */
    MainScreen.-short #profile, MainScreen.-short #timeline {
        height: 1fr;
    }
    MainScreen.-short #profile:focus, MainScreen.-short #timeline:focus {
        height: 2fr;
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
    VERTICAL_BREAKPOINTS: ClassVar = [(0, "-short"), (30, "-tall")]  # rows

    def __init__(self, first_page: list[FirstLook] | None, today: date) -> None:
        """`first_page`: the first clients, read before the book was opened (None: the
        book opens first)."""
        super().__init__()
        self.first_page = first_page
        self.today = today
        self.results: list[health.ClientHealth] = []
        self.sparklines: dict[int, list[int]] = {}
        self.sparklines_read = False  # for the book as it is now
        self.sparklines_shown = False  # the list is wide enough for them
        self.candidates: list[Candidate] = []  # the listed clients', in the list's order
        self.candidate_of: dict[int, Candidate] = {}
        self.listed: list[health.ClientHealth | FirstLook] = []  # sorted, not filtered
        self.index = FilterIndex([])  # the listed clients' names, folded once
        self.tags: dict[int, str] = {}  # the tagged clients' tags, as the filter finds them
        self.notes = NotesFilter(self, lambda: self._apply(keep_client=None))  # ?words
        self.by_id: dict[int, health.ClientHealth | FirstLook] = {}
        self.completeness: dict[int, int] = {}
        self.completeness_read = False  # for the book as it is now
        self.sort_mode = SORTS[0]
        self.team_view = False  # the whole team's clients, not only yours
        self.undoable: book.LoggedTouch | None = None
        self.undo_deadline = 0.0
        self.opening_review = False
        self.detail_waits = False  # a client was selected before the book was open
        self.panes = PaneReads()  # the panes' data of the clients around the cursor
        self.detail_read: tuple[int, Worker] | None = None  # the panes' latest read
        self.pane_reads = 0  # reads of the panes begun: only the latest goes on
        self.ahead_timer: Timer | None = None
        self.last_cursor = 0
        self.moving_up = False  # the cursor's last move
        self.frozen = False  # the first load's objects are kept from the garbage collector

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
        yield KeyFooter()

    def on_mount(self) -> None:
        clients = self.query_one(ClientList)
        self.watch(clients, "highlighted", self._client_highlighted, init=False)
        clients.focus()
        if self.first_page is None:
            self.app.first_frame.set()
        else:  # the names are in the first frame; the book opens once it is drawn
            self._show_first_page(listing(self.first_page, {}), None, self.today)
            self.call_after_refresh(self.app.first_frame.set)
        self.load_book()
        self.call_after_refresh(self._filter_box)

    def _update_subtitle(self) -> None:
        self.app.sub_title = subtitle(self.app.location.short_name, self.team_view, self.sort_mode)

    def load_book(self, keep_client: int | None = None) -> Worker:
        """Read the book (again), keeping `keep_client` selected; what the panes held of
        the clients read ahead is read anew."""
        self.panes.clear()
        self.sparklines_read = self.completeness_read = False
        return self._read_book(keep_client, self.panes.generation)

    @work(thread=True, exclusive=True, group="book", exit_on_error=False)
    def _read_book(self, keep_client: int | None, generation: int) -> None:
        # Nothing competes with drawing the first page: opening the book (and
        # loading Peewee, the health engine...) waits until it is on the screen.
        app = self.app
        app.first_frame.wait(FIRST_FRAME_WAIT)
        from cockpit import client_view
        from cockpit.health.engine import no_collector_pauses
        from cockpit.health_cache import cached_compute, writes_held
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
                data = PaneData(
                    client_view.client_detail(waiting, self.today), client_view.timeline(waiting)
                )
                if not show(self._panes_read, generation, waiting, data, True):
                    return
            if opening and self.first_page is None:  # a screenful of names first
                page = ours(first_looks(book.client_rows(limit=FIRST_PAGE)), owned)
                if not show(self._show_first_page, listing(page, {}), None, today):
                    return
            # The verdicts next (every name too, should they be long in coming), on the
            # screen before they are written to the cache file.
            with writes_held():
                results = ours([r for r in cached_compute(today) if not r.archived], owned)
                # How much of each profile is filled in only for the sort by it (on a
                # large book it takes a while to count, and memory).
                completeness = None
                if self.sort_mode == "profile":
                    completeness = client_view.profile_completeness()
                # A search entry per client, and the list sorted: nothing here makes
                # cycles, and at 50,000 clients the collector's young passes took half
                # the time.
                with no_collector_pauses():
                    candidates = candidates_for(self.candidate_of, results)
                    # The tags as last read: the book's follow the verdicts, below.
                    tags = self.tags
                    listed = listing(results, candidates, self.sort_mode, completeness, tags)
                shown = (listed, candidates, today, completeness, keep_client)
                if not show(self._show_book, *shown):
                    return
                painted = threading.Event()
                if show(self.call_after_refresh, painted.set):
                    painted.wait(PAINT_WAIT)
                shown_at = time.monotonic()
                # The verdicts are on the screen; the roles people hold follow, then
                # what only some views show.
                if not show(self._show_roles, client_view.roles_in_list(), generation):
                    return
                # And the tags, with the index that finds them: `#word` asks no more of
                # the book.
                tags = tag_entries(book.tag_keys_by_client())
                index = FilterIndex(listed.candidates, [tags.get(c.id, "") for c in listed.clients])
                if not show(self._show_tags, listed, tags, index, generation):
                    return
                if self.sparklines_shown:  # else once the list is wide enough for them
                    sparklines = client_view.monthly_touches(today)
                    show(self._show_sparklines, sparklines, generation)
                # And the file written once nobody types: writing 50,000 verdicts holds
                # Python's lock for half a second, which the keys pressed on seeing the
                # list would wait for.
                while not worker.is_cancelled and not app.collector.quiet_since(
                    shown_at, QUIET_BEFORE_WRITING
                ):
                    time.sleep(0.05)

    def _read_all_names(self) -> None:
        if not self.results:
            self._read_names(clock.today())

    @work(thread=True, exclusive=True, group="names", exit_on_error=False)
    def _read_names(self, today: date) -> None:
        """Every client by name, to move through and filter while the verdicts are
        computed (a long while on a large book whose verdicts are not kept yet)."""
        from cockpit.storage import book

        with self.app.database.connection_context():
            owned = None if self.team_view else book.clients_of(book.my_reps())
            everyone = ours(first_looks(book.client_rows()), owned)
            tags = tag_entries(book.tag_keys_by_client())
        candidates = candidates_for(self.candidate_of, everyone)
        listed = listing(everyone, candidates, tags=tags)
        self.app.call_from_thread(self._show_first_page, listed, candidates, today, tags)

    @work(thread=True, exclusive=True, group="sparklines", exit_on_error=False)
    def _read_sparklines(self, generation: int) -> None:
        """The sparklines, once the list is wide enough to show them."""
        from cockpit import client_view

        with self.app.database.connection_context():
            sparklines = client_view.monthly_touches(self.today)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_sparklines, sparklines, generation)

    def _book_opened(self) -> int | None:
        """The book is open: the client selected while it opened, whose profile and
        timeline the panes wait for (None if none). Every name follows the first
        page unless the verdicts come first."""
        self.set_timer(ALL_NAMES_AFTER, self._read_all_names)
        selected = self.query_one(ClientList).selected
        waiting = selected.id if self.detail_waits and selected is not None else None
        self.detail_waits = False
        return waiting

    def reload(self) -> None:
        """Read the book again, keeping the selected client."""
        selected = self.query_one(ClientList).selected
        self.load_book(selected.id if selected else None)

    def _show_first_page(
        self,
        first: Listing,
        candidates: dict[int, Candidate] | None,
        today: date,
        tags: dict[int, str] | None = None,
    ) -> None:
        if self.results:
            return  # the verdicts came first after all
        self.today = today
        if candidates is not None:
            self.candidate_of = candidates
        if tags is not None:
            self.tags = tags
        self._list(first)
        self.query_one(ClientList).loading = False
        self._show_empty_or_list(not first.clients)
        self._apply(keep_client=self._users_choice())
        if self.focused is None:
            self.query_one(ClientList).focus()
        self.call_after_refresh(self.app.stage_reached, "first-page")

    def _list(self, listed: Listing) -> None:
        """These clients, in this order, are the list (before the filter)."""
        self.listed = listed.clients
        self.by_id = listed.by_id
        self.candidates = listed.candidates
        self.index = listed.index

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
        self,
        listed: Listing,
        candidates,
        today: date,
        completeness: dict[int, int] | None,
        keep_client: int | None,
    ) -> None:
        self.candidate_of = candidates
        if completeness is not None:
            self.completeness, self.completeness_read = completeness, True
        clients = self.query_one(ClientList)
        was_first_look = isinstance(clients.selected, FirstLook)
        changed = keep_client  # the client a change to the book was about
        if was_first_look and keep_client is None:
            keep_client = self._users_choice()
        self.results = listed.clients
        self.today = today
        if listed.sort_mode == self.sort_mode:
            self._list(listed)
        else:  # the sort changed while the book was read
            self._order()
        clients.loading = False
        self._show_empty_or_list(not self.results)
        self._apply(keep_client=keep_client)
        if changed is not None:
            self._load_detail(changed, fresh=True)  # the panes show the change too
        elif was_first_look and clients.selected is not None:
            self._load_detail(clients.selected.id)  # now with its verdict
        self.call_after_refresh(self.app.stage_reached, "loaded")
        if not self.frozen:
            # What the first load made lives as long as the app, or is replaced whole
            # by a later load (and freed then: verdicts hold no cycles), so the garbage
            # collector's full passes need not walk it again (over 10,000 verdicts,
            # names and rows one stops the screen for 70 ms). Not after later loads: a
            # form just closed may still be about, whose cycles only a pass frees.
            self.frozen = True
            self.call_after_refresh(self.app.collector.keep)
        if self.focused is None:
            clients.focus()

    @work(thread=True, exclusive=True, group="completeness", exit_on_error=False)
    def _read_completeness(self, generation: int) -> None:
        """How much of each profile is filled in, for the sort by it."""
        from cockpit import client_view

        with self.app.database.connection_context():
            completeness = client_view.profile_completeness()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_completeness, completeness, generation)

    def _show_completeness(self, completeness: dict[int, int], generation: int) -> None:
        if generation != self.panes.generation:
            return  # the book was read again since (with its own counts if needed)
        self.completeness, self.completeness_read = completeness, True
        if self.sort_mode == "profile" and self.results:
            self._sort_again()

    def _show_roles(self, roles: dict[int, str], generation: int) -> None:
        if generation == self.panes.generation:  # else the book was read again since
            self.query_one(ClientList).set_roles(roles)

    def _show_tags(
        self, listed: Listing, tags: dict[int, str], index: FilterIndex, generation: int
    ) -> None:
        """The book's tags, and the index that finds them in `listed` (the list shown,
        unless it was sorted again since: then it is sorted anew, with these tags)."""
        if generation != self.panes.generation:
            return  # the book was read again since: its own tags follow
        self.tags = tags
        if self.listed is listed.clients:
            self.index = index
        else:
            self._order()
        if filter_query(self._filter_text()).tags:
            selected = self.query_one(ClientList).selected
            self._apply(keep_client=selected.id if selected else None)

    def _show_sparklines(self, sparklines: dict[int, list[int]], generation: int) -> None:
        if generation != self.panes.generation:
            return  # the book was read again since: its own sparklines follow
        self.sparklines = sparklines
        self.sparklines_read = True
        self.query_one(ClientList).set_sparklines(sparklines)

    @on(ClientList.SparklinesShown)
    def _sparklines_wanted(self, event: ClientList.SparklinesShown) -> None:
        self.sparklines_shown = event.shown
        if event.shown and self.results and not self.sparklines_read:
            self._read_sparklines(self.panes.generation)

    def _order(self) -> None:
        """Sort once per load or sort change, so a filter keystroke only filters."""
        listed = listing(
            self.results, self.candidate_of, self.sort_mode, self.completeness, self.tags
        )
        self.results = listed.clients  # a new list: the one shown stays until replaced
        self._list(listed)

    def _sort_again(self) -> None:
        selected = self.query_one(ClientList).selected
        self._order()
        self._apply(keep_client=selected.id if selected else None)

    def _apply(self, keep_client: int | None) -> None:
        """Filter the sorted clients into the list."""
        typed = self._filter_text()
        asked = filter_query(typed)
        positions = self.notes.positions(asked.rest, self.listed)
        if positions is None:
            positions = self.index.positions(typed)  # names and tags
        elif asked.tags:  # the notes' answer, among the clients with the tags
            positions = self.index.tagged(positions, asked.tags)
        listed = self.listed
        shown = listed if len(positions) == len(listed) else [listed[n] for n in positions]
        clients = self.query_one(ClientList)
        clients.sorted_by = self.sort_mode
        clients.set_rows(shown, self.sparklines, self.today, keep_client)
        if not shown:
            self.query_one(ProfilePane).show(None, None, self.today)
            self.query_one(TimelinePane).show(None, self.today)

    def _client_highlighted(self, client_id: int | None) -> None:
        """The cursor moved to another client: the panes follow, in the same frame when
        its profile and timeline were read ahead."""
        cursor = self.query_one(ClientList).cursor
        self.moving_up, self.last_cursor = cursor < self.last_cursor, cursor
        self.notes.highlighted(client_id)
        if client_id is None:
            return
        if self.app.database is None:
            self.detail_waits = True  # until the book is open
        else:
            self._load_detail(client_id)

    def _load_detail(self, client_id: int, fresh: bool = False) -> None:
        """Show a client's profile and timeline in the panes: at once when they were
        read ahead, else once read (unless that read is on its way already and need
        not be `fresh`: a change to the book needs a fresh one). Once the cursor
        rests, the clients around it are read ahead."""
        if fresh:
            self.panes.forget(client_id)
        data = self.panes.get(client_id)
        if data is not None:
            self._show_client(client_id, data.detail, data.entries)
            self._read_ahead_soon()
            return
        on_its_way = (WorkerState.PENDING, WorkerState.RUNNING)
        reading = self.detail_read
        if not fresh and reading and reading[0] == client_id and reading[1].state in on_its_way:
            return
        if self.ahead_timer is not None:
            self.ahead_timer.stop()  # this read comes first; reading ahead follows it
        self.detail_read = (client_id, self._read_panes([client_id], show=client_id))

    def _read_ahead_soon(self) -> None:
        """Read ahead once the cursor rests: a read while the panes are drawn would hold
        the screen up (one thread runs Python at a time)."""
        if self.ahead_timer is not None:
            self.ahead_timer.stop()
        self.ahead_timer = self.set_timer(READ_AHEAD_AFTER, self._read_ahead)

    def _read_ahead(self) -> None:
        """Read the panes of the clients around the cursor not read yet."""
        clients = self.query_one(ClientList)
        ahead = self.panes.missing(around(clients.rows.clients, clients.cursor, self.moving_up))
        if ahead:
            self._read_panes(ahead, show=None)

    def _read_panes(self, client_ids: list[int], show: int | None) -> Worker:
        """Read these clients' panes in a worker, and show `show`'s once read; a newer
        read stops this one."""
        self.pane_reads += 1
        return self.load_clients(client_ids, show, self.panes.generation, self.pane_reads)

    @work(thread=True, group="client", exit_on_error=False)
    def load_clients(
        self, client_ids: list[int], show: int | None, generation: int, number: int
    ) -> None:
        """Read these clients' panes, in order, until a newer read begins (this one
        then ends as done, not cancelled: nothing waits for it)."""
        from cockpit import client_view

        today = self.today
        with self.app.database.connection_context():
            for client_id in client_ids:
                if number != self.pane_reads:
                    return
                data = PaneData(
                    client_view.client_detail(client_id, today), client_view.timeline(client_id)
                )
                self.app.call_from_thread(
                    self._panes_read, generation, client_id, data, client_id == show
                )

    def _panes_read(self, generation: int, client_id: int, data: PaneData, show: bool) -> None:
        # Kept for later unless the book was read again since; shown if still wanted
        # (a change to the book reads its client's panes anew).
        self.panes.keep(generation, client_id, data)
        if show:
            self._show_client(client_id, data.detail, data.entries)
            self._read_ahead_soon()

    def _show_client(self, client_id: int, detail, entries) -> None:
        selected = self.query_one(ClientList).selected
        if selected is None or selected.id != client_id:
            return  # the cursor moved on meanwhile
        verdict = None if isinstance(selected, FirstLook) else selected
        deals = None
        if verdict is not None and entries:
            from cockpit.client_view import deals_counted

            deals = deals_counted(entries, self.today, verdict.rules.window_days)
        self.query_one(ProfilePane).show(detail, verdict, self.today, deals)
        self.query_one(TimelinePane).show(entries, self.today)

    def _filter_box(self) -> Input:
        """The filter box. It starts hidden, so it is mounted once the first page is
        drawn (or when first asked for)."""
        try:
            return self.query_one("#filter", Input)
        except NoMatches:
            box = Input(placeholder=PLACEHOLDER, id="filter")
            self.query_one("#left").mount(box, before=0)
            # Watched, not messaged: the list follows each keystroke in the frame that
            # draws it in the box.
            self.watch(box, "value", self._filter_changed, init=False)
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
            box.value = ""  # the full list, in this very frame
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
        if self.sort_mode == "profile" and not self.completeness_read:
            self._read_completeness(self.panes.generation)  # the list is sorted once counted
            return
        self._sort_again()

    def _filter_changed(self, old: str, new: str) -> None:
        if new != old:  # the box sets its value once more as it mounts: nothing typed
            # A query starts on the first client that matches; with none (Esc, or all
            # erased) every client is back and the cursor stays on the one it was on.
            found = None if new.strip() else self.query_one(ClientList).selected
            self._apply(keep_client=found.id if found else None)

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
