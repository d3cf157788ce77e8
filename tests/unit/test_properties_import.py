"""Properties of the importers: nothing lost, nothing leaked.

Whatever a file holds, parsing gives contacts and broken records (never an
exception), importing it gives a report or a UsageError and leaves no half-written
contact, and importing it again creates and changes nothing. Clients exported as
vCards and imported into an empty book come back with the same names, companies,
emails and birthdays.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cockpit.errors import UsageError, ValidationError
from cockpit.exporters.vcard import export_vcards
from cockpit.importers import contacts_csv, vcard
from cockpit.importers.contact import BrokenRecord, Contact
from cockpit.importers.files import import_file
from cockpit.importers.history_csv import COLUMNS
from cockpit.partial_date import PartialDate
from cockpit.storage import book
from cockpit.storage.models import (
    Account,
    Client,
    ClientEmail,
    ClientPhone,
    Deal,
    Interaction,
    ProfileValue,
    database_proxy,
)

FAST = settings(max_examples=300, deadline=None, database=None)
# Examples share the test's book (each runs in a transaction rolled back after it).
BOOK = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# A fresh book's: the accounts go too (an account left behind would spell its people's company).
TABLES = (Client, ClientEmail, ClientPhone, ProfileValue, Interaction, Deal, Account)


class _Undo(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run the body in a transaction and roll it back: the next example finds the
    book as empty as the first one did."""
    try:
        with database_proxy.atomic():
            yield
            raise _Undo
    except _Undo:
        pass


def book_contents() -> tuple:
    """Every row of the book's client tables, but the moments they were written."""
    skip = {"created_at", "updated_at"}
    return tuple(
        sorted(
            tuple((k, str(v)) for k, v in sorted(row.items()) if k not in skip)
            for row in Model.select().dicts()
        )
        for Model in TABLES
    )


# vCard-shaped text: cards of random property lines, folded, quoted-printable, odd charsets

PROPERTIES = (
    *("FN", "N", "ORG", "TITLE", "EMAIL", "TEL", "NICKNAME", "ADR", "LABEL", "BDAY", "NOTE"),
    *("ANNIVERSARY", "X-ANNIVERSARY", "X-SPOUSE", "X-CHILD", "RELATED", "VERSION", "UID"),
    *("PHOTO", "PROFILE", "item1.X-ABLABEL", "item1.X-ABRELATEDNAMES", "item1.X-ABDATE"),
    *("BEGIN", "END", "fn", "X-MS-CHILD", "A.B.C", "", "ÄÖ", "FN FN"),
)
PARAMETERS = (
    *(";TYPE=work", ";TYPE=HOME,pref", ";WORK", ";type=spouse", ";TYPE=child", ";PREF=1"),
    *(";ENCODING=QUOTED-PRINTABLE", ";QUOTED-PRINTABLE", ";ENCODING=quoted-printable"),
    *(";CHARSET=UTF-8", ";CHARSET=ISO-8859-1", ";CHARSET=utf-16", ";CHARSET=shift_jis"),
    *(";CHARSET=nonsense", ";CHARSET=rot13", ";CHARSET=idna", ";CHARSET=undefined", ";CHARSET="),
    *(";CHARSET=punycode", ";CHARSET=unicode_escape", ";CHARSET=utf-7", ";CHARSET=base64"),
    *(";VALUE=text", ";VALUE=date", ";X-APPLE-OMIT-YEAR=1604", ";X-APPLE-OMIT-YEAR=²"),
    *(';TYPE="a,b"', ";=", ";", ";;;", ';X="', ";X-APPLE-OMIT-YEAR=" + "9" * 5000),
)
VALUES = (
    *("Doe;John;;;", "Doe\\, John", "Acme\\;Inc;Sales", "=C3=A9t=C3=A9=", "=", "=0D=0A", "=ZZ"),
    *("1979-04-15", "19790415", "--0415", "--04-15", "19790230", "0000-01-01", "1604-02-29"),
    *("1979-04-15T10:00:00Z", "_$!<Spouse>!$_", "_$!<Anniversary>!$_", "_$!<Child>!$_"),
    *(
        "mailto:a@b.example",
        "A@B.example",
        "a@b.example",
        "\uff41@b.example",
        "a @b",
        "tel:+1;ext=2",
    ),
    *("a\\,b\\;c\\nd\\N", "\\", "BEGIN:VCARD", "END:VCARD", "3.0", "4.0", "2.1"),
    *(";;1 Main St;Springfield;IL;62701;USA", "urn:uuid:x", "[bold]x[/]", "\x1b[2J", "\x00"),
    *("\u202eevil", "😀", "\udce9", "x" * 300),
)
value = st.one_of(st.text(max_size=30), st.sampled_from(VALUES))
property_line = st.builds(
    "{}{}:{}".format,
    st.sampled_from(PROPERTIES),
    st.lists(st.sampled_from(PARAMETERS), max_size=3).map("".join),
    st.lists(value, min_size=1, max_size=3).map("".join),
)
line_end = st.sampled_from(["\r\n", "\n", "\r", "\r\r\n"])


