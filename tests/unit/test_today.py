"""`cockpit today`: the day's agenda as text, Markdown and JSON; whom it leaves out; the
sensitive answers it never shows; the day the engine judges a client drifting, which the
calendar's drift alerts are dated by."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from cockpit.cli import main
from cockpit.cli.render import today as render
from cockpit.health import Health
from cockpit.health.engine import compute
from cockpit.storage import book, reviews
from cockpit.storage.reps import my_reps
from cockpit.today import build_today
from tests.support.paths import ROOT
from tests.support.sensitive import secrets
from tests.support.today_book import HTML_NAME, HTML_NOTE, TODAY, build_today_book


@pytest.fixture
def ids(db, today) -> dict[str, int]:
    return build_today_book()


def _today(capsys, book_path, *options: str) -> str:
    assert main(["today", "--db", str(book_path), *options]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


EXPECTED_TEXT = f"""\
Today, Monday 23 November 2026: 4 follow-ups, 2 birthdays, 1 anniversary, 3 planned \
communications, 1 drifting, 1 renewal

Follow-ups due (4)
  - Follow up with Ann Lee (Acme): overdue by 3 days (due Fri 20 Nov); from the email of Tue \
17 Nov: Price list
  - Follow up with Ann Lee (Acme): due today; from the call of Fri 13 Nov: Send the proposal
  - Follow up with {HTML_NAME} (Tags & <i>Co</i>): due today; from the call of Thu 19 Nov: \
{HTML_NOTE}
  - Get in touch with Otto Other (Mid Co): you scheduled a touch for today at the weekly \
review of Mon 16 Nov

Occasions today and tomorrow (3)
  - Mia's 11th birthday today, a child of Ann Lee (Acme)
  - Ann Lee's 56th birthday tomorrow, Tue 24 Nov (Acme)
  - Kofi Jensen's wedding anniversary tomorrow, Tue 24 Nov (Ridgeway)

Planned communications due (3)
  - Check-in with Kofi Jensen (Ridgeway), a call every month: overdue by 5 days (due Wed 18 \
Nov)
  - Year-end letter to every core client (3 clients today), a handwritten note every 12 \
months: overdue by 1 day (due Sun 22 Nov); C in the cockpit marks it sent
  - Quarterly market update to Ann Lee (Acme), an email every 3 months: due today

Core clients drifting (1)
  - Kofi Jensen (Ridgeway), core, drifting: 34% of your revenue. Was every 7 days in the \
first 90 days after winning; no touch for 115 days now; the cadence is every 30 days.
  - 1 other client drifting, not core: cockpit drift lists it

