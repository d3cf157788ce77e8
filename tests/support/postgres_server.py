"""A throwaway PostgreSQL server for the tests, and fresh databases on it.

Plain functions and classes, no pytest: conftest.py builds its fixtures on them, and a
script can use them too::

    cluster = ThrowawayCluster()
    cluster.start()
    try:
        url, drop = fresh_database(cluster.admin_url)
        ...
        drop()
    finally:
        cluster.stop()

The cluster lives in a fresh temporary directory, trusts connections from the local socket
and 127.0.0.1 only, listens on 127.0.0.1 and a socket in that directory only, and trades
durability for speed (fsync, synchronous_commit and full_page_writes off). psycopg is
imported only by the functions that talk to a server.
"""

from __future__ import annotations

import atexit
import glob
import os
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ADMIN_ROLE = "cockpit_admin"
BINARIES_VARIABLE = "COCKPIT_TEST_POSTGRES_BINARIES"
START_TIMEOUT = 20.0
_SERVICE_USER = "postgres"
_CONFIG_FILE = "cockpit_test.conf"
# A Unix socket path is limited to about 107 bytes, ".s.PGSQL.65535" included.
_LONGEST_SOCKET_DIRECTORY = 80


class ClusterError(RuntimeError):
    """The throwaway cluster could not be created, started or stopped."""


def _version_key(directory: str) -> tuple[int, ...]:
    match = re.search(r"/postgresql/([\d.]+)/bin$", directory)
    return tuple(int(part) for part in match.group(1).split(".") if part) if match else ()


def _holds_binaries(directory: Path) -> bool:
    return all(os.access(directory / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres"))


def find_binaries() -> Path | None:
    """The directory holding initdb and pg_ctl, or None.

    COCKPIT_TEST_POSTGRES_BINARIES, when set, is the only place looked at (set it to a
    missing directory to test what happens without PostgreSQL). Otherwise PATH comes
    first, then the newest /usr/lib/postgresql/*/bin (Debian keeps them off PATH).
    """
    override = os.environ.get(BINARIES_VARIABLE)
    if override:
        directory = Path(override)
        return directory if _holds_binaries(directory) else None
    initdb = shutil.which("initdb")
    if initdb:
        # Symlinks on PATH (/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb):
        # the real directory holds the server binaries too.
        for directory in (Path(initdb).resolve().parent, Path(initdb).parent):
            if _holds_binaries(directory):
                return directory
    for directory in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True):
        if _holds_binaries(Path(directory)):
            return Path(directory)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no server log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty server log)"


