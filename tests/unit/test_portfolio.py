"""The portfolio (issue 23, point 1): its numbers are sums over the clients' touches and
deals, each client in today's tier; the drifting count at each month's end is what
`cockpit drift --as-of` says that day; `cockpit portfolio` prints the headline and the
tables, and JSON; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta

import pytest

from cockpit.cli import main
from cockpit.health_cache import cached_compute
from cockpit.portfolio import month_starts, portfolio
from cockpit.portfolio_tables import all_tables
from cockpit.storage.models import Deal, Interaction
from tests.support.histories import TODAY, History, every, make


@pytest.fixture
def db(db_on_both, today):
    return db_on_both


@pytest.fixture
def book(db):
    """Core Cora, steady Otto, a peripheral Pete eating time, a drifting Dora and a note."""
    make("Cora Core", History(touches=every(10, 300), deals=[(200, 90_000), (40, 60_000)]))
    make("Otto Other", History(touches=every(20, 330), deals=[(100, 9_000)]))
    make("Pete Peri", History(touches=every(3, 360), deals=[(300, 500)], minutes=90))
    make("Dora Drift", History(touches=[*every(6, 330, 200)], deals=[(340, 30_000)]))
    make("Nina Note", History(touches=[5], notes=[3, 4], deals=[(20, 1_000)]))


def _by_month(rows) -> dict[str, dict[str, int]]:
    tier = {verdict.id: verdict.tier.value for verdict in cached_compute(TODAY)}
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for client_id, day, value in rows:
        sums[f"{day:%Y-%m}"][tier[client_id]] += value
    return sums


def test_the_numbers_are_sums_over_touches_and_deals_by_todays_tier(book):
    found = portfolio(TODAY, 12)
    start = month_starts(TODAY, 12)[0]
    touches = [
        (t.client_id, t.day, t.duration_min)
        for t in Interaction.select().where(
            (Interaction.day >= start) & (Interaction.kind != "note")
        )
    ]
    deals = [
        (d.client_id, d.won_on, d.amount_cents) for d in Deal.select().where(Deal.won_on >= start)
    ]
    minutes, revenue = _by_month(touches), _by_month(deals)
    assert [m.start for m in found.months] == month_starts(TODAY, 12)
    assert found.months[-1].start == date(2026, 11, 1) and found.months[0].start == date(
        2025, 12, 1
    )
    for month in found.months:
        key = f"{month.start:%Y-%m}"
        assert month.minutes == {tier: minutes[key][tier] for tier in month.minutes}
        assert month.revenue_cents == {tier: revenue[key][tier] for tier in month.revenue_cents}
    assert sum(m.total_minutes for m in found.months) == sum(t[2] for t in touches)
    assert sum(m.total_revenue_cents for m in found.months) == sum(d[2] for d in deals)
    # Gives and asks: every touch of the month once (notes are no touches).
    counted = Interaction.select().where((Interaction.day >= start) & (Interaction.kind != "note"))
    assert sum(m.gives + m.asks for m in found.months) == counted.count()
    # The weeks: 52 Mondays, the last this week's, and every touch of them counted.
    assert len(found.weeks) == 52 and found.weeks[-1][0] == TODAY - timedelta(days=TODAY.weekday())
    first_monday = found.weeks[0][0]
    in_weeks = Interaction.select().where(
        (Interaction.day >= first_monday) & (Interaction.kind != "note")
    )
    assert sum(count for _, count in found.weeks) == in_weeks.count()


def test_the_headline_and_the_time_sinks(book):
    found = portfolio(TODAY, 12)
    verdicts = {v.name: v for v in cached_compute(TODAY)}
    assert verdicts["Cora Core"].tier.value == "core"
    assert verdicts["Pete Peri"].tier.value == "peripheral"
    core = found.shares[0]
    total_minutes = sum(m.total_minutes for m in found.months)
    core_minutes = sum(m.minutes["core"] for m in found.months)
    assert core.time_share == pytest.approx(core_minutes / total_minutes)
    assert found.headline.startswith("Core clients: ")
    assert found.sinks[0].name == "Pete Peri"  # 90 minutes every 3 days
    assert found.sinks[0].tier == "peripheral"
    assert len(found.sinks) == 5 and found.sinks == sorted(found.sinks, key=lambda s: -s.minutes)


def test_the_drifting_counts_are_the_engines_at_each_months_end(book, db, capsys):
    found = portfolio(TODAY, 4)
    for month in found.months:
        end = min(_month_end(month.start), TODAY)
        assert main(["drift", "--as-of", end.isoformat(), "--all", "--json", *db.book_args]) == 0
        judged = json.loads(capsys.readouterr().out)
        assert month.drifting == sum(1 for v in judged if v["health"] == "drifting"), end
    assert any(month.drifting for month in found.months)
    # Kept beside the verdicts: the same counts come back without judging again.
    assert portfolio(TODAY, 4).months == found.months


def _month_end(start: date) -> date:
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - timedelta(days=1)


def test_the_command_prints_the_headline_and_every_table(book, db, capsys, write_config):
    write_config("capacity_hours_per_week = 10\n")
    assert main(["portfolio", "--months", "3", *db.book_args]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Portfolio, Sep 2026 to Nov 2026 (to Mon 23 Nov)\nCore clients: ")
    for title in (
        "What your plans need each week, by tier; you said 10 h",
        "Time spent and revenue won each month, by tier",
        "The 4 clients who took the most time, against their revenue",  # Dora: none in 3 months
        "Gives and asks each month",
        "Touches each week (weeks from Monday)",
        "Clients drifting at each month's end",
    ):
        assert f"\n\n{title}\n" in out
    assert "Pete Peri" in out and "peripheral" in out
    document = json.loads(_json(capsys, db))
    assert [m["month"] for m in document["months"]] == ["2026-09", "2026-10", "2026-11"]
    assert document["time_sinks"][0]["client"] == "Pete Peri"
    assert len(document["touches_per_week"]) == 52
    assert main(["portfolio", "--months", "0", *db.book_args]) == 2
    assert "--months takes 1 to 36 months, not 0" in capsys.readouterr().err


def _json(capsys, db) -> str:
    assert main(["portfolio", "--months", "3", "--json", *db.book_args]) == 0
    return capsys.readouterr().out


def test_every_table_has_a_row_per_month_and_names_as_typed(db):
    make("[bold]Ann[/] Markup", History(touches=every(5, 60), deals=[(30, 5_000)]))
    tables = {table.key: table for table in all_tables(portfolio(TODAY, 2))}
    assert [row[0] for row in tables["time_and_revenue"].rows] == ["Oct 2026", "Nov 2026"]
    assert tables["time_sinks"].rows[0][0] == "[bold]Ann[/] Markup"
    assert "[bold]Ann[/] Markup" in tables["time_sinks"].text()


def test_without_history_the_drifting_counts_wait_unless_kept(book):
    first = portfolio(TODAY, 3, history=False)
    assert [m.drifting for m in first.months] == [None, None, None]
    assert "…" in {row[1] for row in all_tables(first)[-1].rows}
    whole = portfolio(TODAY, 3)
    assert all(m.drifting is not None for m in whole.months)
    assert portfolio(TODAY, 3, history=False) == whole  # kept now: nothing left to wait for


def test_export_writes_every_table_as_csv_numbers_for_a_spreadsheet(book, db, tmp_path, capsys):
    import csv

    make('=HYPERLINK("x") Eve', History(touches=every(2, 60), minutes=600))
    target = tmp_path / "portfolio.csv"
    assert main(["export", "portfolio", str(target), *db.book_args]) == 0
    assert "Wrote 6 portfolio tables over 12 months to" in capsys.readouterr().out
    rows = list(csv.reader(target.read_text(encoding="utf-8").splitlines()))
    found = portfolio(TODAY, 12)
    titles = [rows[0][0]] + [rows[at + 1][0] for at, row in enumerate(rows[:-1]) if not row]
    assert titles == [table.title for table in all_tables(found)]
    at = rows.index(["Time spent and revenue won each month, by tier"])
    assert rows[at + 1][:2] == ["month", "time core (hours)"]
    assert rows[at + 1][4] == "revenue core (USD)"
    for month, row in zip(found.months, rows[at + 2 : at + 14], strict=True):
        assert row[0] == month.start.isoformat()
        assert float(row[1]) == pytest.approx(month.minutes["core"] / 60, abs=0.005)
        assert float(row[4]) == pytest.approx(month.revenue_cents["core"] / 100)
    sinks = next(
        at for at, row in enumerate(rows) if row and row[0].endswith("against their revenue")
    )
    assert rows[sinks + 2][0] == '\'=HYPERLINK("x") Eve'  # never a formula in a spreadsheet


def test_a_wide_terminal_gets_the_charts_a_pipe_the_tables_alone(book, db, capsys, write_config):
    from cockpit.cli.render.portfolio import charts_text

    write_config("capacity_hours_per_week = 10\n")
    drawn = charts_text(portfolio(TODAY, 3), 100, colour=False)
    for title in (
        "What your plans need each week, by tier (hours; you said 10 h)",
        "Time spent each month, by tier (hours)",
        "The top time sinks against their revenue (* peripheral)",
        "Clients drifting at each month's end",
    ):
        assert title in drawn
    assert "\x1b" not in drawn and max(len(line) for line in drawn.splitlines()) <= 100
    assert main(["portfolio", "--months", "3", *db.book_args]) == 0  # stdout is no terminal
    assert "┌" not in capsys.readouterr().out
