"""Keys typed ahead of the screen they are meant for.

A terminal delivers a burst (a paste, a text expander, a fast typist) all at once, and
Textual hands each key to the focused widget as it arrives: the keys right after one that
opens a box or moves the focus (`n`, `l`, `/`, Tab) were already handed to the old widget
when the box opened, and the app's bindings saw them there. And a screen that reads the
book before it opens (`read_then_open`) leaves the keys typed meanwhile to the screen
below. Here such keys wait, in the order typed, and go to where the focus is once the new
box has it."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable

from textual import events, work
from textual.app import App

from cockpit.errors import CockpitError
from cockpit.text import printable

FOCUS_WAIT_SECONDS = 1.0  # at most, for a new screen to give a widget the focus
KEYS_TRACKED = 64  # keys on their way to a widget, remembered with where they went


class TypedAhead(App):
    """Mixed into the Cockpit app (before App)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._held_keys: list[events.Event] | None = None  # waiting for a focus
        self._waits = 0  # screens being read for, and boxes being waited for
        self._sent_to: OrderedDict[int, tuple[events.Key, object]] = OrderedDict()
        self._handed_on: OrderedDict[int, events.Key] = OrderedDict()  # held, then handed on

    # Reading before opening ---------------------------------------------------

    def read_then_open(
        self,
        read: Callable[[], object],
        show: Callable[[object], None],
        failed: Callable[[], None] | None = None,
    ) -> None:
        """Read what a screen needs in a worker (`read` runs on the book), then
        `show(result)`, which opens it. The keys typed meanwhile go to that screen. A
        failure is reported, and `failed()` runs instead."""
        self._hold()
        self._read_for_screen(read, show, failed)

    @work(thread=True, group="read", exit_on_error=False)
    def _read_for_screen(self, read, show, failed) -> None:
        try:
            result = self.in_book_now(read)
        except Exception as error:
            self.call_from_thread(self._not_opened, error, failed)
        else:
            self.call_from_thread(self._opened, show, result)

    async def _opened(self, show: Callable[[object], None], result: object) -> None:
        below = self.screen
        try:
            show(result)
            await self._until_focused(below)
        finally:
            await self._release()

    async def _not_opened(self, error: Exception, failed: Callable[[], None] | None) -> None:
        try:
            if isinstance(error, CockpitError):
                self.notify(printable(error.message), severity="error", markup=False)
            else:
                self.say_failure(error)
            if failed is not None:
                failed()
        finally:
            await self._release()

    # Holding and handing on ---------------------------------------------------

    def _hold(self) -> None:
        self._waits += 1
        if self._held_keys is None:
            self._held_keys = []

    async def _release(self) -> None:
        self._waits -= 1
        held = self._held_keys or []
        while held and not self._waits:  # a key handed on may open a box: the rest wait
            event = held.pop(0)  # what is typed meanwhile joins the end of `held`
            if isinstance(event, events.Key):
                self._remember(event, self.focused or self.screen)
                _keep(self._handed_on, id(event), event)
            await App.on_event(self, event)  # priority bindings, then the focused widget
        if not self._waits:
            self._held_keys = None

    async def _until_focused(self, below: object | None = None) -> None:
        """Until the screen on top (if it is not `below`) has given a widget the focus,
        or has none to give (a second at most)."""
        opened = self.screen
        deadline = time.monotonic() + FOCUS_WAIT_SECONDS
        while opened is not below and opened.focused is None and time.monotonic() < deadline:
            if self.screen is not opened or (opened.is_mounted and not opened.focus_chain):
                return
            await asyncio.sleep(0.005)

    async def _wait_for_the_box(self) -> None:
        try:
            await self._until_focused()
        finally:
            await self._release()

    def _remember(self, event: events.Key, target: object) -> None:
        _keep(self._sent_to, id(event), (event, target))

    def _sent_elsewhere(self, event: events.Key) -> bool:
        """Whether the key went to a widget that no longer has the focus: typed right
        after a key that opened a box or moved the focus, it is meant for the new place."""
        sent = self._sent_to.pop(id(event), None)
        if sent is None or sent[0] is not event:
            return False
        return sent[1] is not (self.focused or self.screen)

    # The events ---------------------------------------------------------------

    async def _on_key(self, event: events.Key) -> None:
        # A key reaches the app's bindings after the widget it went to passed it on.
        if self._handed_on.get(id(event)) is event:
            del self._handed_on[id(event)]
            return  # held once already: now it is where it was meant to go
        if self._held_keys is None and self._sent_elsewhere(event):
            self._hold()
            self.run_worker(self._wait_for_the_box(), exclusive=False)
        if self._held_keys is not None:
            self._held_keys.append(events.Key(event.key, event.character))
            event.prevent_default()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if self._held_keys is not None:
                self._held_keys.append(event)
                return
            if isinstance(event, events.Key):
                self._remember(event, self.focused or self.screen)
        await super().on_event(event)


async def keys_taken(screen) -> None:
    """Until the widget with the focus on `screen` has handled the keys already handed to
    it: a priority binding (Ctrl+S) runs before the keys typed just ahead of it."""
    caught_up = asyncio.Event()
    if screen.focused is not None and screen.focused.call_later(caught_up.set):
        await caught_up.wait()


def _keep(recent: OrderedDict, key: int, value: object) -> None:
    """Keep `value` among the last KEYS_TRACKED: a key its widget takes never comes back."""
    recent[key] = value
    while len(recent) > KEYS_TRACKED:
        recent.popitem(last=False)
