"""Timing each figure of `cockpit bench`.

Every figure is the median of several runs, with their min and max. In-process
figures (filter, select, health, agenda, the log write) time the functions the
app calls; the others time whole processes, wall clock from start to exit,
with a fresh HOME and XDG directories in the bench's temporary directory.

Cold start and memory rely on the app's bench protocol: with
`COCKPIT_BENCH_EXIT=first-page` (or `loaded`) and `COCKPIT_BENCH_HEADLESS=1`
it prints `BENCH <stage> <seconds since the app object was created> rss
<peak RSS in bytes>` and exits. A figure whose line never comes is "not
measured", with the reason.
"""

from __future__ import annotations

import asyncio
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cockpit import clock, config

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
BUDGETS: tuple[tuple[str, str, float], ...] = (
    (COLD_START, "x", 1.5),
    (FILTER_MEDIAN, "ms", 30),
    (FILTER_WORST, "ms", 80),
    (SELECT, "ms", 50),
    (HEALTH_FULL, "ms", 150),
    (HEALTH_CACHED, "ms", 20),
    (AGENDA, "ms", 150),
    (LOG_WRITE, "ms", 5),
    (LOG_COMMAND, "x", 1.5),
    (RSS, "MB", 120),
    (IMPORT, "s", 10),
    (CLIENTS_COMMAND, "x", 2),
)
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
SCREEN = (120, 40)  # the terminal size the in-process app runs at
PROCESS_TIMEOUT = 120.0  # seconds: a process still running then is killed (smoke: 30)
BENCH_LINE = re.compile(r"^BENCH (\S+) ([0-9.]+) rss (\d+)\s*$", re.MULTILINE)
ISOLATED_VARIABLES = (
    "HOME",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",
    "COCKPIT_DB",
    "COCKPIT_DATABASE_URL",
    "COCKPIT_TODAY",
    "COCKPIT_BENCH_EXIT",
    "COCKPIT_BENCH_HEADLESS",
)


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


def compile_package() -> None:
    """Byte-compile Cockpit's modules, as `pip install` leaves them: where Python may not
    write bytecode (PYTHONDONTWRITEBYTECODE, an editable install), every process started
    would otherwise compile them all again, and a start-up figure would time the compiler."""
    import compileall

    import cockpit

    compileall.compile_dir(Path(cockpit.__file__).parent, quiet=2)


def _median(values: Sequence[float]) -> float:
    return statistics.median(values)


def _ms(seconds: float) -> float:
    return seconds * 1000


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


@contextmanager
def isolated(root: Path, today: date) -> Iterator[dict[str, str]]:
    """HOME, XDG directories and Cockpit's variables pointing into `root` while the bench
    runs, here and in the processes it starts (whose environment this yields): no user
    setting changes a figure, and nothing of the user's is read or written."""
    saved = {name: os.environ.get(name) for name in ISOLATED_VARIABLES}
    home = root / "home"
    values = {
        "HOME": home,
        "XDG_DATA_HOME": home / "data",
        "XDG_CONFIG_HOME": home / "config",
        "XDG_STATE_HOME": home / "state",
        "XDG_CACHE_HOME": home / "cache",
    }
    for name, path in values.items():
        path.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(path)
    for name in ISOLATED_VARIABLES[len(values) :]:
        os.environ.pop(name, None)
    os.environ["COCKPIT_TODAY"] = today.isoformat()  # a run across midnight keeps its day
    _clear_caches()
    try:
        yield dict(os.environ)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _clear_caches()


def _clear_caches() -> None:
    config.file_settings.cache_clear()
    config.settings.cache_clear()
    clock.local_timezone.cache_clear()


# Processes


@dataclass(frozen=True)
class Finished:
    seconds: float  # wall clock, start to exit
    returncode: int
    stdout: str
    stderr: str
    max_rss: int | None  # bytes, as the kernel counted it
    timed_out: bool

    def bench_line(self, stage: str) -> tuple[float, int] | None:
        """(seconds, peak RSS in bytes) from the app's `BENCH <stage> ...` line."""
        for match in BENCH_LINE.finditer(self.stdout):
            if match.group(1) == stage:
                return float(match.group(2)), int(match.group(3))
        return None

    def problem(self) -> str:
        if self.timed_out:
            return f"still running after {self.seconds:.0f} s, so killed"
        last = self.stderr.strip().splitlines()[-1:] or self.stdout.strip().splitlines()[-1:]
        return f"exit status {self.returncode}" + (f": {last[0][:200]}" if last else "")


