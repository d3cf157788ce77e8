"""`cockpit export`: the calendar (ics), the address book (vcard) and the history (csv)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import vobject
from icalendar import Calendar

from cockpit.cli import main
from cockpit.exporters import atomic
from cockpit.importers.files import import_file
from cockpit.storage import book
from cockpit.storage.database import DatabaseLocation, open_database
from cockpit.storage.models import Client, ClientEmail, ClientPhone, Deal, Interaction

SENSITIVE = ("Chris Partner", "Secret Faith", "Knee surgery", "Never mention the divorce")


def build_sample() -> dict[str, int]:
    """Three clients (one archived) with occasions, follow-ups, plans, touches and deals."""
    ann = book.add_client(
        "Ann Smith",
        "Acme",
        title="CFO",
        emails=["ann@acme.example", "ann.smith@home.example"],
        phones=["+1 555 0100"],
        client_since=date(2025, 1, 15),
    )
    book.set_profile(
        ann,
        {
            "nickname": "Annie",
            "company_address": "1 Main Street\nSpringfield, IL 62701",
            "home_address": "22 Elm Road; Shelbyville",
            "phones": [{"label": "mobile", "number": "+1 555 0199"}],
            "birth_date": "1975-03-14",
            "wedding_anniversary": "--06-02",
            "children": [
                {"name": "Mia", "birthday": "2015-11-02"},
                {"name": "Noah", "birthday": "--04-01"},
            ],
            "hobbies": [{"value": "sailing"}, {"value": "jazz piano"}],
            # Sensitive: never exported.
            "spouse_name": "Chris Partner",
            "religion": "Secret Faith",
            "health": "Knee surgery",
            "confidential_subjects": "Never mention the divorce",
        },
    )
    zoe = book.add_client("Zoë Ünal", "Café, Ltd", emails=["zoe@cafe.example"])
    book.set_profile(
        zoe,
        {
            "birth_date": "--02-29",
            "hobbies": [{"value": "Ölmalerei, très abstraite " * 3}],  # a long folded line
        },
    )
    gone = book.add_client("Arch Ived", "Gone Co", emails=["arch@gone.example"])
    book.set_profile(gone, {"birth_date": "1960-01-01"})
    call = book.add_interaction(
        ann,
        "call",
        when=datetime(2026, 11, 10, 9, 15),
        summary="Promised the case study, with figures",
        follow_up_on=date(2026, 12, 1),
    )
    done = book.add_interaction(
        ann, "meeting", when=datetime(2026, 11, 12, 14), follow_up_on=date(2026, 11, 20)
    )
    book.set_follow_up_done(done.id)
    book.add_interaction(
        ann,
        "note",
        when=datetime(2026, 11, 13, 8, 5),
        summary='Prefers mornings;\nsays "no" to Fridays',
    )
    book.add_interaction(
        zoe, "handwritten-note", when=datetime(2026, 3, 5, 23, 45), summary="Merci 😊"
    )
    book.add_interaction(zoe, "email", when=datetime(2026, 3, 6, 0, 10), intent="relationship")
    archived_call = book.add_interaction(
        gone, "call", when=datetime(2026, 10, 1, 10), follow_up_on=date(2026, 12, 2)
    )
    book.add_deal(ann, "12000.50", won_on=date(2025, 1, 15), description="Annual contract")
    book.add_deal(zoe, 300, won_on=date(2026, 3, 6))
    book.add_deal(gone, 99, won_on=date(2026, 1, 2), description="Last order")
    plan = book.add_plan(ann, "Quarterly market update", 3, "months", date(2026, 12, 15))
    book.add_plan(gone, "Annual review", 12, "months", date(2026, 12, 20))
    book.set_archived(gone.id, True)
    return {
        "ann": ann.id,
        "zoe": zoe.id,
        "gone": gone.id,
        "call": call.id,
        "done": done.id,
        "archived_call": archived_call.id,
        "plan": plan.id,
    }


@pytest.fixture
def sample(db, today) -> dict[str, int]:
    return build_sample()


def export(book_path: Path, kind: str, target: Path, *options: str) -> int:
    return main(["export", kind, str(target), "--db", str(book_path), *options])


# --- The calendar ------------------------------------------------------------------------------


def events_of(path: Path) -> dict[str, object]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def add_renewal_and_pin(sample: dict[str, int]) -> int:
    """Ann Smith's licence renews every 12 December, which makes her the core client (her
    last touch, on 12 Nov, is one cadence and a quarter old on 20 Dec: she drifts then);
    Zoë, silent since March and no longer core, is pinned as strategic: drifting today.
    Returns the deal's id."""
    deal = book.add_deal(
        sample["ann"], 24_000, won_on=date(2025, 12, 12), term_months=12, description="Licence"
    )
    Client.update(strategic=True).where(Client.id == sample["zoe"]).execute()
    return deal.id


