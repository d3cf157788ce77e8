"""`cockpit bench`: the smoke run's JSON, its exit status, and the book it builds."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest

from cockpit.bench import measure, processes
from cockpit.bench.builder import build_book
from cockpit.bench.measure import Figure, Options, Report
from cockpit.bench.report import as_json, as_table
from cockpit.bench.vcards import write_vcards
from cockpit.cli import main

# The figures the issue names, in its words.
ISSUE_FIGURES = {
    "cold start",
    "filter keystroke, median",
    "filter keystroke, worst",
    "select a client",
    "health engine, full recompute",
    "health engine, cached read",
    "weekly review agenda",
    "log a touch, the write",
    "cockpit log",
    "RSS after load",
    "import vCards",
    "cockpit clients QUERY",
}
# Measured in the bench's own process or with plain commands: never "not measured".
ALWAYS_MEASURED = ISSUE_FIGURES - {"cold start", "RSS after load", "health engine, cached read"}
TODAY = date(2026, 11, 23)


def test_a_smoke_run_gives_every_figure_as_json_and_never_fails_on_a_budget(
    monkeypatch, capsys, today
):
    # Budgets no machine meets: every measured figure misses, and smoke still exits 0.
    impossible = tuple((name, unit, 0.0) for name, unit, _budget in measure.BUDGETS)
    monkeypatch.setattr(measure, "BUDGETS", impossible)
    status = main(["bench", "--smoke", "--json", "--clients", "200", "--touches", "2000"])
    out, err = capsys.readouterr()
    assert status == 0, out + err
    document = json.loads(out)
    figures = {figure["name"]: figure for figure in document["figures"]}
    assert set(figures) == ISSUE_FIGURES
    for name, figure in figures.items():
        assert {"name", "value", "unit", "budget", "ok"} <= set(figure), name
        if figure["value"] is None:
            assert figure["ok"] is None and figure["detail"], name  # says why
        else:
            assert figure["value"] >= 0 and figure["ok"] is False, name
            assert figure["min"] <= figure["value"] <= figure["max"], name
            assert figure["runs"] >= 2, name
    for name in ALWAYS_MEASURED:
        assert figures[name]["value"] is not None, figures[name]["detail"]
    for name in ("cold start", "RSS after load"):  # the app's bench protocol, or why not
        assert figures[name]["value"] is not None or "BENCH" in figures[name]["detail"]
    assert document["book"]["clients"] == 200
    assert document["book"]["interactions"] == 2000
    assert document["book"]["deals"] == 600
    assert document["smoke"] is True
    assert "building a book of 200 clients" in err


def _report(*figures: Figure, smoke: bool = False) -> Report:
    return Report(Options(smoke=smoke), list(figures), measure.machine())


def _figures() -> list[Figure]:
    met = Figure("select a client", "ms", 50)
    met.record([10.0, 12.0, 30.0], "three clients")
    missed = Figure("cold start", "x", 1.5)
    missed.record([1.8, 2.0])
    absent = Figure("health engine, cached read", "ms", 20)
    absent.skip("no cache")
    return [met, missed, absent]


@pytest.mark.parametrize(("smoke", "status"), [(False, 1), (True, 0)])
def test_a_missed_budget_fails_the_bench_unless_smoke(monkeypatch, capsys, smoke, status):
    from cockpit.bench import run

    monkeypatch.setattr(run, "run_bench", lambda options, progress: _report(*_figures()))
    assert main(["bench", *(["--smoke"] if smoke else [])]) == status
    table = capsys.readouterr().out
    assert "FIGURE" in table and "BUDGET" in table and "VERDICT" in table
    assert "MISSED" in table and "not measured" in table
    assert "12.0 ms" in table and "10.0-30.0 ms" in table and "<= 1.5x" in table


def test_a_figure_the_harness_could_not_measure_fails_even_a_smoke_run(monkeypatch, capsys):
    from cockpit.bench import run

    broken = Figure("select a client", "ms", 50)
    broken.skip("error: RuntimeError: boom", error=True)
    monkeypatch.setattr(run, "run_bench", lambda options, progress: _report(broken, smoke=True))
    assert main(["bench", "--smoke"]) == 1
    assert "error: RuntimeError: boom" in capsys.readouterr().out


def test_the_json_of_a_report():
    document = json.loads(as_json(_report(*_figures())))
    select, cold, cached = document["figures"]
    assert select == {
        "name": "select a client",
        "value": 12.0,
        "unit": "ms",
        "budget": 50,
        "ok": True,
        "min": 10.0,
        "max": 30.0,
        "runs": 3,
        "detail": "three clients",
    }
    assert cold["ok"] is False and cold["value"] == 1.9
    assert cached["ok"] is None and cached["value"] is None and cached["detail"] == "no cache"
    assert "Machine:" in as_table(_report(*_figures()))


@pytest.mark.parametrize("option", ["--clients", "--touches", "--runs"])
def test_sizes_must_be_positive(option, capsys):
    assert main(["bench", option, "0"]) == 2
    assert f"{option} must be 1 or more" in capsys.readouterr().err


def _contents(path: Path) -> dict:
    connection = sqlite3.connect(path)
    try:
        query = connection.execute
        return {
            "counts": [
                query(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("client", "client_email", "interaction", "deal", "profile_value")
            ],
            "clients": query(
                "SELECT id, name, company, last_touch_on FROM client ORDER BY id"
            ).fetchall(),
            "touches": query(
                "SELECT client_id, COUNT(*), MIN(day), MAX(day) FROM interaction GROUP BY client_id"
            ).fetchall(),
            "deals": query(
                "SELECT client_id, SUM(amount_cents) FROM deal GROUP BY client_id"
            ).fetchall(),
            "birthdays": query(
                "SELECT COUNT(*), COUNT(date_year) FROM profile_value "
                "WHERE field_key = 'birth_date'"
            ).fetchone(),
            "children": query(
                "SELECT COUNT(DISTINCT client_id) FROM profile_value WHERE field_key = 'children'"
            ).fetchone()[0],
            "profiles": query("SELECT COUNT(DISTINCT client_id) FROM profile_value").fetchone()[0],
        }
    finally:
        connection.close()


def test_the_book_is_the_same_every_time_and_of_the_size_asked(tmp_path, today):
    first = build_book(tmp_path / "one.db", clients=400, touches=6000, today=TODAY)
    second = build_book(tmp_path / "two.db", clients=400, touches=6000, today=TODAY)
    one, two = _contents(first.path), _contents(second.path)
    assert one == two
    assert (first.clients, first.interactions, first.deals) == (400, 6000, 1200)
    assert len({name for _id, name, _company, _last in one["clients"]}) > 300  # varied names
    # About half the profiles partly filled: birthdays with and without a year, children.
    assert 150 <= one["profiles"] == first.profiles <= 250
    with_year = one["birthdays"][1]
    assert 0 < with_year < one["birthdays"][0] == first.profiles
    assert one["children"] > 30
    other = build_book(tmp_path / "three.db", clients=400, touches=6000, today=TODAY, seed=1)
    assert _contents(other.path)["clients"] != one["clients"]


def test_the_vcard_file_imports_every_card(tmp_path, db, today):
    from cockpit.importers.files import import_file

    path = tmp_path / "contacts.vcf"
    write_vcards(path, 50, today=TODAY)
    assert path.read_text(encoding="utf-8").count("BEGIN:VCARD") == 50
    report = import_file(path)
    assert not report.failures
    assert "created" in report.summary()


@pytest.mark.parametrize(
    ("program", "reason"),
    [
        ("print('ready')", "exit status 0: ready"),
        ("import time; time.sleep(30)", "so killed"),
    ],
)
def test_cold_start_is_not_measured_when_the_app_gives_no_bench_line(
    monkeypatch, tmp_path, program, reason
):
    monkeypatch.setattr(
        processes, "app_command", lambda *arguments: [sys.executable, "-c", program]
    )
    figure = Figure(measure.COLD_START, "x", 1.5)
    started = processes.Processes(dict(os.environ), tmp_path, runs=2, timeout=2.0)
    rss = processes.cold_start(figure, tmp_path / "book.db", started)
    assert rss == [] and figure.value is None and figure.verdict == "not measured"
    assert "no 'BENCH first-page' line" in figure.missing and reason in figure.missing
    assert not figure.error  # the app's protocol is missing: the harness did not break


def test_memory_falls_back_on_the_first_page_when_the_app_has_no_loaded_stage(
    monkeypatch, tmp_path
):
    line = "print('BENCH first-page 0.1 rss 1000')"
    monkeypatch.setattr(processes, "app_command", lambda *arguments: [sys.executable, "-c", line])
    figure = Figure(measure.RSS, "MB", 120)
    started = processes.Processes(dict(os.environ), tmp_path, runs=2)
    processes.memory(figure, tmp_path / "book.db", started, [50e6, 70e6])
    assert (figure.value, figure.low, figure.high) == (60, 50, 70)
    assert "at the first page" in figure.detail