def run_process(
    argv: Sequence[str], env: dict[str, str], cwd: Path, timeout: float = PROCESS_TIMEOUT
) -> Finished:
    """Run a process to its end (or kill it after `timeout` seconds) and time it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv), env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        finished = threading.Event()
        timed_out = threading.Event()

        def kill() -> None:
            if not finished.is_set():
                timed_out.set()
                process.kill()

        killer = threading.Timer(timeout, kill)
        killer.start()
        max_rss = None
        try:
            if hasattr(os, "wait4"):  # the child's own peak memory, from the kernel
                _pid, status, usage = os.wait4(process.pid, 0)
                finished.set()
                process.returncode = os.waitstatus_to_exitcode(status)
                scale = 1 if sys.platform == "darwin" else 1024  # Linux counts KiB
                max_rss = usage.ru_maxrss * scale
            else:
                process.wait()
                finished.set()
        except BaseException:  # Ctrl-C: the process must not outlive the bench
            with suppress(OSError):
                process.kill()
                process.wait()
            raise
        finally:
            killer.cancel()
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return Finished(
            seconds=seconds,
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            max_rss=max_rss,
            timed_out=timed_out.is_set(),
        )


BARE_APP = Path(__file__).with_name("bare_app.py")


def _cockpit(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "cockpit", *arguments]


def _app_env(env: dict[str, str], stage: str) -> dict[str, str]:
    return {**env, "COCKPIT_BENCH_EXIT": stage, "COCKPIT_BENCH_HEADLESS": "1"}


def cold_start(
    figure: Figure,
    book_path: Path,
    env: dict[str, str],
    cwd: Path,
    runs: int,
    timeout: float = PROCESS_TIMEOUT,
) -> list[int]:
    """Cockpit to its first page against the bare Textual app, run after run (one warm-up
    of each first); the figure is the ratio of their wall clocks. Returns the RSS of the
    runs, in case the app cannot report it after a full load."""
    app_env = _app_env(env, "first-page")
    cockpit = _cockpit("--db", str(book_path))
    bare = [sys.executable, str(BARE_APP)]
    ratios, walls, bare_walls, reported, rss = [], [], [], [], []
    for run in range(runs + 1):
        yardstick = run_process(bare, app_env, cwd, timeout)
        if yardstick.bench_line("first-page") is None:
            figure.skip(f"the bare Textual app failed ({yardstick.problem()})", error=True)
            return []
        done = run_process(cockpit, app_env, cwd, timeout)
        line = done.bench_line("first-page")
        if line is None:
            figure.skip(
                "the app printed no 'BENCH first-page' line with COCKPIT_BENCH_EXIT=first-page "
                f"({done.problem()})"
            )
            return []
        if run == 0:
            continue  # warm-up: the files Python and the book need are in the page cache now
        ratios.append(done.seconds / yardstick.seconds)
        walls.append(done.seconds)
        bare_walls.append(yardstick.seconds)
        reported.append(line[0])
        rss.append(line[1])
    figure.record(
        ratios,
        f"cockpit {_median(walls):.2f} s to its first page and exit (the app says "
        f"{_median(reported):.2f} s after it was created), bare Textual app "
        f"{_median(bare_walls):.2f} s",
    )
    return rss


def memory(
    figure: Figure,
    book_path: Path,
    env: dict[str, str],
    cwd: Path,
    runs: int,
    fallback: list[int],
    timeout: float = PROCESS_TIMEOUT,
) -> None:
    """Peak RSS of the app once the whole book is shown (COCKPIT_BENCH_EXIT=loaded); if the
    app has no such stage, the peak at its first page."""
    cockpit = _cockpit("--db", str(book_path))
    samples, seconds = [], []
    for _ in range(runs):
        done = run_process(cockpit, _app_env(env, "loaded"), cwd, timeout)
        line = done.bench_line("loaded")
        if line is None:
            break
        seconds.append(line[0])
        samples.append(line[1] / 1e6)
    if samples:
        figure.record(samples, f"peak RSS once loaded ({_median(seconds):.2f} s after start)")
    elif fallback:
        figure.record(
            [value / 1e6 for value in fallback],
            "peak RSS at the first page: the app printed no 'BENCH loaded' line with "
            "COCKPIT_BENCH_EXIT=loaded",
        )
    else:
        figure.skip("the app printed no 'BENCH loaded' or 'BENCH first-page' line")


def commands(
    log: Figure,
    clients: Figure,
    book: Sequence[str],
    scratch: Sequence[str],
    cache_file: Path | None,
    client_id: int,
    query: str,
    env: dict[str, str],
    cwd: Path,
    runs: int,
    timeout: float = PROCESS_TIMEOUT,
) -> None:
    """`cockpit clients QUERY` on the book (`book`: the options naming it) and `cockpit
    log` on the scratch book, each against `python -c "import peewee, arrow"` run before
    it (one warm-up each first); each figure is the ratio to that floor. All the
    `clients` runs come first: a server book has no scratch copy, and a logged touch
    would throw the verdicts `cockpit clients` reuses away."""
    floor_argv = [sys.executable, "-c", "import peewee, arrow"]
    clients_argv = _cockpit(*book, "clients", query)
    log_argv = _cockpit(*scratch, "log", f"#{client_id}", "call", "bench touch")
    floors: dict[str, list[float]] = {"clients": [], "log": []}
    walls: dict[str, list[float]] = {"clients": [], "log": []}
    failed: dict[str, str] = {}
    uncached = ""
    for name, argv in (("clients", clients_argv), ("log", log_argv)):
        for run in range(max(runs, 5) + 1):
            floor = run_process(floor_argv, env, cwd, timeout)
            if floor.returncode != 0:
                reason = f"the floor failed ({floor.problem()})"
                log.skip(reason, error=True)
                clients.skip(reason, error=True)
                return
            done = run_process(argv, env, cwd, timeout)
            if done.returncode != 0:
                failed[name] = done.problem()
                break
            if run:
                walls[name].append(done.seconds)
                floors[name].append(floor.seconds)
        if name == "clients" and name not in failed and cache_file is not None:
            cache_file.unlink(missing_ok=True)  # as right after a write
            done = run_process(clients_argv, env, cwd, timeout)
            if done.returncode == 0:
                uncached = f"; {done.seconds * 1000:.0f} ms with no cached verdicts (after a write)"
    for figure, name in ((clients, "clients"), (log, "log")):
        if name in failed:
            figure.skip(f"cockpit {name} failed ({failed[name]})", error=True)
            continue
        ratios = [wall / floor for wall, floor in zip(walls[name], floors[name], strict=True)]
        what = f"cockpit clients {query!r}" if name == "clients" else "cockpit log"
        figure.record(
            ratios,
            f"{what} {_median(walls[name]) * 1000:.0f} ms, floor (python -c 'import peewee, "
            f"arrow') {_median(floors[name]) * 1000:.0f} ms"
            + (uncached if name == "clients" else ""),
        )


# In-process figures


def engine(health_full: Figure, health_cached: Figure, agenda: Figure, today: date, runs: int):
    """The health engine and the weekly agenda on the open book (one warm-up each first)."""
    from cockpit import health, health_cache
    from cockpit.review import build_agenda

    health.compute(today)
    samples = [_ms(_timed(lambda: health.compute(today))) for _ in range(runs)]
    count = len(health.compute(today))
    where = " on PostgreSQL" if _on_server() else ""
    health_full.record(samples, f"health.compute over {count:,} clients{where}")

    def from_the_file() -> None:
        health_cache.forget()  # as a new process would: nothing in memory yet
        health_cache.cached_compute(today)

    from_the_file()
    from_file = [_ms(_timed(from_the_file)) for _ in range(runs)]
    samples = [_ms(_timed(lambda: health_cache.cached_compute(today))) for _ in range(runs)]
    health_cached.record(
        samples,
        "health_cache.cached_compute, nothing changed since; from the cache file in a "
        f"new process: {_median(from_file):.0f} ms",
    )
    build_agenda(today)
    samples = [_ms(_timed(lambda: build_agenda(today))) for _ in range(runs)]
    health_cache.forget()
    cache_file = verdicts_file()
    if cache_file is not None:
        cache_file.unlink(missing_ok=True)
    afresh = _ms(_timed(lambda: build_agenda(today)))
    agenda.record(
        samples,
        "review.build_agenda for the week from today, the cockpit's verdicts reused; "
        f"{afresh:.0f} ms with the verdicts computed afresh",
    )


def verdicts_file() -> Path | None:
    """Where the health cache keeps the open book's verdicts for the next process."""
    from cockpit import health_cache
    from cockpit.storage.models import database_proxy

    return health_cache._file(database_proxy.obj)


