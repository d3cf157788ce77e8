"""Fixtures of the Pilot tests (tests/app): books the cockpit screens open."""

from __future__ import annotations

import pytest

from cockpit.storage import book
from tests.support.profile_editor import STORED


@pytest.fixture
def profiled(db, today) -> int:
    """Ann Smith with an answer of every field type of the profile (STORED)."""
    ann = book.add_client("Ann Smith", "Acme")
    book.set_profile(ann, STORED)
    return ann.id
