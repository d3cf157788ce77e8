"""Running the whole bench: build the book once, then measure every figure.

Everything happens in one temporary directory, removed at the end: the book
(built once per run and copied where a figure writes), the vCard file, the
import books, and the HOME and XDG directories of the processes started.

With `--database-url` the book is built in a schema of its own in that
PostgreSQL database (see `bench.server`), dropped at the end whatever happens,
and the figures of the local TUI and its SQLite book are not measured.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from cockpit import clock
from cockpit.bench import measure
from cockpit.bench.builder import SEED, BuiltBook, build_book, build_server_book, write_vcards
from cockpit.bench.measure import Figure, Options, Report
from cockpit.search import fold
from cockpit.storage.database import DatabaseLocation


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


def _book_facts(location: DatabaseLocation) -> tuple[list[tuple[int, str, str]], Path | None]:
    """The clients `_picks` chooses from, and where the book's verdicts are cached."""
    from cockpit.storage.database import open_database
    from cockpit.storage.models import Client, database_proxy

    db = open_database(location)
    try:
        rows = list(
            Client.select(Client.id, Client.name, Client.lifecycle)
            .where(~Client.archived)
            .order_by(Client.id)
            .tuples()
        )
        return rows, measure.verdicts_file()
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


def run_bench(options: Options, progress: Callable[[str], None]) -> Report:
    """Build the book and measure every figure; a figure that cannot be measured says why."""
    started = time.perf_counter()
    figures = {
        name: Figure(name, unit, budget) for name, unit, budget in measure.budgets(options.server)
    }
    report = Report(options, list(figures.values()), measure.machine())
    today = clock.today()
    with (
        tempfile.TemporaryDirectory(prefix="cockpit-bench-") as folder,
        measure.isolated(Path(folder), today) as env,
    ):
        measure.compile_package()
        if options.server:
            _run_on_server(options, report, figures, Path(folder), env, today, progress)
        else:
            _run_on_sqlite(options, report, figures, Path(folder), env, today, progress)
    report.seconds = time.perf_counter() - started
    return report


def _engine(figures: dict[str, Figure], full: str, today: date, runs: int) -> Callable[[], None]:
    return lambda: measure.engine(
        figures[full], figures[measure.HEALTH_CACHED], figures[measure.AGENDA], today, runs
    )


def _run_on_server(
    options: Options,
    report: Report,
    figures: dict[str, Figure],
    root: Path,
    env: dict[str, str],
    today: date,
    progress: Callable[[str], None],
) -> None:
    from cockpit.bench import server

    runs = options.runs
    for name, reason in measure.SQLITE_ONLY.items():
        figures[name].skip(f"SQLite only: {reason}")
    with server.bench_schema(options.database_url) as schema:
        location = DatabaseLocation(None, "the bench", url=schema.url)
        named = DatabaseLocation(None, "--database-url", url=options.database_url)
        report.server = {"database": named.label, "schema": schema.name}
        progress(
            f"building a book of {options.clients:,} clients, {options.touches:,} touches "
            f"in the schema {schema.name} (dropped at the end)"
        )
        built = build_server_book(
            schema.url, clients=options.clients, touches=options.touches, today=today
        )
        report.book = _book_summary(built)
        rows, cache_file = _book_facts(location)
        words, log_clients = _picks(rows, runs)
        progress("the health engine on the server and the weekly agenda")
        measure.guarded(
            [
                figures[measure.HEALTH_SERVER],
                figures[measure.HEALTH_CACHED],
                figures[measure.AGENDA],
            ],
            _on_book(location, _engine(figures, measure.HEALTH_SERVER, today, runs)),
        )
        progress("cockpit clients and cockpit log against the floor")
        book_options = ("--database-url", schema.url)  # the log goes to the bench's book too
        measure.guarded(
            [figures[measure.LOG_COMMAND], figures[measure.CLIENTS_COMMAND]],
            lambda: measure.commands(
                figures[measure.LOG_COMMAND],
                figures[measure.CLIENTS_COMMAND],
                book_options,
                book_options,
                cache_file,
                log_clients[0],
                words[0],
                env,
                root,
                runs,
                options.timeout,
            ),
        )
        progress("logging touches")
        measure.guarded(
            [figures[measure.LOG_WRITE]],
            _on_book(
                location, lambda: measure.log_write(figures[measure.LOG_WRITE], log_clients, runs)
            ),
        )
        progress(f"dropping the schema {schema.name}")


def _run_on_sqlite(
    options: Options,
    report: Report,
    figures: dict[str, Figure],
    root: Path,
    env: dict[str, str],
    today: date,
    progress: Callable[[str], None],
) -> None:
    runs = options.runs
    book_path = root / "book.db"
    progress(f"building a book of {options.clients:,} clients, {options.touches:,} touches")
    built = build_book(book_path, clients=options.clients, touches=options.touches, today=today)
    report.book = _book_summary(built)
    location = DatabaseLocation(book_path, "--db")
    rows, cache_file = _book_facts(location)
    words, log_clients = _picks(rows, runs)

    progress("the health engine and the weekly agenda")
    measure.guarded(
        [figures[measure.HEALTH_FULL], figures[measure.HEALTH_CACHED], figures[measure.AGENDA]],
        _on_book(location, _engine(figures, measure.HEALTH_FULL, today, runs)),
    )
    scratch = measure.copy_book(book_path, root / "scratch.db")  # the book logs go to
    progress("logging touches")
    measure.guarded(
        [figures[measure.LOG_WRITE]],
        _on_book(
            DatabaseLocation(scratch, "--db"),
            lambda: measure.log_write(figures[measure.LOG_WRITE], log_clients, runs),
        ),
    )
    progress("filter keystrokes and client selection in the app")
    measure.guarded(
        [
            figures[measure.FILTER_MEDIAN],
            figures[measure.FILTER_WORST],
            figures[measure.SELECT],
        ],
        lambda: measure.in_app(
            figures[measure.FILTER_MEDIAN],
            figures[measure.FILTER_WORST],
            figures[measure.SELECT],
            book_path,
            today,
            words,
            runs,
        ),
    )
    progress(f"importing {options.vcards:,} vCards")

    def import_cards() -> None:
        vcf = root / "contacts.vcf"
        write_vcards(vcf, options.vcards, today=today)
        runs_ = min(runs, 3)  # 10,000 cards take seconds each
        measure.vcard_import(figures[measure.IMPORT], vcf, options.vcards, root, runs_)

    measure.guarded([figures[measure.IMPORT]], import_cards)
    progress("cold start against a bare Textual app")
    first_page_rss: list[int] = []

    def cold() -> None:
        first_page_rss.extend(
            measure.cold_start(
                figures[measure.COLD_START], book_path, env, root, runs, options.timeout
            )
        )

    measure.guarded([figures[measure.COLD_START]], cold)
    progress("memory once loaded")
    measure.guarded(
        [figures[measure.RSS]],
        lambda: measure.memory(
            figures[measure.RSS], book_path, env, root, runs, first_page_rss, options.timeout
        ),
    )
    progress("cockpit log and cockpit clients against the floor")
    measure.guarded(
        [figures[measure.LOG_COMMAND], figures[measure.CLIENTS_COMMAND]],
        lambda: measure.commands(
            figures[measure.LOG_COMMAND],
            figures[measure.CLIENTS_COMMAND],
            ("--db", str(book_path)),
            ("--db", str(scratch)),
            cache_file,
            log_clients[0],
            words[0],
            env,
            root,
            runs,
            options.timeout,
        ),
    )