@st.composite
def folded(draw, line: str) -> str:
    """A line folded (a break then a space or tab) at a few random places."""
    cuts = sorted(draw(st.lists(st.integers(0, len(line)), max_size=2)))
    parts = [line[i:j] for i, j in zip([0, *cuts], [*cuts, len(line)], strict=True)]
    return (draw(line_end) + draw(st.sampled_from(" \t"))).join(parts)


@st.composite
def vcard_text(draw) -> str:
    cards = []
    for _ in range(draw(st.integers(1, 3))):
        lines = [draw(folded(line)) for line in draw(st.lists(property_line, max_size=8))]
        begin = draw(st.sampled_from(["BEGIN:VCARD", "begin:vcard", " BEGIN : VCARD", ""]))
        end = draw(st.sampled_from(["END:VCARD", "End:VCard", "", "END:VCARD "]))
        cards.append([begin, *lines, end])
    ending = draw(line_end)
    text = ending.join(line for card in cards for line in card)
    return draw(st.sampled_from(["", "\ufeff", "junk\n"])) + text


def vcard_record(text: str) -> list[Contact | BrokenRecord]:
    return vcard.parse_vcards(text, "cards.vcf")


# CSV of random headers and rows, in the address-book layouts

COLUMNS_SEEN = (
    *("First Name", "Middle Name", "Last Name", "Name", "Given Name", "Family Name"),
    *("Organization Name", "Organization Title", "Organization 1 - Name", "Company"),
    *("E-mail 1 - Value", "E-mail 1 - Label", "E-mail 2 - Value", "E-mail 1 - Type"),
    *("Phone 1 - Value", "Phone 1 - Label", "Birthday", "Anniversary", "Hobby", "Notes"),
    *("Event 1 - Label", "Event 1 - Value", "Relation 1 - Label", "Relation 1 - Value"),
    *("Address 1 - Formatted", "Address 1 - Street", "Address 1 - Label", "Nickname"),
    *("E-mail Address", "E-mail 2 Address", "Job Title", "Mobile Phone", "Spouse", "Children"),
    *("Business Street", "Business City", "Home Address", "Assistant's Phone"),
    *("Connected On", "URL", "Email Address", "Position", "\ufeffFirst Name", " Last Name "),
    *("Phone 99999999999999999999 - Value", "E-mail " + "9" * 5000 + " - Value"),
)
CELLS = (
    *VALUES,
    *("4/15/1979", "15/4/1979", "0/0/00", "1/1/4501", "15.04.1979", "15 April 1979", "April"),
    *("a@b.example ::: c@d.example", "* Work", "spouse", "child", "anniversary", "Golf; chess"),
    *("/o=ExchangeLabs/ou=x", "Ann", "Smith", "Acme", "line one\r\nline two", " ", ""),
)
cell = st.one_of(st.text(max_size=20), st.sampled_from(CELLS))


