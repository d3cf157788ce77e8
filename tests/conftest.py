"""Every test runs with its own home, data and config directories.

Tests never touch the real user data or config: the XDG variables and HOME
point into a temporary directory, and Cockpit's own variables are cleared.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import settings as hypothesis_settings

from cockpit import clock, config, health_cache, notices
from cockpit.storage import database as storage_database
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.models import database_proxy
from tests.support import postgres_server as throwaway_postgres

# Property tests explore new inputs on a developer's machine; in CI they replay the same
# ones, so a run can only fail on a change, not on a draw.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

FIXED_TODAY = "2026-11-23"
COCKPIT_VARIABLES = ("COCKPIT_DB", "COCKPIT_DATABASE_URL", "COCKPIT_TODAY", "COCKPIT_SERVE_TOKEN")


def _clear_caches() -> None:
    notices.forget()
    config.use_team_health(None)
    config.file_settings.cache_clear()
    clock.local_timezone.cache_clear()


# -- Running in parallel (pytest-xdist, `-n auto --dist loadgroup` in pyproject.toml) -----
# Tests are spread over one worker per core, and one more: a good share of the suite waits
# on other processes (a terminal, a server, a killed command), and a spare worker keeps
# the cores busy meanwhile (on 2 cores: 190 s instead of 244 s). The `timing` tests (a real
# terminal in tmux, processes killed at moments) stay together on one worker, so no two of
# them run at once.
# Each worker that meets a PostgreSQL test starts a throwaway cluster of its own (a fresh
# directory, a free port): `postgres_server` is per session, and a worker is a session.


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    return (os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("timing") and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group("timing"))


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


# -- PostgreSQL ------------------------------------------------------------------------
# Tests that take `postgres_url` run against a real PostgreSQL server: the one named by
# COCKPIT_TEST_POSTGRES_URL (an admin URL allowed to CREATE DATABASE), else a throwaway
# cluster started for the session (tests/postgres_server.py). Where neither is possible they
# skip, except in CI (CI set), where a missing server fails them: CI installs PostgreSQL, so
# a skip there would hide a broken setup. COCKPIT_TEST_POSTGRES=skip skips them everywhere.


def _no_postgres(reason: str):
    if os.environ.get("COCKPIT_TEST_POSTGRES") == "skip":
        pytest.skip(f"PostgreSQL tests skipped (COCKPIT_TEST_POSTGRES=skip): {reason}")
    if os.environ.get("CI"):
        pytest.fail(
            f"no PostgreSQL server can be started here: {reason} "
            "(CI is set, so this fails instead of skipping; "
            "set COCKPIT_TEST_POSTGRES=skip to skip on purpose)",
            pytrace=False,
        )
    pytest.skip(f"no PostgreSQL server can be started here: {reason}")


@pytest.fixture(scope="session")
def postgres_server():
    """The admin URL of a PostgreSQL server for this session (see above)."""
    if os.environ.get("COCKPIT_TEST_POSTGRES") == "skip":
        _no_postgres("asked to")
    try:
        import psycopg  # noqa: F401  (only the PostgreSQL tests need it)
    except ImportError as error:
        _no_postgres(f"psycopg is not installed ({error}); pip install -e '.[test,postgres]'")
    external = os.environ.get("COCKPIT_TEST_POSTGRES_URL")
    if external:
        yield external
        return
    binaries = throwaway_postgres.find_binaries()
    if binaries is None:
        where = os.environ.get(throwaway_postgres.BINARIES_VARIABLE) or (
            "PATH or /usr/lib/postgresql/*/bin"
        )
        _no_postgres(f"initdb and pg_ctl not found in {where}")
    cluster = throwaway_postgres.ThrowawayCluster(binaries)
    try:
        cluster.start()
    except (throwaway_postgres.ClusterError, OSError, subprocess.SubprocessError) as error:
        _no_postgres(f"the throwaway cluster did not start: {error}")
    try:
        yield cluster.admin_url
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_server: str):
    """The URL of a fresh, empty PostgreSQL database, dropped after the test."""
    url, drop = throwaway_postgres.fresh_database(postgres_server)
    yield url
    drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_on_both(request, book_path):
    """An open, empty book on SQLite, then on PostgreSQL: a module whose tests hold on
    both defines `db` as this fixture."""
    if request.param == "sqlite":
        database = open_database(DatabaseLocation(book_path, "--db"))
        database.book_args = ["--db", str(book_path)]  # how a command names this book
    else:
        url = request.getfixturevalue("postgres_url")
        database = open_database(storage_database.resolve_location(database_url=url))
        database.book_args = ["--database-url", url]
    yield database
    database.close()


def _as(url: str, role: str) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port}").geturl()


@pytest.fixture
def team(postgres_url, today):
    """A team book on the server, made by an owner role that is no superuser, and three
    login roles: two reps (alice, bob) and a manager (carol). Yields ({name: URL as that
    role}, {name: role name}); "owner" names the owner role."""
    import psycopg

    suffix = uuid.uuid4().hex[:8]
    roles = {
        "alice": f"alice_{suffix}",
        "bob": f"bob_{suffix}",
        "carol": f"carol_{suffix}",
        "owner": f"owner_{suffix}",
    }
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        database = admin.info.dbname
        admin.execute(f"CREATE ROLE {roles['owner']} LOGIN CREATEROLE")
        admin.execute(f'ALTER DATABASE "{database}" OWNER TO {roles["owner"]}')
    urls = {name: _as(postgres_url, role) for name, role in roles.items()}
    open_database(DatabaseLocation(None, "--database-url", url=urls["owner"])).close()
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {roles['alice']} LOGIN IN ROLE cockpit_rep")
        admin.execute(f"CREATE ROLE {roles['bob']} LOGIN IN ROLE cockpit_rep")
        admin.execute(f"CREATE ROLE {roles['carol']} LOGIN IN ROLE cockpit_manager")
    yield urls, roles
    storage_database.close_database()
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{database}" OWNER TO CURRENT_USER')
        for role in roles.values():
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")
