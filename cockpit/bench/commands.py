"""The commands a person runs, timed as whole processes against the floor: `python -c
"import peewee, arrow"`, run just before each, so both meet the same load. On a SQLite
book the floor, as `cockpit` itself, finds no PostgreSQL driver (peewee imports one when
it is installed, which takes longer than the rest of the floor).

`cockpit drift --json` is timed with the verdicts saved (a first run saves them);
`cockpit log` writes a touch to the scratch book and `cockpit clients QUERY` runs
right after it on that book, when the verdicts saved before the write no longer
hold. A figure is the median ratio to the floor, or (where the budget is in
seconds) the median wall clock.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from cockpit.bench.measure import Figure, median
from cockpit.bench.processes import Finished, Processes
from cockpit.cli.options import SERVER_DRIVERS
from cockpit.storage.database import remove_book_files

FLOOR_TEXT = "python -c 'import peewee, arrow'"
NO_DRIVERS = f"import sys; sys.modules.update(dict.fromkeys({SERVER_DRIVERS!r})); "


def floor(book: Sequence[str]) -> list[str]:
    """The floor for a command on `book` (its options): with a PostgreSQL driver only
    for a server book, as cockpit loads one only then."""
    server = "--database-url" in book
    return [sys.executable, "-c", ("" if server else NO_DRIVERS) + "import peewee, arrow"]


class CommandFailed(RuntimeError):
    pass


def _cockpit(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "cockpit", *arguments]


def _ran(done: Finished, what: str) -> Finished:
    if done.returncode != 0 or done.timed_out:
        raise CommandFailed(f"{what} failed ({done.problem()})")
    return done


def _against_floor(
    processes: Processes, argv: Sequence[str], book: Sequence[str], what: str
) -> tuple[float, float]:
    """(the command's wall clock, the floor's just before it), in seconds."""
    floor_seconds = _ran(processes.run(floor(book)), "the floor").seconds
    return _ran(processes.run(argv), what).seconds, floor_seconds


def _record(figure: Figure, walls: list[float], floors: list[float], what: str, more="") -> None:
    ratios = [wall / floor for wall, floor in zip(walls, floors, strict=True)]
    text = (
        f"{what} {median(walls) * 1000:.0f} ms, floor ({FLOOR_TEXT}) "
        f"{median(floors) * 1000:.0f} ms{more}"
    )
    if figure.unit == "s":
        figure.set(
            median(walls), len(walls), text + f"; {median(ratios):.2f}x", min(walls), max(walls)
        )
    else:
        figure.set(
            median(ratios),
            len(ratios),
            text,
            min(ratios),
            max(ratios),
            absolute=(median(walls) * 1000, "ms"),
        )


def drift(figure: Figure, book: Sequence[str], cache_file: Path | None, processes: Processes):
    """`cockpit drift --json` with the verdicts saved by a first run (not timed)."""
    argv = _cockpit(*book, "drift", "--json")
    _ran(processes.run(argv), "cockpit drift --json")
    saved = "" if cache_file is None or cache_file.exists() else " (no verdicts were saved)"
    walls, floors = [], []
    for _ in range(max(processes.runs, 5)):
        wall, floor_seconds = _against_floor(processes, argv, book, "cockpit drift --json")
        walls.append(wall)
        floors.append(floor_seconds)
    _record(figure, walls, floors, "cockpit drift --json", f"; with the verdicts saved{saved}")


def accounts(figure: Figure, book: Sequence[str], processes: Processes) -> None:
    """`cockpit accounts`: every account's roll-up and verdict, the clients' verdicts saved
    (by `cockpit drift` before it), against the floor."""
    argv = _cockpit(*book, "accounts")
    done = _ran(processes.run(argv), "cockpit accounts")
    listed = max(0, len(done.stdout.strip().splitlines()) - 1)
    walls, floors = [], []
    for _ in range(max(processes.runs, 5)):
        wall, floor_seconds = _against_floor(processes, argv, book, "cockpit accounts")
        walls.append(wall)
        floors.append(floor_seconds)
    _record(figure, walls, floors, f"cockpit accounts ({listed:,} accounts)")


def log_then_clients(
    log: Figure,
    clients: Figure,
    book: Sequence[str],
    client_id: int,
    query: str,
    processes: Processes,
) -> None:
    """`cockpit log` on `book` (its options), then `cockpit clients QUERY` on it right after
    the write, each against the floor just before it; one warm-up round first. Then once
    more `cockpit clients` with nothing written since, for the detail."""
    log_argv = _cockpit(*book, "log", f"#{client_id}", "call", "bench touch")
    clients_argv = _cockpit(*book, "clients", query)
    walls: dict[str, list[float]] = {"log": [], "clients": []}
    floors: dict[str, list[float]] = {"log": [], "clients": []}
    for run in range(max(processes.runs, 5) + 1):
        for name, argv in (("log", log_argv), ("clients", clients_argv)):
            wall, floor_seconds = _against_floor(processes, argv, book, f"cockpit {name}")
            if run:
                walls[name].append(wall)
                floors[name].append(floor_seconds)
    unchanged = _ran(processes.run(clients_argv), "cockpit clients").seconds
    _record(log, walls["log"], floors["log"], "cockpit log")
    _record(
        clients,
        walls["clients"],
        floors["clients"],
        f"cockpit clients {query!r} right after cockpit log",
        f"; {unchanged * 1000:.0f} ms with nothing written since",
    )


def import_into_empty_book(
    figure: Figure, path: Path, root: Path, processes: Processes, runs: int, what: str
) -> None:
    """`cockpit import PATH` into a new, empty book each run, as a person runs it: the
    whole process, start to exit. `what` says the file in words."""
    walls, total = [], ""
    for run in range(runs):
        book = root / f"import-{run}.db"
        argv = _cockpit("--db", str(book), "import", str(path))
        done = _ran(processes.run(argv), f"cockpit import {path.name}")
        walls.append(done.seconds)
        total = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        remove_book_files(book)
    figure.record(walls, f"cockpit import of {what} into an empty book, the whole command; {total}")


def import_into_copy(
    figure: Figure,
    path: Path,
    book: Path,
    root: Path,
    processes: Processes,
    runs: int,
    what: str,
    options: Sequence[str] = (),
) -> None:
    """`cockpit import PATH` into a fresh copy of the bench book each run (a calendar's
    meetings are with its clients), as a person runs it: the whole process."""
    import shutil

    walls, total = [], ""
    for run in range(runs):
        copy = root / f"import-copy-{run}.db"
        shutil.copyfile(book, copy)
        argv = _cockpit("--db", str(copy), "import", str(path), *options)
        done = _ran(processes.run(argv), f"cockpit import {path.name}")
        walls.append(done.seconds)
        total = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        remove_book_files(copy)
    figure.record(
        walls, f"cockpit import of {what} into the bench book, the whole command; {total}"
    )