LAYOUTS = (  # the columns that make each layout known, so that most examples are read
    ("First Name", "Last Name", "Organization Name"),
    ("Name", "Given Name", "Family Name"),
    ("First Name", "Last Name", "E-mail Address"),
    ("First Name", "Last Name", "Connected On", "URL"),
    (),
)


@st.composite
def csv_text(draw) -> str:
    columns = st.one_of(st.sampled_from(COLUMNS_SEEN), cell)
    header = [*draw(st.sampled_from(LAYOUTS)), *draw(st.lists(columns, max_size=10))]
    header = draw(st.permutations(header))
    rows = draw(st.lists(st.lists(cell, max_size=len(header) + 1), max_size=5))
    notes = draw(st.lists(st.text(max_size=20), max_size=2))  # LinkedIn's lines before it
    if draw(st.booleans()):
        out = io.StringIO()
        csv.writer(out, lineterminator=draw(line_end)).writerows([header, *rows])
        body = out.getvalue()
    else:  # written by hand: quotes and separators as they come
        body = "\n".join(",".join(row) for row in [header, *rows])
    return "".join(note + "\n" for note in notes) + body


def check_records(records) -> None:
    assert isinstance(records, list)
    for number, record in enumerate(records):
        assert isinstance(record, Contact | BrokenRecord)
        if isinstance(record, BrokenRecord):
            assert record.reason and record.record
            continue
        assert record.name.strip() and record.record
        for text in (record.birthday, record.anniversary, *(c.birthday for c in record.children)):
            assert text == "" or PartialDate.parse(text).iso() == text
        assert all(isinstance(e, str) and e for e in record.emails), number


@FAST
@given(st.one_of(vcard_text(), st.text()))
@example("BEGIN:VCARD\nBDAY;X-APPLE-OMIT-YEAR=²:1604-04-15\nFN:Ann\nEND:VCARD")
def test_any_vcard_text_parses_into_contacts_and_broken_records(text):
    records = vcard_record(text)
    check_records(records)
    if vcard.looks_like_vcard(text):
        assert records


@FAST
@given(st.one_of(csv_text(), st.text()))
@example("First Name,Last Name,Organization Name,E-mail " + "9" * 5000 + " - Value\nAnn,,,")
def test_any_csv_text_parses_into_contacts_and_broken_records_or_none(text):
    records = contacts_csv.parse_contacts_csv(text, "people.csv")
    if records is not None:
        check_records(records)


@FAST
@given(st.binary(max_size=300))
def test_any_bytes_parse_as_either_format(data):
    text = data.decode("utf-8-sig", errors="surrogateescape")  # as `cockpit import` reads
    check_records(vcard_record(text))
    records = contacts_csv.parse_contacts_csv(text, "people.csv")
    if records is not None:
        check_records(records)


# Importing a file into the book


@st.composite
def history_text(draw) -> str:
    """The interchange history CSV, its rows good and bad."""
    header = draw(st.permutations(COLUMNS))
    kinds = st.sampled_from(["call", "meeting", "note", "deal", "Deal", "gift", "x", ""])
    moments = st.sampled_from(
        [
            *("2026-11-20", "2026-11-20T10:00", "2026-11-20T10:00+05:00", "2026-02-30"),
            *("0001-01-01T00:00+14:00", "9999-12-31T23:59-14:00", "0001-01-01", "20261120"),
            *("2027-01-01", "yesterday", ""),
        ]
    )
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        values = {
            "client": draw(st.one_of(st.sampled_from(["Ann", "Bob", " ann ", ""]), cell)),
            "company": draw(st.sampled_from(["", "Acme", "ACME", "\x1b[2J"])),
            "date": draw(moments),
            "kind": draw(kinds),
            "intent": draw(st.sampled_from(["", "sales", "relationship", "both"])),
            "duration_min": draw(
                st.sampled_from(["", "15", "-5", "1441", "\u0661\u0665", "9" * 5000])
            ),
            "amount": draw(st.sampled_from(["", "100", "-5", "1e309", "NaN", "12,500.50"])),
            "note": draw(cell),
        }
        rows.append([values[column] for column in header])
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue()


