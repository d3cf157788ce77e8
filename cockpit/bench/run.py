"""Running the whole bench: build the book once, then measure every figure.

Everything happens in one temporary directory, removed at the end: the book
(built once per run and copied where a figure writes), the vCard file, the
import books, and the HOME and XDG directories of the processes started.

With `--database-url` the book is built in a schema of its own in that
PostgreSQL database (see `bench.server`), dropped at the end whatever happens,
and the figures of the local TUI and its SQLite book are not measured.
"""

from __future__ import annotations

import math
import random
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cockpit import clock
from cockpit.bench import (
    budgets,
    commands,
    environment,
    in_app,
    in_browser,
    in_process,
    in_terminal,
    measure,
    processes,
    terminal,
    terminal_figures,
)
from cockpit.bench.builder import BuiltBook, build_book, build_server_book
from cockpit.bench.history_file import write_history
from cockpit.bench.measure import Figure, Options, Report
from cockpit.bench.people import SEED
from cockpit.bench.vcards import write_vcards, write_vdir
from cockpit.search import fold
from cockpit.storage.database import DatabaseLocation


@dataclass(frozen=True)
class _Run:
    """One bench run: what it was asked, where it writes, and the figures it fills."""

    options: Options
    report: Report
    figures: dict[str, Figure]
    root: Path  # the temporary directory
    env: dict[str, str]  # the environment of the processes it starts
    today: date
    progress: Callable[[str], None]

    @property
    def process_setup(self) -> processes.Processes:
        return processes.Processes(self.env, self.root, self.options.runs, self.options.timeout)

    def guarded(self, names: Sequence[str], action: Callable[[], None]) -> None:
        environment.guarded([self.figures[name] for name in names], action)

    def engine(self, full: str) -> Callable[[], None]:
        """The health engine (its full recompute as the figure `full`) and the agenda."""
        figures, today, runs = self.figures, self.today, self.options.runs
        return lambda: in_process.engine(
            figures[full], figures[measure.HEALTH_CACHED], figures[measure.AGENDA], today, runs
        )

    def log_write(self, log_clients: list[int]) -> Callable[[], None]:
        figure, runs = self.figures[measure.LOG_WRITE], self.options.runs
        return lambda: in_process.log_write(figure, log_clients, runs)

    def commands(self, book: Sequence[str], client_id: int, query: str) -> Callable[[], None]:
        """`cockpit log` then `cockpit clients` on `book` (its options)."""
        figures = self.figures
        return lambda: commands.log_then_clients(
            figures[measure.LOG_COMMAND],
            figures[measure.CLIENTS_COMMAND],
            book,
            client_id,
            query,
            self.process_setup,
        )

    def drift(self, book: Sequence[str], cache_file: Path | None) -> Callable[[], None]:
        figure = self.figures[measure.DRIFT_COMMAND]
        return lambda: commands.drift(figure, book, cache_file, self.process_setup)

    def accounts(self, book: Sequence[str]) -> Callable[[], None]:
        figure = self.figures[measure.ACCOUNTS_COMMAND]
        return lambda: commands.accounts(figure, book, self.process_setup)


def _picks(rows: list[tuple[int, str, str]], runs: int) -> tuple[list[str], list[int]]:
    """Filter words (the first 4 letters of real names) and clients to log touches for,
    from the (id, name, lifecycle) of the clients not archived, by id."""
    rng = random.Random(SEED)
    words: list[str] = []
    for _id, name, _lifecycle in rng.sample(rows, k=len(rows)):
        word = fold(name.split()[-1])[:4]  # as typed: "o'ne" for O'Neill is skipped
        if len(word) == 4 and word.isalpha() and word not in words:
            words.append(word)
        if len(words) == max(runs, 1):
            break
    active = [client_id for client_id, _name, lifecycle in rows if lifecycle == "active"]
    return words or ["abcd"], rng.sample(active, k=min(len(active), 20)) or [rows[0][0]]