def test_the_calendar_has_occasions_follow_ups_and_plans(sample, book_path, tmp_path, capsys):
    target = tmp_path / "cockpit.ics"
    assert export(book_path, "ics", target) == 0
    assert capsys.readouterr().out.strip() == (
        f"Wrote 8 events: 5 birthdays and anniversaries, 1 follow-up, "
        f"1 planned communication, 1 drift alert, 0 renewals to {target}."
    )
    events = events_of(target)
    ann, zoe = sample["ann"], sample["zoe"]
    assert set(events) == {
        f"birthday-{ann}@cockpit",
        f"anniversary-{ann}@cockpit",
        f"child-birthday-{ann}-0@cockpit",
        f"child-birthday-{ann}-1@cockpit",
        f"birthday-{zoe}@cockpit",
        f"followup-{sample['call']}@cockpit",
        f"plan-{sample['plan']}@cockpit",
        # Zoë brings all the revenue of the year (core) and was last touched in March.
        f"drift-{zoe}@cockpit",
        # the archived client's birthday, follow-up, plan and drift, and the done follow-up:
        # left out
    }
    birthday = events[f"birthday-{ann}@cockpit"]
    assert str(birthday["SUMMARY"]) == "Birthday: Ann Smith (Acme)"
    assert birthday.decoded("DTSTART") == date(1975, 3, 14)
    assert birthday.decoded("DTEND") == date(1975, 3, 15)  # all day
    assert birthday["RRULE"]["FREQ"] == ["YEARLY"]
    no_year = events[f"anniversary-{ann}@cockpit"]
    assert no_year.decoded("DTSTART") == date(2000, 6, 2)
    assert str(no_year["SUMMARY"]) == "Wedding anniversary: Ann Smith (Acme)"
    child = events[f"child-birthday-{ann}-0@cockpit"]
    assert str(child["SUMMARY"]) == "Mia's birthday (Ann Smith's child)"
    leap = events[f"birthday-{zoe}@cockpit"]
    assert leap.decoded("DTSTART") == date(2000, 2, 29)
    assert leap["RRULE"]["BYMONTH"] == [2] and leap["RRULE"]["BYMONTHDAY"] == [-1]
    follow_up = events[f"followup-{sample['call']}@cockpit"]
    assert follow_up.decoded("DTSTART") == date(2026, 12, 1)
    assert "RRULE" not in follow_up
    assert str(follow_up["SUMMARY"]) == "Follow up: Ann Smith (Acme)"
    assert str(follow_up["DESCRIPTION"]) == (
        "Follow up with Ann Smith (Acme) after the call of 2026-11-10:\n"
        "Promised the case study, with figures"
    )
    plan = events[f"plan-{sample['plan']}@cockpit"]
    assert plan.decoded("DTSTART") == date(2026, 12, 15)
    assert str(plan["SUMMARY"]) == "Quarterly market update: Ann Smith (Acme)"
    assert str(plan["DESCRIPTION"]) == (
        "Planned communication with Ann Smith (Acme), an email every 3 months: "
        "Quarterly market update."
    )
    drift = events[f"drift-{zoe}@cockpit"]
    assert drift.decoded("DTSTART") == date(2026, 11, 23)  # today: drifting now
    assert drift.decoded("DTEND") == date(2026, 11, 24)
    assert str(drift["SUMMARY"]) == "Drifting: Zoë Ünal (Café, Ltd)"
    assert str(drift["DESCRIPTION"]) == (
        "The relationship with Zoë Ünal (Café, Ltd), core, is drifting: 2% of your revenue. "
        "No touch for 262 days; the cadence is every 30 days."
    )
    text = target.read_bytes().decode("utf-8")
    assert "Arch Ived" not in text
    assert not any(secret in text for secret in SENSITIVE)


