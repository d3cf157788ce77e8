"""The figures timed in the bench's own process, on the open book: the health engine,
the weekly agenda, the log write and the vCard import; each times the function the
app or the command calls."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from cockpit.bench.measure import Figure, median, ms, timed


def engine(health_full: Figure, health_cached: Figure, agenda: Figure, today: date, runs: int):
    """The health engine and the weekly agenda on the open book (one warm-up each first)."""
    from cockpit import health, health_cache
    from cockpit.review import build_agenda

    health.compute(today)
    samples = [ms(timed(lambda: health.compute(today))) for _ in range(runs)]
    count = len(health.compute(today))
    where = " on PostgreSQL" if _on_server() else ""
    health_full.record(samples, f"health.compute over {count:,} clients{where}")

    def from_the_file() -> None:
        health_cache.forget()  # as a new process would: nothing in memory yet
        health_cache.cached_compute(today)

    from_the_file()
    from_file = [ms(timed(from_the_file)) for _ in range(runs)]
    samples = [ms(timed(lambda: health_cache.cached_compute(today))) for _ in range(runs)]
    health_cached.record(
        samples,
        "health_cache.cached_compute, nothing changed since; from the cache file in a "
        f"new process: {median(from_file):.0f} ms",
    )
    build_agenda(today)
    samples = [ms(timed(lambda: build_agenda(today))) for _ in range(runs)]
    health_cache.forget()
    cache_file = verdicts_file()
    if cache_file is not None:
        cache_file.unlink(missing_ok=True)
    afresh = ms(timed(lambda: build_agenda(today)))
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
    from cockpit.storage import book

    return book.on_server()


def log_write(figure: Figure, client_ids: Sequence[int], runs: int) -> None:
    """`book.add_interaction`: validate, write, refresh the client's summary, commit."""
    from cockpit.storage import book

    samples = []
    for n in range(max(10, 3 * runs)):
        client_id = client_ids[n % len(client_ids)]
        started = time.perf_counter()
        book.add_interaction(client_id, "call", summary="Bench touch: asked about the rollout.")
        samples.append(ms(time.perf_counter() - started))
    figure.record(samples, "book.add_interaction, one transaction each")
