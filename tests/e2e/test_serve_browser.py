"""`cockpit serve` in a real browser: Debian's Chromium, headless, driven by Playwright.

The page is drawn on a canvas; its text is read from xterm.js's buffer (see
`cockpit.bench.browser`). On the demo book: the page loads and shows the clients, `/` and
a filter narrow the list, a touch logged in the browser is in the book, the session ends
and opens again; a browser without the token is refused; and the page fetches nothing
from another host."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cockpit.bench import browser as chromium
from cockpit.bench import screen as s
from cockpit.bench.in_terminal import Expectations
from tests.conftest import FIXED_TODAY
from tests.support.serving import environment, require_browser, serving

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo book, served (one server for the module's tests)."""
    require_browser()
    home = tmp_path_factory.mktemp("served")
    env = environment(home, FIXED_TODAY)
    path = home / "demo.db"
    subprocess.run(
        [sys.executable, "-m", "cockpit", "demo", "--db", str(path), "--no-open"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    with serving("--db", str(path), env=env) as served:
        yield served, path


@pytest.fixture(scope="module")
def browser():
    with chromium.chromium() as launched:
        yield launched


def _clients(path: Path) -> Expectations:
    with sqlite3.connect(path) as book:
        return Expectations(book.execute("SELECT name, company FROM client").fetchall())


def _opened(browser, served):
    page = chromium.new_page(browser)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(served.page)
    return page, requests


def _listed(expected: s.Expected):
    """The list shows clients of `expected` only, a screenful of them."""

    def shown(screen: s.Screen) -> bool:
        clients = screen.shown_clients()
        return len(clients) >= 10 and all(expected.has(*client) for client in clients)

    return shown


def test_the_page_shows_the_cockpit_and_a_filter_narrows_it(demo, browser):
    served, path = demo
    clients = _clients(path)
    page, requests = _opened(browser, served)
    listed = _listed(clients.of(""))
    # The list, and the selected client's profile beside it.
    first = chromium.wait_for(page, lambda screen: listed(screen) and screen.profile_heading())
    assert "Cockpit — demo.db" in first.lines[0]
    assert served.token not in page.url  # traded for a cookie, out of the address bar

    page.keyboard.press("/")
    page.keyboard.type("ines")
    narrowed = chromium.wait_for(
        page, lambda screen: s.filtered_list_shown(screen, clients.of("ines"))
    )
    names = [name for name, _company in narrowed.shown_clients()]
    assert "Ines Delgado" in names and "Ines Xu" in names
    assert len(names) < len(first.shown_clients())

    page.keyboard.press("Escape")
    chromium.wait_for(page, lambda screen: screen.filter_text() is None and listed(screen))
    assert requests and all(url.startswith(served.origin + "/") for url in requests), requests
    page.context.close()


def test_a_touch_logged_in_the_browser_is_in_the_book(demo, browser):
    served, path = demo
    page, _ = _opened(browser, served)
    chromium.wait_for(page, _listed(_clients(path).of("")))
    page.keyboard.press("l")
    chromium.wait_for(page, lambda screen: "Ctrl+T flips the intent" in screen.text)
    page.keyboard.press("c")  # a call; the summary next
    page.keyboard.type("Called from the browser")
    # Ctrl+T is the browser's own (a new tab): the intent is one Shift+Tab up, `s` sales.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("s")
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 15
    while True:
        with sqlite3.connect(path) as book:
            logged = book.execute(
                "SELECT kind, intent FROM interaction WHERE summary = 'Called from the browser'"
            ).fetchall()
        if logged or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert logged == [("call", "sales")]
    page.context.close()


def test_a_session_ended_in_the_app_can_be_opened_again(demo, browser):
    served, path = demo
    clients = _clients(path)
    page, _ = _opened(browser, served)
    chromium.wait_for(page, _listed(clients.of("")))
    page.keyboard.press("Control+q")
    page.locator("#ended").wait_for(state="visible", timeout=15_000)
    page.get_by_role("button", name="Open Cockpit again").click()
    chromium.wait_for(page, _listed(clients.of("")))
    page.context.close()


def test_a_browser_without_the_token_is_refused(demo, browser):
    served, _ = demo
    context = browser.new_context()
    page = context.new_page()
    for address in (served.origin + "/", served.origin + "/?token=" + "x" * len(served.token)):
        response = page.goto(address)
        assert response.status == 403
        assert "needs the token that 'cockpit serve' printed" in page.inner_text("body")
    context.close()
