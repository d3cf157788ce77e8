"""The Cockpit application: the client list with the profile and timeline of the selected client."""

from __future__ import annotations

import gc
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import Footer, Header, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from cockpit import clock
from cockpit.config import local_rep, settings
from cockpit.errors import CockpitError
from cockpit.search import Candidate, filtered
from cockpit.storage.database import (
    ChangeWatcher,
    DatabaseLocation,
    change_watcher,
    explain_error,
    read_first_page,
)
from cockpit.text import pasted, printable, safe_text
from cockpit.ui.widgets.client_list import NO_TOUCHES, ClientList, FirstLook, ListRow
from cockpit.ui.widgets.profile_pane import ProfilePane
from cockpit.ui.widgets.timeline_pane import TimelinePane

# Start-up imports only what the first page needs: the screens load when first
# used, and Peewee, the book, the health engine and the client views in the
# worker that opens the book, while the first page is on the screen.
if TYPE_CHECKING:
    from cockpit import client_view, health
    from cockpit.storage import book, reviews
    from cockpit.ui.screens.client_form import ClientValues
    from cockpit.ui.screens.deal_form import DealValues
    from cockpit.ui.screens.import_screen import ImportRequest
    from cockpit.ui.screens.log_form import LogValues
    from cockpit.ui.screens.touch_form import TouchValues

EMPTY_MESSAGE = (
    "No clients in this book yet.\n\n"
    "Press n to add a client, import your touch history with `cockpit import FILE.csv`,\n"
    "or run `cockpit demo` to explore Cockpit on a demo book of 60 clients."
)

FIRST_PAGE = 120  # clients read before anything else: more than a tall terminal shows
FIRST_FRAME_WAIT = 1.0  # seconds the book waits to open until the first page is drawn
UNDO_SECONDS = 15  # how long `u` can take back a touch just logged
WATCH_SECONDS = 1.0  # how often the cockpit looks for changes made elsewhere

SORTS = ("attention", "last touch", "revenue", "name", "profile")

# The command palette (Ctrl+P) offers the same actions as the keys.
COMMANDS = (
    ("Log a touch", "A call, meeting, email… with the selected client", "log_touch"),
    ("Weekly review", "Walk through whom to look after this week", "weekly_review"),
    ("Planned communications", "The selected client's recurring touches", "plans"),
    ("Import a file", "vCard, Google/Outlook/LinkedIn CSV, or a touch history", "import_file"),
    ("New client", "Add a client", "new_client"),
    ("Edit client", "Edit the selected client", "edit_client"),
    ("Mackay 66 profile", "Open the selected client's profile editor", "edit_profile"),
    ("Archive or delete client", "Archive the selected client, or delete it", "remove_client"),
    ("Record a won deal", "A won deal for the selected client", "record_deal"),
    ("Filter clients", "Filter the list by name or company", "filter"),
    ("Sort clients", "Attention, last touch, revenue, name", "sort"),
    ("Your clients or the team's", "Show only yours, or everyone's in a team book", "team_view"),
    ("Edit touch", "Edit the touch selected in the timeline", "edit_touch"),
    ("Delete touch", "Delete the touch selected in the timeline", "delete_touch"),
    ("Follow-up done", "Mark the follow-up of the selected touch done", "follow_up_done"),
    ("Keys", "Every key of every screen", "help"),
)


# Keys that Textual itself provides everywhere, for the help screen.
SYSTEM_KEYS = [
    Binding("tab", "focus_next", "Next pane or field"),
    Binding("shift+tab", "focus_previous", "Previous pane or field"),
    Binding("ctrl+p", "command_palette", "Every action by name"),
    Binding("ctrl+q", "quit", "Quit from anywhere"),
    Binding("enter", "submit", "In the filter: back to the list"),
]


