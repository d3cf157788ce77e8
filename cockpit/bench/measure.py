"""What `cockpit bench` measures: the figures, the options of a run and its report.

The figures come in three sections. First what a person sees, timed in a real
terminal (`in_terminal`: tmux at 120x40, keys sent and the screen read through
a control-mode client, against a bare Textual app in the same run); then the
commands and the health engine (`commands`, `in_process`); last, the breakdown:
the same work timed inside the process (`in_app`, `in_process`) and whole
processes started headless (`processes`). `budgets` holds each figure's budget,
one table for 10,000 clients and one for 50,000; `environment` keeps the bench
apart from the user's settings.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# Names of the figures, as the table and the JSON give them.
# What a person sees, in a terminal:
FILTER_MEDIAN = "filter keystroke, median"
FILTER_WORST = "filter keystroke, worst"
BACKSPACE_MEDIAN = "Backspace, median"
BACKSPACE_WORST = "Backspace, worst"
ESC_LIST = "Esc clears the filter: full list back"
ESC_PANES = "Esc clears the filter: panes back"
DOWN_MEDIAN = "Down arrow: panes filled, median"
DOWN_WORST = "Down arrow: panes filled, worst"
DOWN_DRAWS = "Down arrow: draws of the panes"
VERDICTS_SHOWN = "verdicts on screen after start"
EDITOR_OPENS = "profile editor opens"
BRIEF_OPENS = "pre-call brief opens"
PORTFOLIO_OPENS = "portfolio opens, history not kept"  # issue 23: the first time in a run
PORTFOLIO_AGAIN = "portfolio opens again, history kept"
MEMORY = "memory once loaded (VmHWM)"
# In a web browser (issue 24): `cockpit serve` and headless Chromium, where installed.
SERVE_ANSWERS = "cockpit serve answers"
BROWSER_FIRST_PAINT = "browser: first names on screen"
# The commands and the engine:
DRIFT_COMMAND = "cockpit drift --json"
CLIENTS_COMMAND = "cockpit clients QUERY after a write"
ACCOUNTS_COMMAND = "cockpit accounts"  # issue 21: every account's roll-up, verdicts saved
HEALTH_FULL = "health engine, full recompute"
HEALTH_SERVER = "health engine on the server, full recompute"
# The breakdown:
COLD_START = "cold start"
FILTER_IN_PROCESS = "filter keystroke in process, median"
FILTER_IN_PROCESS_WORST = "filter keystroke in process, worst"
SELECT = "select a client in process"
HEALTH_CACHED = "health engine, cached read"
AGENDA = "weekly review agenda"
LOG_WRITE = "log a touch, the write"
LOG_COMMAND = "cockpit log"
RSS = "RSS after load, headless"
IMPORT = "import vCards"
IMPORT_VDIR = "import a vdir"
IMPORT_HISTORY = "import a history CSV"
IMPORT_CALENDAR = "import a calendar"
IMPORT_MAIL = "import a mailbox"

TERMINAL_FIGURES = (
    FILTER_MEDIAN,
    FILTER_WORST,
    BACKSPACE_MEDIAN,
    BACKSPACE_WORST,
    ESC_LIST,
    ESC_PANES,
    DOWN_MEDIAN,
    DOWN_WORST,
    DOWN_DRAWS,
    VERDICTS_SHOWN,
    EDITOR_OPENS,
    BRIEF_OPENS,
    PORTFOLIO_OPENS,
    PORTFOLIO_AGAIN,
    MEMORY,
)
BROWSER_FIGURES = (SERVE_ANSWERS, BROWSER_FIRST_PAINT)
# Figures of the local TUI and its SQLite book: not measured in a server run.
SQLITE_ONLY = {
    **dict.fromkeys(TERMINAL_FIGURES, "the app in a terminal on a local SQLite book"),
    **dict.fromkeys(BROWSER_FIGURES, "the app in a browser on a local SQLite book"),
    COLD_START: "the app's start on a local SQLite book",
    FILTER_IN_PROCESS: "the app's filter on a local SQLite book",
    FILTER_IN_PROCESS_WORST: "the app's filter on a local SQLite book",
    SELECT: "the app's panes on a local SQLite book",
    HEALTH_FULL: f"its budget is for SQLite; on the server, see '{HEALTH_SERVER}'",
    RSS: "the app's memory on a local SQLite book",
    IMPORT: "an import into a new SQLite book",
    IMPORT_VDIR: "an import into a new SQLite book",
    IMPORT_HISTORY: "an import into a new SQLite book",
    IMPORT_CALENDAR: "an import into a local SQLite book",
    IMPORT_MAIL: "an import into a local SQLite book",
}
SECTIONS = {
    "terminal": "What a person sees: the app in a terminal (tmux, 120x40), keys sent and the "
    "screen read, against a bare Textual app in the same run",
    "browser": "In a web browser: cockpit serve, and headless Chromium opening it (where "
    "Chromium and Playwright are installed)",
    "commands": "The commands and the health engine",
    "breakdown": "Breakdown: the same work inside the process, and whole processes headless",
}


FULL_VCARDS = 10_000
FULL_VDIR_CARDS = 5_000  # one-card files (issue 19, point 5)
FULL_HISTORY_ROWS = 250_000  # rows of an interchange CSV (the same)
FULL_CALENDAR_EVENTS = 5_000  # events of one calendar file (issue 25, point 4)
FULL_MAIL_MESSAGES = 10_000  # messages of one mbox (the same)
PROCESS_TIMEOUT = 120.0  # seconds: a process still running then is killed (smoke: 30)


@dataclass
class Figure:
    """One measured figure: its value (usually the median of its runs, with their min and
    max) against its budget (None: no budget at this size, shown for information)."""

    name: str
    unit: str
    budget: float | None
    section: str = "breakdown"
    value: float | None = None
    low: float | None = None
    high: float | None = None
    runs: int = 0
    detail: str = ""
    missing: str = ""  # why it was not measured
    error: bool = False  # not measured because the harness failed
    absolute: float | None = None  # for a ratio: the figure itself, in absolute_unit
    absolute_unit: str = ""

    @property
    def ok(self) -> bool | None:
        if self.value is None or self.budget is None:
            return None
        return self.value <= self.budget

    @property
    def verdict(self) -> str:
        if self.value is not None and self.budget is None:
            return "no budget"
        return {None: "not measured", True: "ok", False: "MISSED"}[self.ok]

    def record(self, samples: Sequence[float], detail: str = "") -> None:
        """The median of the samples, with their min and max."""
        self.set(statistics.median(samples), len(samples), detail, min(samples), max(samples))

    def set(
        self,
        value: float,
        runs: int,
        detail: str = "",
        low: float | None = None,
        high: float | None = None,
        absolute: tuple[float, str] | None = None,
    ) -> None:
        """A value worked out otherwise (a ratio of medians, the worst of many)."""
        self.value, self.low, self.high, self.runs, self.detail = value, low, high, runs, detail
        self.missing, self.error = "", False
        if absolute is not None:
            self.absolute, self.absolute_unit = absolute

    def skip(self, reason: str, *, error: bool = False) -> None:
        self.value = self.low = self.high = self.absolute = None
        self.missing, self.error = reason, error


@dataclass(frozen=True)
class Options:
    clients: int = 10_000
    touches: int = 250_000
    runs: int = 5
    smoke: bool = False
    database_url: str | None = None  # a PostgreSQL database to build the book in

    @property
    def server(self) -> bool:
        return self.database_url is not None

    @property
    def timeout(self) -> float:
        """How long a process may run before it is killed and its figure not measured."""
        return 30.0 if self.smoke else PROCESS_TIMEOUT

    @property
    def vcards(self) -> int:
        return self.clients if self.smoke else FULL_VCARDS

    @property
    def vdir_cards(self) -> int:
        return self.clients if self.smoke else FULL_VDIR_CARDS

    @property
    def history_rows(self) -> int:
        return self.clients * 10 if self.smoke else FULL_HISTORY_ROWS

    @property
    def calendar_events(self) -> int:
        return self.clients if self.smoke else FULL_CALENDAR_EVENTS

    @property
    def mail_messages(self) -> int:
        return self.clients if self.smoke else FULL_MAIL_MESSAGES


@dataclass
class Report:
    options: Options
    figures: list[Figure]
    machine: dict[str, str | int | list[float] | None]
    table: int = 10_000  # the budget table used: the one for this many clients
    book: dict[str, int | float] = field(default_factory=dict)
    seconds: float = 0.0
    server: dict[str, str] = field(default_factory=dict)  # database and schema, if any

    @property
    def missed(self) -> bool:
        return any(figure.ok is False for figure in self.figures)

    @property
    def broken(self) -> bool:
        return any(figure.error for figure in self.figures)


def load_average() -> list[float] | None:
    """The system's load over 1, 5 and 15 minutes, where it says."""
    try:
        return [round(load, 2) for load in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def machine() -> dict[str, str | int | list[float] | None]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpus": os.cpu_count(),
        "usable_cpus": usable,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "load_at_start": load_average(),
    }


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> float:
    return seconds * 1000


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started