class ThrowawayCluster:
    """A PostgreSQL cluster in a temporary directory, deleted when stopped."""

    def __init__(self, binaries: Path | None = None) -> None:
        self.binaries = binaries or find_binaries()
        self.directory: Path | None = None
        self.port: int | None = None
        self._running = False

    # -- where it is -------------------------------------------------------------------

    @property
    def data_directory(self) -> Path:
        return self._require_directory() / "data"

    @property
    def log_file(self) -> Path:
        return self._require_directory() / "server.log"

    @property
    def admin_url(self) -> str:
        """A superuser URL on the maintenance database, for CREATE/DROP DATABASE."""
        return self.url_for("postgres")

    @property
    def url(self) -> str:
        """The superuser's URL on the cluster (the maintenance database)."""
        return self.admin_url

    def url_for(self, database: str) -> str:
        if not self._running or self.port is None:
            raise ClusterError("the cluster is not running")
        return f"postgresql://{ADMIN_ROLE}@127.0.0.1:{self.port}/{database}"

    def _require_directory(self) -> Path:
        if self.directory is None:
            raise ClusterError("the cluster has no directory (not started, or stopped)")
        return self.directory

    # -- running programs --------------------------------------------------------------

    @staticmethod
    def _as_root() -> bool:
        return hasattr(os, "geteuid") and os.geteuid() == 0

    def _run(self, program: str, *arguments: str, timeout: float = 60.0):
        """Run one of the binaries, as the postgres user when we are root."""
        if self.binaries is None:
            raise ClusterError("no PostgreSQL binaries (initdb, pg_ctl) were found")
        command = [str(self.binaries / program), *arguments]
        if self._as_root():
            # initdb and postgres refuse to run as root.
            if shutil.which("runuser"):
                command = ["runuser", "-u", _SERVICE_USER, "--", *command]
            else:
                command = ["su", "-s", "/bin/sh", _SERVICE_USER, "-c", shlex.join(command)]
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("PG") and key not in ("LANG", "LANGUAGE") and key[:3] != "LC_"
        }
        environment["LC_ALL"] = "C"
        return subprocess.run(
            command,
            cwd=self._require_directory(),  # the postgres user may not read our cwd
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def _make_directory(self) -> Path:
        base = tempfile.gettempdir()
        if len(base) > _LONGEST_SOCKET_DIRECTORY - 30 and os.path.isdir("/tmp"):
            base = "/tmp"
        directory = Path(tempfile.mkdtemp(prefix="cockpit-pg-", dir=base))
        if self._as_root():
            import pwd

            try:
                account = pwd.getpwnam(_SERVICE_USER)
            except KeyError:
                shutil.rmtree(directory, ignore_errors=True)
                raise ClusterError(
                    f"initdb refuses to run as root, and there is no {_SERVICE_USER!r} user "
                    "to run it as"
                ) from None
            os.chown(directory, account.pw_uid, account.pw_gid)
        return directory

    # -- life cycle ---------------------------------------------------------------------

    def start(self, timeout: float = START_TIMEOUT) -> ThrowawayCluster:
        if self._running:
            return self
        if self.binaries is None:
            raise ClusterError("no PostgreSQL binaries (initdb, pg_ctl) were found")
        self.directory = self._make_directory()
        atexit.register(self.stop)  # in case the caller never gets to stop it
        try:
            self._initdb()
            self._start_server(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _initdb(self) -> None:
        result = self._run(
            "initdb",
            "--pgdata",
            str(self.data_directory),
            "--username",
            ADMIN_ROLE,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        )
        if result.returncode != 0:
            raise ClusterError(f"initdb failed (exit {result.returncode}):\n{result.stderr}")
        # Trust the local socket and 127.0.0.1 only (initdb's default also trusts ::1 and
        # replication connections).
        (self.data_directory / "pg_hba.conf").write_text(
            "# Cockpit test cluster: local socket and 127.0.0.1 only.\n"
            "local all all trust\n"
            "host  all all 127.0.0.1/32 trust\n",
            encoding="utf-8",
        )
        with (self.data_directory / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(f"\ninclude '{_CONFIG_FILE}'\n")

    def _write_settings(self, port: int) -> None:
        socket_directory = str(self._require_directory()).replace("'", "''")
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(port),
            "unix_socket_directories": f"'{socket_directory}'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "50",
            "shared_buffers": "'32MB'",
            "log_min_messages": "warning",
        }
        text = "".join(f"{name} = {value}\n" for name, value in settings.items())
        (self.data_directory / _CONFIG_FILE).write_text(text, encoding="utf-8")

    def _start_server(self, timeout: float) -> None:
        # The free port is found by binding and closing; another process may take it in
        # between, so a bind failure is retried on a new port.
        for attempt in range(3):
            port = _free_port()
            self._write_settings(port)
            result = self._run(
                "pg_ctl",
                "start",
                "--pgdata",
                str(self.data_directory),
                "--log",
                str(self.log_file),
                "--wait",
                "--timeout",
                str(max(1, round(timeout))),
                timeout=timeout + 10,
            )
            if result.returncode == 0:
                self.port = port
                self._running = True
                return
            log = _tail(self.log_file)
            if "could not bind" in log and attempt < 2:
                self._run("pg_ctl", "stop", "--pgdata", str(self.data_directory), "-m", "immediate")
                continue
            self._run("pg_ctl", "stop", "--pgdata", str(self.data_directory), "-m", "immediate")
            said = result.stderr.strip() or result.stdout.strip()
            raise ClusterError(
                f"the PostgreSQL server did not start accepting connections "
                f"(pg_ctl waited up to {timeout:.0f} s, exit {result.returncode}: {said})"
                f"\n--- tail of {self.log_file} ---\n{log}"
            )

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete the cluster's directory."""
        directory = self.directory
        if directory is None:
            return
        try:
            if (directory / "data" / "postmaster.pid").exists():
                result = self._run(
                    "pg_ctl", "stop", "--pgdata", str(directory / "data"), "-m", "fast", "--wait"
                )
                if result.returncode != 0 and (directory / "data" / "postmaster.pid").exists():
                    self._run(
                        "pg_ctl", "stop", "--pgdata", str(directory / "data"), "-m", "immediate"
                    )
        finally:
            self._running = False
            self.port = None
            self.directory = None
            shutil.rmtree(directory, ignore_errors=True)
            atexit.unregister(self.stop)

    def __enter__(self) -> ThrowawayCluster:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


def fresh_database(admin_url: str, prefix: str = "cockpit_test"):
    """Create an empty database with a unique name; return (its URL, a function dropping it).

    The database belongs to the role of admin_url (cockpit_admin on a ThrowawayCluster).
    """
    import psycopg
    from psycopg import sql

    name = f"{prefix}_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
            if connection.info.server_version >= 130000:
                connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
            else:
                connection.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (name,),
                )
                connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
                )

    return _with_database(admin_url, name), drop