@st.composite
def importable(draw) -> bytes:
    kind = draw(st.sampled_from(["vcard", "csv", "history", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    text = draw({"vcard": vcard_text, "csv": csv_text, "history": history_text}[kind]())
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="surrogateescape" if encoding == "utf-8" else "replace")


def _import(path: Path):
    """The report, or None when the file was refused with a UsageError."""
    before = book_contents()
    try:
        return import_file(path)
    except UsageError as error:
        assert error.message and "\n" not in error.message
        assert book_contents() == before  # a refused file changes nothing
        return None


# Files that broke an import before the properties below found them.
TWO_CARDS_ONE_EMAIL_TWICE = (  # the second card's emails are one: \uff41 is a full-width "a"
    b"BEGIN:VCARD\nFN:Ann\nEND:VCARD\n"
    b"BEGIN:VCARD\nFN:Ann\nEMAIL:\xef\xbd\x81@b.example\nEMAIL:a@b.example\nEND:VCARD\n"
)
HISTORY_HEADER = ",".join(COLUMNS).encode() + b"\r\n"
LINKEDIN_NOTE_ON_TWO_LINES = (
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    b'Ann,Smith,"https://a.example\r\nhttps://b.example",,Acme,CFO,07 Dec 2025\r\n'
)


def _no_orphans() -> None:
    ids = {row.id for row in Client.select(Client.id)}
    for Model in TABLES[1:]:
        if Model is not Account:
            assert {row.client_id for row in Model.select(Model.client)} <= ids


@BOOK
@given(data=importable())
@example(data=TWO_CARDS_ONE_EMAIL_TWICE)  # was IntegrityError
@example(data=HISTORY_HEADER + b"Ann,,0001-01-01T00:00+14:00,call,,,,\r\n")  # was OverflowError
@example(data=HISTORY_HEADER + b"Ann,,2026-11-20,call,," + b"9" * 5000 + b",,\r\n")  # ValueError
@example(data=LINKEDIN_NOTE_ON_TWO_LINES)  # the second import added the note again
def test_importing_any_file_reports_and_a_second_import_changes_nothing(db, today, tmp_path, data):
    path = tmp_path / "import.txt"
    path.write_bytes(data)
    with rolled_back():
        report = _import(path)
        if report is None:
            return
        _no_orphans()
        if report.contacts:
            assert Client.select().count() == report.clients_created
        first = book_contents()
        again = import_file(path)
        assert again.clients_created == 0 and again.clients_updated == 0
        assert "created 0, updated 0," in again.summary() or not again.contacts
        assert book_contents() == first
        assert len(again.failures) == len(report.failures)
        dry = import_file(path, dry_run=True, overwrite=True)
        assert dry.clients_created == 0 and book_contents() == first
        import_file(path, overwrite=True)  # may change what the file holds, never crashes
        _no_orphans()


@BOOK
@given(text=st.one_of(vcard_text(), csv_text()))
def test_a_single_contact_is_imported_whole_or_not_at_all(db, today, tmp_path, text):
    records = vcard_record(text) if vcard.looks_like_vcard(text) else None
    if records is None:
        records = contacts_csv.parse_contacts_csv(text, "x")
    contacts = [r for r in records or [] if isinstance(r, Contact)]
    if len(contacts) != 1 or len(records) != 1:
        return
    (contact,) = contacts
    path = tmp_path / "one.txt"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    with rolled_back():
        report = _import(path)
        if report is None:
            return
        if report.failures:
            assert report.clients_created == 0
            assert all(Model.select().count() == 0 for Model in TABLES)
            return
        client = Client.get()
        assert client.name == contact.name.strip() and client.company == contact.company.strip()
        emails = {e.address_key for e in ClientEmail.select()}
        assert emails == {book.match_key(e) for e in contact.emails}
        assert ClientPhone.select().count() == len(contact.phones)


def _twice(path: Path, data: bytes) -> tuple:
    path.write_bytes(data)
    return import_file(path), import_file(path)


def test_one_email_written_two_ways_in_a_card_matching_a_client(db, today, tmp_path):
    """Found by the property: the second card matches the first one's client by name and
    adds its emails, which are one address (the same match key): IntegrityError."""
    first, again = _twice(tmp_path / "cards.vcf", TWO_CARDS_ONE_EMAIL_TWICE)
    assert first.summary() == "cards.vcf: contacts created 1, updated 1, unchanged 0, failed 0"
    assert [e.address for e in ClientEmail.select()] == ["\uff41@b.example"]
    assert again.summary() == "cards.vcf: contacts created 0, updated 0, unchanged 2, failed 0"


def test_history_rows_beyond_the_calendar_or_with_a_huge_duration_fail_alone(db, today, tmp_path):
    """Found by the property: OverflowError (an offset taking the moment out of the
    calendar) and ValueError (int() of 5000 digits) ended the whole import."""
    rows = [
        b"Ann,,0001-01-01T00:00+14:00,call,,,,",
        b"Ann,,9999-12-31T23:59-14:00,call,,,,",
        b"Ann,,2026-11-20,call,," + b"9" * 5000 + b",,",
        b"Ann,,2026-11-20,call,,15,,",
    ]
    first, again = _twice(tmp_path / "history.csv", HISTORY_HEADER + b"\r\n".join(rows))
    reasons = [reason for _, reason in first.failures]
    assert reasons == [
        "date '0001-01-01T00:00+14:00' is beyond the calendar in UTC",
        "date '9999-12-31T23:59-14:00' is beyond the calendar in UTC",
        "a duration cannot be longer than a day (1440 minutes)",
    ]
    assert (first.touches_added, again.touches_added, again.already_there) == (1, 0, 1)


def test_a_linkedin_note_with_a_line_break_is_added_once(db, today, tmp_path):
    """Found by the property: the note was stored with its CR LF made LF, so the second
    import did not find it and added it again."""
    first, again = _twice(tmp_path / "Connections.csv", LINKEDIN_NOTE_ON_TWO_LINES)
    assert first.clients_created == 1
    assert again.summary().endswith("created 0, updated 0, unchanged 1, failed 0")
    assert Interaction.select().count() == 1


def test_a_csv_column_numbered_beyond_reason_is_ignored():
    """Found by the property: "E-mail 999…9 - Value" (5000 digits) made int() raise."""
    header = "First Name,Last Name,Organization Name,E-mail " + "9" * 5000 + " - Value"
    (ann,) = contacts_csv.parse_contacts_csv(header + "\nAnn,,,ann@acme.example\n", "x.csv")
    assert (ann.name, ann.emails) == ("Ann", [])


def test_a_vcard_apple_omit_year_that_is_no_number_is_ignored():
    """Found by the property: "²" passes str.isdigit() but int() refuses it (ValueError)."""
    (ann,) = vcard_record("BEGIN:VCARD\nBDAY;X-APPLE-OMIT-YEAR=²:1604-04-15\nFN:Ann\nEND:VCARD")
    assert (ann.name, ann.birthday) == ("Ann", "1604-04-15")


def test_a_name_folded_just_before_end_vcard_stays_whole():
    """Found by the round trip: vobject folds `FN:` and 72 characters, so the rest of the
    name, "END:VCARD", starts the next line after a space and was read as the card's end:
    the name lost its end and a stray card was reported."""
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + "x" * 72 + "\r\n END:VCARD\r\nEND:VCARD\r\n"
    (ann,) = vcard_record(card)
    assert ann.name == "x" * 72 + "END:VCARD"
    twice = "BEGIN:VCARD\nNOTE:" + "x" * 70 + "\n " + "y" * 74 + "\n END:VCARD\nFN:A\nEND:VCARD"
    (ann,) = vcard_record(twice)
    assert ann.note == "x" * 70 + "y" * 74 + "END:VCARD"
    # A card indented as a whole (quoted in a mail) still ends at its END line.
    (bob,) = vcard_record("  BEGIN:VCARD\n  FN:Bob\n  END:VCARD\n")
    assert bob.name == "Bob"


def test_an_email_with_a_no_break_space_is_refused():
    """Found by the round trip: the book took it (only " " was refused), and a vCard
    reader makes it a space, so the address did not come back."""
    with pytest.raises(ValidationError, match="is not an email address"):
        book.check_contacts(["a\u00a0b@acme.example"], [])


# Round trip: export as vCards, import into an empty book

NAMES = ("[bold]x[/]", "[red]Ann[/red]", "Doe, John", "Acme;Inc", "a\\b", "O'Brien", "Zoë Ünal")
printable_text = st.text(
    st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40
).filter(lambda text: text.strip())
names = st.one_of(printable_text, st.sampled_from(NAMES))
email_locals = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="@"),
    min_size=1,
    max_size=20,
)
emails = st.one_of(
    st.emails(), st.builds("{}@{}".format, email_locals, st.sampled_from(["acme.example", "b.c"]))
)
birthdays = st.one_of(
    st.none(),
    # Birthdays as the profile keeps them: from 1900, and not after the fixed today.
    st.dates(date(1900, 1, 1), date(2026, 11, 23)).map(lambda d: PartialDate.from_date(d).iso()),
    st.dates(min_value=date(2000, 1, 1)).map(lambda d: f"--{d.month:02d}-{d.day:02d}"),
)
client = st.fixed_dictionaries(
    {
        "name": names,
        "company": st.one_of(st.just(""), names),
        "emails": st.lists(emails, max_size=3),
        "birthday": birthdays,
    }
)


