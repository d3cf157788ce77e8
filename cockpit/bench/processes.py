"""Whole processes, timed by the wall clock from start to exit with the environment
`environment.isolated` gives (`run_process`), and the breakdown's figures of them:
Cockpit's cold start, headless, against a bare Textual app, and its memory once the
book is shown.

Cold start and memory run Cockpit as `launch_app` starts it: the app of
`instrumented_app`, which prints `BENCH <stage> <seconds since the app object was
created> rss <peak RSS in bytes>` at the stage asked for (`first-page` or `loaded`)
and exits. A figure whose line never comes is "not measured", with the reason.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from cockpit.bench.measure import PROCESS_TIMEOUT, Figure, median

BENCH_LINE = re.compile(r"^BENCH (\S+) ([0-9.]+) rss (\d+)\s*$", re.MULTILINE)
BARE_APP = Path(__file__).with_name("bare_app.py")


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


@dataclass(frozen=True)
class Processes:
    """How the bench starts the processes of a figure: their environment and working
    folder, how many runs a figure takes, and how long one may run before it is killed."""

    env: dict[str, str]
    cwd: Path
    runs: int
    timeout: float = PROCESS_TIMEOUT

    def run(self, argv: Sequence[str]) -> Finished:
        return run_process(argv, self.env, self.cwd, self.timeout)


def app_command(book_path: Path, stage: str) -> list[str]:
    """Cockpit on the book, headless, leaving as soon as it reaches `stage`."""
    return [
        sys.executable,
        "-m",
        "cockpit.bench.launch_app",
        "--db",
        str(book_path),
        "--exit-at",
        stage,
        "--headless",
    ]


def cold_start(
    figure: Figure,
    book_path: Path,
    processes: Processes,
) -> list[int]:
    """Cockpit to its first page against the bare Textual app, run after run (one warm-up
    of each first); the figure is the ratio of their wall clocks. Returns the RSS of the
    runs, in case the app cannot report it after a full load."""
    cockpit = app_command(book_path, "first-page")
    bare = [sys.executable, str(BARE_APP), "--headless"]
    ratios, walls, bare_walls, reported, rss = [], [], [], [], []
    for run in range(processes.runs + 1):
        yardstick = processes.run(bare)
        if yardstick.bench_line("first-page") is None:
            figure.skip(f"the bare Textual app failed ({yardstick.problem()})", error=True)
            return []
        done = processes.run(cockpit)
        line = done.bench_line("first-page")
        if line is None:
            figure.skip(f"the app printed no 'BENCH first-page' line ({done.problem()})")
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
        f"cockpit {median(walls):.2f} s to its first page and exit (the app says "
        f"{median(reported):.2f} s after it was created), bare Textual app "
        f"{median(bare_walls):.2f} s",
    )
    return rss


def memory(
    figure: Figure,
    book_path: Path,
    processes: Processes,
    fallback: list[int],
) -> None:
    """Peak RSS of the app once the whole book is shown (the stage `loaded`); if the app
    never says it reached it, the peak at its first page."""
    cockpit = app_command(book_path, "loaded")
    samples, seconds = [], []
    for _ in range(processes.runs):
        done = processes.run(cockpit)
        line = done.bench_line("loaded")
        if line is None:
            break
        seconds.append(line[0])
        samples.append(line[1] / 1e6)
    if samples:
        figure.record(samples, f"peak RSS once loaded ({median(seconds):.2f} s after start)")
    elif fallback:
        figure.record(
            [value / 1e6 for value in fallback],
            "peak RSS at the first page: the app printed no 'BENCH loaded' line",
        )
    else:
        figure.skip("the app printed no 'BENCH loaded' or 'BENCH first-page' line")
