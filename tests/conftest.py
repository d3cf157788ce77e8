"""Every test runs with its own home, data and config directories.

Tests never touch the real user data or config: the XDG variables and HOME
point into a temporary directory, and Cockpit's own variables are cleared.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from cockpit import clock, config, health_cache
from cockpit.storage import database as storage_database
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.models import database_proxy

# Property tests explore new inputs on a developer's machine; in CI they replay the same
# ones, so a run can only fail on a change, not on a draw.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

FIXED_TODAY = "2026-11-23"
COCKPIT_VARIABLES = ("COCKPIT_DB", "COCKPIT_DATABASE_URL", "COCKPIT_TODAY")


def _clear_caches() -> None:
    config.settings.cache_clear()
    clock.local_timezone.cache_clear()


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for variable, folder in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(variable, str(home / folder))
    for variable in COCKPIT_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    _clear_caches()
    yield home
    health_cache.forget()
    storage_database.close_database()
    database_proxy.initialize(None)
    _clear_caches()


@pytest.fixture
def home(isolated_environment: Path) -> Path:
    return isolated_environment


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COCKPIT_TODAY", FIXED_TODAY)
    return FIXED_TODAY


@pytest.fixture
def write_config(home: Path):
    def write(text: str) -> Path:
        path = home / "config" / "cockpit" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        _clear_caches()
        return path

    return write


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    return tmp_path / "book.db"


@pytest.fixture
def db(book_path: Path):
    """An open, empty book in a temporary file (not :memory:, so threads share it)."""
    database = open_database(DatabaseLocation(book_path, "--db"))
    yield database
    database.close()
