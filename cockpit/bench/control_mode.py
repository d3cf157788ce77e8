"""A tmux control-mode client (`tmux -C attach`): commands in, replies and notifications out.

In control mode tmux answers each command with a block,

    %begin <time> <number> <flags>
    ...the command's output, a line at a time...
    %end <time> <number> <flags>        (or %error ... when it failed)

and tells of everything else on lines of their own, among them `%output %<pane>
<data>` each time a program writes to its pane and `%exit` when the client is
let go. Blocks come in the order the commands were sent; the one with flags 0
before the first command answers the attach itself. A thread reads the lines as
they come and stamps each with `time.perf_counter()`, so a notification's time is
when the bench learnt of it, not when it was next looked at.
"""

from __future__ import annotations

import queue
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    """A program wrote to a pane."""

    pane: str
    at: float


@dataclass(frozen=True)
class Reply:
    """The answer to one command sent by this client: its output lines, and whether it failed."""

    lines: tuple[str, ...]
    error: bool
    at: float


@dataclass(frozen=True)
class Exited:
    """tmux let the client go (the server ended, or the session)."""

    reason: str
    at: float


@dataclass(frozen=True)
class Notice:
    """Any other notification (%session-changed, %window-renamed...)."""

    text: str
    at: float


Event = Output | Reply | Exited | Notice


class LineReader:
    """Turns control-mode lines into events; the lines of a block become one `Reply`."""

    def __init__(self) -> None:
        self._block: list[str] | None = None
        self._number = ""
        self._ours = False

    def feed(self, line: str, at: float) -> Event | None:
        if self._block is not None:
            parts = line.split(" ")
            if parts[0] in ("%end", "%error") and len(parts) >= 3 and parts[2] == self._number:
                lines, self._block = tuple(self._block), None
                if not self._ours:
                    return None  # the answer to the attach, not to a command of ours
                return Reply(lines, parts[0] == "%error", at)
            self._block.append(line)
            return None
        if line.startswith("%begin "):
            parts = line.split(" ")
            self._block = []
            self._number = parts[2] if len(parts) > 2 else ""
            self._ours = len(parts) > 3 and parts[3] != "0"  # flags 1: sent by this client
            return None
        if line.startswith("%output "):
            return Output(line.split(" ", 2)[1], at)
        if line.startswith("%exit"):
            return Exited(line[len("%exit") :].strip(), at)
        return Notice(line, at)


class ControlClient:
    """One control-mode client of a tmux server, attached to a session."""

    def __init__(self, tmux: Sequence[str], session: str, env: dict[str, str]) -> None:
        self._process = subprocess.Popen(
            [*tmux, "-C", "attach-session", "-t", session],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.events: queue.Queue[Event] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        reader = LineReader()
        stream = self._process.stdout
        assert stream is not None
        for raw in stream:
            at = time.perf_counter()
            event = reader.feed(raw.decode("utf-8", "replace").rstrip("\r\n"), at)
            if event is not None:
                self.events.put(event)
        self.events.put(Exited("the client's output ended", time.perf_counter()))

    def send(self, command: str) -> float:
        """Send one command (its reply comes as a `Reply`, in order); when it was sent."""
        stream = self._process.stdin
        assert stream is not None
        if "\n" in command:
            raise ValueError("a control-mode command is one line")
        sent = time.perf_counter()
        stream.write(command.encode() + b"\n")
        stream.flush()
        return sent

    def next_event(self, timeout: float) -> Event | None:
        """The next event, or None if none comes within `timeout` seconds."""
        try:
            return self.events.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None

    def close(self) -> None:
        if self._process.poll() is None:
            try:
                assert self._process.stdin is not None
                self._process.stdin.close()  # tmux lets a control client go at end of input
            except OSError:
                pass
            try:
                self._process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
