"""What `cockpit bench` measures: the figures, their budgets, the options of a run and
its report.

Every figure is the median of several runs, with their min and max. The timing
itself lives beside this module: `in_process` (the health engine, the agenda, the
log write, the vCard import), `in_app` (filter keystrokes and selecting a client
in the running app), `processes` (cold start, memory and the commands, whole
processes timed); `environment` keeps the bench apart from the user's settings.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# Names of the figures, as the table and the JSON give them.
COLD_START = "cold start"
FILTER_MEDIAN = "filter keystroke, median"
FILTER_WORST = "filter keystroke, worst"
SELECT = "select a client"
HEALTH_FULL = "health engine, full recompute"
HEALTH_CACHED = "health engine, cached read"
AGENDA = "weekly review agenda"
LOG_WRITE = "log a touch, the write"
LOG_COMMAND = "cockpit log"
RSS = "RSS after load"
IMPORT = "import vCards"
CLIENTS_COMMAND = "cockpit clients QUERY"
HEALTH_SERVER = "health engine on the server, full recompute"

# (name, unit, budget): the budgets on a 2-core machine, in the order it lists them.
# fmt: off
BUDGETS: tuple[tuple[str, str, float], ...] = (
    (COLD_START, "x", 1.5), (FILTER_MEDIAN, "ms", 30), (FILTER_WORST, "ms", 80),
    (SELECT, "ms", 50), (HEALTH_FULL, "ms", 150), (HEALTH_CACHED, "ms", 20),
    (AGENDA, "ms", 150), (LOG_WRITE, "ms", 5), (LOG_COMMAND, "x", 1.5),
    (RSS, "MB", 120), (IMPORT, "s", 10), (CLIENTS_COMMAND, "x", 2),
)
# fmt: on
FIGURE_NAMES = tuple(name for name, _unit, _budget in BUDGETS)
# With --database-url: the budget for the health engine on PostgreSQL (at 100,000
# clients and 2,500,000 touches), a figure of its own, listed after the SQLite one.
SERVER_BUDGETS: tuple[tuple[str, str, float], ...] = ((HEALTH_SERVER, "ms", 2000),)
# Figures of the local TUI and its SQLite book: not measured in a server run.
SQLITE_ONLY = {
    COLD_START: "the app's start on a local SQLite book",
    FILTER_MEDIAN: "the app's filter on a local SQLite book",
    FILTER_WORST: "the app's filter on a local SQLite book",
    SELECT: "the app's panes on a local SQLite book",
    HEALTH_FULL: f"its budget is for SQLite; on the server, see '{HEALTH_SERVER}'",
    RSS: "the app's memory on a local SQLite book",
    IMPORT: "an import into a new SQLite book",
}


def budgets(server: bool) -> tuple[tuple[str, str, float], ...]:
    """The figures of a run, in the table's order: a server run adds its own."""
    if not server:
        return BUDGETS
    at = FIGURE_NAMES.index(HEALTH_FULL) + 1
    return BUDGETS[:at] + SERVER_BUDGETS + BUDGETS[at:]


FULL_VCARDS = 10_000
PROCESS_TIMEOUT = 120.0  # seconds: a process still running then is killed (smoke: 30)


@dataclass
class Figure:
    """One measured figure: the median of its runs, their min and max, and its budget."""

    name: str
    unit: str
    budget: float
    value: float | None = None
    low: float | None = None
    high: float | None = None
    runs: int = 0
    detail: str = ""
    missing: str = ""  # why it was not measured
    error: bool = False  # not measured because the harness failed

    @property
    def ok(self) -> bool | None:
        return None if self.value is None else self.value <= self.budget

    @property
    def verdict(self) -> str:
        return {None: "not measured", True: "ok", False: "MISSED"}[self.ok]

    def record(self, samples: Sequence[float], detail: str = "") -> None:
        self.value = statistics.median(samples)
        self.low, self.high = min(samples), max(samples)
        self.runs = len(samples)
        self.detail = detail

    def skip(self, reason: str, *, error: bool = False) -> None:
        self.value = self.low = self.high = None
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


@dataclass
class Report:
    options: Options
    figures: list[Figure]
    machine: dict[str, str | int | None]
    book: dict[str, int | float] = field(default_factory=dict)
    seconds: float = 0.0
    server: dict[str, str] = field(default_factory=dict)  # database and schema, if any

    @property
    def missed(self) -> bool:
        return any(figure.ok is False for figure in self.figures)

    @property
    def broken(self) -> bool:
        return any(figure.error for figure in self.figures)


def machine() -> dict[str, str | int | None]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpus": os.cpu_count(),
        "usable_cpus": usable,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> float:
    return seconds * 1000


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started