def _on_server() -> bool:
    from cockpit.storage.models import database_proxy
    from cockpit.storage.revision import is_postgres

    return is_postgres(database_proxy.obj)


def log_write(figure: Figure, client_ids: Sequence[int], runs: int) -> None:
    """`book.add_interaction`: validate, write, refresh the client's summary, commit."""
    from cockpit.storage import book

    samples = []
    for n in range(max(10, 3 * runs)):
        client_id = client_ids[n % len(client_ids)]
        started = time.perf_counter()
        book.add_interaction(client_id, "call", summary="Bench touch: asked about the rollout.")
        samples.append(_ms(time.perf_counter() - started))
    figure.record(samples, "book.add_interaction, one transaction each")


def vcard_import(figure: Figure, vcf: Path, cards: int, root: Path, runs: int) -> None:
    """`import_file` of the whole address book into a new, empty book, each run."""
    from cockpit.importers.files import import_file
    from cockpit.storage.database import DatabaseLocation, open_database, remove_book_files
    from cockpit.storage.models import database_proxy

    samples, summary = [], ""
    for run in range(runs):
        path = root / f"import-{run}.db"
        db = open_database(DatabaseLocation(path, "--db"))
        try:
            started = time.perf_counter()
            report = import_file(vcf)
            samples.append(time.perf_counter() - started)
            summary = report.summary()
        finally:
            db.close()
            database_proxy.initialize(None)
        remove_book_files(path)
    figure.record(samples, f"{cards:,} cards into an empty book ({summary})")


