"""Fixtures of the end-to-end tests of `cockpit serve`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.serving import serving, small_book


@pytest.fixture
def book_file(book_path: Path, today) -> Path:
    """A small book on disk, as `cockpit serve --db` is given one."""
    return small_book(book_path)


@pytest.fixture
def served(book_file):
    """`cockpit serve` running on that book, with its token."""
    with serving("--db", str(book_file)) as server:
        yield server
