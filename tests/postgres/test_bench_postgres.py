"""`cockpit bench --database-url`: the book in a schema of its own, the server's figures,
and the schema dropped afterwards, also when the run fails or is interrupted."""

from __future__ import annotations

import json
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from cockpit import health
from cockpit.bench import budgets, measure, server
from cockpit.bench.builder import build_book, build_server_book
from cockpit.cli import main
from cockpit.config import HealthSettings
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.models import database_proxy

TODAY = date(2026, 11, 23)
SERVER_FIGURES = {
    measure.HEALTH_SERVER,
    measure.HEALTH_CACHED,
    measure.AGENDA,
    measure.LOG_WRITE,
    measure.LOG_COMMAND,
    measure.CLIENTS_COMMAND,
    measure.DRIFT_COMMAND,
}


def _bench_schemas(url: str) -> list[str]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
            (server.SCHEMA_PREFIX + "%",),
        ).fetchall()
    return [name for (name,) in rows]


def test_the_schema_url_puts_only_the_schema_on_the_search_path():
    from playhouse.db_url import parse

    url = server.schema_url(
        "postgresql://me@db.example:5433/crm?options=-cstatement_timeout%3D0&sslmode=prefer",
        "cockpit_bench_abc",
    )
    query = parse_qs(urlsplit(url).query)
    assert query["options"] == ["-cstatement_timeout=0 -csearch_path=cockpit_bench_abc"]
    assert query["application_name"] == ["cockpit_bench_abc"] and query["sslmode"] == ["prefer"]
    settings = parse(url)  # what cockpit.storage.server hands to psycopg
    assert settings["database"] == "crm" and settings["port"] == 5433
    assert settings["options"] == "-cstatement_timeout=0 -csearch_path=cockpit_bench_abc"


def test_a_smoke_run_on_the_server_gives_its_figures_and_drops_its_schema(
    postgres_url, monkeypatch, capsys, today
):
    impossible = {
        size: tuple((name, unit, 0.0, section) for name, unit, _budget, section in rows)
        for size, rows in budgets.TABLES.items()
    }
    monkeypatch.setattr(budgets, "TABLES", impossible)
    arguments = ["--clients", "200", "--touches", "2000", "--database-url", postgres_url]
    status = main(["bench", "--smoke", "--json", *arguments])
    out, err = capsys.readouterr()
    assert status == 0, out + err
    document = json.loads(out)
    figures = {figure["name"]: figure for figure in document["figures"]}
    names = [figure["name"] for figure in document["figures"]]
    assert names.index(measure.HEALTH_SERVER) == names.index(measure.HEALTH_FULL) + 1
    assert set(figures) == set(budgets.figure_names()) | {measure.HEALTH_SERVER}
    for name in SERVER_FIGURES:
        assert figures[name]["value"] is not None, figures[name]["detail"]
        assert figures[name]["runs"] >= 2, name
    server_health = figures[measure.HEALTH_SERVER]
    assert server_health["budget"] == 2000 and server_health["unit"] == "ms"
    assert "200 clients on PostgreSQL" in server_health["detail"]
    for name in measure.SQLITE_ONLY:
        assert figures[name]["value"] is None and figures[name]["ok"] is None, name
        assert figures[name]["detail"].startswith("SQLite only"), name
    assert document["book"]["clients"] == 200 and document["book"]["interactions"] == 2000
    schema = document["database"]["postgresql"]["schema"]
    assert schema.startswith(server.SCHEMA_PREFIX) and schema in err
    assert _bench_schemas(postgres_url) == []  # dropped, with everything in it


def test_the_table_of_a_server_run(postgres_url, monkeypatch, capsys, today):
    from cockpit.bench import run

    def measured(bench_run):
        options, report, figures = bench_run.options, bench_run.report, bench_run.figures
        with server.bench_schema(options.database_url) as schema:
            report.server = {"database": options.database_url, "schema": schema.name}
            figures[measure.HEALTH_SERVER].record([1200.0, 1500.0, 1300.0])

    monkeypatch.setattr(run, "_run_on_server", measured)
    assert main(["bench", "--database-url", postgres_url, "--runs", "3"]) == 0
    table = capsys.readouterr().out
    assert "health engine on the server, full recompute  1300.0 ms" in table
    assert "<= 2000 ms" in table
    assert f"Database: PostgreSQL, {postgres_url}, in the schema cockpit_bench_" in table


@pytest.mark.parametrize("stop", [RuntimeError("the server went away"), KeyboardInterrupt()])
def test_the_schema_is_dropped_when_the_run_fails_or_is_interrupted(
    postgres_url, monkeypatch, capsys, today, stop
):
    from cockpit.bench import run

    seen = []

    def failing(url, **sizes):
        seen.append(url)
        build_server_book(url, clients=20, touches=100, today=TODAY)  # a connection left open
        open_database(DatabaseLocation(None, "test", url=url))
        assert _bench_schemas(postgres_url)
        raise stop

    monkeypatch.setattr(run, "build_server_book", failing)
    if isinstance(stop, KeyboardInterrupt):
        assert main(["bench", "--smoke", "--database-url", postgres_url]) == 130
    else:
        with pytest.raises(RuntimeError, match="went away"):
            main(["bench", "--smoke", "--database-url", postgres_url])
    database_proxy.initialize(None)
    assert seen and _bench_schemas(postgres_url) == []


# As of today, as of a past day (touches after it ignored), and with a recent span longer
# than the window (the server reads both in one pass over the touches).
CASES = [
    (TODAY, HealthSettings()),
    (TODAY - timedelta(days=200), HealthSettings()),
    (TODAY, HealthSettings(recent_days=400, window_days=120)),
]


def _verdicts() -> list[list[tuple]]:
    return [
        [tuple(verdict)[:-1] for verdict in health.compute(as_of, rules)] for as_of, rules in CASES
    ]


def test_the_server_book_is_the_sqlite_book(postgres_url, tmp_path, today):
    """Same rows, so the same verdicts, computed by the server's own queries."""
    built = build_book(tmp_path / "book.db", clients=300, touches=6000, today=TODAY)
    db = open_database(DatabaseLocation(built.path, "--db"))
    try:
        on_sqlite = _verdicts()
    finally:
        db.close()
    with server.bench_schema(postgres_url) as schema:
        on_server = build_server_book(schema.url, clients=300, touches=6000, today=TODAY)
        db = open_database(DatabaseLocation(None, "test", url=schema.url))
        try:
            verdicts = _verdicts()
            tables = set(db.get_tables())
        finally:
            db.close()
    assert all(len(each) == 300 for each in on_sqlite)
    assert verdicts == on_sqlite
    assert {"client", "interaction", "deal"} <= tables
    sizes = ("clients", "interactions", "deals", "profiles", "profile_values", "plans")
    assert [getattr(on_server, size) for size in sizes] == [getattr(built, size) for size in sizes]
    assert _bench_schemas(postgres_url) == []


def test_the_bench_takes_only_a_postgresql_url(capsys):
    assert main(["bench", "--database-url", "sqlite:///book.db"]) == 2
    assert "the bench takes a PostgreSQL URL" in capsys.readouterr().err
