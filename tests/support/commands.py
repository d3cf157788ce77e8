"""Running `cockpit` as a program, as a user's shell does."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.paths import ROOT


def run_cockpit(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m cockpit ARGS` from the checkout, its output captured as text; `env` adds
    to the environment (COCKPIT_TODAY, say)."""
    return subprocess.run(
        [sys.executable, "-m", "cockpit", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        timeout=60,
    )
