"""Where `cockpit bench` runs: HOME, XDG directories and Cockpit's variables of its own,
Cockpit's modules byte-compiled, and a measurement that fails kept to its figures."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path

from cockpit import clock, config
from cockpit.bench.measure import Figure

ISOLATED_VARIABLES = (
    "HOME",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",
    "COCKPIT_DB",
    "COCKPIT_DATABASE_URL",
    "COCKPIT_TODAY",
)


def compile_package() -> None:
    """Byte-compile Cockpit's modules, as `pip install` leaves them: where Python may not
    write bytecode (PYTHONDONTWRITEBYTECODE, an editable install), every process started
    would otherwise compile them all again, and a start-up figure would time the compiler."""
    import compileall

    import cockpit

    compileall.compile_dir(Path(cockpit.__file__).parent, quiet=2)


BENCH_CAPACITY_HOURS = 10


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
    # The hours a week the portfolio asks for the first time it opens without them: said.
    settings = values["XDG_CONFIG_HOME"] / "cockpit" / "config.toml"
    settings.parent.mkdir(exist_ok=True)
    settings.write_text(f"capacity_hours_per_week = {BENCH_CAPACITY_HOURS}\n", encoding="utf-8")
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
