"""The Cockpit application: it opens the book and holds the screens; the cockpit
itself (the client list with the profile and timeline of the selected client) is
`screens/main_screen.MainScreen`."""

from __future__ import annotations

import gc
import sqlite3
import threading
from collections.abc import Callable

from textual import events, work
from textual.app import App, SystemCommand
from textual.worker import Worker, WorkerState

from cockpit import clock
from cockpit.config import local_rep, settings
from cockpit.errors import CockpitError
from cockpit.storage.database import (
    ChangeWatcher,
    DatabaseLocation,
    change_watcher,
    read_first_page,
)
from cockpit.storage.file_identity import FileIdentity, file_identity
from cockpit.text import pasted, printable
from cockpit.ui.bindings import show_help
from cockpit.ui.escape_key import driver_class, take_escape_promptly
from cockpit.ui.garbage import CHECK_SECONDS, QuietCollector
from cockpit.ui.listing import FIRST_PAGE, SORTS, first_page_looks, subtitle
from cockpit.ui.palette import KEYS_HELP, KEYS_TITLE, cockpit_commands
from cockpit.ui.screens.main_screen import MainScreen
from cockpit.ui.typed_ahead import TypedAhead
from cockpit.ui.watchers import forget_closed_watchers

# Start-up imports only what the first page needs: the screens load when first
# used, and Peewee, the book, the health engine and the client views in the
# worker that opens the book, while the first page is on the screen.

WATCH_SECONDS = 1.0  # how often the cockpit looks for changes made elsewhere


class CockpitApp(TypedAhead, App[None]):
    TITLE = "Cockpit"
    AUTO_FOCUS = "#clients"

    def __init__(self, location: DatabaseLocation) -> None:
        take_escape_promptly()
        super().__init__()
        self.location = location
        self.database = None
        self.watcher: ChangeWatcher | None = None
        self.book_file: FileIdentity | None = None  # which file the open book is
        self.stale_screens: set = set()  # opened on a book since replaced by another file
        self.book_changed = False  # set by screens that change the book under the cockpit
        self.capacity_asked = False  # the portfolio asked for the hours a week this session
        self.first_frame = threading.Event()  # set once the first page is drawn
        self.collector = QuietCollector()  # full garbage collections wait for a pause
        # The first page, read at once when the book can be used as it is (else None:
        # the worker opens the book first, creating or upgrading it as needed).
        page = read_first_page(location, FIRST_PAGE, settings().health.honeymoon_days, local_rep())
        self.first_page = None if page is None else first_page_looks(page)
        self.sub_title = subtitle(location.short_name, False, SORTS[0])

    def get_driver_class(self):
        return driver_class(super().get_driver_class())

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.first_page, clock.today())

    @property
    def main(self) -> MainScreen:
        """The cockpit's main screen, at the bottom of the stack."""
        return self.screen_stack[0]

    def on_mount(self) -> None:
        if not gc.isenabled():  # paused for start-up (cli._open_tui): resume once drawn
            self.call_after_refresh(gc.enable)
        self.collector.start()
        self.set_interval(CHECK_SECONDS, self._tidy)
        self.set_interval(WATCH_SECONDS, self.check_for_changes)

    def _tidy(self) -> None:
        forget_closed_watchers(self)  # the widgets of the screens closed since
        self.collector.check()

    def stage_reached(self, stage: str) -> None:
        """The moments `cockpit bench` times: "first-page" once a page of clients is
        painted, "loaded" once the book's verdicts are shown (each may come again as
        the book is read again). Nothing to do here."""

    # The book ----------------------------------------------------------------

    def open_book(self) -> bool:
        """Open the book unless it is open (in a worker: opening may wait for another
        writer); True when this call opened it."""
        if self.database is not None:
            return False
        from cockpit.storage.database import open_database

        self.database = open_database(self.location)
        self.watcher = change_watcher(self.location)
        if self.location.path is not None:
            self.book_file = file_identity(self.location.path)
        return True

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def check_for_changes(self) -> None:
        """Read the book again when another program (`cockpit log`, another window) wrote to it."""
        if self.book_file is not None:
            now = file_identity(self.location.path)
            if now is not None and now != self.book_file:
                self.call_from_thread(self.book_replaced)
                return
        try:
            changed = self.watcher is not None and self.watcher.changed()
        except sqlite3.Error:
            return  # the next load reports what is wrong with the book
        if changed:
            self.call_from_thread(self.main.reload)

    def book_replaced(self) -> None:
        """Another file took the book's place (`cockpit demo --force` again, a restore):
        the cockpit shows the new book. A form or screen opened on the old one keeps what
        was typed in it but saves nothing (its client may not be in the new book)."""
        if self.book_file is None:
            return  # said already
        database, watcher = self.database, self.watcher
        self.database, self.watcher, self.book_file = None, None, None
        self.stale_screens = set(self.screen_stack[1:])
        self.main.undoable = None  # the touch just logged was in the old book
        self.refresh_bindings()
        for old in (watcher, database):
            if old is not None:
                old.close()
        name = self.location.short_name
        if self.stale_screens:
            after = "What you typed stays here but is not saved; leave this screen (Esc)."
        else:
            after = "The cockpit now shows the new one."
        self.notify(
            printable(f"The book {name} was replaced by another file. {after}"),
            severity="warning",
            timeout=15,
            markup=False,
        )
        self.main.reload()  # opens the new book

    def in_book_now(self, change: Callable[[], object]) -> object:
        """Run `change` on the book in this (worker) thread; database errors come out
        as a CockpitError that names the book."""
        if self.stale_screens.intersection(self.screen_stack):
            raise CockpitError(
                "the book's file was replaced by another since this screen was opened; "
                "leave it (Esc) and open it again on the new book"
            )
        if self.database is None:
            raise CockpitError("the book is still opening; try again in a moment")
        from cockpit.storage.guarded import run_explained

        result = run_explained(self.database, self.location.label, change)
        try:
            if self.watcher is not None:
                self.watcher.changed()  # our own change: the reload that follows shows it
        except sqlite3.Error:
            pass  # the change is made; at worst the cockpit reads the book once more
        return result

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

    # Everywhere --------------------------------------------------------------

    def action_show_help(self) -> None:
        """Help from any screen (the cockpit's `?` waits while a field has focus)."""
        show_help(self)

    def get_system_commands(self, screen):
        # Textual's own "Keys" panel knows only the focused widget's keys: ours, the
        # help screen, takes its name and place on every screen.
        for command in super().get_system_commands(screen):
            if command.title != KEYS_TITLE:
                yield command
        yield SystemCommand(KEYS_TITLE, KEYS_HELP, self.action_show_help)
        if screen is not self.screen_stack[0]:
            return  # over a form or a question, only the system's own commands
        yield from cockpit_commands(screen)

    async def on_event(self, event: events.Event) -> None:
        # A text field shows what it holds as it is: a paste (say, a name copied from a
        # web page) holding escape sequences would drive the terminal. Its control
        # characters come in as visible symbols, for every field of every screen.
        if isinstance(event, events.Paste) and not event.is_forwarded:
            event.text = pasted(event.text)
        if isinstance(event, (events.Key, events.Paste, events.MouseDown)):
            self.collector.typed()
        await super().on_event(event)

    def say_failure(self, error: BaseException | None) -> None:
        """Something other than reading the book failed: say so, and leave the screen
        as it is."""
        self.notify(printable(f"Something went wrong: {error}"), severity="error", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.say_failure(event.worker.error)

    def on_unmount(self) -> None:
        self.collector.stop()
        if self.watcher is not None:
            self.watcher.close()
        if self.database is not None:
            self.database.close()