def test_the_calendar_has_drift_alerts_and_renewals(sample, book_path, tmp_path, capsys):
    deal = add_renewal_and_pin(sample)
    target = tmp_path / "cockpit.ics"
    assert export(book_path, "ics", target) == 0
    assert capsys.readouterr().out.strip() == (
        f"Wrote 10 events: 5 birthdays and anniversaries, 1 follow-up, "
        f"1 planned communication, 2 drift alerts, 1 renewal to {target}."
    )
    events = events_of(target)
    ann, zoe = sample["ann"], sample["zoe"]
    pinned = events[f"drift-{zoe}@cockpit"]
    assert pinned.decoded("DTSTART") == date(2026, 11, 23)
    assert str(pinned["DESCRIPTION"]).startswith(
        "The relationship with Zoë Ünal (Café, Ltd), pinned as strategic, is drifting: "
        "Pinned as strategic. No touch for 262 days"
    )
    coming = events[f"drift-{ann}@cockpit"]
    assert coming.decoded("DTSTART") == date(2026, 12, 20)
    assert str(coming["SUMMARY"]) == "Drifting: Ann Smith (Acme)"
    assert str(coming["DESCRIPTION"]) == (
        "Without a touch before this day, the relationship with Ann Smith (Acme), core, is "
        "drifting from this day: the last touch was on Thu 12 Nov, and the cadence is every "
        "30 days."
    )
    renewal = events[f"renewal-{deal}@cockpit"]
    assert renewal.decoded("DTSTART") == date(2026, 12, 12)
    assert renewal.decoded("DTEND") == date(2026, 12, 13)
    assert "RRULE" not in renewal  # the next renewal; a later export has the one after
    assert str(renewal["SUMMARY"]) == "Renewal: Acme, $24,000"
    assert str(renewal["DESCRIPTION"]) == (
        "Acme's contract (Licence) ends this day: $24,000, renewing every 12 months; won with "
        "Ann Smith."
    )
    [alarm] = renewal.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(days=14)


def test_a_new_export_keeps_every_uid(sample, book_path, tmp_path):
    first, second = tmp_path / "first.ics", tmp_path / "second.ics"
    assert export(book_path, "ics", first) == 0
    assert export(book_path, "ics", second) == 0
    before, after = events_of(first), events_of(second)
    assert set(before) == set(after)
    for uid, event in before.items():
        assert after[uid]["SUMMARY"] == event["SUMMARY"]
        assert after[uid].decoded("DTSTART") == event.decoded("DTSTART")


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.skipif(shutil.which("calcurse") is None, reason="calcurse is not installed")
def test_calcurse_imports_the_calendar(sample, book_path, tmp_path):
    add_renewal_and_pin(sample)
    target = tmp_path / "cockpit.ics"
    assert export(book_path, "ics", target) == 0
    data = tmp_path / "calcurse"
    data.mkdir()
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    report = _run(["calcurse", "-D", str(data), "-i", str(target)], env)
    assert "10 events" in report and "0 skipped" in report

    def day(mm_dd_yyyy: str) -> str:
        return _run(["calcurse", "-D", str(data), "-Q", "--from", mm_dd_yyyy, "--days", "1"], env)

    assert "Follow up: Ann Smith (Acme)" in day("12/01/2026")
    assert "Quarterly market update: Ann Smith (Acme)" in day("12/15/2026")
    assert "Birthday: Ann Smith (Acme)" in day("03/14/2031")  # yearly
    assert "Noah's birthday (Ann Smith's child)" in day("04/01/2027")
    assert "Birthday: Zoë Ünal (Café, Ltd)" in day("02/28/2027")  # no 29th that year
    assert "Birthday: Zoë Ünal (Café, Ltd)" in day("02/29/2028")
    assert "Zoë" not in day("02/28/2028")
    assert "Drifting: Zoë Ünal (Café, Ltd)" in day("11/23/2026")
    assert "Drifting: Ann Smith (Acme)" in day("12/20/2026")
    assert "Drifting" not in day("12/19/2026")
    assert "Renewal: Acme, $24,000" in day("12/12/2026")