Renewals in the next 14 days (1)
  - Renewal: Ridgeway's contract ends Sat 5 Dec ($40,000), in 12 days. At risk, the \
relationship is drifting: call Kofi Jensen.
"""


def test_the_day_says_what_to_do_and_for_whom_in_sections(ids, book_path, capsys):
    # Left out: the archived, the former and another rep's client (each with a follow-up,
    # a birthday, a plan and a renewal today), Sam (drifting but snoozed), Kim's birthday
    # the day after tomorrow, Otto's plan due tomorrow, Ann's renewal in 15 days.
    assert _today(capsys, book_path) == EXPECTED_TEXT


def test_another_rep_s_clients_are_theirs_unless_the_team_is_asked_for(ids, book_path, capsys):
    assert "Bea Bobs" not in _today(capsys, book_path)
    team = _today(capsys, book_path, "--team")
    assert "Follow up with Bea Bobs (Elsewhere): due today" in team
    assert "Bea Bobs's 46th birthday today (Elsewhere)" in team
    assert "Arch Ived" not in team and "Fiona Former" not in team


def test_json_is_stable_and_machine_readable(ids, book_path, capsys):
    document = json.loads(_today(capsys, book_path, "--json"))
    assert document["date"] == "2026-11-23"
    assert document["count"] == 12
    assert document["headline"].startswith("4 follow-ups, 2 birthdays, 1 anniversary")
    sections = {section["key"]: section for section in document["sections"]}
    assert list(sections) == ["follow-ups", "occasions", "communications", "drifting", "renewals"]
    overdue, *_, promised = sections["follow-ups"]["items"]
    assert overdue == {
        "kind": "follow-up",
        "text": (
            "Follow up with Ann Lee (Acme): overdue by 3 days (due Fri 20 Nov); from the email "
            "of Tue 17 Nov: Price list"
        ),
        "client_id": ids["ann"],
        "client": "Ann Lee",
        "company": "Acme",
        "day": "2026-11-20",
        "touch_id": ids["email"],
        "days_overdue": 3,
        "touch_kind": "email",
        "touch_day": "2026-11-17",
        "note": "Price list",
    }
    assert (promised["kind"], promised["client_id"], promised["day"]) == (
        "scheduled-touch",
        ids["otto"],
        "2026-11-23",
    )
    child, birthday, anniversary = sections["occasions"]["items"]
    assert (child["kind"], child["person"], child["age"], child["in_days"]) == (
        "child-birthday",
        "Mia",
        11,
        0,
    )
    assert (birthday["kind"], birthday["day"], birthday["age"]) == ("birthday", "2026-11-24", 56)
    assert (anniversary["kind"], anniversary["age"]) == ("anniversary", None)
    check_in, letter, update = sections["communications"]["items"]
    assert (check_in["kind"], check_in["plan_id"], check_in["touch_kind"]) == (
        "plan",
        ids["kofi_plan"],
        "call",
    )
    assert (check_in["every"], check_in["unit"], check_in["days_overdue"]) == (1, "months", 5)
    assert letter["kind"] == "segment-communication"
    assert (letter["communication_id"], letter["segment"], letter["recipients"]) == (
        ids["letter"],
        "core",
        3,
    )
    assert (letter["client_id"], letter["client"], letter["day"]) == (None, "", "2026-11-22")
    assert update["plan_id"] == ids["plan"] and update["days_overdue"] == 0
    drifting = sections["drifting"]
    assert drifting["others"] == 1
    [kofi] = drifting["items"]
    assert (kofi["client_id"], kofi["tier"], kofi["strategic"]) == (ids["kofi"], "core", False)
    assert (kofi["last_touch"], kofi["days_since_last_touch"], kofi["cadence_days"]) == (
        "2026-07-31",
        115,
        30,
    )
    assert kofi["day"] is None
    [renewal] = sections["renewals"]["items"]
    assert renewal["deal_id"] == ids["renewal"]
    assert (renewal["account"], renewal["amount_cents"], renewal["currency"]) == (
        "Ridgeway",
        4_000_000,
        "USD",
    )
    assert (renewal["day"], renewal["in_days"], renewal["at_risk"]) == ("2026-12-05", 12, True)
    assert (renewal["call"], renewal["call_id"]) == ("Kofi Jensen", ids["kofi"])
    assert HTML_NAME in json.dumps(document, ensure_ascii=False)  # the data, as it is


def test_markdown_keeps_names_and_notes_literal(ids, book_path, capsys):
    out = _today(capsys, book_path, "--markdown")
    lines = out.splitlines()
    assert lines[:3] == [
        "# Today, Monday 23 November 2026",
        "",
        "4 follow-ups, 2 birthdays, 1 anniversary, 3 planned communications, 1 drifting, "
        "1 renewal.",
    ]
    assert "## Follow-ups due (4)" in lines
    assert "## Renewals in the next 14 days (1)" in lines
    kim = next(line for line in lines if "Kim" in line)
    assert kim.startswith(r"- Follow up with \<b\>Bold\</b\> \[bold\]Kim\[/bold\] \(Tags")
    assert "<script>" not in out and r"\<script\>" in out


def test_an_empty_day_says_so_plainly(db, today, book_path, capsys):
    book.add_client("Quiet Client", "Calm Co")
    assert _today(capsys, book_path) == (
        "Today, Monday 23 November 2026: nothing due\n"
        "No follow-ups, occasions, planned communications, drifting core clients, or renewals "
        "in the next 14 days.\n"
    )
    document = json.loads(_today(capsys, book_path, "--json"))
    assert document["count"] == 0 and document["headline"] == "nothing due"
    assert [section["count"] for section in document["sections"]] == [0] * 5


def test_no_sensitive_answer_in_any_shape_of_it(ids, book_path, capsys):
    markers = secrets()
    assert len(markers) >= 5
    agenda = build_today(TODAY, my_reps())
    shapes = {
        "text": _today(capsys, book_path),
        "markdown": _today(capsys, book_path, "--markdown"),
        "json": _today(capsys, book_path, "--json"),
        "html": render.as_html(agenda),
        "mail": render.mail_text(agenda) + render.subject(agenda),
        "notification": "".join(render.notification(agenda)),
    }
    for shape, out in shapes.items():
        assert "Ann Lee" in out, shape  # the shape holds the agenda...
        assert not [marker for marker in markers if marker in out], shape  # ...not those


def test_the_html_escapes_every_user_string(ids, today):
    page = render.as_html(build_today(TODAY, my_reps()))
    assert "&lt;b&gt;Bold&lt;/b&gt; [bold]Kim[/bold]" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; the &lt;a href=&#x27;x&#x27;&gt;" in page
    assert (
        "<script" not in page
        and "<img" not in page
        and "href=" not in page.replace("href=&#x27;", "")
    )


def test_a_long_day_is_cut_to_20_a_section_and_json_keeps_all(db, today, book_path, capsys):
    for number in range(23):
        client = book.add_client(f"Client {number:02}", "Many Co")
        book.add_interaction(client, "call", when=datetime(2026, 11, 20, 10), follow_up_on=TODAY)
    out = _today(capsys, book_path)
    assert "Follow-ups due (23)" in out
    assert "Client 19" in out and "Client 20" not in out
    assert "  - … and 3 more (cockpit today --json lists every one)" in out
    document = json.loads(_today(capsys, book_path, "--json"))
    assert len(document["sections"][0]["items"]) == 23


def test_a_renewal_14_days_ahead_is_on_the_day_s_list(ids, today):
    later = build_today(TODAY + timedelta(days=1), my_reps())
    renewals = next(section for section in later.sections if section.key == "renewals")
    assert [item.text for item in renewals.items] == [
        "Renewal: Ridgeway's contract ends Sat 5 Dec ($40,000), in 11 days. At risk, the "
        "relationship is drifting: call Kofi Jensen.",
        "Renewal: Acme's contract ends Tue 8 Dec ($10,000), in 14 days.",
    ]


def test_a_touch_scheduled_for_today_and_made_is_off_the_list(ids, book_path, capsys):
    book.add_interaction(ids["otto"], "email", when=datetime(2026, 11, 23, 9))
    assert "Otto Other" not in _today(capsys, book_path).split("Core clients")[0]


def test_a_scheduled_touch_missed_stays_a_few_days_then_goes_to_the_review(ids, capsys):
    def scheduled(day: date) -> list[str]:
        return [
            item.text
            for section in build_today(day, my_reps()).sections
            for item in section.items
            if item.kind == "scheduled-touch"
        ]

    assert scheduled(TODAY + timedelta(days=2)) == [
        "Get in touch with Otto Other (Mid Co): you scheduled a touch for Mon 23 Nov (2 days "
        "ago) at the weekly review of Mon 16 Nov"
    ]
    assert scheduled(TODAY + timedelta(days=7)) == []  # the review's unkept part has it


# --- The day the engine judges a client drifting --------------------------------------------


def _client(name: str, *, cadence: int | None, won_days_ago: int, touches: list[int]):
    client = book.add_client(name, "Co", keep_in_touch_days=cadence)
    book.add_deal(client, 1_000, won_on=TODAY - timedelta(days=won_days_ago))
    for days_ago in touches:
        when = datetime.combine(TODAY - timedelta(days=days_ago), time(10))
        book.add_interaction(client, "call", when=when)
    return client.id


def test_drifts_on_is_the_day_the_engine_first_judges_the_client_drifting(db, today):
    shapes = {
        # After the honeymoon: the cadence (30 days) times 1.25.
        "steady": _client("Steady", cadence=30, won_days_ago=400, touches=[300, 200, 10]),
        # In the honeymoon: 21 days, or 3 usual gaps when longer (every 9 days: 27).
        "new": _client("New", cadence=30, won_days_ago=30, touches=[29, 20, 11, 2]),
        # The honeymoon's limit (3 usual gaps of 37 days) runs past its end: from its end
        # on, the cadence's (12.5 days) holds, already passed that day.
        "ending": _client("Ending", cadence=10, won_days_ago=80, touches=[79, 75, 5]),
        # Touched again after drifting: recovering until a cadence has passed.
        "recovering": _client("Back", cadence=30, won_days_ago=400, touches=[100, 3]),
        # Drifting now: today.
        "drifting": _client("Gone Quiet", cadence=30, won_days_ago=400, touches=[300, 60]),
    }
    never = {
        "prospect": book.add_client("Prospect", "Co").id,
        "lapsed": _client("Lapsed", cadence=30, won_days_ago=800, touches=[500]),
        # A cadence of 300 days: 375 days without a touch would be lapsed first.
        "slow": _client("Slow", cadence=300, won_days_ago=800, touches=[100]),
    }
    verdicts = {verdict.id: verdict for verdict in compute(TODAY)}
    assert verdicts[shapes["recovering"]].health is Health.RECOVERING
    assert verdicts[shapes["new"]].in_honeymoon
    for name, client_id in never.items():
        assert verdicts[client_id].drifts_on is None, name
    days = {}
    for name, client_id in shapes.items():
        day = verdicts[client_id].drifts_on
        days[name] = day
        judged = {v.id: v.health for v in compute(day)}
        assert judged[client_id] is Health.DRIFTING, name
        if day > TODAY:
            before = {v.id: v.health for v in compute(day - timedelta(days=1))}
            assert before[client_id] is not Health.DRIFTING, name
    assert days == {
        "steady": date(2026, 12, 21),  # 38 days after 13 Nov
        "new": date(2026, 12, 19),  # 28 days after 21 Nov
        "ending": date(2026, 12, 3),  # the honeymoon's end
        "recovering": date(2026, 12, 28),  # 38 days after 20 Nov
        "drifting": TODAY,
    }


def test_the_calendar_dates_each_core_client_s_drift_alert(ids, book_path, tmp_path, capsys):
    target = tmp_path / "cockpit.ics"
    assert main(["export", "ics", str(target), "--db", str(book_path)]) == 0
    assert "3 drift alerts, 2 renewals" in capsys.readouterr().out
    calendar = Calendar.from_ical(target.read_bytes())
    alerts = {
        str(event["UID"]): event.decoded("DTSTART")
        for event in calendar.walk("VEVENT")
        if str(event["UID"]).startswith("drift-")
    }
    # Kim and Otto are not core; the archived, the former and another rep's are left out.
    assert alerts == {
        f"drift-{ids['kofi']}@cockpit": TODAY,  # drifting now
        f"drift-{ids['sam']}@cockpit": date(2026, 12, 1),  # drifting, snoozed until then
        f"drift-{ids['ann']}@cockpit": date(2026, 12, 28),  # last touched 20 Nov
    }
    renewals = {
        str(event["UID"]): event.decoded("DTSTART")
        for event in calendar.walk("VEVENT")
        if str(event["UID"]).startswith("renewal-")
    }
    assert renewals[f"renewal-{ids['renewal']}@cockpit"] == date(2026, 12, 5)
    assert len(renewals) == 2  # Kofi's and Ann's; not those of the clients left out
    assert not [marker for marker in secrets() if marker in target.read_text("utf-8")]


def test_a_client_touched_today_moves_its_drift_alert(ids, book_path, tmp_path, capsys):
    reviews.snooze_client(ids["sam"], date(2026, 11, 1))  # the snooze is over
    book.add_interaction(ids["kofi"], "call", when=datetime(2026, 11, 23, 9))
    target = tmp_path / "cockpit.ics"
    assert main(["export", "ics", str(target), "--db", str(book_path)]) == 0
    calendar = Calendar.from_ical(target.read_bytes())
    days = {str(e["UID"]): e.decoded("DTSTART") for e in calendar.walk("VEVENT")}
    assert days[f"drift-{ids['kofi']}@cockpit"] == date(2026, 12, 31)  # 38 days on
    assert days[f"drift-{ids['sam']}@cockpit"] == TODAY


def test_readme_shows_the_demo_s_day_as_cockpit_prints_it(demo_path, capsys, monkeypatch):
    monkeypatch.setenv("COCKPIT_TODAY", "2026-11-23")
    printed = _today(capsys, demo_path).rstrip("\n")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("COCKPIT_TODAY=2026-11-23 cockpit --db demo.db today`):\n\n```text\n", 1)
    assert shown[1].split("\n```", 1)[0] == printed
