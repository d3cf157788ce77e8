"""Python's cyclic garbage collector, kept out of the way of typing.

Its full pass walks every object the program holds: with a book of 10,000 clients on the
screen (their verdicts, names, rows and what the panes read ahead) it stops the screen
for 70 ms, at whatever keystroke it falls on. Here the quick passes (the young objects)
run as usual, and the full one only once nothing was typed or clicked for a moment.
"""

from __future__ import annotations

import gc
import time

QUIET_SECONDS = 1.0  # without a key or a click before a full pass may run
CHECK_SECONDS = 2.0  # how often the collector's count is looked at
YOUNG_PASSES = 10  # passes over the middle generation between two full ones, as Python's own
NEVER = 1_000_000_000  # as the full pass's own threshold: it runs only when asked


class QuietCollector:
    """Full passes of the garbage collector while the user is not typing."""

    def __init__(self) -> None:
        self.last_input = time.monotonic()
        self._thresholds: tuple[int, int, int] | None = None
        self._middle_passes = 0
        self._froze = False

    def start(self) -> None:
        """Take the full passes over (`check` runs them)."""
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            young, middle, _full = self._thresholds
            gc.set_threshold(young, middle, NEVER)
            self._middle_passes = _middle_passes()

    def stop(self) -> None:
        """Give the full passes back to Python, and what was kept from them."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None
        if self._froze:
            gc.unfreeze()  # an app closed (say, in a test) leaves nothing it cannot free
            self._froze = False

    def keep(self) -> None:
        """Keep what the program holds now from the full passes: it lives as long as the
        app (or is freed without them: it holds no cycles)."""
        gc.freeze()
        self._froze = True

    def typed(self) -> None:
        """A key or a click came in."""
        self.last_input = time.monotonic()

    def quiet_since(self, moment: float, seconds: float) -> bool:
        """Whether no key or click came for `seconds`, counting from `moment` at the
        earliest (a `time.monotonic()` reading)."""
        return time.monotonic() - max(moment, self.last_input) >= seconds

    def check(self) -> None:
        """Run the full pass Python would have run by now, if the user is not typing."""
        if self._thresholds is None or time.monotonic() - self.last_input < QUIET_SECONDS:
            return
        if _middle_passes() - self._middle_passes >= YOUNG_PASSES:
            gc.collect()
            self._middle_passes = _middle_passes()


def _middle_passes() -> int:
    return gc.get_stats()[1]["collections"]