def _khal(tmp_path: Path) -> tuple[list[str], dict[str, str], Path]:
    calendar = tmp_path / "khal" / "calendar"
    calendar.mkdir(parents=True)
    config = tmp_path / "khal" / "config" / "khal" / "config"
    config.parent.mkdir(parents=True)
    config.write_text(
        "[calendars]\n"
        "[[cockpit]]\n"
        f"path = {calendar}\n"
        "type = calendar\n"
        "[locale]\n"
        "timeformat = %H:%M\n"
        "dateformat = %Y-%m-%d\n"
        "longdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\n"
        "longdatetimeformat = %Y-%m-%d %H:%M\n"
    )
    env = {
        **os.environ,
        "HOME": str(tmp_path / "khal"),
        "XDG_CONFIG_HOME": str(config.parent.parent),
        "XDG_DATA_HOME": str(tmp_path / "khal" / "data"),
    }
    return ["khal", "-c", str(config)], env, calendar


@pytest.mark.skipif(shutil.which("khal") is None, reason="khal is not installed")
def test_khal_imports_the_calendar_and_a_new_export_updates_it(sample, book_path, tmp_path):
    deal = add_renewal_and_pin(sample)
    target = tmp_path / "cockpit.ics"
    assert export(book_path, "ics", target) == 0
    khal, env, calendar = _khal(tmp_path)
    _run([*khal, "import", "--batch", str(target)], env)

    def listed(start: str, days: int) -> list[str]:
        out = _run([*khal, "list", "-df", "", "-f", "{start-date} {title}", start, f"{days}d"], env)
        return out.strip().splitlines()

    assert listed("2026-12-01", 1) == ["2026-12-01 Follow up: Ann Smith (Acme)"]
    assert listed("2026-12-15", 1) == ["2026-12-15 Quarterly market update: Ann Smith (Acme)"]
    assert listed("2031-03-14", 1) == ["2031-03-14 Birthday: Ann Smith (Acme)"]
    assert listed("2027-06-02", 1) == ["2027-06-02 Wedding anniversary: Ann Smith (Acme)"]
    assert listed("2027-11-02", 1) == ["2027-11-02 Mia's birthday (Ann Smith's child)"]
    assert listed("2027-02-27", 3) == ["2027-02-28 Birthday: Zoë Ünal (Café, Ltd)"]
    assert listed("2028-02-28", 2) == ["2028-02-29 Birthday: Zoë Ünal (Café, Ltd)"]
    assert listed("2026-11-23", 1) == ["2026-11-23 Drifting: Zoë Ünal (Café, Ltd)"]
    assert listed("2026-12-12", 1) == ["2026-12-12 Renewal: Acme, $24,000"]
    assert listed("2026-12-19", 2) == ["2026-12-20 Drifting: Ann Smith (Acme)"]
    files = sorted(path.name for path in calendar.iterdir())
    assert len(files) == 10

    # The plan moves on and is renamed; the follow-up is done; the renewal is put off a
    # month; Ann is called today: a new export, imported again, updates the
    # events instead of adding second ones.
    book.update_plan(sample["plan"], "Market update", 3, "months", date(2027, 3, 15))
    book.set_follow_up_done(sample["call"])
    book.set_renewal(deal, date(2027, 1, 12), 12)
    book.add_interaction(sample["ann"], "call", when=datetime(2026, 11, 23, 10))
    assert export(book_path, "ics", target, "--force") == 0
    _run([*khal, "import", "--batch", str(target)], env)
    assert listed("2026-12-15", 1) == []
    assert listed("2027-03-15", 1) == ["2027-03-15 Market update: Ann Smith (Acme)"]
    assert listed("2026-12-12", 1) == []
    assert listed("2027-01-12", 1) == ["2027-01-12 Renewal: Acme, $24,000"]
    assert listed("2026-12-20", 1) == []
    assert listed("2026-12-31", 1) == ["2026-12-31 Drifting: Ann Smith (Acme)"]
    assert sorted(path.name for path in calendar.iterdir()) == files  # no duplicates


