"""The PostgreSQL test server: fixtures in conftest.py, cluster in tests/postgres_server.py.

These tests skip where no server can be started (and fail in CI, see conftest.py).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

from tests.support.postgres_server import (
    ADMIN_ROLE,
    BINARIES_VARIABLE,
    ThrowawayCluster,
    find_binaries,
    fresh_database,
)

_seen_databases: set[str] = set()


def _connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=10)


def test_the_server_answers_through_psycopg(postgres_url: str):
    with _connect(postgres_url) as connection:
        (version,) = connection.execute("SELECT version()").fetchone()
    assert version.startswith("PostgreSQL ")


@pytest.mark.parametrize("turn", ["first", "second"])
def test_each_test_gets_its_own_empty_database(postgres_url: str, turn: str):
    name = urlsplit(postgres_url).path.lstrip("/")
    assert name not in _seen_databases
    _seen_databases.add(name)
    with _connect(postgres_url) as connection:
        (current,) = connection.execute("SELECT current_database()").fetchone()
        (tables,) = connection.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
        # Left behind on purpose: the other turn must not see it.
        connection.execute("CREATE TABLE leftover (turn text)")
        connection.execute("INSERT INTO leftover VALUES (%s)", (turn,))
    assert current == name
    assert tables == 0


def test_a_fresh_database_is_dropped_even_while_connected(postgres_server: str):
    url, drop = fresh_database(postgres_server)
    name = urlsplit(url).path.lstrip("/")
    with _connect(url):
        drop()  # WITH (FORCE) ends the connection still open here
    with _connect(postgres_server) as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    assert row is None


def test_the_throwaway_cluster_listens_on_loopback_only(postgres_server: str):
    if os.environ.get("COCKPIT_TEST_POSTGRES_URL"):
        pytest.skip("COCKPIT_TEST_POSTGRES_URL names a server these tests did not start")
    parts = urlsplit(postgres_server)
    assert (parts.username, parts.hostname) == (ADMIN_ROLE, "127.0.0.1")
    with _connect(postgres_server) as connection:
        (addresses,) = connection.execute("SHOW listen_addresses").fetchone()
        (sockets,) = connection.execute("SHOW unix_socket_directories").fetchone()
        (hba,) = connection.execute(
            "SELECT count(*) FROM pg_hba_file_rules "
            "WHERE type NOT IN ('local', 'host') OR (type = 'host' AND address <> '127.0.0.1')"
        ).fetchone()
    assert addresses == "127.0.0.1"
    assert os.path.basename(sockets).startswith("cockpit-pg-")
    assert hba == 0


def test_a_stopped_cluster_leaves_no_directory(postgres_server: str):
    # postgres_server first, so this skips (or fails in CI) like the other tests.
    if find_binaries() is None:
        pytest.skip("initdb and pg_ctl not found (the session uses COCKPIT_TEST_POSTGRES_URL)")
    cluster = ThrowawayCluster().start()
    try:
        directory = cluster.directory
        assert directory is not None and (directory / "data" / "postmaster.pid").exists()
        with _connect(cluster.url) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
    finally:
        cluster.stop()
    assert not directory.exists()
    assert cluster.directory is None
    with pytest.raises(RuntimeError):
        cluster.url  # noqa: B018


def test_find_binaries_honours_the_override(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(BINARIES_VARIABLE, "/nonexistent")
    assert find_binaries() is None
