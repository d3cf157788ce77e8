"""The quick ways a large import takes (issue 19, point 5: a 250,000-row history in 10 s), each
checked against the long way it stands for: the rows a history's rows become, the local
day and UTC moment of the clock, the text checks, the values of a bulk insert, and the
revision still counting the changes of a bulk insert made without its per-row triggers."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime, timedelta

import pytest

from cockpit import clock
from cockpit.errors import ValidationError
from cockpit.importers import history_csv
from cockpit.importers.files import import_paths
from cockpit.storage import book, bulk, revision
from cockpit.storage.models import Deal, Interaction, database_proxy
from cockpit.storage.notes_search import search_notes
from cockpit.validation import text

HEADER = "client,company,date,kind,intent,duration_min,amount,note\n"
ROWS = [
    "Ann Smith,Acme,2026-01-12,call,,,,hi",
    "Ann Smith,Acme,2026-01-12,Call,,,,hi",
    "ann smith,ACME,2026-01-12T14:30,meeting,Sales,60,,Review",
    "Ann Smith,Acme,2026-01-12T14:30+05:30,email,relationship,0,,",
    "Ann Smith,Acme,2026-01-12,call,bogus,,,hi",
    "Ann Smith,Acme,2026-01-12,call,,abc,,hi",
    "Ann Smith,Acme,2026-01-12,call,,1441,,hi",
    "Ann Smith,Acme,2099-01-12,call,,,,to come",
    "Ann Smith,Acme,1800-01-12,call,,,,long ago",
    "Ann Smith,Acme,2026-13-12,call,,,,no such day",
    "Ann Smith,Acme,2026-01-12,note,,,,x\x1by",
    "Ann\x07,Acme,2026-01-12,call,,,,bell",
    "Ann Smith,Acme,2026-01-12,call,,,5,an amount",
    "Ann Smith,Acme,2026-01-12,referral_asked,,,,",
    "Ann Smith,Acme,2026-01-12,Referral Asked,,,,",
    ",Acme,2026-01-12,call,,,,no name",
    "Ann Smith,Acme,2026-01-12,call",
    "Ann Smith,Acme,2026-01-12,deal,,,12.50,Renewal",
    "Ann Smith,Acme,2026-01-12,deal,,,abc,x",
    "Ann Smith,Acme,2026-01-12,deal,,,,no amount",
    "Ann Smith,Acme,2026-01-12,deal,,5,100,minutes",
    "Ann Smith,Acme,2026-12-31,deal,,,100,to come",
    "Ann Smith,Acme,1899-12-31T23:00-05:00,deal,,,100,edge",
    "Ann Smith,Acme,0001-01-01T00:00+05:00,call,,,,before the calendar",
    "Ann Smith,Acme,2026-11-23T23:59,call,,,,late today",
    "Ann Smith,Acme,2026-11-24,call,,,,tomorrow",
]


def _slow(line: int, names: list[str], cells: list[str], created_at: datetime):
    try:
        row = history_csv._parse(line, dict(zip(names, cells, strict=False)))
        return row, history_csv._Rows(created_at).of(row)
    except ValidationError as error:
        return error.message


@pytest.mark.parametrize("header", [HEADER, "note,date,client,kind,amount\n"])
def test_each_row_read_the_quick_way_is_the_row_the_long_way_makes(today, header):
    names = [name.strip() for name in header.strip().split(",")]
    lines = []
    for row in ROWS:
        cells = next(csv.reader([row]))
        by_name = dict(zip(history_csv.COLUMNS, cells, strict=False))
        lines.append(",".join(_quoted(by_name.get(name, "")) for name in names))
    cells_of = list(csv.reader(io.StringIO("\n".join(lines * 2), newline="")))  # twice: known
    created_at = datetime(2026, 11, 23, 9)
    reading = history_csv._Reading(names, created_at)
    for line, cells in enumerate(cells_of, start=2):
        try:
            quick = reading.row(line, cells, "".join(cells))
        except ValidationError as error:
            quick = error.message
        assert quick == _slow(line, names, cells, created_at), cells


def _quoted(value: str) -> str:
    return f'"{value}"' if "," in value else value


def test_a_bad_value_seen_again_is_refused_again_with_its_message(today):
    reading = history_csv._Reading(list(history_csv.COLUMNS), datetime(2026, 11, 23, 9))
    bad = ["Ann", "", "2026-01-12", "call", "", "abc", "", ""]
    for _ in range(2):
        with pytest.raises(ValidationError, match="duration_min 'abc' is not a whole number"):
            reading.row(2, bad, "".join(bad))


@pytest.mark.parametrize(
    "zone",
    ["Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Apia"],
)
def test_the_local_day_and_utc_moment_are_the_zones_own(write_config, zone):
    from zoneinfo import ZoneInfo

    write_config(f'timezone = "{zone}"\n')
    tz = ZoneInfo(zone)
    rng = random.Random(zone)
    moment = datetime(2011, 1, 1)  # Samoa skipped a whole day that December
    while moment < datetime(2012, 1, 1):
        moment += timedelta(minutes=rng.randrange(1, 30), microseconds=rng.randrange(10**6))
        expected_day = moment.replace(tzinfo=UTC).astimezone(tz).date()
        assert clock.local_day(moment) == expected_day, moment
        expected_utc = moment.replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None)
        assert clock.to_utc(moment) == expected_utc, moment
    assert clock.today() == datetime.now(tz).date()


def test_the_text_checks_refuse_exactly_the_control_characters():
    import unicodedata

    for code in range(0x110000):
        char = chr(code)
        control = unicodedata.category(char) == "Cc" or char in text._DIRECTION_OVERRIDES
        assert text._has_control_characters(char) == control
        in_a_note = control and char not in "\n\t"
        assert (text._CONTROLS_BUT_LINES.search(char) is not None) == in_a_note


def test_a_bulk_insert_converts_the_values_that_need_it(db, today):
    ann = book.add_client("Ann Smith")
    row = book.interaction_row(ann.id, "call", summary="typed")
    odd = {**row, "day": datetime.combine(row["day"], datetime.min.time())}  # a moment
    bulk.insert_rows(Interaction, [row, odd])
    assert [touch.day for touch in Interaction.select()] == [row["day"], row["day"]]


def test_a_large_import_is_counted_by_the_revision_and_its_triggers_stay(db, today, tmp_path):
    def triggers():
        return database_proxy.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).fetchall()

    before, counted = triggers(), revision.current(database_proxy.obj).changes
    cache = database_proxy.execute_sql("PRAGMA cache_size").fetchone()
    rows = "".join(
        f"Client {n % 7},,2026-01-{1 + n % 28:02d},call,,,,Row {n}\n" for n in range(1500)
    )
    rows += "".join(f"Client {n},,2026-02-01,deal,,,{100 + n},Deal {n}\n" for n in range(1200))
    path = tmp_path / "big.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    import_paths([path])
    assert (Interaction.select().count(), Deal.select().count()) == (1500, 1200)
    assert triggers() == before  # put back as they were
    assert database_proxy.execute_sql("PRAGMA cache_size").fetchone() == cache  # as usual again
    assert len(search_notes("row", limit=2000).matches) == 1500  # indexed at the end
    assert revision.current(database_proxy.obj).changes > counted
    noted = database_proxy.execute_sql(
        "SELECT COUNT(*) FROM sqlite_master WHERE name = 'client_change'"
    ).fetchone()[0]
    if noted:  # the changes of each client are noted too (the health cache's)
        changed = revision.changed_clients(database_proxy.obj, counted)
        assert len(changed) == 1200


def _cards(count: int, *, again: bool) -> str:
    """Contacts; `again`: a later export of them, with more in some and a changed birthday."""
    cards = []
    for n in range(count):
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:Person {n}", f"EMAIL:p{n}@example.com"]
        if again and n % 3 == 0:
            lines += [f"EMAIL:p{n}@home.example", f"TEL:+1 555 {n:04d}", "NICKNAME:Nick"]
        if again and n % 4 == 0:
            lines += [f"NOTE:Met {n}", f"TITLE:Title {n}", "X-SPOUSE:Sam", "CATEGORIES:x"]
        if n % 5 == 0:
            lines += ["BDAY:1980-01-01"] if not again else ["BDAY:1981-02-02"]
        cards.append("\r\n".join([*lines, "END:VCARD", ""]))
    return "".join(cards)


def _merged_twice(path_of, one_by_one: int, monkeypatch) -> dict:
    """A file of 60 contacts imported, then a changed copy of it and the first again,
    into a new book; what the book holds then (without ids and moments)."""
    from cockpit.importers import contacts
    from cockpit.storage.database import DatabaseLocation, open_database
    from cockpit.storage.models import Client, ClientEmail, ClientPhone, ProfileValue

    monkeypatch.setattr(contacts._Seen, "ONE_BY_ONE", one_by_one)
    first, second = path_of("first.vcf"), path_of("second.vcf")
    first.write_text(_cards(60, again=False), encoding="utf-8")
    second.write_text(_cards(60, again=True), encoding="utf-8")
    opened = open_database(DatabaseLocation(path_of(f"book-{one_by_one}.db"), "--db"))
    try:
        import_paths([first])
        reports = import_paths([second, first], overwrite=True).reports
        counts = [(r.clients_updated, r.clients_unchanged, r.notes_added) for r in reports]
        return {
            "counts": counts,
            "clients": sorted(Client.select(Client.name, Client.title).tuples()),
            "emails": sorted(ClientEmail.select(ClientEmail.client, ClientEmail.address).tuples()),
            "phones": sorted(ClientPhone.select(ClientPhone.client, ClientPhone.number).tuples()),
            "answers": sorted(
                ProfileValue.select(
                    ProfileValue.client, ProfileValue.field_key, ProfileValue.text
                ).tuples()
            ),
            "notes": sorted(Interaction.select(Interaction.client, Interaction.summary).tuples()),
        }
    finally:
        opened.close()


def test_a_file_imported_again_merges_alike_read_client_by_client_or_all_at_once(
    tmp_path, today, monkeypatch
):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one_by_one = _merged_twice(lambda name: tmp_path / "a" / name, 10**9, monkeypatch)
    at_once = _merged_twice(lambda name: tmp_path / "b" / name, 0, monkeypatch)
    assert one_by_one == at_once
    assert one_by_one["counts"] == [(36, 24, 15), (12, 48, 0)]  # the first file: birthdays back
    assert ("Person 0", "Title 0") in one_by_one["clients"]