@dataclass(frozen=True)
class _Facts:
    rows: list[tuple[int, str, str]]  # (id, name, lifecycle) of the clients not archived
    names: tuple[tuple[str, str], ...]  # (name, company) of those clients
    cache_file: Path | None  # where the book's verdicts are saved


def _book_facts(location: DatabaseLocation) -> _Facts:
    """The clients `_picks` chooses from and the list shows, and where the book's verdicts
    are saved."""
    from cockpit.storage import book
    from cockpit.storage.database import open_database
    from cockpit.storage.models import database_proxy
    from cockpit.storage.sample_books import clients_not_archived

    db = open_database(location)
    try:
        names = tuple((c.name, c.company) for c in book.client_candidates())
        return _Facts(clients_not_archived(), names, in_process.verdicts_file())
    finally:
        db.close()
        database_proxy.initialize(None)


def _addresses(location: DatabaseLocation, count: int) -> list[str]:
    """Addresses of the book's clients, for the calendar import's attendees."""
    from cockpit.storage.database import open_database
    from cockpit.storage.models import database_proxy
    from cockpit.storage.sample_books import client_addresses

    db = open_database(location)
    try:
        return client_addresses(count)
    finally:
        db.close()
        database_proxy.initialize(None)


def _on_book(location: DatabaseLocation, action: Callable[[], None]) -> Callable[[], None]:
    def opened() -> None:
        from cockpit.storage.database import open_database

        db = open_database(location)
        try:
            action()
        finally:
            db.close()

    return opened


def _book_summary(built: BuiltBook) -> dict[str, int | float]:
    return {
        "clients": built.clients,
        "interactions": built.interactions,
        "deals": built.deals,
        "profiles": built.profiles,
        "profile_values": built.profile_values,
        "plans": built.plans,
        "build_seconds": round(built.seconds, 2),
    }