def as_role(url: str, work):
    """What `work()` returns, run on the book at `url` (as the role the URL names)."""
    from cockpit.storage.database import open_database, resolve_location

    db = open_database(resolve_location(database_url=url))
    try:
        return work()
    finally:
        db.close()


def upgraded_from(owner_url: str, taken_out: Sequence[str], version: int) -> int:
    """The team book made one of schema `version` again (what later schemas added
    `taken_out`), then opened by its owner, who upgrades it: the version it is at after."""
    import psycopg

    from cockpit.storage import migrations
    from cockpit.storage.database import open_database, resolve_location

    with psycopg.connect(owner_url, autocommit=True) as owner:
        for statement in taken_out:
            owner.execute(statement)
        owner.execute(
            "UPDATE cockpit_meta SET value = %s WHERE key = 'schema_version'", (str(version),)
        )
    db = open_database(resolve_location(database_url=owner_url))
    try:
        return migrations.stored_version(db)
    finally:
        db.close()


# What schema 15 added (the days clients wrote to you), taken out of a new book so that it
# stands as one of schema 14 to upgrade.
BEFORE_HEARD_FROM = ("DROP TABLE heard_from",)
# What schema 14 added (where imported rows came from) too: a book of schema 13.
BEFORE_SOURCES = (*BEFORE_HEARD_FROM, "DROP TABLE import_source")
# What schema 13 added (communications to a segment) too: a book of schema 12.
BEFORE_SEGMENTS = (*BEFORE_SOURCES, "DROP TABLE segment_communication")
# What schema 12 added (tags on clients) too: a book of schema 11.
BEFORE_TAGS = (*BEFORE_SEGMENTS, "DROP TABLE client_tag")
# What schema 11 added (account plans) too: a book of schema 10.
BEFORE_PLANS = (*BEFORE_TAGS, "DROP TABLE plan_action, plan_objective, account_plan")
# What schema 10 added (accounts, roles, renewals) too: a book from before accounts.
BEFORE_ACCOUNTS = (
    *BEFORE_PLANS,
    "DROP TABLE account_merge, account_move",
    'ALTER TABLE "client" DROP COLUMN "account_id", DROP COLUMN "roles", DROP COLUMN "role_note"',
    'ALTER TABLE "deal" DROP COLUMN "renews_on", DROP COLUMN "term_months"',
    "DROP TABLE account",
)