def help_sections() -> list[tuple[str, list]]:
    """Every screen's and pane's own bindings, for the help screen."""
    from cockpit.ui.screens.client_form import ClientForm
    from cockpit.ui.screens.confirm import Confirm
    from cockpit.ui.screens.help_screen import HelpScreen
    from cockpit.ui.screens.log_form import LogForm
    from cockpit.ui.screens.plans_screen import PlansScreen
    from cockpit.ui.screens.profile_editor import ProfileEditor
    from cockpit.ui.screens.review_screen import ReviewScreen
    from cockpit.ui.screens.touch_form import TouchForm
    from cockpit.ui.widgets.kind_picker import IntentToggle, KindPicker

    return [
        ("Everywhere", SYSTEM_KEYS),
        ("Cockpit", CockpitApp.BINDINGS),
        ("Client list", ClientList.BINDINGS),
        ("Profile pane", ProfilePane.BINDINGS),
        ("Mackay 66 editor", ProfileEditor.BINDINGS),
        ("Timeline", TimelinePane.BINDINGS),
        ("Client and deal forms", ClientForm.BINDINGS),
        ("Quick log", LogForm.BINDINGS + KindPicker.BINDINGS + IntentToggle.BINDINGS),
        ("Touch form", TouchForm.BINDINGS),
        ("Weekly review", ReviewScreen.BINDINGS),
        ("Planned communications", PlansScreen.BINDINGS),
        ("Questions", Confirm.BINDINGS),
        ("Help", HelpScreen.BINDINGS),
    ]


def _first_looks(rows: list[book.ClientRow]) -> list[FirstLook]:
    return [FirstLook(r.id, r.name, r.company, r.lifecycle, r.last_touch) for r in rows]


def _ours(rows: list, ours: set[int] | None) -> list:
    return rows if ours is None else [row for row in rows if row.id in ours]


def _first_page_looks(rows: list[tuple]) -> list[FirstLook]:
    """FirstLooks from `read_first_page`'s rows."""
    return [
        FirstLook(id_, name, company, lifecycle, date.fromisoformat(last) if last else None)
        for id_, name, company, lifecycle, last in rows
    ]


def _peak_rss() -> int:
    """The peak resident memory of this program, in bytes.

    Linux's ru_maxrss is no good here: it keeps the size of the parent at the fork
    that started this process (it survives exec), so under `cockpit bench` it says
    how big the bench was. The kernel's high-water mark of this program is read
    instead where there is one.
    """
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # in kB
    except (OSError, ValueError, IndexError):
        pass
    import resource  # POSIX only, and only for the bench

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # elsewhere in KiB