def address_book() -> list[tuple]:
    """Each client's name, company, emails (in order) and birthday."""
    return sorted(
        (
            row.name,
            row.company,
            tuple(
                e.address
                for e in ClientEmail.select()
                .where(ClientEmail.client == row.id)
                .order_by(ClientEmail.position)
            ),
            book.profile_answers(row.id).get("birth_date", ""),
        )
        for row in Client.select()
    )


@BOOK
@given(st.lists(client, min_size=1, max_size=4))
@example([{"name": "x" * 72 + "END:VCARD", "company": "", "emails": [], "birthday": None}])
@example([{"name": "Ann", "company": "", "emails": ["a\u00a0b@acme.example"], "birthday": None}])
def test_clients_exported_as_vcards_import_back_the_same(db, today, tmp_path, clients):
    with rolled_back():
        keys = set()
        for entry in clients:
            try:
                added = book.add_client(entry["name"], entry["company"], emails=entry["emails"])
            except ValidationError:
                continue  # not a client the book takes, so not one to export
            if entry["birthday"]:
                book.set_profile(added, {"birth_date": entry["birthday"]})
            keys.add((added.name_key, added.company_key))
        # Clients sharing a name and company, or an email, would come back as one.
        emails = [e.address_key for e in ClientEmail.select()]
        if not keys or len(keys) < Client.select().count() or len(set(emails)) < len(emails):
            return
        before = address_book()
        exported = export_vcards()
        for Model in TABLES:
            Model.delete().execute()
        path = tmp_path / "clients.vcf"
        path.write_bytes(exported.data)
        report = import_file(path)
        assert not report.failures, report.failure_lines()
        assert report.clients_created == exported.cards == len(before)
        assert address_book() == sorted(
            (" ".join(name.split()), " ".join(company.split()), emails, birthday)
            for name, company, emails, birthday in before
        )  # an importer reads a run of spaces (or a line break left in a card) as one


def test_markup_is_text_and_escapes_are_refused():
    """Rich markup is a name like any other; a terminal escape never gets in."""
    assert book.clean_line("[bold]x[/]", "a client's name") == "[bold]x[/]"
    with pytest.raises(ValidationError, match="control characters"):
        book.clean_line("\x1b[2J", "a client's name")
