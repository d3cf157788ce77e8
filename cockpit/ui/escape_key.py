"""Esc taken as soon as it can be told from the start of a longer key.

A lone Esc byte may begin an escape sequence (an arrow key, a function key), so the
terminal parser waits `ESCAPE_DELAY` for more before it calls it the Esc key. Cockpit
waits 50 ms (Neovim's default `ttimeoutlen`) instead of Textual's 100 unless the
user's ESCDELAY says otherwise. Textual's Linux driver also looks at that wait only
between reads, each of which waits up to 100 ms for input, so a lone Esc was seen
100 ms after it came whatever the delay: `PromptEscapeLinuxDriver` wakes when the
parser's wait ends."""

from __future__ import annotations

import os
import selectors
import sys
from codecs import getincrementaldecoder
from typing import TYPE_CHECKING

from textual import constants
from textual._time import get_time

if TYPE_CHECKING:
    from textual.driver import Driver

ESCAPE_DELAY_SECONDS = 0.05
IDLE_WAIT_SECONDS = 0.1  # how often the input thread looks at its exit flag, as Textual's


def take_escape_promptly() -> None:
    """Shorten the wait after a lone Esc, unless the user chose one with ESCDELAY."""
    if "ESCDELAY" not in os.environ:
        constants.ESCAPE_DELAY = ESCAPE_DELAY_SECONDS


def input_wait(parser: object) -> float:
    """How long the input thread may wait for the next byte: until the parser's pending
    timeout (a lone Esc) falls due, else the idle wait."""
    deadline = getattr(parser, "_timeout_time", None)
    if deadline is None:
        return IDLE_WAIT_SECONDS
    return min(IDLE_WAIT_SECONDS, max(0.0, deadline - get_time()))


def driver_class(default: type[Driver]) -> type[Driver]:
    """The driver Cockpit runs on: Textual's own, except on a Linux or macOS terminal."""
    if sys.platform == "win32":
        return default
    from textual.drivers.linux_driver import LinuxDriver

    if default is not LinuxDriver:  # the web, headless or a driver named in TEXTUAL_DRIVER
        return default
    return _prompt_escape_driver()


def _prompt_escape_driver() -> type[Driver]:
    from textual._loop import loop_last
    from textual._xterm_parser import XTermParser
    from textual.drivers.linux_driver import LinuxDriver

    class PromptEscapeLinuxDriver(LinuxDriver):
        """Textual 8.2's `LinuxDriver.run_input_thread` with one change: the wait for
        input ends when the parser's Esc timeout does (`input_wait`)."""

        def run_input_thread(self) -> None:
            selector = selectors.SelectSelector()
            selector.register(self.fileno, selectors.EVENT_READ)
            fileno = self.fileno
            parser = XTermParser(self._debug)
            decode = getincrementaldecoder("utf-8")().decode

            def process(events: list, final: bool = False) -> None:
                for last, (_key, mask) in loop_last(events):
                    if mask & selectors.EVENT_READ:
                        data = decode(os.read(fileno, 1024 * 4), final=final and last)
                        if not data:  # stdin is a pipe that was closed
                            break
                        for event in parser.feed(data):
                            self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)

            try:
                while not self.exit_event.is_set():
                    process(selector.select(input_wait(parser)))
                selector.unregister(self.fileno)
                process(selector.select(IDLE_WAIT_SECONDS), final=True)
            finally:
                selector.close()

    return PromptEscapeLinuxDriver
