"""`cockpit drift`: the attention list as a table and as JSON."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from cockpit.cli import main
from cockpit.storage import book

TODAY = date(2026, 11, 23)


def _client(name: str, company: str, *, revenue: int, quiet_since: int | None):
    """Won 400 days ago, weekly in the honeymoon, then every 10 days until `quiet_since`."""
    client = book.add_client(name, company)
    book.add_deal(client, 1_000, won_on=TODAY - timedelta(days=400))
    book.add_deal(client, revenue, won_on=TODAY - timedelta(days=100))
    days = [*range(400, 310, -7), *range(305, quiet_since or 2, -10)]
    for days_ago in days:
        book.add_interaction(
            client, "call", when=datetime.combine(TODAY - timedelta(days=days_ago), time(10))
        )
    return client


def _book(db):
    _client("Small Drifter", "Minor Co", revenue=1_000, quiet_since=150)
    _client("Big Drifter", "Major Inc", revenue=200_000, quiet_since=100)
    _client("Fine Client", "Steady Ltd", revenue=2_000, quiet_since=None)
    evil = _client("[bold]Evil[/bold]", "Acme", revenue=500, quiet_since=200)
    evil.name += "\x1b]0;pwned\x07"  # as another program might have stored it
    evil.save()


def test_drift_lists_what_is_at_stake_first_with_the_reason(db, book_path, today, capsys):
    _book(db)
    assert main(["drift", "--db", str(book_path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == (
        "3 clients need attention on 2026-11-23; 1 of them with much at stake, listed first"
    )
    rows = [line for line in lines if line.startswith("! ")]
    assert [row.split()[1] for row in rows] == ["Big", "[bold]Evil[/bold]␛]0;pwned␇", "Small"]
    assert (
        "97% of your revenue. Was every 7 days in the first 90 days after winning; no touch for "
        "105 days now; the cadence is every 30 days." in " ".join(out.split())
    )
    assert "Fine Client" not in out
    assert "\x1b" not in out


def test_drift_all_lists_everyone(db, book_path, today, capsys):
    _book(db)
    assert main(["drift", "--all", "--db", str(book_path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("All 4 clients on 2026-11-23")
    assert "Fine Client" in out and "steady" in out


def test_drift_json_has_the_documented_fields(db, book_path, today, capsys):
    _book(db)
    assert main(["drift", "--json", "--all", "--db", str(book_path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 4
    big = next(row for row in rows if row["client"] == "Big Drifter")
    assert big["company"] == "Major Inc"
    assert big["lifecycle"] == "active"
    assert (big["health"], big["drifting"], big["tier"]) == ("drifting", True, "core")
    assert big["days_since_last_touch"] == 105
    assert big["explanation"].startswith("97% of your revenue. Was every 7 days")
    assert (big["stake"], big["in_honeymoon"]) == ("high", False)
    assert isinstance(big["id"], int)
    fine = next(row for row in rows if row["client"] == "Fine Client")
    assert (fine["health"], fine["drifting"]) == ("steady", False)
    evil = next(row for row in rows if row["company"] == "Acme")
    assert evil["client"] == "[bold]Evil[/bold]\x1b]0;pwned\x07"  # JSON keeps the data as it is


def test_drift_as_of_judges_an_earlier_day(db, book_path, today, capsys):
    _book(db)
    assert main(["drift", "--json", "--as-of", "2026-05-01", "--db", str(book_path)]) == 0
    assert json.loads(capsys.readouterr().out) == []  # in May, everyone was in touch
    assert main(["drift", "--json", "--all", "--as-of", "2026-05-01", "--db", str(book_path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["health"] for row in rows} == {"steady"}
    assert {row["days_since_last_touch"] for row in rows} == {9}  # touches every 10 days then


def test_drift_on_an_empty_book_says_so(db, book_path, today, capsys):
    assert main(["drift", "--db", str(book_path)]) == 0
    assert "Nobody needs attention on 2026-11-23" in capsys.readouterr().out


def test_a_bad_as_of_date_is_one_line(db, book_path, capsys):
    assert main(["drift", "--as-of", "2026-02-30", "--db", str(book_path)]) == 2
    assert capsys.readouterr().err.strip() == (
        "cockpit: --as-of '2026-02-30' is not a date; use YYYY-MM-DD or a phrase such as "
        "next monday"
    )


def test_drift_columns_stay_in_line_with_emoji_and_wide_names(db, book_path, today, capsys):
    from cockpit.text import cell_width

    for name, company in [("Ann 🎉 Smith", "Acme"), ("李小龍", "功夫有限公司"), ("Bo Li", "X")]:
        book.add_client(name, company)
    assert main(["drift", "--all", "--db", str(book_path)]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if "prospect" in line]
    assert len(rows) == 3
    starts = {cell_width(row[: row.index("prospect")]) for row in rows}
    assert len(starts) == 1  # the health column starts in the same cell on every row


def test_drift_reuses_the_verdicts_kept_while_the_book_is_unchanged(
    db, book_path, today, capsys, monkeypatch
):
    from cockpit.health import engine

    _book(db)
    computed = []
    read_facts = engine.read_facts

    def counted(as_of, rules, only=None):
        computed.append(None if only is None else set(only))
        return read_facts(as_of, rules, only)

    monkeypatch.setattr(engine, "read_facts", counted)
    argv = ["drift", "--json", "--all", "--db", str(book_path)]
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert main(argv) == 0
    assert capsys.readouterr().out == first
    assert computed == [None]  # the second run read the kept verdicts
    fine = book.client_candidates("Fine")[0].id
    book.add_interaction(fine, "call")
    assert main(argv) == 0
    assert computed == [None, {fine}]  # a write: that client read again, the rest kept
    assert '"days_since_last_touch": 0' in capsys.readouterr().out
