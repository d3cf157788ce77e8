"""`cockpit bench`: the smoke run's JSON, its exit status, and the book it builds."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest

from cockpit.bench import budgets, measure, processes, terminal
from cockpit.bench.builder import build_book
from cockpit.bench.history_file import write_history
from cockpit.bench.measure import Figure, Options, Report
from cockpit.bench.report import as_json, as_table
from cockpit.bench.vcards import write_vcards, write_vdir
from cockpit.cli import main

# The figures the issues name, in their words.
ISSUE_FIGURES = {
    "filter keystroke, median",
    "filter keystroke, worst",
    "Backspace, median",
    "Backspace, worst",
    "Esc clears the filter: full list back",
    "Esc clears the filter: panes back",
    "Down arrow: panes filled, median",
    "Down arrow: panes filled, worst",
    "Down arrow: draws of the panes",
    "verdicts on screen after start",
    "profile editor opens",
    "pre-call brief opens",  # issue 22: within 50 ms at 10,000
    "portfolio opens, history not kept",  # issue 23: within 2 s at 10,000
    "portfolio opens again, history kept",  # and 300 ms
    "memory once loaded (VmHWM)",
    "cockpit serve answers",  # issue 24: within 2 s
    "browser: first names on screen",  # and 3 s, at 10,000
    "cockpit drift --json",
    "cockpit clients QUERY after a write",
    "cockpit accounts",  # issue 21: within the clients list's budget at 10,000
    "health engine, full recompute",
    "cold start",
    "filter keystroke in process, median",
    "filter keystroke in process, worst",
    "select a client in process",
    "health engine, cached read",
    "weekly review agenda",
    "log a touch, the write",
    "cockpit log",
    "RSS after load, headless",
    "import vCards",
    "import a vdir",
    "import a history CSV",
    "import a calendar",  # issue 25: 5,000 events within 10 s
    "import a mailbox",  # and 10,000 messages
}
# Measured in the bench's own process or with plain commands: never "not measured" (but a
# command the app breaks says so: that is for the app's tests to catch).
ALWAYS_MEASURED = {
    "health engine, full recompute",
    "filter keystroke in process, median",
    "filter keystroke in process, worst",
    "select a client in process",
    "weekly review agenda",
    "log a touch, the write",
    "import vCards",
    "import a vdir",
    "import a history CSV",
    "import a calendar",
    "import a mailbox",
}
TODAY = date(2026, 11, 23)


def _impossible(monkeypatch) -> None:
    """Budgets no machine meets: every measured figure with a budget misses."""
    tables = {
        size: tuple(
            (name, unit, None if budget is None else 0.0, section)
            for name, unit, budget, section in rows
        )
        for size, rows in budgets.TABLES.items()
    }
    monkeypatch.setattr(budgets, "TABLES", tables)


@pytest.mark.timing  # Cockpit and a bare Textual app in tmux, when tmux is installed
def test_a_smoke_run_gives_every_figure_as_json_and_never_fails_on_a_budget(
    monkeypatch, capsys, today
):
    _impossible(monkeypatch)
    status = main(["bench", "--smoke", "--json", "--clients", "200", "--touches", "2000"])
    out, err = capsys.readouterr()
    document = json.loads(out)
    figures = {figure["name"]: figure for figure in document["figures"]}
    assert status == 0, out + err
    assert set(figures) == ISSUE_FIGURES
    assert document["figures"][0]["section"] == "terminal"  # what a person sees comes first
    for name, figure in figures.items():
        assert {"name", "value", "unit", "budget", "ok", "section"} <= set(figure), name
        if figure["value"] is None:
            assert figure["ok"] is None and figure["detail"], name  # says why
        else:
            assert figure["value"] >= 0, name
            assert figure["ok"] is (None if figure["budget"] is None else False), name
            if figure["min"] is not None:
                assert figure["min"] <= figure["value"] <= figure["max"], name
            assert figure["runs"] >= 1, name
    for name in ALWAYS_MEASURED:
        assert figures[name]["value"] is not None, figures[name]["detail"]
    for name in ("cold start", "RSS after load, headless"):  # the app's bench protocol, or why
        assert figures[name]["value"] is not None or "BENCH" in figures[name]["detail"]
    for name in measure.TERMINAL_FIGURES:  # measured, or a line saying why not
        if shutil.which("tmux") is None:
            assert figures[name]["detail"] == "not measured: tmux is not installed", name
        else:
            assert figures[name]["value"] is not None, (name, figures[name]["detail"])
    from cockpit.bench.browser import browser_missing

    for name in measure.BROWSER_FIGURES:  # measured, or a line saying why not
        if browser_missing():
            assert figures[name]["detail"] == f"not measured: {browser_missing()}", name
        else:
            assert figures[name]["value"] is not None, (name, figures[name]["detail"])
    assert figures["filter keystroke, median"]["unit"] == "x"  # against the bare app
    assert figures["filter keystroke, median"]["absolute"]["unit"] == "ms"
    assert figures["filter keystroke, worst"]["runs"] >= 5  # a word typed a letter at a time
    assert document["budget_table"] == 10_000
    assert document["book"]["clients"] == 200
    assert document["book"]["interactions"] == 2000
    assert document["book"]["deals"] == 600
    assert document["smoke"] is True
    assert "building a book of 200 clients" in err


def _skipping_run(tmp_path, part: str, figure_names) -> tuple[Report, list[str]]:
    """Run one part of the bench (`_in_terminal`, `_in_browser`) on no book: its figures,
    as the table and the progress lines give them, when what it needs is missing."""
    from cockpit.bench import run

    rows = budgets.rows(10)
    figures = {name: Figure(name, unit, budget, section) for name, unit, budget, section in rows}
    said: list[str] = []
    options = Options(smoke=True)
    report = Report(options, list(figures.values()), measure.machine())
    bench_run = run._Run(options, report, figures, tmp_path, {}, TODAY, said.append)
    getattr(run, part)(bench_run, tmp_path / "book.db", run._Facts([], (), None))
    for name in figure_names:
        assert figures[name].verdict == "not measured" and not figures[name].error, name
    return report, said


def test_without_tmux_the_terminal_figures_say_so(monkeypatch, tmp_path):
    monkeypatch.setattr(terminal, "tmux_missing", lambda: "not measured: tmux is not installed")
    report, said = _skipping_run(tmp_path, "_in_terminal", measure.TERMINAL_FIGURES)
    for name in measure.TERMINAL_FIGURES:
        assert report.figures[[f.name for f in report.figures].index(name)].missing == (
            "not measured: tmux is not installed"
        )
    assert said == ["in a terminal: not measured: tmux is not installed"]
    assert "tmux is not installed" in as_table(report)


def test_without_chromium_the_browser_figures_say_so(monkeypatch, tmp_path):
    from cockpit.bench import browser

    monkeypatch.setattr(browser, "browser_missing", lambda: "Chromium is not installed")
    report, said = _skipping_run(tmp_path, "_in_browser", measure.BROWSER_FIGURES)
    assert said == ["in a browser: not measured: Chromium is not installed"]
    table = as_table(report)
    assert "In a web browser: cockpit serve" in table
    for name in measure.BROWSER_FIGURES:
        assert f"{name}: not measured: Chromium is not installed" in table


def _report(*figures: Figure, smoke: bool = False) -> Report:
    return Report(Options(smoke=smoke), list(figures), measure.machine())


def _figures() -> list[Figure]:
    met = Figure("Down arrow: panes filled, median", "ms", 50, "terminal")
    met.record([10.0, 12.0, 30.0], "three clients")
    ratio = Figure("filter keystroke, median", "x", 1.5, "terminal")
    ratio.set(1.87, 60, "56 ms against 30 ms", absolute=(56.2, "ms"))
    missed = Figure("cold start", "x", 1.5)
    missed.record([1.8, 2.0])
    absent = Figure("health engine, cached read", "ms", 20)
    absent.skip("no cache")
    informative = Figure("RSS after load, headless", "MB", None)
    informative.record([80.0, 84.0])
    return [met, ratio, missed, absent, informative]


@pytest.mark.parametrize(("smoke", "status"), [(False, 1), (True, 0)])
def test_a_missed_budget_fails_the_bench_unless_smoke(monkeypatch, capsys, smoke, status):
    from cockpit.bench import run

    monkeypatch.setattr(run, "run_bench", lambda options, progress: _report(*_figures()))
    assert main(["bench", *(["--smoke"] if smoke else [])]) == status
    table = capsys.readouterr().out
    assert "FIGURE" in table and "BUDGET" in table and "VERDICT" in table
    assert "MISSED" in table and "not measured" in table
    assert "12.0 ms" in table and "10.0-30.0 ms" in table and "<= 1.5x" in table


def test_the_table_puts_what_a_person_sees_first_a_section_at_a_time():
    lines = as_table(_report(*_figures())).splitlines()
    seen = lines.index(measure.SECTIONS["terminal"] + ":")
    breakdown = lines.index(measure.SECTIONS["breakdown"] + ":")
    assert seen < breakdown
    assert lines[seen + 1].split() == ["FIGURE", "VALUE", "MIN-MAX", "BUDGET", "VERDICT"]
    ratio = next(line for line in lines if line.startswith("filter keystroke, median"))
    assert "1.87x (56.2 ms)" in ratio and "<= 1.5x" in ratio and ratio.endswith("MISSED")
    informative = next(line for line in lines if line.startswith("RSS after load"))
    assert "82 MB" in informative and re.search(r" - +no budget$", informative)
    assert "Budgets: the table for 10,000 clients" in lines


def test_the_budget_tables():
    assert [budgets.table_for(n) for n in (300, 10_000, 20_000, 25_000, 50_000, 100_000)] == [
        10_000,
        10_000,
        10_000,
        50_000,
        50_000,
        50_000,
    ]
    small, large = (dict((row[0], row[1:]) for row in budgets.rows(n)) for n in (10_000, 50_000))
    assert set(small) == set(large) == ISSUE_FIGURES
    # Issue 19: the same goals for what a person sees; at 50,000 its own for the rest.
    assert small[measure.FILTER_MEDIAN] == large[measure.FILTER_MEDIAN] == ("x", 1.5, "terminal")
    assert small[measure.FILTER_WORST][:2] == ("ms", 100)
    assert small[measure.ESC_LIST][:2] == ("ms", 150)
    assert small[measure.DOWN_MEDIAN][:2] == ("ms", 50)
    assert small[measure.DOWN_DRAWS][:2] == ("draws", 1)
    assert small[measure.VERDICTS_SHOWN][:2] == ("s", 1.0)
    assert large[measure.VERDICTS_SHOWN][:2] == ("s", 2.0)
    assert small[measure.DRIFT_COMMAND][:2] == ("x", 2)
    assert small[measure.ACCOUNTS_COMMAND][:2] == small[measure.CLIENTS_COMMAND][:2] == ("x", 2)
    assert large[measure.DRIFT_COMMAND][:2] == ("s", 1.0)
    assert large[measure.MEMORY][:2] == ("MiB", 150)
    assert large[measure.HEALTH_FULL][:2] == ("ms", 800)
    # Issue 24: cockpit serve answers within 2 s, a browser shows the names within 3 s.
    assert small[measure.SERVE_ANSWERS] == large[measure.SERVE_ANSWERS] == ("s", 2.0, "browser")
    assert small[measure.BROWSER_FIRST_PAINT] == ("s", 3.0, "browser")
    names = [row[0] for row in budgets.rows(10_000, server=True)]
    assert names.index(measure.HEALTH_SERVER) == names.index(measure.HEALTH_FULL) + 1
    sections = [row[3] for row in budgets.rows(10_000)]
    assert sections == sorted(sections, key=["terminal", "browser", "commands", "breakdown"].index)


def test_a_figure_the_harness_could_not_measure_fails_even_a_smoke_run(monkeypatch, capsys):
    from cockpit.bench import run

    broken = Figure("select a client in process", "ms", None)
    broken.skip("error: RuntimeError: boom", error=True)
    monkeypatch.setattr(run, "run_bench", lambda options, progress: _report(broken, smoke=True))
    assert main(["bench", "--smoke"]) == 1
    assert "error: RuntimeError: boom" in capsys.readouterr().out


def test_the_json_of_a_report():
    document = json.loads(as_json(_report(*_figures())))
    down, ratio, cold, cached, informative = document["figures"]
    assert down == {
        "name": "Down arrow: panes filled, median",
        "value": 12.0,
        "unit": "ms",
        "budget": 50,
        "ok": True,
        "min": 10.0,
        "max": 30.0,
        "runs": 3,
        "detail": "three clients",
        "section": "terminal",
    }
    assert ratio["value"] == 1.87 and ratio["ok"] is False and ratio["min"] is None
    assert ratio["absolute"] == {"value": 56.2, "unit": "ms"}
    assert cold["ok"] is False and cold["value"] == 1.9 and cold["section"] == "breakdown"
    assert cached["ok"] is None and cached["value"] is None and cached["detail"] == "no cache"
    assert informative["budget"] is None and informative["ok"] is None
    assert document["budget_table"] == 10_000
    assert "Machine:" in as_table(_report(*_figures()))


def test_touches_and_deals_scale_with_the_clients(monkeypatch, capsys):
    from cockpit.bench import run

    asked = []

    def record(options, progress):
        asked.append(options)
        return _report(smoke=True)

    monkeypatch.setattr(run, "run_bench", record)
    main(["bench", "--smoke", "--clients", "50000"])
    main(["bench", "--clients", "400", "--touches", "999"])
    assert (asked[0].clients, asked[0].touches) == (50_000, 1_250_000)
    assert (asked[1].clients, asked[1].touches) == (400, 999)


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


def test_the_bench_vdir_and_history_import_whole(db, tmp_path):
    from cockpit.importers.files import import_paths
    from cockpit.storage.models import Client, Deal, Interaction

    write_vdir(tmp_path / "vdir", 40, today=TODAY)
    assert len(list((tmp_path / "vdir" / "contacts").glob("*.vcf"))) == 40
    history = tmp_path / "history.csv"
    assert write_history(history, 560, today=TODAY) == 560
    result = import_paths([tmp_path / "vdir", history])
    assert not result.failure_lines() and len(result.reports) == 41
    assert Client.select().count() == 40 + 560 // 28
    assert Interaction.select().count() + Deal.select().count() > 500  # a few are repeats


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
    figure = Figure(measure.RSS, "MB", None)
    started = processes.Processes(dict(os.environ), tmp_path, runs=2)
    processes.memory(figure, tmp_path / "book.db", started, [50e6, 70e6])
    assert (figure.value, figure.low, figure.high) == (60, 50, 70)
    assert "at the first page" in figure.detail
