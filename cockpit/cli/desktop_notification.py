"""A desktop notification through `notify-send` (libnotify: the freedesktop.org
notifications every Linux desktop shows), as the app Cockpit."""

from __future__ import annotations

import shutil
import subprocess

from cockpit.errors import DeliveryError, UsageError
from cockpit.text import printable, shorten

PROGRAM = "notify-send"
TIMEOUT = 15  # seconds: notify-send waits for the desktop's notification service


def check_ready() -> str:
    """The notify-send to run; refused in one line when there is none."""
    program = shutil.which(PROGRAM)
    if program is None:
        raise UsageError(
            f"--notify needs {PROGRAM}, which is not installed (Debian and Ubuntu: "
            "apt install libnotify-bin; Fedora: dnf install libnotify); nothing was shown"
        )
    return program


def notify(program: str, summary: str, body: str) -> None:
    """Show a notification; the body may hold the markup the notification servers read
    (escape user text first). Arguments follow `--`, so no text is taken for an option."""
    command = [program, "--app-name=Cockpit", "--urgency=normal", "--", summary, body]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, errors="replace", timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        raise DeliveryError(
            f"{PROGRAM} did not finish within {TIMEOUT} s (is a desktop session running?)"
        ) from None
    except OSError as error:
        raise DeliveryError(f"{PROGRAM} could not be run: {error.strerror or error}") from None
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or [""])[0]
        said = f": {shorten(printable(said), 200)}" if said else ""
        raise DeliveryError(
            f"{PROGRAM} failed (exit status {done.returncode}){said}; from cron, set "
            "DBUS_SESSION_BUS_ADDRESS (README, Reminders)"
        )
