"""Fixtures shared by the unit tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cockpit.demo import build_demo

DEMO_TODAY = date(2026, 11, 23)


def build_demo_on(path: Path, today: date) -> None:
    """Build the demo as `cockpit demo` does on that day."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COCKPIT_TODAY", today.isoformat())
        build_demo(path, today)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    """The demo book as built on DEMO_TODAY, once per test module."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo_on(path, DEMO_TODAY)
    return path