# --- The address book --------------------------------------------------------------------------


def cards_of(path: Path) -> dict[str, object]:
    text = path.read_bytes().decode("utf-8")
    return {card.fn.value: card for card in vobject.readComponents(text)}


def _values(card, name: str) -> list[str]:
    return [line.value for line in card.contents.get(name, [])]


def contact_from_card(card) -> dict:
    """What an address book takes from a card, in the book's terms."""
    adr = {line.type_param: line.value.street for line in card.contents.get("adr", [])}
    note = dict(line.split(": ", 1) for line in _values(card, "note")[0].splitlines())
    children = []
    for entry in note.get("Children", "").split(", "):
        name, _, birthday = entry.partition(" (birthday ")
        children.append({"name": name, "birthday": birthday.rstrip(")")})
    return {
        "name": card.fn.value,
        "company": card.org.value[0],
        "title": card.title.value,
        "emails": _values(card, "email"),
        "phones": _values(card, "tel"),
        "nickname": card.nickname.value,
        "company_address": adr["WORK"],
        "home_address": adr["HOME"],
        "birth_date": card.bday.value,
        "wedding_anniversary": card.x_anniversary.value,
        "children": children,
        "hobbies": [{"value": value} for value in note["Interests"].split(", ")],
    }


def contact_from_book(client_id: int) -> dict:
    client = Client.get_by_id(client_id)
    answers = book.profile_answers(client_id)
    return {
        "name": client.name,
        "company": client.company,
        "title": client.title,
        "emails": [e.address for e in client.emails.order_by(ClientEmail.position)],
        "phones": [p.number for p in client.phones.order_by(ClientPhone.position)]
        + [row["number"] for row in answers["phones"]],
        **{
            key: answers[key]
            for key in (
                "nickname",
                "company_address",
                "home_address",
                "birth_date",
                "wedding_anniversary",
                "children",
                "hobbies",
            )
        },
    }


def test_a_vcard_export_read_back_gives_the_same_contact(sample, book_path, tmp_path, capsys):
    target = tmp_path / "clients.vcf"
    assert export(book_path, "vcard", target) == 0
    assert capsys.readouterr().out.strip() == f"Wrote 2 contacts to {target}."
    cards = cards_of(target)
    assert sorted(cards) == ["Ann Smith", "Zoë Ünal"]  # the archived client is left out
    ann = cards["Ann Smith"]
    assert ann.version.value == "3.0"
    assert ann.uid.value == f"client-{sample['ann']}@cockpit"
    assert (ann.n.value.given, ann.n.value.family) == ("Ann", "Smith")
    assert contact_from_card(ann) == contact_from_book(sample["ann"])
    assert [line.type_param for line in ann.contents["tel"][1:]] == ["CELL"]
    assert _values(ann, "x-child") == ["Mia", "Noah"]
    zoe = cards["Zoë Ünal"]
    assert zoe.org.value == ["Café, Ltd"]
    assert zoe.bday.value == "--02-29"  # no year
    assert _values(zoe, "note") == [f"Interests: {'Ölmalerei, très abstraite ' * 3}".strip()]
    text = target.read_text(encoding="utf-8")
    assert not any(secret in text for secret in SENSITIVE)  # the partner's name included


