"""Cockpit in a web browser (issue 24): `cockpit serve` on the bench's book, and the
system's Chromium, headless, opening it.

- Serve answers: from launching `cockpit serve` until the address it printed answers
  (the page's first request, which trades the token for a cookie).
- Browser first paint: from the browser asking for that address until the client list's
  first rows are in xterm.js's buffer (`browser.READ_SCREEN`), each time in a new page
  (no cookie, nothing cached), so each time a new session's app starts on the book.

Optional: without Chromium or Playwright both figures say why and the bench goes on.
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cockpit.bench import browser, served
from cockpit.bench import measure as m
from cockpit.bench import screen as s

FIRST_ROWS = 5  # the list's rows that make the first paint


@dataclass(frozen=True)
class Plan:
    book: Path
    clients: s.Expected  # every client of the book: the rows must be theirs
    env: Mapping[str, str]
    runs: int
    timeout: float


def skip(figures: dict[str, m.Figure], reason: str) -> None:
    for name in m.BROWSER_FIGURES:
        figures[name].skip(reason)


def measure(figures: dict[str, m.Figure], plan: Plan, progress: Callable[[str], None]) -> None:
    starts = [_serve_answers(plan) for _ in range(plan.runs)]
    figures[m.SERVE_ANSWERS].record(starts, f"{plan.runs} starts, each until its address answered")
    progress("the first paint in headless Chromium")
    with served.start(["--db", str(plan.book)], plan.env, plan.timeout) as server:
        paints, rows = [], 0
        with browser.chromium() as chromium:
            for _ in range(plan.runs):
                seconds, rows = _first_paint(chromium, server.page, plan)
                paints.append(seconds)
    figures[m.BROWSER_FIRST_PAINT].record(
        paints,
        f"{plan.runs} new pages at {browser.VIEWPORT['width']}x{browser.VIEWPORT['height']}, "
        f"each until {rows} rows of the list showed the book's clients",
    )


def _serve_answers(plan: Plan) -> float:
    started = time.perf_counter()
    with served.start(["--db", str(plan.book)], plan.env, plan.timeout) as server:
        address = urlsplit(server.page)
        connection = http.client.HTTPConnection(address.netloc, timeout=plan.timeout)
        try:
            connection.request("GET", f"{address.path}?{address.query}")
            status = connection.getresponse().status
        finally:
            connection.close()
        answered = time.perf_counter() - started
    if status != 303:
        raise RuntimeError(f"cockpit serve answered {status} to the address it printed")
    return answered


def _first_paint(chromium, address: str, plan: Plan) -> tuple[float, int]:
    page = browser.new_page(chromium)
    try:
        started = time.perf_counter()
        page.goto(address, wait_until="commit")
        shown = browser.wait_for(
            page, lambda screen: len(screen.shown_clients()) >= FIRST_ROWS, plan.timeout
        )
        seconds = time.perf_counter() - started
    finally:
        page.context.close()
    rows = shown.shown_clients()
    strangers = [row for row in rows if not plan.clients.has(*row)]
    if strangers:
        raise RuntimeError(f"the list showed rows that are no client of the book: {strangers}")
    return seconds, len(rows)
