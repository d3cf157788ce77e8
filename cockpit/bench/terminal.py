"""A program in a real terminal, watched as a person watches it: tmux at 120x40.

`Terminal` starts a tmux server of its own with one session whose shell waits
for a line (`read`) before it execs the program, so the bench can attach a
control-mode client first and time the start from the Enter that lets it go. A
key is sent with `send-keys` through that client; each time the program writes
to its pane, the client asks for the screen (`capture-pane -p`) and keeps it if
it changed, stamped with when the output was reported. Watching ends once the
screen shows what was waited for and nothing was written for `QUIET` seconds,
so every draw a key causes is seen, the second draw of a pane too.

`Watched` holds those screens: how long until the screen first showed
something, or until a part of it (the list, the panes) reached what it shows at
the end, and how many times that part was drawn on the way.
"""

from __future__ import annotations

import os
import secrets
import shlex
import subprocess
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cockpit.bench.control_mode import ControlClient, Exited, Output, Reply
from cockpit.bench.screen import Screen

SIZE = (120, 40)  # columns, rows: the terminal the issue measured in
QUIET = 0.2  # seconds without output after which a screen counts as settled
PAUSE = 0.002  # seconds without output before the screen is asked for (see `_watch`)
MAX_PAUSE = 0.02  # ...but no later than this after the first output not yet seen
SEEN = 0.008  # seconds a screen must stay to be seen: half a refresh of a 60 Hz display
TIMEOUT = 15.0  # seconds a key may take before its figure says so
TMUX_CONFIG = "set -g status off\nset -g escape-time 0\nset -g remain-on-exit on\n"

Part = Callable[[Screen], object]  # a part of the screen: Screen.left, Screen.panes...
Shown = Callable[[Screen], bool]


class TerminalError(RuntimeError):
    """The terminal or the program in it did not do what the bench asked."""

    def __init__(self, message: str, screen: str = "") -> None:
        super().__init__(message)
        self.screen = screen  # what the screen showed then, if it matters


@dataclass(frozen=True)
class Frame:
    at: float  # perf_counter() when the output it shows was reported
    screen: Screen


@dataclass(frozen=True)
class Watched:
    """The screens that followed one key (or the start), until the screen settled."""

    sent: float  # perf_counter() when the key was sent
    before: Screen
    frames: tuple[Frame, ...]

    @property
    def final(self) -> Screen:
        return self.frames[-1].screen if self.frames else self.before

    def first(self, shown: Shown) -> float | None:
        """Seconds from the key to the first screen where `shown` holds."""
        for frame in self.frames:
            if shown(frame.screen):
                return frame.at - self.sent
        return None

    def _changes(self, part: Part) -> list[int]:
        """The frames where `part` of the screen changed from the screen before."""
        changes, previous = [], part(self.before)
        for index, frame in enumerate(self.frames):
            now = part(frame.screen)
            if now != previous:
                changes.append(index)
            previous = now
        return changes

    def settled(self, part: Part) -> float | None:
        """Seconds from the key until `part` of the screen last changed, reaching what it
        shows at the end; None if the key never changed it."""
        changes = self._changes(part)
        return self.frames[changes[-1]].at - self.sent if changes else None

    def _seen(self, part: Part) -> list[Screen]:
        """The screens after the key where `part` changed and stayed at least `SEEN`
        (the last one always): what a person could see of it, one screen per draw."""
        changes = self._changes(part)
        if not changes:
            return []
        ends = [self.frames[index].at for index in changes[1:]] + [float("inf")]
        return [
            self.frames[index].screen
            for index, end in zip(changes, ends, strict=True)
            if end - self.frames[index].at >= SEEN
        ]

    def draws(self, part: Part) -> int:
        """How many times `part` of the screen was seen drawn anew after the key."""
        return len(self._seen(part))

    def layout_shifted(self) -> bool:
        """A draw of the panes on the way had their boxes elsewhere than the last one."""
        seen = self._seen(panes_part)
        return any(screen.pane_borders() != seen[-1].pane_borders() for screen in seen[:-1])


def panes_part(screen: Screen) -> tuple[str, ...]:
    return screen.panes