def test_a_card_says_what_the_person_is_at_their_account(sample, book_path, tmp_path):
    from cockpit.storage import account_people

    account_people.set_roles(sample["ann"], ["champion", "decision-maker"], note="signs IT")
    target = tmp_path / "clients.vcf"
    assert export(book_path, "vcard", target) == 0
    cards = cards_of(target)
    assert cards["Ann Smith"].role.value == "decision maker, champion, signs IT"
    assert "role" not in cards["Zoë Ünal"].contents  # no role: no ROLE line


def test_vcard_all_includes_archived_clients(sample, book_path, tmp_path):
    target = tmp_path / "everyone.vcf"
    assert export(book_path, "vcard", target, "--all") == 0
    cards = cards_of(target)
    assert sorted(cards) == ["Ann Smith", "Arch Ived", "Zoë Ünal"]
    assert cards["Arch Ived"].bday.value == "1960-01-01"


# --- The history -------------------------------------------------------------------------------


def touches_and_deals() -> tuple[list[tuple], list[tuple]]:
    touches = sorted(
        (
            touch.client.name,
            touch.client.company,
            touch.occurred_at,
            touch.day,
            touch.kind,
            touch.intent,
            touch.duration_min,
            touch.summary,
        )
        for touch in Interaction.select()
    )
    deals = sorted(
        (
            deal.client.name,
            deal.client.company,
            deal.won_on,
            deal.amount_cents,
            deal.currency,
            deal.description,
        )
        for deal in Deal.select()
    )
    return touches, deals


def test_the_history_csv_imports_back_as_the_same_touches_and_deals(
    db, book_path, tmp_path, today, write_config, capsys
):
    write_config('timezone = "Europe/Paris"\n')
    build_sample()
    before = touches_and_deals()
    target = tmp_path / "history.csv"
    assert export(book_path, "csv", target) == 0
    out, err = capsys.readouterr()
    assert out.strip() == f"Wrote 5 touches, 1 note and 3 deals to {target}."
    assert err.strip() == (
        "cockpit: note: 2 open follow-up dates are not in the file (no column for them)"
    )
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[:4] == [
        "client,company,date,kind,intent,duration_min,amount,note",
        "Ann Smith,Acme,2025-01-15,deal,,,12000.50,Annual contract",
        'Ann Smith,Acme,2026-11-10T09:15:00+01:00,call,relationship,15,,"Promised the case '
        'study, with figures"',
        # A client since 2025: a meeting whose intent nobody chose is a give.
        "Ann Smith,Acme,2026-11-12T14:00:00+01:00,meeting,relationship,60,,",
    ]

    other = open_database(DatabaseLocation(tmp_path / "other.db", "--db"))
    try:
        report = import_file(target)
        assert report.failures == []
        assert (report.touches_added, report.notes_added, report.deals_added) == (5, 1, 3)
        assert touches_and_deals() == before
    finally:
        other.close()


def test_deals_in_another_currency_are_pointed_out(db, book_path, tmp_path, today, capsys):
    client = book.add_client("Ann")
    book.add_deal(client, 10, currency="EUR", won_on=date(2026, 1, 1))
    book.add_deal(client, 20, won_on=date(2026, 1, 1))
    assert export(book_path, "csv", tmp_path / "h.csv") == 0
    err = capsys.readouterr().err
    assert err.strip() == (
        "cockpit: note: deals not in USD (1 in EUR): the file has no currency column, "
        "so importing it records them in the home currency"
    )


