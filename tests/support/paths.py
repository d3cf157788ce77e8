"""Where things are, from the tests' point of view."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository: pyproject.toml, README.md, cockpit/
TESTS = ROOT / "tests"
FIXTURES = TESTS / "support" / "fixtures"  # the old-schema books, made by make_fixture.py
SHARED_DATA = ROOT.parent / "shared" / "data"  # sample contact files shared between projects
