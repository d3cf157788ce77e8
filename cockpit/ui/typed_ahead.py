"""Keys typed ahead of the widget or screen they are meant for.

A terminal delivers a burst (a paste, a text expander, tmux `send-keys`) all at once. Textual
hands each key to the widget with the focus as it reads it, and that widget handles it later,
from its own queue: a key that moves the focus (Tab, Enter, a kind key) or opens a box (`n`,
`l`, `$`) does so only after the keys behind it were handed to the old place. Here the app
hands on one key at a time: the next waits until the last has gone all the way (through the
widget, up to the app's bindings), and, when it opened a screen, until that screen has given
a widget the focus. A screen that reads the book before it opens (`read_then_open`) holds the
keys typed meanwhile the same way, for itself."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from textual import events, work
from textual.app import App
from textual.message_pump import MessagePump

from cockpit.errors import CockpitError
from cockpit.text import printable

FOCUS_WAIT_SECONDS = 1.0  # at most, for a new screen to give a widget the focus
STUCK_SECONDS = 2.0  # a key not through by then went to a widget that was removed


class TypedAhead(App):
    """Mixed into the Cockpit app (before App)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._typed: list[events.Event] = []  # keys read, not yet handed on
        self._waits = 0  # screens being read for, and boxes being waited for
        self._in_flight: events.Event | None = None  # handed on, not through yet
        self._through = asyncio.Event()  # set as each key gets through
        self._seeing_through = False  # a worker waits until a burst is all through

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
        self._waits += 1
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

    async def _release(self) -> None:
        self._waits -= 1
        await self._hand_on()

    # One key at a time ----------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._typed.append(event)
            await self._hand_on()
            if self._typed and not self._seeing_through:
                self._seeing_through = True
                self._see_the_burst_through()
            return
        await super().on_event(event)

    def _busy(self) -> bool:
        return self._waits > 0 or self._in_flight is not None

    async def _hand_on(self) -> None:
        """Hand on the keys typed, each once the one before it is through."""
        while self._typed and not self._busy():
            event = self._typed.pop(0)
            below, target = self.screen, self.focused or self.screen
            self._in_flight = event
            await super().on_event(event)  # priority bindings, else to `target`
            self._follow(event, _path_up(target), below, _path_up(target))

    def _follow(
        self,
        event: events.Event,
        path: list[MessagePump],
        below: object,
        again: list[MessagePump] | None = None,
    ) -> None:
        """Once each of `path` in turn (the widget the key went to, then its parents up
        to the app) has handled what it had queued, the key is through: it bubbles up
        through the same queues, and the app's bindings see it last. Then once more
        (`again`): a binding found on the way up (Enter in a box: submit) runs its action
        down in the widget, whose messages (Submitted, and the focus moved by whoever
        hears it) come up the same way after the key."""
        if self._in_flight is not event:
            return  # given up on: a widget on its way was removed before its turn
        while path:
            if path.pop(0).call_later(self._follow, event, path, below, again):
                return
        if again:
            self._follow(event, again, below)
            return
        self._in_flight = None
        self._through.set()
        if self.screen is not below and self.screen.focused is None:
            self._waits += 1
            self._wait_for_the_box()
        else:
            self.call_later(self._hand_on)

    @work(group="typed-ahead", exit_on_error=False)
    async def _see_the_burst_through(self) -> None:
        """Until every key typed is through (what waits for the app's workers waits for
        this too); a key not through in STUCK_SECONDS went to a widget since removed."""
        try:
            while self._typed or self._in_flight is not None:
                self._through.clear()
                try:
                    await asyncio.wait_for(self._through.wait(), STUCK_SECONDS)
                except TimeoutError:
                    self._in_flight = None
                    await self._hand_on()
        finally:
            self._seeing_through = False

    @work(group="typed-ahead", exit_on_error=False)
    async def _wait_for_the_box(self) -> None:
        try:
            await self._until_focused()
        finally:
            await self._release()

    async def _until_focused(self, below: object | None = None) -> None:
        """Until the screen on top (if it is not `below`) has given a widget the focus,
        or has none to give (a second at most)."""
        opened = self.screen
        deadline = time.monotonic() + FOCUS_WAIT_SECONDS
        while opened is not below and opened.focused is None and time.monotonic() < deadline:
            if self.screen is not opened or (opened.is_mounted and not opened.focus_chain):
                return
            await asyncio.sleep(0.005)


def _path_up(node: MessagePump) -> list[MessagePump]:
    """`node`, its parent, and so on up to the app."""
    path = []
    while node is not None:
        path.append(node)
        node = node._parent
    return path


async def keys_taken(screen) -> None:
    """Until the widget with the focus on `screen` has handled the keys already handed to
    it: a priority binding (Ctrl+S) runs before the keys typed just ahead of it."""
    caught_up = asyncio.Event()
    if screen.focused is not None and screen.focused.call_later(caught_up.set):
        await caught_up.wait()