# --- Writing files -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["ics", "vcard", "csv"])
def test_an_existing_file_is_replaced_only_with_force(sample, book_path, tmp_path, kind, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out"
    target.write_text("precious")
    assert export(book_path, kind, target) == 2
    assert capsys.readouterr().err == f"cockpit: {target} exists; add --force to replace it\n"
    assert target.read_text() == "precious"
    assert export(book_path, kind, target, "--force") == 0
    assert target.read_text(encoding="utf-8") != "precious"
    assert [path.name for path in folder.iterdir()] == ["out"]


def test_a_missing_folder_is_named_and_nothing_is_written(sample, book_path, tmp_path, capsys):
    target = tmp_path / "nowhere" / "cockpit.ics"
    assert export(book_path, "ics", target) == 2
    assert capsys.readouterr().err == (
        f"cockpit: cannot write {target}: the folder {target.parent} does not exist\n"
    )
    assert not target.parent.exists()


def test_exporting_from_no_book_creates_none(tmp_path, capsys):
    missing = tmp_path / "missing.db"
    assert export(missing, "vcard", tmp_path / "x.vcf") == 2
    err = capsys.readouterr().err
    assert err == f"cockpit: there is no book at {missing} yet, so nothing to export\n"
    assert sorted(tmp_path.iterdir()) == []


def test_all_is_only_for_vcards(sample, book_path, tmp_path, capsys):
    assert export(book_path, "ics", tmp_path / "x.ics", "--all") == 2
    assert "--all is for the vcard export" in capsys.readouterr().err
    assert not (tmp_path / "x.ics").exists()


def test_exports_are_readable_by_others(sample, book_path, tmp_path):
    old = os.umask(0o022)
    try:
        assert export(book_path, "vcard", tmp_path / "x.vcf") == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.vcf").stat().st_mode) == 0o644


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch, capsys):
    target = tmp_path / "out.ics"
    target.write_text("old")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", disk_full)
    with pytest.raises(atomic.CockpitError, match=f"cannot write {target}: No space left"):
        atomic.write_file(target, b"new", force=True)
    assert target.read_text() == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["out.ics"]
    monkeypatch.setattr(atomic.os, "link", disk_full)
    new = tmp_path / "new.ics"
    with pytest.raises(atomic.CockpitError, match="No space left"):
        atomic.write_file(new, b"new")
    assert [path.name for path in tmp_path.iterdir()] == ["out.ics"]


def test_the_target_never_holds_a_partial_file(tmp_path, monkeypatch):
    """While the data is being written the target is untouched; it appears whole."""
    target = tmp_path / "out.csv"
    seen = []
    real_fdopen = atomic.os.fdopen

    def watching_fdopen(*args, **kwargs):
        handle = real_fdopen(*args, **kwargs)
        real_write = handle.write

        def write(data):
            seen.append((target.exists(), sorted(p.name for p in tmp_path.iterdir())))
            return real_write(data)

        handle.write = write
        return handle

    monkeypatch.setattr(atomic.os, "fdopen", watching_fdopen)
    atomic.write_file(target, b"a,b\r\n" * 1000)
    assert seen and seen[0][0] is False
    assert seen[0][1][0].startswith(".out.csv.") and seen[0][1][0].endswith(".tmp")
    assert target.read_bytes() == b"a,b\r\n" * 1000
    assert [path.name for path in tmp_path.iterdir()] == ["out.csv"]


def test_a_target_taken_meanwhile_is_not_replaced(tmp_path, monkeypatch):
    target = tmp_path / "out.vcf"
    real_check = atomic.check_target

    def someone_else_writes(path, *, force):
        real_check(path, force=force)
        target.write_text("theirs")

    monkeypatch.setattr(atomic, "check_target", someone_else_writes)
    with pytest.raises(atomic.UsageError, match="exists; add --force"):
        atomic.write_file(target, b"ours")
    assert target.read_text() == "theirs"
    assert [path.name for path in tmp_path.iterdir()] == ["out.vcf"]
