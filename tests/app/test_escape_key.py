"""Esc is taken when the parser's wait for the rest of a longer key ends, not at the
input thread's next 100 ms poll, and the driver that does so reads every other key as
Textual's own."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest
from textual import constants
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.events import Key

from cockpit.ui import escape_key
from tests.support.pilot import app_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the Linux and macOS driver")


def test_esc_is_taken_after_50_ms_unless_escdelay_says_otherwise(db, book_path, monkeypatch):
    monkeypatch.delenv("ESCDELAY", raising=False)
    monkeypatch.setattr(constants, "ESCAPE_DELAY", 0.1)  # Textual's own default
    app_for(book_path)
    assert constants.ESCAPE_DELAY == 0.05
    monkeypatch.setenv("ESCDELAY", "200")  # the user's choice, which Textual read
    monkeypatch.setattr(constants, "ESCAPE_DELAY", 0.2)
    app_for(book_path)
    assert constants.ESCAPE_DELAY == 0.2


def test_the_input_thread_wakes_when_a_lone_esc_falls_due(monkeypatch):
    monkeypatch.setattr(constants, "ESCAPE_DELAY", 0.05)
    parser = XTermParser()
    assert escape_key.input_wait(parser) == escape_key.IDLE_WAIT_SECONDS
    list(parser.feed("a"))
    assert escape_key.input_wait(parser) == escape_key.IDLE_WAIT_SECONDS
    list(parser.feed("\x1b"))  # an Esc, or the start of an arrow key
    assert 0 < escape_key.input_wait(parser) <= 0.05
    list(parser.feed("[A"))  # it was the Up arrow: nothing pending
    assert escape_key.input_wait(parser) == escape_key.IDLE_WAIT_SECONDS


def test_the_cockpit_runs_on_the_prompt_driver_in_a_terminal_only(db, book_path):
    from textual.drivers.headless_driver import HeadlessDriver
    from textual.drivers.linux_driver import LinuxDriver

    driver = app_for(book_path).get_driver_class()
    assert issubclass(driver, LinuxDriver) and driver is not LinuxDriver
    assert escape_key.driver_class(HeadlessDriver) is HeadlessDriver


async def test_the_prompt_driver_reads_text_esc_and_arrow_keys(monkeypatch):
    read_end, write_end = os.pipe()
    monkeypatch.setattr(sys, "__stdin__", os.fdopen(os.dup(read_end)))
    driver = escape_key.driver_class(_linux_driver())(App())
    driver.fileno = read_end
    received: list[Key] = []
    driver.process_message = lambda event: received.append(event)
    thread = threading.Thread(target=driver.run_input_thread)
    thread.start()
    try:
        os.write(write_end, "é\x1b".encode())
        _wait_for(lambda: [key.key for key in received] == ["é", "escape"])
        os.write(write_end, b"\x1b[Aq")
        _wait_for(lambda: [key.key for key in received] == ["é", "escape", "up", "q"])
    finally:
        driver.exit_event.set()
        thread.join(5)
        os.close(write_end)
        os.close(read_end)
    assert not thread.is_alive()


def _linux_driver():
    from textual.drivers.linux_driver import LinuxDriver

    return LinuxDriver


def _wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the keys never came"
        time.sleep(0.01)
