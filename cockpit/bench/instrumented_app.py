"""Cockpit as `cockpit bench` times it: the app that says when it reached a stage.

The product app calls `stage_reached("first-page")` once the first page of names is
painted and `stage_reached("loaded")` once the whole book is shown, and does nothing
then. This app, at the stage it was asked for, writes `BENCH <stage> <seconds since
the app object was created> rss <peak RSS in bytes>` on stdout and leaves at once,
and runs headless when asked. `launch_app` starts it as `cockpit` starts its app.
"""

from __future__ import annotations

import os
import sys
import time

from cockpit.storage.database import DatabaseLocation
from cockpit.ui.app import CockpitApp


def peak_rss() -> int:
    """The peak resident memory of this program, in bytes.

    Linux's ru_maxrss is no good here: it keeps the size of the parent at the fork
    that started this process (it survives exec), so under `cockpit bench` it says
    how big the bench was. The kernel's high-water mark of this program is read
    instead where there is one.
    """
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # in kB
    except (OSError, ValueError, IndexError):
        pass
    import resource  # POSIX only

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # elsewhere in KiB


class InstrumentedApp(CockpitApp):
    """The cockpit, leaving with a `BENCH` line as soon as it reaches `exit_at`."""

    def __init__(self, location: DatabaseLocation, *, exit_at: str, headless: bool) -> None:
        created = time.perf_counter()
        super().__init__(location)
        self.created_at = created
        self.exit_at = exit_at
        self.headless = headless

    def stage_reached(self, stage: str) -> None:
        if stage != self.exit_at:
            return
        elapsed = time.perf_counter() - self.created_at
        os.write(1, f"BENCH {stage} {elapsed:.4f} rss {peak_rss()}\n".encode())
        os._exit(0)  # at once: a worker still judging the book would hold the exit up

    def run(self, *args, **kwargs):
        if self.headless:
            kwargs["headless"] = True
        return super().run(*args, **kwargs)
