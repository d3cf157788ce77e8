"""`cockpit serve` in a real browser: the system's Chromium, headless, driven by
Playwright for Python (never a browser Playwright downloads). The bench times the first
paint with it and the tests drive the page with it.

The page draws the app's screen on a canvas with xterm.js, so its text is read from
xterm.js's buffer: a script run before the page's own catches textual-serve's terminal
object as it is built (it keeps it in a closure) and leaves it on `window`.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from cockpit.bench.screen import Screen

# Without the background-networking flags Chromium tries to reach Google at start and,
# on a machine without the internet, stalls.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
VIEWPORT = {"width": 1280, "height": 800}

# textual.js builds its terminal wrapper with `this.fitAddon = ...` in its constructor: a
# setter on Object.prototype sees that object first, keeps it, and gets out of the way.
TERMINAL_HOOK = """
Object.defineProperty(Object.prototype, "fitAddon", {
  configurable: true,
  set(value) {
    window.cockpitTerminal = this;
    Object.defineProperty(this, "fitAddon", {
      value, writable: true, configurable: true, enumerable: true,
    });
  },
});
"""
READ_SCREEN = """() => {
  const wrapper = window.cockpitTerminal;
  const terminal = wrapper && wrapper.terminal;
  if (!terminal) return null;
  const buffer = terminal.buffer.active, lines = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    lines.push(line ? line.translateToString(true) : "");
  }
  return {columns: terminal.cols, lines};
}"""


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_missing() -> str | None:
    """Why a browser cannot be driven here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    if chromium_path() is None:
        return "Chromium is not installed (Debian's chromium package)"
    return None


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium (a Playwright Browser), closed at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, viewport: dict[str, int] = VIEWPORT):
    """A page in a fresh context (no cookies) that can read the terminal's screen."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.add_init_script(TERMINAL_HOOK)
    return page


def screen(page) -> Screen | None:
    """The terminal's screen as the page shows it now; None before the terminal exists."""
    found = page.evaluate(READ_SCREEN)
    if not found:
        return None
    return Screen.parse(found["lines"], found["columns"])


def wait_for(
    page, shown: Callable[[Screen], bool], timeout: float = 15.0, every: float = 0.01
) -> Screen:
    """The first screen for which `shown(screen)` holds; TimeoutError with the last
    screen seen after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = screen(page) or last
        if last is not None and shown(last):
            return last
        if time.monotonic() > deadline:
            seen = last.text if last is not None else "(no terminal)"
            raise TimeoutError(f"not on the page's screen after {timeout} s:\n{seen}")
        time.sleep(every)
