"""`cockpit serve` as a process: started, its addresses read from what it prints, stopped.

The bench times it and the tests drive it with this.
"""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

LAST_LINE = "Ctrl+C stops the server."


@dataclass
class Served:
    """A running `cockpit serve`: the addresses it printed (on this machine)."""

    process: subprocess.Popen
    page: str
    calendar: str
    printed: list[str] = field(default_factory=list)
    _lines: queue.Queue = field(default_factory=queue.Queue, repr=False)

    @property
    def origin(self) -> str:
        """scheme://host:port, without the path and the token."""
        scheme, _, rest = self.page.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"

    @property
    def token(self) -> str | None:
        _, found, token = self.page.partition("?token=")
        return token if found else None

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *_exception: object) -> None:
        self.stop()

    def stop(self, signum: int = signal.SIGINT, timeout: float = 15.0) -> tuple[int, str, str]:
        """Stop it as Ctrl+C (or `signum`) does: its exit status, what it printed, and its
        stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            status = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        self.printed += _drained(self._lines)
        stderr = self.process.stderr.read() if self.process.stderr else ""
        return status, "\n".join(self.printed), stderr


class NotServing(RuntimeError):
    """`cockpit serve` ended, or printed no addresses in time."""


def start(
    arguments: Sequence[str],
    env: Mapping[str, str],
    timeout: float = 30.0,
    python: str = sys.executable,
) -> Served:
    """Start `cockpit serve ARGUMENTS` and wait until it has printed where it serves."""
    process = subprocess.Popen(
        [python, "-m", "cockpit", "serve", *arguments],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(env),
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
    printed: list[str] = []
    deadline = time.monotonic() + timeout
    while not printed or printed[-1] != LAST_LINE:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            process.kill()
            process.wait()
            raise NotServing(f"no address after {timeout} s: {printed}") from None
        if line is None:
            process.wait()
            raise NotServing(
                f"cockpit serve ended ({process.returncode}): {process.stderr.read().strip()}"
            )
        printed.append(line)
    pages, calendars = _addresses(printed)
    return Served(process, pages[-1], calendars[-1], printed, lines)


def _read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def _drained(lines: queue.Queue) -> list[str]:
    found = []
    while True:
        try:
            line = lines.get(timeout=2)
        except queue.Empty:
            return found
        if line is None:
            return found
        found.append(line)


def _addresses(printed: list[str]) -> tuple[list[str], list[str]]:
    """The page's and the calendar's addresses, in the order printed."""
    groups: list[list[str]] = []
    previous_was_address = False
    for line in printed:
        if line.startswith("  http"):
            if not groups or not previous_was_address:
                groups.append([])
            groups[-1].append(line.split()[0])
            previous_was_address = True
        else:
            previous_was_address = False
    if len(groups) != 2:
        raise NotServing(f"not the two addresses expected: {printed}")
    return groups[0], groups[1]
