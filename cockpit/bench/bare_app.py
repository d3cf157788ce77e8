"""The yardstick of cold start: a bare Textual app with one Static.

`cockpit bench` runs this file as a script, the way it runs Cockpit: with
`--headless` it runs headless, and after its first paint it prints `BENCH
first-page <seconds since the app object was created> rss <peak RSS in bytes>`
and exits at once, as Cockpit does under `launch_app --exit-at first-page`.
It imports nothing of Cockpit.
"""

from __future__ import annotations

import os
import sys
import time

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.created = time.perf_counter()

    def compose(self) -> ComposeResult:
        yield Static("A bare Textual app: the yardstick of Cockpit's cold start.")

    def on_mount(self) -> None:
        self.call_after_refresh(self._painted)

    def _painted(self) -> None:
        elapsed = time.perf_counter() - self.created
        rss = None
        if sys.platform != "win32":
            import resource

            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            rss *= 1 if sys.platform == "darwin" else 1024  # Linux counts KiB
        os.write(1, f"BENCH first-page {elapsed:.4f} rss {rss or 0}\n".encode())
        os._exit(0)  # as Cockpit leaves under the bench: at once, without shutting down


if __name__ == "__main__":
    BareApp().run(headless="--headless" in sys.argv[1:])
