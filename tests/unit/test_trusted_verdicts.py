"""Issue 18's cases, reproduced as the account manager did: a small interchange CSV
imported, then `cockpit drift --all --json --as-of`. Each test is named after its case."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from cockpit.cli import main

HEADER = "client,company,date,kind,intent,duration_min,amount,note\n"


def _rows(name: str, company: str, days: list[date], kind: str = "call") -> str:
    return "".join(f"{name},{company},{day.isoformat()},{kind},relationship,30,,\n" for day in days)


def _deal(name: str, company: str, day: date, amount: int) -> str:
    return f"{name},{company},{day.isoformat()},deal,,,{amount},Contract\n"


def _weekly(start: date, weeks: int) -> list[date]:
    return [start + timedelta(days=7 * week) for week in range(weeks)]


def _drift(book_path, tmp_path, capsys, body: str, as_of: date) -> dict[str, dict]:
    history = tmp_path / "history.csv"
    history.write_text(HEADER + body, encoding="utf-8")
    book = ["--db", str(book_path)]
    assert main(["import", str(history), *book]) == 0
    capsys.readouterr()
    assert main(["drift", "--all", "--json", "--as-of", as_of.isoformat(), *book]) == 0
    return {row["client"]: row for row in json.loads(capsys.readouterr().out)}


def test_case_1_weekly_onboarding_then_monthly_calls_is_steady(book_path, tmp_path, capsys):
    won = date(2025, 6, 2)
    monthly = [won + timedelta(days=91 + 30 * n + (n % 3) * 3) for n in range(13)]
    emailed = [won + timedelta(days=21 * n) for n in range(27)]
    as_of = monthly[-1] + timedelta(days=10)
    renewed = as_of - timedelta(days=200)
    body = (
        _deal("Ann Steady", "Acme", won, 50_000)
        + _deal("Ann Steady", "Acme", renewed, 50_000)
        + _rows("Ann Steady", "Acme", _weekly(won, 13) + monthly)
        + _deal("Cora Core", "Bigco", won, 90_000)
        + _deal("Cora Core", "Bigco", renewed, 90_000)
        + _rows("Cora Core", "Bigco", emailed, kind="email")
    )
    verdicts = _drift(book_path, tmp_path, capsys, body, as_of)
    ann, cora = verdicts["Ann Steady"], verdicts["Cora Core"]
    assert (ann["health"], ann["tier"]) == ("steady", "core")
    assert ann["plan_interval"] == 30 and ann["honeymoon_interval"] == pytest.approx(6.92)
    assert cora["health"] == "steady"  # a core client emailed every 3 weeks
    assert not ann["drifting"] and not cora["needs_attention"]


def test_case_2_neglect_inside_the_honeymoon_is_drifting(book_path, tmp_path, capsys):
    weekly = [date(2026, 6, 3), date(2026, 6, 10), date(2026, 6, 17), date(2026, 6, 24)]
    body = _deal("Nina New", "Fresh", date(2026, 6, 1), 10_000) + _rows(
        "Nina New", "Fresh", [*weekly, date(2026, 7, 1), date(2026, 7, 10)]
    )
    nina = _drift(book_path, tmp_path, capsys, body, date(2026, 8, 20))["Nina New"]
    assert (nina["health"], nina["in_honeymoon"], nina["needs_attention"]) == (
        "drifting",
        True,
        True,
    )
    assert nina["explanation"] == (
        "100% of your revenue. Won 1 Jun 2026; no touch for 41 days of the honeymoon "
        "(drifting after 22)."
    )


def test_case_3_a_lapsed_client_is_lapsed_not_drifting(book_path, tmp_path, capsys):
    body = (
        _deal("Old Oneoff", "Past", date(2023, 3, 1), 500)
        + _rows("Old Oneoff", "Past", [date(2023, 3, 2)])
        + _deal("Quiet Recent", "Now", date(2025, 1, 6), 5_000)
        + _rows("Quiet Recent", "Now", [*_weekly(date(2025, 1, 6), 13), date(2025, 8, 20)])
    )
    as_of = date(2025, 10, 1)
    verdicts = _drift(book_path, tmp_path, capsys, body, as_of)
    old, quiet = verdicts["Old Oneoff"], verdicts["Quiet Recent"]
    assert old["health"] == "lapsed" and not old["drifting"] and not old["needs_attention"]
    assert old["explanation"].startswith("No touch for 944 days: win back or let go")
    assert quiet["health"] == "drifting"
    order = list(verdicts)
    assert order.index("Quiet Recent") < order.index("Old Oneoff")


def test_case_4_the_biggest_client_comes_first(book_path, tmp_path, capsys):
    as_of = date(2026, 11, 20)
    start = date(2024, 1, 8)
    body = (
        _deal("Big Whale", "Whale Corp", date(2025, 6, 1), 470_000)
        + _rows("Big Whale", "Whale Corp", _weekly(start, 13))
        + f"Big Whale,Whale Corp,{(as_of - timedelta(days=150)).isoformat()},email,sales,,,Upsell\n"
    )
    for n in range(8):
        name = f"Small {n}"
        body += _deal(name, f"Co {n}", date(2025, 6, 1), 66_000 + n)
        body += _rows(name, f"Co {n}", [*_weekly(start, 13), as_of - timedelta(days=90 + n)])
    verdicts = _drift(book_path, tmp_path, capsys, body, as_of)
    whale = verdicts["Big Whale"]
    assert whale["health"] == "drifting" and whale["stake"] == "high"
    assert next(iter(verdicts)) == "Big Whale"  # ahead of clients further behind
    assert whale["explanation"].startswith("47% of your revenue. ")


def test_case_5_a_prospect_is_never_peripheral(book_path, tmp_path, capsys):
    meetings = [date(2026, 10, 1), date(2026, 10, 15), date(2026, 10, 29), date(2026, 11, 12)]
    body = (
        _deal("Ann Client", "Acme", date(2026, 3, 1), 40_000)
        + _rows("Ann Client", "Acme", [date(2026, 3, 2), date(2026, 11, 1)])
        + "".join(
            f"Pat Prospect,Vela,{day.isoformat()},meeting,sales,120,,Discovery\n"
            for day in meetings
        )
    )
    pat = _drift(book_path, tmp_path, capsys, body, date(2026, 11, 20))["Pat Prospect"]
    assert (pat["health"], pat["tier"]) == ("prospect", "other")
    assert pat["tier_explanation"] == "Not weighed in the 80/20 split: no won deal yet."
    assert pat["time_share"] == 0


def test_case_7_a_drifting_client_called_today_is_recovering(book_path, tmp_path, capsys):
    won = date(2025, 1, 6)
    body = _deal("Rita Back", "Acme", won, 9_000) + _rows(
        "Rita Back", "Acme", [*_weekly(won, 13), date(2025, 6, 1)]
    )
    as_of = date(2025, 9, 1)
    before = _drift(book_path, tmp_path, capsys, body, as_of)["Rita Back"]
    assert before["health"] == "drifting"
    book = ["--db", str(book_path)]
    assert main(["log", "Rita Back", "call", "--when", as_of.isoformat(), *book]) == 0
    capsys.readouterr()
    assert main(["drift", "--all", "--json", "--as-of", as_of.isoformat(), *book]) == 0
    rita = json.loads(capsys.readouterr().out)[0]
    assert rita["health"] == "recovering" and not rita["needs_attention"]
    assert rita["explanation"] == (
        "Back in touch today after 92 days without one; recovering until 1 Oct 2025, "
        "then judged afresh."
    )
    later = as_of + timedelta(days=31)  # one cadence on: judged afresh, steady
    assert main(["drift", "--all", "--json", "--as-of", later.isoformat(), *book]) == 0
    assert json.loads(capsys.readouterr().out)[0]["health"] == "steady"


def test_settings_of_the_earlier_rules_warn_once_and_stop_nothing(
    book_path, tmp_path, capsys, write_config
):
    write_config("[health]\nplan_factor = 3.0\ndrift_factor = 2.0\nplan_core_days = 20\n")
    won = date(2026, 1, 5)
    body = (
        _deal("Ann Client", "Acme", won, 9_000)
        + _deal("Ann Client", "Acme", date(2026, 9, 1), 9_000)
        + _rows("Ann Client", "Acme", [*_weekly(won, 13), date(2026, 10, 1)])
    )
    history = tmp_path / "history.csv"
    history.write_text(HEADER + body, encoding="utf-8")
    assert main(["import", str(history), "--db", str(book_path)]) == 0
    err = capsys.readouterr().err
    assert err.count("plan_factor is no longer used") == 1
    assert "drift_factor is no longer used" in err
    assert "plan_core_days is now called cadence_core_days" in err
    argv = ["drift", "--all", "--json", "--as-of", "2026-10-28", "--db", str(book_path)]
    assert main(argv) == 0
    ann = json.loads(capsys.readouterr().out)[0]
    assert ann["plan_interval"] == 20  # plan_core_days, now cadence_core_days
    assert ann["health"] == "drifting"  # 27 days against 1.25 x 20


def _review(book_path, capsys, as_of: date) -> dict[str, list[str]]:
    argv = ["review", "--json", "--as-of", as_of.isoformat(), "--db", str(book_path)]
    assert main(argv) == 0
    parts = json.loads(capsys.readouterr().out)["parts"]
    return {part["key"]: [item["client"] for item in part["items"]] for part in parts}


def test_case_6_the_review_never_advises_one_client_two_ways(book_path, tmp_path, capsys):
    as_of = date(2026, 11, 20)
    start = date(2024, 1, 8)
    asks = [as_of - timedelta(days=days) for days in (80, 60, 40, 20, 5)]
    body = (
        # The biggest client, neglected: its only touch in 150 days was an upsell email.
        _deal("Big Whale", "Whale Corp", date(2025, 6, 1), 470_000)
        + _rows("Big Whale", "Whale Corp", _weekly(start, 13))
        + f"Big Whale,Whale Corp,{as_of - timedelta(days=150)},email,sales,,,Upsell\n"
        # Steady, but nearly every touch an ask.
        + _deal("Asked Often", "Askco", date(2025, 6, 1), 60_000)
        + _rows("Asked Often", "Askco", _weekly(start, 13))
        + "".join(f"Asked Often,Askco,{day},call,sales,20,,Pitch\n" for day in asks)
        # Steady and given to: the one to ask for a referral.
        + _deal("Given To", "Giveco", date(2025, 6, 1), 60_000)
        + _rows("Given To", "Giveco", [*_weekly(start, 13), *asks])
    )
    _drift(book_path, tmp_path, capsys, body, as_of)
    parts = _review(book_path, capsys, as_of)
    assert "Big Whale" in parts["drifting-high"]
    assert "Asked Often" in parts["give-ask"]
    assert parts["referrals"] == ["Given To"]  # never the neglected one, nor the one asked
    for clients in parts.values():
        assert len(clients) == len(set(clients))  # one item per client in a part


def test_case_8_useful_emails_every_three_weeks_are_gives(book_path, tmp_path, capsys):
    won = date(2026, 1, 5)
    emails = [won + timedelta(days=21 * n) for n in range(1, 15)]
    body = _deal("Ann Reader", "Acme", won, 20_000) + "".join(
        f"Ann Reader,Acme,{day},email,,,,Sent a useful article\n" for day in emails
    )  # no intent given: a won client's email is a give
    ann = _drift(book_path, tmp_path, capsys, body, emails[-1] + timedelta(days=3))["Ann Reader"]
    assert ann["give_ratio"] == 1.0
    assert ann["give_explanation"] is None
    assert ann["health"] == "steady"


def test_case_9_a_planned_communication_done_counts_for_drift(book_path, tmp_path, capsys):
    from cockpit.storage import book
    from cockpit.storage.database import DatabaseLocation, open_database
    from cockpit.storage.models import Client, Interaction

    won = date(2025, 1, 6)
    body = _deal("Pia Planned", "Acme", won, 12_000) + _rows(
        "Pia Planned", "Acme", [*_weekly(won, 13), date(2025, 6, 1)]
    )
    as_of = date(2025, 9, 1)
    assert _drift(book_path, tmp_path, capsys, body, as_of)["Pia Planned"]["health"] == "drifting"
    db = open_database(DatabaseLocation(book_path, "--db"))
    try:
        pia = Client.get(Client.name == "Pia Planned")
        plan = book.add_plan(pia.id, "Quarterly market update", 3, "months", as_of)
        book.keep_plan(plan.id, as_of)
        kept = Interaction.select().where(Interaction.client == pia.id).order_by(-Interaction.id)
        assert (kept[0].kind, kept[0].intent, kept[0].summary) == (
            "email",
            "relationship",
            "Quarterly market update",
        )
    finally:
        db.close()
    argv = ["drift", "--all", "--json", "--as-of", as_of.isoformat(), "--db", str(book_path)]
    assert main(argv) == 0
    pia = json.loads(capsys.readouterr().out)[0]
    assert pia["health"] == "recovering" and pia["days_since_last_touch"] == 0


def test_one_touch_day_is_enough_when_the_settings_say_so(
    book_path, tmp_path, capsys, write_config
):
    write_config("[health]\nmin_honeymoon_touches = 1\n")
    body = _deal("Una Once", "Acme", date(2026, 10, 1), 5_000) + _rows(
        "Una Once", "Acme", [date(2026, 10, 2)]
    )
    una = _drift(book_path, tmp_path, capsys, body, date(2026, 10, 20))["Una Once"]
    assert una["health"] == "honeymoon"  # one touch day: no usual gap yet, 21 days allowed