def left_part(screen: Screen) -> tuple[str, ...]:
    return screen.left


def tmux_missing() -> str | None:
    """Why the terminal figures cannot be measured here, or None."""
    from shutil import which

    return None if which("tmux") else "not measured: tmux is not installed"


class Terminal:
    """One program in its own tmux server, started on `start()`."""

    def __init__(
        self,
        argv: Sequence[str],
        env: dict[str, str],
        folder: Path,
        size: tuple[int, int] = SIZE,
    ) -> None:
        self.width, self.height = size
        config = folder / "bench-tmux.conf"
        config.write_text(TMUX_CONFIG, encoding="ascii")
        self.socket = f"cockpit-bench-{os.getpid()}-{secrets.token_hex(4)}"
        self.tmux = ["tmux", "-L", self.socket, "-f", str(config)]
        self.env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES", "TMUX")}
        program = " ".join(shlex.quote(part) for part in argv)
        shell = f"read _ && exec env TERM=xterm-256color COLORTERM=truecolor {program}"
        columns, rows = str(self.width), str(self.height)
        self._run("new-session", "-d", "-s", "bench", "-x", columns, "-y", rows, shell)
        self.client: ControlClient | None = None
        self._socket_path: Path | None = None
        try:
            self.client = ControlClient(self.tmux, "bench", self.env)
            self._awaited: deque[str] = deque()  # the replies on their way, in order
            self.screen = Screen.parse([], self.width)  # as last captured
            self._frames: list[Frame] = []  # the screens of the key being watched
            self._stale = False  # written to since the last capture
            self._capturing = False
            self._last_output = self._asked_after = self._stale_since = 0.0
            asked = "display-message -p '#{pane_pid} #{pane_width}x#{pane_height} #{socket_path}'"
            pid, size_text, socket = self.command(asked)[0].split(" ", 2)
            self.pid, self._socket_path = int(pid), Path(socket)
            if size_text != f"{self.width}x{self.height}":
                raise TerminalError(f"tmux made a {size_text} terminal, not {columns}x{rows}")
        except BaseException:
            self.close()
            raise

    def _run(self, *arguments: str) -> str:
        done = subprocess.run(
            [*self.tmux, *arguments], env=self.env, capture_output=True, text=True, timeout=30
        )
        if done.returncode != 0:
            raise TerminalError(f"tmux {arguments[0]} failed: {done.stderr.strip()[:200]}")
        return done.stdout

    def _send(self, command: str, kind: str) -> float:
        assert self.client is not None
        self._awaited.append(kind)
        return self.client.send(command)

    def _next(self, until: float):
        """The next event before `until` (None if none came), taken into account."""
        assert self.client is not None
        event = self.client.next_event(until - time.perf_counter())
        if isinstance(event, Exited):
            raise TerminalError(f"the terminal closed ({event.reason or 'tmux exited'})")
        if isinstance(event, Output):
            if not self._stale:
                self._stale, self._stale_since = True, event.at
            self._last_output = event.at
        elif isinstance(event, Reply):
            kind = self._awaited.popleft()
            if event.error:
                raise TerminalError(f"tmux ({kind}): {' '.join(event.lines)[:200]}")
            if kind == "capture":
                self._capturing = False
                screen = Screen.parse(event.lines, self.width)
                if screen != self.screen:
                    self._frames.append(Frame(self._asked_after, screen))
                    self.screen = screen
        return event

    def command(self, command: str, timeout: float = 10.0) -> tuple[str, ...]:
        """Run a command through the control client and return its output lines."""
        self._send(command, "answer")
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            awaited = len(self._awaited)
            event = self._next(deadline)
            if isinstance(event, Reply) and awaited == 1:  # its own reply: the last awaited
                return event.lines
        raise TerminalError(f"tmux did not answer {command.split()[0]} within {timeout:.0f} s")

    # Keys and the screen --------------------------------------------------------------

    def start(self, shown: Shown, timeout: float = TIMEOUT, quiet: float = QUIET) -> Watched:
        """Let the program start (the Enter its shell waits for) and watch until `shown`."""
        return self.press("Enter", shown, timeout=timeout, quiet=quiet)

    def type(self, text: str, shown: Shown, timeout: float = TIMEOUT) -> Watched:
        """Type `text` as one key press each character would be (send-keys -l)."""
        if "'" in text or "\n" in text:
            raise ValueError("the bench types letters, not quotes or lines")
        return self._key(f"send-keys -t bench -l '{text}'", shown, timeout, QUIET)

    def press(
        self, key: str, shown: Shown, timeout: float = TIMEOUT, quiet: float = QUIET
    ) -> Watched:
        """Press a named key (tmux's names: Enter, Escape, Down, BSpace, Home...)."""
        if not key.replace("-", "").isalnum():
            raise ValueError(f"not a key name: {key!r}")
        return self._key(f"send-keys -t bench {key}", shown, timeout, quiet)

    def settle(self, shown: Shown = lambda screen: True, timeout: float = TIMEOUT) -> Screen:
        """Wait until the screen shows `shown` and nothing was written for `QUIET`."""
        return self._watch(time.perf_counter(), shown, timeout, QUIET).final

    def dwell(self, since: float, seconds: float) -> Screen:
        """Stay until `seconds` after `since` (a perf_counter() time), as a person reading
        the screen would, and until it is quiet; the screen then."""
        until = since + seconds
        return self.settle(lambda screen: time.perf_counter() >= until, timeout=seconds + TIMEOUT)

    def _key(self, command: str, shown: Shown, timeout: float, quiet: float) -> Watched:
        while True:  # the screen as it is before the key, with nothing on its way
            while self._next(time.perf_counter()) is not None:
                pass
            if not self._stale:
                break
            self.settle()
        sent = self._send(command, "keys")
        return self._watch(sent, shown, timeout, quiet)

    def _watch(self, sent: float, shown: Shown, timeout: float, quiet: float) -> Watched:
        """Screens until `shown` holds and nothing was written for `quiet` seconds.

        The screen is asked for once the program has paused writing for `PAUSE`: a
        frame comes from tmux in pieces, and a screen asked for between them would be
        half of one frame and half of the one before."""
        before, self._frames = self.screen, []
        if not self._stale:
            self._last_output = sent
        deadline = sent + timeout
        while True:
            now = time.perf_counter()
            paused = now >= self._last_output + PAUSE or now >= self._stale_since + MAX_PAUSE
            if self._stale and not self._capturing and paused:
                self._send("capture-pane -p -t bench", "capture")
                self._capturing, self._stale = True, False
                self._asked_after = max(self._last_output, sent)
            waiting = self._capturing or "keys" in self._awaited
            quiet_at = self._last_output + quiet
            if not (waiting or self._stale) and now >= quiet_at and shown(self.screen):
                return Watched(sent, before, tuple(self._frames))
            if now >= deadline:
                raise TerminalError(
                    f"the screen did not show what was awaited within {timeout:.0f} s",
                    self.screen.text.rstrip(),
                )
            if waiting:
                until = deadline
            elif self._stale:
                until = min(self._last_output + PAUSE, self._stale_since + MAX_PAUSE)
            else:
                until = quiet_at if now < quiet_at else deadline
            self._next(min(until, deadline))

    def dead(self) -> bool:
        """The program has ended (its pane stays, with what it wrote last)."""
        try:
            return self.command("display-message -p -t bench '#{pane_dead}'") == ("1",)
        except TerminalError:
            return True

    def history(self, lines: int = 2000) -> str:
        """The pane's text, scrolled-off lines too (a program's last words when it failed)."""
        try:
            return "\n".join(self.command(f"capture-pane -p -S -{lines} -t bench")).rstrip()
        except TerminalError:
            return ""

    def peak_memory(self) -> int | None:
        """The program's peak resident memory so far (VmHWM), in bytes; None where the
        system does not say."""
        try:
            with open(f"/proc/{self.pid}/status", encoding="ascii", errors="replace") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            return None
        return None

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        subprocess.run([*self.tmux, "kill-server"], env=self.env, capture_output=True, timeout=30)
        if self._socket_path is not None:
            self._socket_path.unlink(missing_ok=True)  # tmux leaves it behind

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