def _sort_key(mode: str, completeness: dict[int, int]):
    if mode == "profile":  # the fullest Mackay 66 profiles first
        return lambda r: (-completeness.get(r.id, 0), r.name.casefold(), r.id)
    if mode == "attention":
        from cockpit import health

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
        Binding("question_mark", "help", "Help", id="help"),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("s", "sort", "Sort", id="sort"),
        Binding("t", "team_view", "Yours/team", id="team_view", show=False),
        Binding("l", "log_touch", "Log touch", id="log_touch"),
        Binding("w", "weekly_review", "Review", id="weekly_review"),
        Binding("P", "plans", "Plans", id="plans", show=False),
        Binding("u", "undo_log", "Undo log", id="undo_log"),
        Binding("n", "new_client", "New client", id="new_client"),
        Binding("dollar_sign", "record_deal", "Won deal", id="record_deal"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="clear_filter"),
    ]
    # Actions that are commands, not text, and so wait while a text field has focus.
    KEY_ACTIONS = frozenset(
        {
            "quit",
            "sort",
            "filter",
            "new_client",
            "record_deal",
            "help",
            "edit_client",
            "remove_client",
            "edit_touch",
            "delete_touch",
            "edit_profile",
            "log_touch",
            "undo_log",
            "follow_up_done",
            "weekly_review",
            "plans",
        }
    )

    def __init__(self, location: DatabaseLocation) -> None:
        super().__init__()
        self.created = time.perf_counter()
        self.location = location
        self.database = None
        self.results: list[health.ClientHealth] = []
        self.sparklines: dict[int, list[int]] = {}
        self.candidates: list[Candidate] = []
        self.candidate_of: dict[int, Candidate] = {}
        self.by_id: dict[int, health.ClientHealth] = {}
        self.completeness: dict[int, int] = {}
        self.sort_mode = SORTS[0]
        self.team_view = False  # the whole team's clients, not only yours
        self.today = clock.today()
        self.watcher: ChangeWatcher | None = None
        self.undoable: book.LoggedTouch | None = None
        self.undo_deadline = 0.0
        self.opening_review = False
        self.book_changed = False  # set by screens that change the book under the cockpit
        self.detail_waits = False  # a client was selected before the book was open
        self.detail_read: tuple[int, Worker] | None = None  # the panes' latest read
        self.first_frame = threading.Event()  # set once the first page is drawn
        # The first page, read at once when the book can be used as it is (else None:
        # the worker opens the book first, creating or upgrading it as needed).
        page = read_first_page(location, FIRST_PAGE, settings().health.honeymoon_days, local_rep())
        self.first_page = None if page is None else _first_page_looks(page)
        self._update_subtitle()

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
            self.first_frame.set()
        else:  # the names are in the first frame; the book opens once it is drawn
            self._show_first_page(self.first_page, None, self.today)
            self.call_after_refresh(self.first_frame.set)
        self.load_book()
        self.call_after_refresh(self._filter_box)
        if not gc.isenabled():  # paused for start-up (cli._open_tui): resume once drawn
            self.call_after_refresh(gc.enable)
        self.set_interval(WATCH_SECONDS, self.check_for_changes)

    def _update_subtitle(self) -> None:
        whose = " · the team's clients" if self.team_view else ""  # yours: the usual case
        self.sub_title = (
            f"{printable(self.location.short_name)}{whose} · sorted by {self.sort_mode}"
        )

    @work(thread=True, exclusive=True, group="book", exit_on_error=False)
    def load_book(self, keep_client: int | None = None) -> None:
        # Nothing competes with drawing the first page: opening the book (and
        # loading Peewee, the health engine...) waits until it is on the screen.
        self.first_frame.wait(FIRST_FRAME_WAIT)
        from cockpit import client_view
        from cockpit.health_cache import cached_compute
        from cockpit.notices import take as take_notices
        from cockpit.storage import book
        from cockpit.storage.database import open_database

        today = clock.today()
        opening = self.database is None
        waiting = None
        if opening:  # opening may wait for another writer: not on the UI thread
            self.database = open_database(self.location)
            self.watcher = change_watcher(self.location)
            waiting = self.call_from_thread(self._book_opened)
            for notice in take_notices():
                self.call_from_thread(self.notify, printable(notice), markup=False, timeout=10)
        worker = get_current_worker()

        def show(*args) -> bool:
            """Hand results to the screen unless a newer load took over (a thread
            worker cannot be stopped; what it found must then go unseen)."""
            if worker.is_cancelled:
                return False
            self.call_from_thread(*args)
            return True

        with self.database.connection_context():
            ours = None if self.team_view else book.clients_of(book.my_reps())
            if waiting is not None:  # the client selected on the first page, first
                detail = client_view.client_detail(waiting, self.today)
                if not show(self._show_client, waiting, detail, client_view.timeline(waiting)):
                    return
            if opening:  # a screenful of names first, then all; the verdicts follow
                if self.first_page is None:
                    page = _ours(_first_looks(book.client_rows(limit=FIRST_PAGE)), ours)
                    if not show(self._show_first_page, page, None, today):
                        return
                everyone = _ours(_first_looks(book.client_rows()), ours)
                candidates = self._candidates_for(everyone)
                if not show(self._show_first_page, everyone, candidates, today):
                    return
            results = _ours([r for r in cached_compute(today) if not r.archived], ours)
            candidates = self._candidates_for(results)
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

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def check_for_changes(self) -> None:
        """Read the book again when another program (`cockpit log`, another window) wrote to it."""
        try:
            changed = self.watcher is not None and self.watcher.changed()
        except sqlite3.Error:
            return  # the next load reports what is wrong with the book
        if changed:
            self.call_from_thread(self._changed_elsewhere)

    def _changed_elsewhere(self) -> None:
        selected = self.query_one(ClientList).selected
        self.load_book(selected.id if selected else None)

    def _candidates_for(self, clients) -> dict[int, Candidate]:
        """Search entries for these clients, made in a worker (folding names costs
        time); those whose name and company did not change are reused."""
        known = self.candidate_of
        found = {}
        for client in clients:
            candidate = known.get(client.id)
            if candidate is None or (candidate.name, candidate.company) != (
                client.name,
                client.company,
            ):
                candidate = Candidate(client.id, client.name, client.company)
            found[client.id] = candidate
        return found

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
        if os.environ.get("COCKPIT_BENCH_EXIT") == "first-page":
            self.call_after_refresh(self._bench_exit, "first-page")

    def _users_choice(self) -> int | None:
        """The client the user picked before the verdicts came (moved to, or filtered
        down to): the list stays with them when it is read again."""
        clients = self.query_one(ClientList)
        chose = clients.moved_by_user or self._filter_text().strip()
        return clients.selected.id if chose and clients.selected is not None else None

    def _bench_exit(self, stage: str) -> None:
        """`cockpit bench` measures start-up: say when, and how much memory, then quit."""
        elapsed = time.perf_counter() - self.created
        os.write(1, f"BENCH {stage} {elapsed:.4f} rss {_peak_rss()}\n".encode())
        os._exit(0)  # at once: a worker still judging the book would hold the exit up

    def run(self, *args, **kwargs):
        if os.environ.get("COCKPIT_BENCH_HEADLESS") == "1":
            kwargs["headless"] = True
        return super().run(*args, **kwargs)

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
        if os.environ.get("COCKPIT_BENCH_EXIT") == "loaded":
            self.call_after_refresh(self._bench_exit, "loaded")
        if self.focused is None:
            clients.focus()

    def _order(self) -> None:
        """Sort once per load or sort change, so a filter keystroke only filters."""
        self.results.sort(key=_sort_key(self.sort_mode, self.completeness))
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
        if self.database is None:
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

        with self.database.connection_context():
            detail = client_view.client_detail(client_id, self.today)
            entries = client_view.timeline(client_id)
        if not get_current_worker().is_cancelled:  # a newer read is on its way
            self.call_from_thread(self._show_client, client_id, detail, entries)

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
        self.screen.set_focus(box)

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
        selected = self.query_one(ClientList).selected
        self.load_book(selected.id if selected else None)

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

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Cockpit keys act on the cockpit only: not over a form, a question or the
        # profile editor, and keys typed into a text field are text.
        if action not in self.KEY_ACTIONS:
            return True
        if action == "undo_log" and not self._can_undo():
            return False  # not in the footer either
        return self.screen is self.screen_stack[0] and not isinstance(self.focused, Input)

    # Changes: each form or question checks its input; the write runs in a worker,
    # then the list, the row and the panes are read again.

    def _selected(self) -> health.ClientHealth | None:
        selected = self.query_one(ClientList).selected
        if selected is None:
            self.notify("Select a client first.", severity="warning")
        return selected

    def in_book_now(self, change: Callable[[], object]) -> object:
        """Run `change` on the book in this (worker) thread; database errors come out
        as a CockpitError that names the book."""
        if self.database is None:
            raise CockpitError("the book is still opening; try again in a moment")
        from peewee import DatabaseError as PeeweeDatabaseError

        try:
            with self.database.connection_context():
                result = change()
        except (PeeweeDatabaseError, sqlite3.Error) as error:
            raise explain_error(error, self.location.label) from None
        try:
            if self.watcher is not None:
                self.watcher.changed()  # our own change: the reload that follows shows it
        except sqlite3.Error:
            pass  # the change is made; at worst the cockpit reads the book once more
        return result

    def write(self, change: Callable[[], object], keep_client: int | None, done: str) -> None:
        """Make a change in a worker, say it is done, and read the book again, keeping
        `keep_client` selected (or the client whose id the change returned)."""

        def written(result: object) -> None:
            keep = keep_client
            if keep is None and isinstance(result, int):
                keep = result
            self.notify(printable(done), markup=False)
            self.load_book(keep)

        self.in_book(change, written)

    def action_new_client(self) -> None:
        from cockpit.storage import book
        from cockpit.ui.screens.client_form import ClientForm

        def saved(values: ClientValues | None) -> None:
            if values is not None:
                self.write(
                    lambda: book.add_client(**vars(values)).id, None, f"Added {values.name}."
                )

        self.push_screen(ClientForm("New client"), saved)

    def action_log_touch(
        self,
        client_id: int | None = None,
        on_logged: Callable[[book.LoggedTouch], None] | None = None,
        client: Candidate | None = None,
    ) -> None:
        """The quick log for the selected client (or `client_id`; `client` names one the
        list does not hold, such as an archived client from a review)."""
        from cockpit.storage import book
        from cockpit.ui.screens.log_form import LogForm

        if not self.candidates:
            self.notify("No clients yet: press n to add one.", severity="warning")
            return
        if client_id is None:
            selected = self.query_one(ClientList).selected
            client_id = selected.id if selected else None
        verdict = self.by_id.get(client_id) if client_id is not None else None
        chosen = Candidate(verdict.id, verdict.name, verdict.company) if verdict else client
        # Undo is offered on the cockpit, where `u` is not text in a field.
        from_cockpit = self.screen is self.screen_stack[0]

        def interval_of(other_id: int) -> str:
            other = self.by_id.get(other_id)
            days = other and (other.keep_in_touch_days or other.plan_interval)
            return f"now {round(days)} days" if days else ""

        def store(values: LogValues) -> tuple[LogValues, book.LoggedTouch]:
            logged = self.in_book_now(
                lambda: book.log_touch(
                    values.client.id,
                    values.kind,
                    when=values.when,
                    summary=values.summary,
                    intent=values.intent,
                    duration_min=values.duration_min,
                    follow_up_on=values.follow_up_on,
                    keep_in_touch_days=values.keep_in_touch_days,
                )
            )
            return values, logged

        def saved(result: tuple[LogValues, book.LoggedTouch] | None) -> None:
            if result is None:
                return
            values, logged = result
            if on_logged is not None:
                on_logged(logged)
            self._logged(logged, values, offer_undo=from_cockpit)
            shown = self.query_one(ClientList).selected
            self.load_book(shown.id if shown is not None else values.client.id)

        form = LogForm(self.candidates, chosen, clock.now_local(), interval_of, store)
        self.push_screen(form, saved)

    def _logged(self, logged: book.LoggedTouch, values: LogValues, offer_undo: bool) -> None:
        follow = f" Follow up on {values.follow_up_on.isoformat()}." if values.follow_up_on else ""
        from cockpit.vocabulary import a_kind

        message = f"Logged {a_kind(values.kind)} with {values.client.name}.{follow}"
        if not offer_undo:
            self.notify(printable(message), markup=False)
            return
        self.undoable = logged
        self.undo_deadline = time.monotonic() + UNDO_SECONDS
        self.refresh_bindings()
        self.set_timer(UNDO_SECONDS + 0.1, self.refresh_bindings)
        self.notify(printable(f"{message} Press u to undo."), markup=False, timeout=UNDO_SECONDS)

    def _can_undo(self) -> bool:
        return self.undoable is not None and time.monotonic() < self.undo_deadline

    def action_undo_log(self) -> None:
        from cockpit.storage import book

        logged, self.undoable = self.undoable, None
        self.refresh_bindings()
        if logged is None:
            return
        from cockpit.vocabulary import KIND_INFO, Kind

        what = KIND_INFO[Kind(logged.interaction.kind)].label.lower()
        selected = self.query_one(ClientList).selected
        keep = selected.id if selected is not None else logged.client_id
        self.clear_notifications()  # the "press u to undo" one is no longer true
        self.write(lambda: book.undo_log(logged), keep, f"Removed the {what} just logged.")

    @work(thread=True, group="write", exit_on_error=False)
    def in_book(
        self,
        change: Callable[[], object],
        then: Callable[[object], None],
        failed: Callable[[], None] | None = None,
    ) -> None:
        """Run `change` on the book in a worker, then `then(result)` on the screen;
        a failure is reported, and `failed()` runs instead of `then`."""
        try:
            result = self.in_book_now(change)
        except CockpitError as error:
            message = printable(f"Nothing was saved: {error.message}")
            self.call_from_thread(self.notify, message, severity="error", markup=False)
            if failed is not None:
                self.call_from_thread(failed)
            return
        self.call_from_thread(then, result)

    def action_weekly_review(self, again: bool = False) -> None:
        from cockpit.review import build_agenda
        from cockpit.review import keeping as reviews

        if self.database is None or self.opening_review:
            return  # the book is still opening, or the review is
        today = clock.today()
        self.opening_review = True

        def failed() -> None:
            self.opening_review = False

        team = self.team_view

        def agenda(as_of: date):  # yours, or the team's with its drifting core by rep
            from cockpit.storage import book

            return build_agenda(as_of, None if team else book.my_reps())

        self.in_book(
            lambda: reviews.open_review(today, agenda, again=again),
            lambda review: self._show_review(review, today),
            failed=failed,
        )

    def _show_review(self, review: reviews.OpenReview, today: date) -> None:
        from cockpit.ui.screens.confirm import Confirm
        from cockpit.ui.screens.review_screen import ReviewScreen, summary_text

        self.opening_review = False
        if review.finished:
            question = (
                "This week's review is finished. "
                f"{summary_text(review.summary)}\n\nBegin a new one?"
            )

            def answered(choice: str | None) -> None:
                if choice == "again":
                    self.action_weekly_review(again=True)

            self.push_screen(Confirm(question, [("again", "Begin a new review")]), answered)
            return
        self.book_changed = False

        def closed(_) -> None:
            if self.book_changed:
                selected = self.query_one(ClientList).selected
                self.load_book(selected.id if selected else None)

        self.push_screen(ReviewScreen(review, today), closed)

    def action_plans(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.open_plans(selected.id, selected.name)

    def open_plans(self, client_id: int, name: str) -> None:
        from cockpit.ui.screens.plans_screen import PlansScreen

        if self.database is None:
            return

        def closed(changed: bool | None) -> None:
            if changed:
                self.book_changed = True
                if self.screen is self.screen_stack[0]:
                    self.load_book(client_id)

        self.push_screen(PlansScreen(client_id, name, clock.today()), closed)

    def action_show_help(self) -> None:
        """Help from any screen (the cockpit's `?` waits while a field has focus)."""
        from cockpit.ui.screens.help_screen import HelpScreen

        self.push_screen(HelpScreen(help_sections()))

    def action_import_file(self) -> None:
        from cockpit.importers.files import import_file
        from cockpit.ui.screens.import_screen import ImportForm

        if self.database is None:
            return

        def chosen(request: ImportRequest | None) -> None:
            if request is None:
                return
            self.notify(printable(f"Importing {request.path.name}…"), markup=False)
            self.in_book(
                lambda: import_file(request.path, overwrite=request.overwrite), self._imported
            )

        self.push_screen(ImportForm(), chosen)

    def _imported(self, report) -> None:
        from cockpit.ui.screens.import_screen import ImportResult

        details = report.failure_lines() + report.difference_lines()
        self.push_screen(ImportResult(report.summary(), details))
        selected = self.query_one(ClientList).selected
        self.load_book(selected.id if selected else None)

    def action_follow_up_done(self) -> None:
        from cockpit.storage import book

        entry = self._selected_touch()
        selected = self.query_one(ClientList).selected
        if entry is None or selected is None:
            return
        if entry.follow_up_on is None:
            self.notify("This touch has no follow-up.", severity="warning")
            return
        done = not entry.follow_up_done
        message = "Follow-up done." if done else "Follow-up open again."
        self.write(lambda: book.set_follow_up_done(entry.id, done), selected.id, message)

    def action_edit_client(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.open_client_form(selected.id)

    @work(thread=True, group="read", exit_on_error=False)
    def open_client_form(self, client_id: int) -> None:
        from cockpit import client_view

        with self.database.connection_context():
            detail = client_view.client_detail(client_id, self.today)
        if detail is not None:
            self.call_from_thread(self._edit_client, detail)

    def _edit_client(self, detail: client_view.ClientDetail) -> None:
        from cockpit.storage import book
        from cockpit.ui.screens.client_form import ClientForm, ClientValues

        values = ClientValues(
            name=detail.name,
            company=detail.company,
            title=detail.title,
            emails=detail.emails,
            phones=detail.phones,
            lifecycle=detail.lifecycle,
            client_since=detail.client_since,
            keep_in_touch_days=detail.keep_in_touch_days,
            strategic=detail.strategic,
            snoozed_until=detail.snoozed_until,
        )

        def saved(changed: ClientValues | None) -> None:
            if changed is not None:
                self.write(
                    lambda: book.update_client(detail.id, **vars(changed)),
                    detail.id,
                    f"Saved {changed.name}.",
                )

        self.push_screen(ClientForm(f"Edit {detail.name}", values), saved)

    def action_edit_profile(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.open_profile_editor(selected.id, selected.name)

    @work(thread=True, group="read", exit_on_error=False)
    def open_profile_editor(self, client_id: int, name: str) -> None:
        from cockpit.storage import book

        with self.database.connection_context():
            answers = book.profile_answers(client_id)
        self.call_from_thread(self._edit_profile, client_id, name, answers)

    def _edit_profile(self, client_id: int, name: str, answers) -> None:
        from cockpit.storage import book
        from cockpit.ui.screens.profile_editor import ProfileEditor

        def store(changes) -> None:  # runs in the editor's worker; it stays open on failure
            with self.database.connection_context():
                book.set_profile(client_id, changes)

        def closed(saved: bool | None) -> None:
            if saved:
                self.notify(printable(f"Saved the profile of {name}."), markup=False)
                self.load_book(client_id)

        editor = ProfileEditor(
            name, answers, self.today, store, log_touch=lambda: self.action_log_touch(client_id)
        )
        self.push_screen(editor, closed)

    def action_remove_client(self) -> None:
        from cockpit.storage import book
        from cockpit.ui.screens.confirm import Confirm

        selected = self._selected()
        if selected is None:
            return
        question = (
            f"Archive {selected.name}? An archived client is kept and still judged, but no "
            "longer listed. Deleting removes the client and every touch, deal and profile "
            "answer, for good."
        )

        def answered(choice: str | None) -> None:
            if choice == "archive":
                change = lambda: book.set_archived(selected.id, True)  # noqa: E731
                self.write(change, None, f"Archived {selected.name}.")
            elif choice == "delete":
                self.write(
                    lambda: book.delete_client(selected.id), None, f"Deleted {selected.name}."
                )

        answers = [("archive", "Archive"), ("delete", "Delete for good")]
        self.push_screen(Confirm(question, answers), answered)

    def action_record_deal(self) -> None:
        from cockpit.storage import book
        from cockpit.ui.screens.deal_form import DealForm

        selected = self._selected()
        if selected is None:
            return

        def saved(values: DealValues | None) -> None:
            if values is not None:
                self.write(
                    lambda: book.add_deal(
                        selected.id,
                        values.amount,
                        currency=values.currency,
                        won_on=values.won_on,
                        description=values.description,
                    ),
                    selected.id,
                    f"Recorded a won deal for {selected.name}.",
                )

        label = selected.name + (f" ({selected.company})" if selected.company else "")
        self.push_screen(DealForm(label, self.today, settings().currency), saved)

    def _selected_touch(self):
        entry = self.query_one(TimelinePane).selected_entry
        if entry is None:
            self.notify("Select a touch in the timeline first.", severity="warning")
        return entry

    def _forget_undo_of(self, interaction_id: int) -> None:
        """A touch changed or removed by hand is no longer the one `u` would take back."""
        if self.undoable is not None and self.undoable.interaction.id == interaction_id:
            self.undoable = None
            self.refresh_bindings()

    def action_edit_touch(self) -> None:
        from cockpit.storage import book
        from cockpit.ui.screens.touch_form import TouchForm, TouchValues

        entry = self._selected_touch()
        selected = self.query_one(ClientList).selected
        if entry is None or selected is None:
            return
        values = TouchValues(
            kind=entry.kind,
            intent=entry.intent,
            when=entry.when,
            duration_min=entry.duration_min,
            summary=entry.summary,
            follow_up_on=entry.follow_up_on,
        )

        def saved(changed: TouchValues | None) -> None:
            if changed is not None:
                self._forget_undo_of(entry.id)
                self.write(
                    lambda: book.update_interaction(entry.id, **vars(changed)),
                    selected.id,
                    "Saved the touch.",
                )

        self.push_screen(TouchForm(values), saved)

    def action_delete_touch(self) -> None:
        from cockpit.storage import book
        from cockpit.ui.screens.confirm import Confirm

        entry = self._selected_touch()
        selected = self.query_one(ClientList).selected
        if entry is None or selected is None:
            return

        def answered(choice: str | None) -> None:
            if choice == "delete":
                self._forget_undo_of(entry.id)
                change = lambda: book.delete_interaction(entry.id)  # noqa: E731
                self.write(change, selected.id, "Deleted the touch.")

        question = f"Delete this {entry.label.lower()} of {entry.day.isoformat()}?"
        self.push_screen(Confirm(question, [("delete", "Delete")]), answered)

    def action_help(self) -> None:
        from cockpit.ui.screens.help_screen import HelpScreen

        self.push_screen(HelpScreen(help_sections()))

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        if screen is not self.screen_stack[0]:
            return  # over a form or a question, only the system's own commands
        for title, help_text, action in COMMANDS:
            yield SystemCommand(title, help_text, getattr(self, f"action_{action}"))

    async def on_event(self, event: events.Event) -> None:
        # A text field shows what it holds as it is: a paste (say, a name copied from a
        # web page) holding escape sequences would drive the terminal. Its control
        # characters come in as visible symbols, for every field of every screen.
        if isinstance(event, events.Paste) and not event.is_forwarded:
            event.text = pasted(event.text)
        await super().on_event(event)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        if event.worker.group not in ("book", "client"):
            # Not a failed read of the book: say so, and leave the screen as it is.
            self.notify(
                printable(f"Something went wrong: {event.worker.error}"),
                severity="error",
                markup=False,
            )
            return
        error = event.worker.error
        message = error.message if isinstance(error, CockpitError) else str(error)
        peewee = sys.modules.get("peewee")  # a database error comes from Peewee once loaded
        if isinstance(error, sqlite3.Error) or (
            peewee is not None and isinstance(error, peewee.DatabaseError)
        ):
            message = explain_error(error, self.location.label).message
        self.query_one(ClientList).loading = False
        self.query_one("#cockpit").display = False
        notice = self.query_one("#empty", Static)
        notice.update(safe_text(f"Cockpit could not read the book: {message}"))
        notice.display = True

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.close()
        if self.database is not None:
            self.database.close()