@contextmanager
def _unwound_when_terminated() -> Iterator[None]:
    """A bench stopped by SIGTERM (`kill`, `timeout`) unwinds as after Ctrl+C: its tmux
    servers, the apps in them and its temporary book are removed, not left running."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_bench(options: Options, progress: Callable[[str], None]) -> Report:
    """Build the book and measure every figure; a figure that cannot be measured says why."""
    started = time.perf_counter()
    figures = {
        name: Figure(name, unit, budget, section)
        for name, unit, budget, section in budgets.rows(options.clients, options.server)
    }
    report = Report(
        options, list(figures.values()), measure.machine(), budgets.table_for(options.clients)
    )
    today = clock.today()
    with (
        _unwound_when_terminated(),
        tempfile.TemporaryDirectory(prefix="cockpit-bench-") as folder,
        environment.isolated(Path(folder), today) as env,
    ):
        environment.compile_package()
        run = _Run(options, report, figures, Path(folder), env, today, progress)
        if options.server:
            _run_on_server(run)
        else:
            _run_on_sqlite(run)
    report.seconds = time.perf_counter() - started
    report.machine["load_at_end"] = measure.load_average()
    return report


def _run_on_server(run: _Run) -> None:
    from cockpit.bench import server

    options, progress = run.options, run.progress
    for name, reason in measure.SQLITE_ONLY.items():
        run.figures[name].skip(f"SQLite only: {reason}")
    with server.bench_schema(options.database_url) as schema:
        location = DatabaseLocation(None, "the bench", url=schema.url)
        named = DatabaseLocation(None, "--database-url", url=options.database_url)
        run.report.server = {"database": named.label, "schema": schema.name}
        progress(
            f"building a book of {options.clients:,} clients, {options.touches:,} touches "
            f"in the schema {schema.name} (dropped at the end)"
        )
        built = build_server_book(
            schema.url, clients=options.clients, touches=options.touches, today=run.today
        )
        run.report.book = _book_summary(built)
        facts = _book_facts(location)
        words, log_clients = _picks(facts.rows, options.runs)
        progress("the health engine on the server and the weekly agenda")
        run.guarded(
            [measure.HEALTH_SERVER, measure.HEALTH_CACHED, measure.AGENDA],
            _on_book(location, run.engine(measure.HEALTH_SERVER)),
        )
        book_options = ("--database-url", schema.url)
        progress("cockpit drift against the floor")
        run.guarded([measure.DRIFT_COMMAND], run.drift(book_options, facts.cache_file))
        progress("cockpit accounts against the floor")
        run.guarded([measure.ACCOUNTS_COMMAND], run.accounts(book_options))
        progress("cockpit log, then cockpit clients, against the floor")
        run.guarded(
            [measure.LOG_COMMAND, measure.CLIENTS_COMMAND],
            run.commands(book_options, log_clients[0], words[0]),
        )
        progress("logging touches")
        run.guarded([measure.LOG_WRITE], _on_book(location, run.log_write(log_clients)))
        progress(f"dropping the schema {schema.name}")


def _run_on_sqlite(run: _Run) -> None:
    options, progress, figures, root = run.options, run.progress, run.figures, run.root
    runs, today = options.runs, run.today
    book_path = root / "book.db"
    progress(f"building a book of {options.clients:,} clients, {options.touches:,} touches")
    built = build_book(book_path, clients=options.clients, touches=options.touches, today=today)
    run.report.book = _book_summary(built)
    location = DatabaseLocation(book_path, "--db")
    facts = _book_facts(location)
    words, log_clients = _picks(facts.rows, runs)

    _in_terminal(run, book_path, facts)
    _in_browser(run, book_path, facts)
    progress("the health engine and the weekly agenda")
    run.guarded(
        [measure.HEALTH_FULL, measure.HEALTH_CACHED, measure.AGENDA],
        _on_book(location, run.engine(measure.HEALTH_FULL)),
    )
    progress("cockpit drift against the floor")
    run.guarded([measure.DRIFT_COMMAND], run.drift(("--db", str(book_path)), facts.cache_file))
    progress("cockpit accounts against the floor")
    run.guarded([measure.ACCOUNTS_COMMAND], run.accounts(("--db", str(book_path))))
    scratch = environment.copy_book(book_path, root / "scratch.db")  # the book logs go to
    progress("cockpit log, then cockpit clients, against the floor")
    run.guarded(
        [measure.LOG_COMMAND, measure.CLIENTS_COMMAND],
        run.commands(("--db", str(scratch)), log_clients[0], words[0]),
    )
    progress("logging touches")
    run.guarded(
        [measure.LOG_WRITE],
        _on_book(DatabaseLocation(scratch, "--db"), run.log_write(log_clients)),
    )
    progress("filter keystrokes and client selection inside the app")
    in_app_figures = [measure.FILTER_IN_PROCESS, measure.FILTER_IN_PROCESS_WORST, measure.SELECT]
    run.guarded(
        in_app_figures,
        lambda: in_app.in_app(
            *(figures[name] for name in in_app_figures), book_path, today, words, runs
        ),
    )
    progress(f"importing {options.vcards:,} vCards, a vdir, a history, a calendar and a mailbox")

    def import_cards() -> None:
        vcf = root / "contacts.vcf"
        write_vcards(vcf, options.vcards, today=today)
        runs_ = min(runs, 3)  # 10,000 cards take seconds each
        what = f"{options.vcards:,} cards in one file"
        commands.import_into_empty_book(
            figures[measure.IMPORT], vcf, root, run.process_setup, runs_, what
        )

    def import_vdir() -> None:
        vdir = root / "vdir"
        write_vdir(vdir, options.vdir_cards, today=today)
        what = f"a folder of {options.vdir_cards:,} one-card files"
        runs_ = min(runs, 3)
        commands.import_into_empty_book(
            figures[measure.IMPORT_VDIR], vdir, root, run.process_setup, runs_, what
        )

    def import_history() -> None:
        history = root / "history.csv"
        rows = write_history(history, options.history_rows, today=today)
        what = f"a CSV of {rows:,} touches and deals"
        runs_ = min(runs, 3)  # 9 s each
        commands.import_into_empty_book(
            figures[measure.IMPORT_HISTORY], history, root, run.process_setup, runs_, what
        )

    def import_with_clients(figure: str, name: str, write, what: str) -> Callable[[], None]:
        """An import into a copy of the bench book of a file `write` makes, whose
        people are the book's clients (and the bench's seller, given as --me)."""

        def measured() -> None:
            from cockpit.bench.calendars import ME

            path = root / name
            write(path, _addresses(location, max(1, options.clients // 3)))
            commands.import_into_copy(
                figures[figure],
                path,
                book_path,
                root,
                run.process_setup,
                min(runs, 3),
                what,
                ("--me", ME),
            )

        return measured

    def write_calendar(path: Path, addresses: list[str]) -> None:
        from cockpit.bench.calendars import write_calendar

        write_calendar(path, options.calendar_events, addresses, today=today)

    def write_mailbox(path: Path, addresses: list[str]) -> None:
        from cockpit.bench.mailboxes import write_mailbox

        write_mailbox(path, options.mail_messages, addresses, today=today)

    import_calendar = import_with_clients(
        measure.IMPORT_CALENDAR,
        "calendar.ics",
        write_calendar,
        f"a calendar of {options.calendar_events:,} events",
    )
    import_mail = import_with_clients(
        measure.IMPORT_MAIL,
        "mail.mbox",
        write_mailbox,
        f"an mbox of {options.mail_messages:,} messages",
    )

    run.guarded([measure.IMPORT], import_cards)
    run.guarded([measure.IMPORT_VDIR], import_vdir)
    run.guarded([measure.IMPORT_HISTORY], import_history)
    run.guarded([measure.IMPORT_CALENDAR], import_calendar)
    run.guarded([measure.IMPORT_MAIL], import_mail)
    progress("cold start, headless, against a bare Textual app")
    first_page_rss: list[int] = []

    def cold() -> None:
        first_page_rss.extend(
            processes.cold_start(figures[measure.COLD_START], book_path, run.process_setup)
        )

    run.guarded([measure.COLD_START], cold)
    progress("memory once loaded, headless")
    run.guarded(
        [measure.RSS],
        lambda: processes.memory(
            figures[measure.RSS], book_path, run.process_setup, first_page_rss
        ),
    )


def _in_terminal(run: _Run, book_path: Path, facts: _Facts) -> None:
    """What a person sees: Cockpit and a bare Textual app in tmux (see `in_terminal`)."""
    missing = terminal.tmux_missing()
    if missing:
        run.progress(f"in a terminal: {missing}")
        terminal_figures.skip(run.figures, missing)
        return
    options = run.options
    runs = 1 if options.smoke else options.runs
    letters = 5 if options.smoke else in_terminal.KEYSTROKES
    words = in_terminal.choose_words(facts.names, runs, letters)
    plan = in_terminal.Plan(
        python=sys.executable,
        book=book_path,
        clients=facts.names,
        words=words,
        downs=3 if options.smoke else math.ceil(in_terminal.KEYSTROKES / runs),
        editor_opens=1 if options.smoke else 2,
        env=run.env,
        root=run.root,
        start_timeout=options.timeout,
    )
    typed = [word for run_words in words for word in run_words]
    run.guarded(
        list(measure.TERMINAL_FIGURES),
        lambda: terminal_figures.fill(run.figures, in_terminal.measure(plan, run.progress), typed),
    )


def _in_browser(run: _Run, book_path: Path, facts: _Facts) -> None:
    """Cockpit in a web browser: `cockpit serve` and headless Chromium (see `in_browser`)."""
    from cockpit.bench.browser import browser_missing
    from cockpit.bench.in_terminal import Expectations

    missing = browser_missing()
    if missing:
        run.progress(f"in a browser: not measured: {missing}")
        in_browser.skip(run.figures, f"not measured: {missing}")
        return
    run.progress("cockpit serve, started until it answers")
    plan = in_browser.Plan(
        book=book_path,
        clients=Expectations(facts.names).of(""),
        env=run.env,
        runs=1 if run.options.smoke else run.options.runs,
        timeout=run.options.timeout,
    )
    run.guarded(
        list(measure.BROWSER_FIGURES),
        lambda: in_browser.measure(run.figures, plan, run.progress),
    )