def _paint(widget) -> None:
    """Draw the widget's lines now, as the next screen refresh would (it then reuses them)."""
    from textual.geometry import Region

    widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))


async def _settle(pilot) -> None:
    """Wait until the workers (and those they start) are done and the screen is idle."""
    app = pilot.app
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            return


async def _in_app(
    book_path: Path, today: date, words: Sequence[str], picks: int, runs: int
) -> dict[str, list]:
    from textual.widgets import Input, Static

    from cockpit import client_view
    from cockpit.storage.database import DatabaseLocation
    from cockpit.ui.app import CockpitApp
    from cockpit.ui.widgets.client_list import ClientList
    from cockpit.ui.widgets.profile_pane import ProfilePane
    from cockpit.ui.widgets.timeline_pane import TimelinePane

    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    found: dict[str, list] = {"keystrokes": [], "select": [], "shown": []}
    async with app.run_test(headless=True, size=SCREEN) as pilot:
        await _settle(pilot)
        clients = app.query_one(ClientList)
        if not clients.rows:
            raise RuntimeError("the app showed no clients")
        app.action_filter()
        await _settle(pilot)
        box = app.query_one("#filter", Input)
        for run in range(runs):
            word = words[run % len(words)]
            times = []
            for length in range(1, len(word) + 1):
                with box.prevent(Input.Changed):  # the keystroke's handler runs below, timed
                    box.value = word[:length]
                started = time.perf_counter()
                app._apply(keep_client=None)
                _paint(clients)
                times.append(time.perf_counter() - started)
                found["shown"].append(len(clients.rows))
                await _settle(pilot)  # the panes follow the new first row, untimed
            found["keystrokes"].append(times)
            with box.prevent(Input.Changed):
                box.value = ""
            app._apply(keep_client=None)
            await _settle(pilot)
        rows = list(clients.rows)
        profile, timeline = app.query_one(ProfilePane), app.query_one(TimelinePane)
        body = profile.query_one("#profile-body", Static)
        step = max(1, len(rows) // picks)
        for row in rows[::step][:picks]:
            client_id = row.health.id
            verdict = app.by_id.get(client_id)
            started = time.perf_counter()
            with app.database.connection_context():
                detail = client_view.client_detail(client_id, app.today)
                entries = client_view.timeline(client_id)
            profile.show(detail, verdict, app.today)
            timeline.show(entries, app.today)
            _paint(body)
            _paint(timeline)
            found["select"].append(time.perf_counter() - started)
            await _settle(pilot)
    return found


def in_app(
    median: Figure,
    worst: Figure,
    select: Figure,
    book_path: Path,
    today: date,
    words: Sequence[str],
    runs: int,
) -> None:
    """Filter keystrokes and client selection inside the running app (headless).

    A keystroke is what the filter box's `Input.Changed` handler does, `_apply`
    (filter, rows, `set_rows`), plus drawing the list's lines; selecting a client
    is reading its profile and timeline and filling and drawing both panes.
    """
    found = asyncio.run(_in_app(book_path, today, words, max(5, 2 * runs), runs))
    keystrokes = found["keystrokes"]
    shown = found["shown"]
    median.record(
        [_ms(_median(times)) for times in keystrokes],
        f"typing {', '.join(repr(w) for w in words[: len(keystrokes)])}; "
        f"{max(shown):,} to {min(shown):,} rows shown",
    )
    worst.record(
        [_ms(max(times)) for times in keystrokes],
        "the slowest keystroke of each typed word (usually the first letter)",
    )
    select.record(
        [_ms(seconds) for seconds in found["select"]],
        f"{len(found['select'])} clients across the list; client_detail + timeline + both panes",
    )


def copy_book(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def guarded(figures: Sequence[Figure], action: Callable[[], None]) -> None:
    """Run one measurement; if the harness itself fails, the figures say so."""
    try:
        action()
    except Exception as error:  # reported in the table; the exit status says it broke
        reason = f"error: {type(error).__name__}: {error}"
        for figure in figures:
            if figure.value is None and not figure.missing:
                figure.skip(reason[:300], error=True)
    finally:
        from cockpit.storage.models import database_proxy

        with suppress(Exception):
            if database_proxy.obj is not None and not database_proxy.obj.is_closed():
                database_proxy.obj.close()
        database_proxy.initialize(None)
