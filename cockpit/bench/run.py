"""Running the whole bench: build the book once, then measure every figure.

Everything happens in one temporary directory, removed at the end: the book
(built once per run and copied where a figure writes), the vCard file, the
import books, and the HOME and XDG directories of the processes started.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cockpit import clock
from cockpit.bench import measure
from cockpit.bench.builder import SEED, build_book, write_vcards
from cockpit.bench.measure import Figure, Options, Report
from cockpit.search import fold


def _picks(book_path: Path, runs: int) -> tuple[list[str], list[int]]:
    """Filter words (the first 4 letters of real names) and clients to log touches for."""
    connection = sqlite3.connect(book_path)
    try:
        rows = connection.execute(
            "SELECT id, name, lifecycle FROM client WHERE NOT archived ORDER BY id"
        ).fetchall()
    finally:
        connection.close()
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


def run_bench(options: Options, progress: Callable[[str], None]) -> Report:
    """Build the book and measure every figure; a figure that cannot be measured says why."""
    started = time.perf_counter()
    figures = {name: Figure(name, unit, budget) for name, unit, budget in measure.BUDGETS}
    report = Report(options, list(figures.values()), measure.machine())
    today = clock.today()
    runs = options.runs
    with (
        tempfile.TemporaryDirectory(prefix="cockpit-bench-") as folder,
        measure.isolated(Path(folder), today) as env,
    ):
        root = Path(folder)
        book_path = root / "book.db"
        measure.compile_package()
        progress(f"building a book of {options.clients:,} clients, {options.touches:,} touches")
        built = build_book(book_path, clients=options.clients, touches=options.touches, today=today)
        report.book = {
            "clients": built.clients,
            "interactions": built.interactions,
            "deals": built.deals,
            "profiles": built.profiles,
            "profile_values": built.profile_values,
            "plans": built.plans,
            "build_seconds": round(built.seconds, 2),
        }
        words, log_clients = _picks(book_path, runs)

        def on_book(path: Path, action: Callable[[], None]) -> Callable[[], None]:
            def opened() -> None:
                from cockpit.storage.database import DatabaseLocation, open_database

                db = open_database(DatabaseLocation(path, "--db"))
                try:
                    action()
                finally:
                    db.close()

            return opened

        progress("the health engine and the weekly agenda")
        measure.guarded(
            [figures[measure.HEALTH_FULL], figures[measure.HEALTH_CACHED], figures[measure.AGENDA]],
            on_book(
                book_path,
                lambda: measure.engine(
                    figures[measure.HEALTH_FULL],
                    figures[measure.HEALTH_CACHED],
                    figures[measure.AGENDA],
                    today,
                    runs,
                ),
            ),
        )
        scratch = measure.copy_book(book_path, root / "scratch.db")  # the book logs go to
        progress("logging touches")
        measure.guarded(
            [figures[measure.LOG_WRITE]],
            on_book(
                scratch, lambda: measure.log_write(figures[measure.LOG_WRITE], log_clients, runs)
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
                book_path,
                scratch,
                log_clients[0],
                words[0],
                env,
                root,
                runs,
                options.timeout,
            ),
        )
    report.seconds = time.perf_counter() - started
    return report
