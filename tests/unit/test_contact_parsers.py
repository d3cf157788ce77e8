"""The vCard and address-book CSV parsers: real exports from other projects, and small cards.

The real files live outside the repository (their licences are their own), in
`shared/data` next to it; the tests that need them skip when it is absent.
"""

from __future__ import annotations

import pytest

from cockpit.importers.contact import BrokenRecord, Child, Contact
from cockpit.importers.contacts_csv import (
    GOOGLE,
    GOOGLE_LEGACY,
    LINKEDIN,
    OUTLOOK,
    detect_layout,
    parse_contacts_csv,
)
from cockpit.importers.vcard import looks_like_vcard, parse_vcards
from cockpit.partial_date import PartialDate
from tests.support.paths import SHARED_DATA

DATA = SHARED_DATA

# What each shared file yields: (contacts, broken records).
VCARD_FILES = {
    "eds-photo-1.vcf": (1, 0),
    "eds-vcard-11.vcf": (1, 0),
    "eds-vcard-12.vcf": (1, 0),
    "eds-vcard-13.vcf": (1, 0),
    "eds-vcard-3.vcf": (1, 0),
    "eds-vcard-4.vcf": (1, 0),
    "eds-vcard-5.vcf": (1, 0),
    "eds-vcard-6.vcf": (1, 0),
    "eds-vcard-7.vcf": (0, 1),  # no BEGIN line
    "eds-vcard-9.vcf": (0, 1),  # cut short
    "ezvcard-John_Doe_ANDROID.vcf": (6, 0),  # two cards hold only an email: named by it
    "ezvcard-John_Doe_BLACK_BERRY.vcf": (1, 0),
    "ezvcard-John_Doe_EVOLUTION.vcf": (1, 0),
    "ezvcard-John_Doe_GMAIL.vcf": (1, 0),
    "ezvcard-John_Doe_IPHONE.vcf": (1, 0),
    "ezvcard-John_Doe_LOTUS_NOTES.vcf": (1, 0),
    "ezvcard-John_Doe_MAC_ADDRESS_BOOK.vcf": (1, 0),
    "ezvcard-John_Doe_MS_OUTLOOK.vcf": (1, 0),
    "ezvcard-fullcontact.vcf": (1, 0),
    "ezvcard-gmail-list.vcf": (3, 0),
    "ezvcard-gmail-single.vcf": (1, 0),
    "ezvcard-gmail-single2.vcf": (1, 0),
    "ezvcard-issue114.vcf": (1, 0),
    "ezvcard-outlook-2003.vcf": (1, 0),
    "ezvcard-outlook-2007.vcf": (1, 0),
    "ezvcard-rfc2426-example.vcf": (2, 0),
    "ezvcard-rfc6350-example.vcf": (1, 0),
    "ezvcard-thunderbird-MoreFunctionsForAddressBook-extension.vcf": (1, 0),
    "khard-vcards-altid.vcf": (1, 0),
    "khard-vcards-category.vcf": (1, 0),
    "khard-vcards-contact1.vcf": (1, 0),
    "khard-vcards-contact2.vcf": (1, 0),
    "khard-vcards-individual.vcf": (1, 0),
    "khard-vcards-issue249.vcf": (1, 0),
    "khard-vcards-joe.vcf": (1, 0),
    "khard-vcards-korean-c.vcf": (1, 0),
    "khard-vcards-korean-j.vcf": (1, 0),
    "khard-vcards-labels.vcf": (1, 0),
    "khard-vcards-minimal.vcf": (1, 0),
    "khard-vcards-nickname.vcf": (1, 0),
    "khard-vcards-no-nickname.vcf": (1, 0),
    "khard-vcards-org.vcf": (1, 0),
    "khard-vcards-photov3.vcf": (1, 0),
    "khard-vcards-photov4.vcf": (1, 0),
    "khard-vcards-post.vcf": (1, 0),
    "khard-vcards-tel-value-uri.vcf": (1, 0),
    "khard-vcards-text-bday.vcf": (1, 0),
    "khard-vcards-unparsable.vcf": (0, 1),  # no END line
    "l0b0vcard-continuation_at_start.vcf": (1, 0),
    "l0b0vcard-line_ending_mac.vcf": (1, 0),
    "l0b0vcard-line_ending_mixed.vcf": (1, 0),
    "l0b0vcard-maximal.vcf": (1, 0),
    "l0b0vcard-missing_end.vcf": (0, 1),
    "l0b0vcard-missing_version.vcf": (1, 0),
    "l0b0vcard-scrambled_case.vcf": (1, 0),
    "vobject-radicale-1587.vcf": (1, 0),
}
CSV_FILES = {
    "google-contacts-legacy.csv": (GOOGLE_LEGACY, 3, 0),
    "google-contacts.csv": (GOOGLE, 2, 0),
    "linkedin-Connections.csv": (LINKEDIN, 3, 0),
    "outlook-contacts.csv": (OUTLOOK, 2, 0),
    "outlook-desktop-wizard.csv": (OUTLOOK, 2, 0),
}
OUTLOOK_WEB_HEADER = (
    "First Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,"
    "E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,"
    "Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,Pager,Business Fax,"
    "Home Fax,Other Fax,Company Main Phone,Callback,Radio Phone,Telex,TTY/TDD Phone,IMAddress,"
    "Job Title,Department,Company,Office Location,Manager's Name,Assistant's Name,"
    "Assistant's Phone,Company Yomi,Business Street,Business City,Business State,"
    "Business Postal Code,Business Country/Region,Home Street,Home City,Home State,"
    "Home Postal Code,Home Country/Region,Other Street,Other City,Other State,"
    "Other Postal Code,Other Country/Region,Personal Web Page,Spouse,Schools,Hobby,Location,"
    "Web Page,Birthday,Anniversary,Notes"
)


def _text(folder: str, name: str) -> str:
    """A shared file as the importer reads it: UTF-8, undecodable bytes kept as escapes."""
    path = DATA / folder / name
    if not path.is_file():
        pytest.skip(f"{path} is not there (the shared test data sits next to the repository)")
    return path.read_bytes().decode("utf-8", errors="surrogateescape")


def _contacts(records: list[Contact | BrokenRecord]) -> dict[str, Contact]:
    return {record.name: record for record in records if isinstance(record, Contact)}


def _broken(records: list[Contact | BrokenRecord]) -> list[BrokenRecord]:
    return [record for record in records if isinstance(record, BrokenRecord)]


def _vcard(name: str) -> list[Contact | BrokenRecord]:
    return parse_vcards(_text("vcard", name), name)


def _csv(name: str) -> dict[str, Contact]:
    records = parse_contacts_csv(_text("csv", name), name)
    assert records is not None
    return _contacts(records)


def _card(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


def _one(text: str) -> Contact:
    [record] = parse_vcards(text, "test.vcf")
    assert isinstance(record, Contact), record
    return record


def _dates_are_readable(contact: Contact) -> None:
    for value in (contact.birthday, contact.anniversary):
        if value:
            assert PartialDate.parse(value).iso() == value


# Every shared file


def test_the_expectations_cover_every_shared_file():
    if not DATA.is_dir():
        pytest.skip(f"{DATA} is not there")
    assert sorted(p.name for p in (DATA / "vcard").glob("*.vcf")) == sorted(VCARD_FILES)
    assert sorted(p.name for p in (DATA / "csv").glob("*.csv")) == sorted(CSV_FILES)


@pytest.mark.parametrize("name", sorted(VCARD_FILES))
def test_each_vcard_file_yields_its_contacts_and_reports_the_rest(name):
    text = _text("vcard", name)
    records = parse_vcards(text, name)

    assert looks_like_vcard(text)
    contacts = [r for r in records if isinstance(r, Contact)]
    assert (len(contacts), len(_broken(records))) == VCARD_FILES[name]
    assert [r.record for r in records] == [f"record {n}" for n in range(1, len(records) + 1)]
    for contact in contacts:
        assert contact.name and contact.name == " ".join(contact.name.split())
        assert all("@" in email for email in contact.emails)
        _dates_are_readable(contact)
    for broken in _broken(records):
        assert len(broken.reason) > 20


@pytest.mark.parametrize("name", sorted(CSV_FILES))
def test_each_csv_file_is_recognised_and_read(name):
    text = _text("csv", name)
    layout, contacts, broken = CSV_FILES[name]

    found = detect_layout(text.removeprefix("\ufeff").splitlines())
    records = parse_contacts_csv(text, name)

    assert found is not None and found.name == layout
    assert records is not None and not looks_like_vcard(text)
    assert (len(_contacts(records)), len(_broken(records))) == (contacts, broken)
    for contact in _contacts(records).values():
        _dates_are_readable(contact)


# The people in the shared vCard files


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("l0b0vcard-missing_end.vcf", "the card starting on line 1 has no END:VCARD line"),
        ("khard-vcards-unparsable.vcf", "has no END:VCARD line"),
        ("eds-vcard-9.vcf", "has no END:VCARD line"),
        ("eds-vcard-7.vcf", "lines 1-11: a card without its BEGIN:VCARD line"),
    ],
)
def test_a_card_without_its_begin_or_end_is_reported(name, reason):
    [broken] = _vcard(name)

    assert isinstance(broken, BrokenRecord)
    assert broken.record == "record 1"
    assert reason in broken.reason


def test_cards_with_only_an_email_are_named_by_it_as_in_the_csv_layouts():
    records = _vcard("ezvcard-John_Doe_ANDROID.vcf")

    assert [type(r).__name__ for r in records[:3]] == ["Contact", "Contact", "Contact"]
    assert (records[0].name, records[0].emails) == (
        "john.doe@company.com",
        ["john.doe@company.com"],
    )
    assert records[2].name == "Ñ Ñ Ñ Ñ Ñ"  # quoted-printable UTF-8
    with_photo = records[4]
    assert with_photo.emails == ["bob@company.com"]  # the quoted-printable "ÑÑÑ…" is no address
    assert with_photo.phones == ["123456"]
    assert with_photo.company == "ÑÑÑÑÑÑÑÑÑÑÑÑ"  # folded quoted-printable, joined


@pytest.mark.parametrize(
    "name",
    [
        "l0b0vcard-line_ending_mac.vcf",
        "l0b0vcard-line_ending_mixed.vcf",
        "l0b0vcard-scrambled_case.vcf",
        "l0b0vcard-continuation_at_start.vcf",
    ],
)
def test_damaged_layouts_still_read(name):
    [contact] = _vcard(name)

    assert contact.name == "John Doe"


def test_a_card_without_version_reads():
    [contact] = _vcard("l0b0vcard-missing_version.vcf")

    assert contact.name == "John Ottoman Doe"


def test_quoted_printable_21_with_soft_line_breaks():
    [contact] = _vcard("eds-vcard-12.vcf")

    assert contact.name == "Michael Brüning"
    assert contact.phones == ["+491622433834", "017623384942", "+4973117546691"]
    assert contact.emails == ["ext-Michael.Bruning@nokia.com"]
    assert contact.home_address == "Münsterplatz 21\nUlm, Baden-Württemberg 89073"
    assert contact.birthday == "1978-12-29"


def test_quoted_printable_split_inside_a_character():
    [contact] = _vcard("eds-vcard-5.vcf")

    assert contact.name == "十城目管理大型知座"
    assert contact.emails == ["weird@weird.com"]


def test_evolution_spouse_and_anniversary():
    [contact] = _vcard("ezvcard-John_Doe_EVOLUTION.vcf")

    assert contact.name == "Mr. John Richter, James Doe Sr."
    assert (contact.company, contact.title, contact.nickname) == ("IBM", "Money Counter", "Johny")
    assert contact.emails == ["john.doe@ibm.com"]
    assert contact.birthday == contact.anniversary == "1980-03-22"
    assert contact.spouse == "Maria"
    assert contact.home_address == (
        "ASB-123\n15 Crescent moon drive\nAlbaney, New York 12345\nUnited States of America"
    )
    assert contact.hobbies == []  # CATEGORIES:VIP is no hobby


def test_gmail_unescaped_commas_and_apple_labels():
    [contact] = _vcard("ezvcard-John_Doe_GMAIL.vcf")

    assert contact.name == "Mr. John Richter, James Doe Sr."
    assert contact.anniversary == "1975-03-01"  # item1.X-ABDATE labelled _$!<Anniversary>!$_
    assert contact.spouse == "Jenny"
    assert contact.note.endswith("DAMAGE.\nFavotire Color: Blue")


def test_apple_related_names():
    [contact] = _vcard("ezvcard-gmail-single2.vcf")

    assert contact.spouse == "Name2"
    assert contact.children == [Child("Name3")]
    assert contact.anniversary == "1930-03-20"
    assert contact.birthday == "1912-06-23"
    assert contact.company_address == "113 Main St\nNY, New York 10011"
    assert contact.home_address == "112 Main St\nNY, New York 10011"
    assert len(contact.emails) == 5 and len(contact.phones) == 11


def test_iphone_export_with_doubled_carriage_returns_and_a_photo():
    [contact] = _vcard("ezvcard-John_Doe_IPHONE.vcf")

    assert contact.name == "Mr. John Richter James Doe Sr."
    assert contact.company == "IBM"
    assert contact.birthday == "2012-06-06"
    assert contact.phones[0] == "905-555-1234" and len(contact.phones) == 7
    assert contact.company_address == "Street4\nBuilding 6\nFloor 8\nNew York, 12345\nUSA"


def test_lotus_notes_profile_line_does_not_stop_the_card():
    [contact] = _vcard("ezvcard-John_Doe_LOTUS_NOTES.vcf")

    assert contact.name == "Mr. Doe John I Johny"
    assert contact.emails == ["john.doe@ibm.com", "billy_bob@gmail.com"]
    assert contact.birthday == "1980-05-21"


def test_outlook_21_cards():
    [outlook] = _vcard("ezvcard-John_Doe_MS_OUTLOOK.vcf")
    [o2003] = _vcard("ezvcard-outlook-2003.vcf")
    [o2007] = _vcard("ezvcard-outlook-2007.vcf")

    assert outlook.birthday == "1980-03-22"
    assert outlook.anniversary == "2011-01-13"  # X-MS-ANNIVERSARY
    assert "WARRANTIES, INCLUDING, BUT NOT LIMITED TO" in outlook.note  # no cut at a comma
    assert outlook.company_address.startswith("Cresent moon drive\nAlbaney")
    assert o2003.company == "Company, The"
    assert o2003.birthday == "1980-03-21"
    assert o2003.note == "This is the note field!!\nSecond line\n\nThird line is empty"
    assert o2007.spouse == "TheSpouse"  # X-MS-SPOUSE
    assert (o2007.birthday, o2007.anniversary) == ("1922-03-10", "2012-08-01")
    assert o2007.emails == ["mike.angstadt@gmail.com"]


def test_vcard_4_uris_and_a_birthday_without_year():
    [contact] = _vcard("ezvcard-rfc6350-example.vcf")

    assert contact.name == "Simon Perreault"
    assert contact.birthday == "--02-03"
    assert contact.anniversary == "2009-08-08"
    assert contact.phones == ["+1-418-656-9254 ext. 102", "+1-418-262-6501"]
    assert contact.company_address == "Suite D2-630\n2875 Laurier\nQuebec, QC G1V 2M2\nCanada"


def test_thunderbird_spouse_anniversary_and_no_hobbies_from_categories():
    [contact] = _vcard("ezvcard-thunderbird-MoreFunctionsForAddressBook-extension.vcf")

    assert (contact.spouse, contact.anniversary) == ("TheSpouse", "1990-04-30")
    assert contact.birthday == "1970-09-21"
    assert contact.home_address == "123 Main St\nApt 10\nAustin, TX 12345\nUSA"
    assert contact.hobbies == []
    assert "\n\nFourth Line\n" in contact.note


def test_two_cards_in_one_file():
    records = _vcard("ezvcard-rfc2426-example.vcf")

    assert [(r.record, r.name, r.company) for r in records] == [
        ("record 1", "Frank Dawson", "Lotus Development Corporation"),
        ("record 2", "Tim Howes", "Netscape Communications Corp."),
    ]
    assert records[0].emails == ["Frank_Dawson@Lotus.com", "fdawson@earthlink.net"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("khard-vcards-nickname.vcf", {"name": "Michael Smith", "nickname": "Mike"}),
        ("khard-vcards-org.vcf", {"name": "ACME Inc.", "company": "ACME Inc."}),
        ("khard-vcards-individual.vcf", {"name": "Wile E. Coyote", "company": "ACME Inc."}),
        ("khard-vcards-text-bday.vcf", {"name": "text birthday", "birthday": ""}),
        ("khard-vcards-contact1.vcf", {"birthday": "2018-01-20", "phones": ["0123456789"]}),
        ("khard-vcards-tel-value-uri.vcf", {"phones": ["67545678"]}),
        ("khard-vcards-korean-c.vcf", {"name": "최유림"}),
        ("khard-vcards-photov3.vcf", {"name": "with photo v3"}),
        ("khard-vcards-photov4.vcf", {"name": "with photo v4"}),
        ("khard-vcards-labels.vcf", {"company": "Test Inc"}),
        ("eds-photo-1.vcf", {"name": "photo", "emails": ["photo@no.where"]}),
        ("eds-vcard-3.vcf", {"name": "Nat", "birthday": "1977-08-06"}),
        (
            "eds-vcard-13.vcf",
            {"name": "Ralf Engels", "phones": ["+1-919-676-9515", "+1-919-676-9564"]},
        ),
        ("vobject-radicale-1587.vcf", {"name": "Given Family"}),
        (
            "khard-vcards-post.vcf",
            {"home_address": "PostBox\nExt\nMain Street 1\nThe City, SomeState 00000\nHomeCountry"},
        ),
    ],
)
def test_fields_of_small_cards(name, expected):
    [contact] = _vcard(name)

    assert {key: getattr(contact, key) for key in expected} == expected


def test_the_maximal_card():
    [contact] = _vcard("l0b0vcard-maximal.vcf")

    assert (contact.name, contact.company) == ("John Doe", "Example Organization")
    assert (contact.title, contact.nickname) == ("Assistant assessor", "Johnny")
    assert contact.phones == ["+1234567890", "+0123456789"]
    assert contact.home_address == (
        "Post office box 1\nWest wing\n1 Some Street\nTinytown, Schwarzwald 12345\nFantasia"
    )
    assert "talks like a loon, and reads comics" in contact.note


# The people in the shared CSV files


def test_google_legacy_export():
    people = _csv("google-contacts-legacy.csv")

    marta = people["Marta Lindqvist"]
    assert marta.record == "line 2"
    assert marta.emails == ["marta.lindqvist@bluefin.example", "m.lindqvist@example.org"]
    assert (marta.company, marta.title) == ("Bluefin Logistics", "Head of Procurement")
    assert (marta.birthday, marta.anniversary) == ("1979-03-14", "2004-06-19")
    assert marta.nickname == "Tati"
    assert marta.company_address == "Hamngatan 4\n111 47 Stockholm\nSweden"
    assert marta.note == "Met at the Lisbon logistics fair.\nTwo kids: Elin and Oskar."
    jose = people["José Álvarez"]
    assert jose.record == "line 6"  # Marta's note and address span lines 2-5
    assert (jose.company, jose.birthday) == ("Delta Mortgage, S.L.", "--11-02")
    granite = people["Granite Works"]  # no person: the company names the contact
    assert granite.emails == ["orders@granite.example"]


def test_google_current_export():
    people = _csv("google-contacts.csv")

    kemi = people["Kemi Okafor"]
    assert (kemi.company, kemi.title) == ("Crescent Health", "COO")
    assert (kemi.birthday, kemi.anniversary, kemi.spouse) == ("1983-09-30", "2011-05-21", "Tunde")
    assert kemi.phones == ["+44 7700 900123"]
    assert kemi.note == "Prefers calls before 9am"
    hiro = people["Hiro Tanaka"]
    assert hiro.birthday == "--07-07"
    assert hiro.emails == ["h.tanaka@kestrel.example", "hiro@example.net"]
    assert hiro.company == "Kestrel Air"


def test_outlook_export():
    people = _csv("outlook-contacts.csv")

    dmitri = people["Dmitri Petrov"]
    assert (dmitri.company, dmitri.title) == ("Ironbark Mining", "VP Operations")
    assert dmitri.birthday == "1971-04-15"
    assert dmitri.anniversary == ""  # 0/0/00
    assert dmitri.spouse == "Irina"
    assert dmitri.children == [Child("Sasha"), Child("Nika")]
    assert dmitri.hobbies == ["Golf", "chess"]
    assert dmitri.phones == ["+7 912 000 11 22"]
    assert dmitri.company_address == "Perth\nAustralia"
    assert dmitri.note == "Golf on Saturdays; supports Zenit"
    grace = people["Grace O'Brien"]
    assert (grace.birthday, grace.anniversary) == ("", "2009-09-01")


def test_outlook_desktop_wizard_export():
    people = _csv("outlook-desktop-wizard.csv")

    henrike = people["Henrike Brüning"]
    assert henrike.record == "line 2"
    assert (henrike.company, henrike.title) == ("Acme Kältetechnik GmbH", "Einkaufsleiterin")
    assert henrike.birthday == "1979-04-15"
    assert henrike.anniversary == ""
    assert henrike.emails == ["h.bruening@example.de"]
    assert henrike.phones == ["+49 731 000000", "+49 162 0000000"]
    assert henrike.company_address == "Hauptstraße 5\nUlm, 89073\nGermany"
    assert henrike.note == "Quarterly review,\nsecond line of note"
    tom = people["Tom O'Neill"]
    assert tom.record == "line 4"
    assert tom.company == "Harbor Freight Partners, LLC"
    assert tom.emails == ["tom.oneill@example.com", "tom@example.net"]


def test_linkedin_connections_after_the_notes():
    people = _csv("linkedin-Connections.csv")

    assert [p.record for p in people.values()] == ["line 5", "line 6", "line 7"]
    ava = people["Ava Moreau"]
    assert (ava.company, ava.title, ava.emails) == ("Northwind", "Category Manager, EMEA", [])
    assert ava.note == (
        "LinkedIn: https://www.linkedin.com/in/ava-moreau-example\n"
        "Connected on LinkedIn: 07 Dec 2025"
    )
    assert people["Nikhil Rao"].emails == ["nikhil@harbor.example"]
    assert "Zoë Müller-Lüdenscheidt" in people


# Small cards


def test_quoted_printable_with_a_charset_and_a_soft_line_break():
    contact = _one(
        _card(
            "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen",
            "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=",
            "=BCller",
            "NOTE;ENCODING=QUOTED-PRINTABLE:First line=0D=0ASecond, with a comma",
            "TITLE;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:Gesch=E4ftsf=FChrer",
            version="2.1",
        )
    )

    assert contact.name == "Jürgen Müller"
    assert contact.note == "First line\nSecond, with a comma"
    assert contact.title == "Geschäftsführer"


def test_a_folded_line():
    contact = _one(
        _card(
            "FN:Ada Lovelace",
            "NOTE:Met at the ana",
            " lytical engine fair",
            "EMAIL:ada@",
            "\tex.org",
        )
    )

    assert contact.note == "Met at the analytical engine fair"
    assert contact.emails == ["ada@ex.org"]


def test_two_cards_and_their_record_numbers():
    records = parse_vcards(_card("FN:Ada Lovelace") + _card("N:Babbage;Charles;;;"), "x.vcf")

    assert [(r.record, r.name) for r in records] == [
        ("record 1", "Ada Lovelace"),
        ("record 2", "Charles Babbage"),
    ]


@pytest.mark.parametrize(
    ("version", "bday", "expected"),
    [
        ("3.0", "--0415", "--04-15"),
        ("4.0", "--04-15", "--04-15"),
        ("4.0", "19790415", "1979-04-15"),
        ("3.0", "1979-04-15", "1979-04-15"),
        ("3.0", "1979-04-15T10:30:00Z", "1979-04-15"),
        ("4.0", "--0229", "--02-29"),
        ("3.0", "1979-02-30", ""),
        ("3.0", "1979-04", ""),
        ("4.0", ";VALUE=text:circa 1800", ""),
    ],
)
def test_birthdays(version, bday, expected):
    line = f"BDAY{bday}" if bday.startswith(";") else f"BDAY:{bday}"

    assert _one(_card("FN:Ada Lovelace", line, version=version)).birthday == expected


def test_apple_birthday_without_year():
    line = "BDAY;X-APPLE-OMIT-YEAR=1604;VALUE=date:1604-04-15"

    assert _one(_card("FN:Ada Lovelace", line)).birthday == "--04-15"


def test_a_card_without_end_does_not_cost_the_next_one():
    text = _card("FN:Ada Lovelace")
    text += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Short\r\n"
    text += _card("FN:Charles Babbage")

    records = parse_vcards(text, "x.vcf")

    assert [r.record for r in records] == ["record 1", "record 2", "record 3"]
    assert records[0].name == "Ada Lovelace"
    assert records[1] == BrokenRecord(
        "record 2",
        "the card starting on line 5 has no END:VCARD line (the file may be cut short); "
        "it was not imported",
    )
    assert records[2].name == "Charles Babbage"


def test_a_photo_is_skipped_even_when_damaged():
    contact = _one(
        _card(
            "FN:Ada Lovelace",
            "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQ",
            " gKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/",
            "PHOTO;ENCODING=b:not base64 at all!",
            "EMAIL:ada@example.org",
        )
    )

    assert contact.emails == ["ada@example.org"]


def test_a_damaged_line_with_many_parameters_is_skipped_at_once():
    damaged = "TEL" + ";TYPE=x" * 25  # no colon: vobject alone would take minutes over it

    assert _one(_card("FN:Ada Lovelace", damaged, "TEL:+44 20 7946 0000")).phones == [
        "+44 20 7946 0000"
    ]


def test_family_names_work_and_home():
    contact = _one(
        _card(
            "FN:Ada Lovelace",
            "ORG:Analytical Engines\\, Ltd;Research",
            "ADR;TYPE=work:;Floor 2;1 Engine Way;London;;EC1A 1AA;UK",
            "ADR;TYPE=home:;;12 St James's Square;London;;SW1Y 4JH;UK",
            "X-MS-SPOUSE:William",
            "X-MS-CHILD:Byron",
            "RELATED;TYPE=child;VALUE=text:Annabella",
            "RELATED;TYPE=child:urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
            "X-ANNIVERSARY:1835-07-08",
            "CATEGORIES:Golf,Chess",
            "EMAIL:Ada@Example.org",
            "EMAIL;TYPE=work:ada@example.org",
            "EMAIL:countess@example.org",
        )
    )

    assert contact.company == "Analytical Engines, Ltd"
    assert contact.company_address == "Floor 2\n1 Engine Way\nLondon, EC1A 1AA\nUK"
    assert contact.home_address == "12 St James's Square\nLondon, SW1Y 4JH\nUK"
    assert contact.spouse == "William"
    assert contact.children == [Child("Byron"), Child("Annabella")]
    assert contact.anniversary == "1835-07-08"
    assert contact.hobbies == []
    assert contact.emails == ["Ada@Example.org", "countess@example.org"]


def test_names_from_n_then_org_then_email_else_broken():
    assert _one(_card("N:Lovelace;Ada;King;Countess;")).name == "Ada King Lovelace"
    assert _one(_card("ORG:Analytical Engines;Research")).name == "Analytical Engines"
    [broken] = parse_vcards(_card("TEL:+44 20 7946 0000"), "x.vcf")
    assert broken == BrokenRecord("record 1", "no name: the card has no FN, N, ORG or EMAIL")


def test_windows_1252_bytes_are_read_as_such():
    text = _card("FN:Jos\udce9 \u00c1lvarez", version="2.1")  # é was one byte, Á was UTF-8

    assert _one(text).name == "José Álvarez"


def test_looks_like_vcard():
    assert looks_like_vcard(_card("FN:Ada"))
    assert looks_like_vcard("bEGIn:VCaRD\rFN:Ada\rEnD:vcArD\r")
    assert not looks_like_vcard('name,note\nAda,"she wrote BEGIN:VCARD once"\n')


# Small CSV files


def test_outlook_web_layout():
    row = ["Ada", "", "Lovelace", "Countess", "", "Addie"] + [""] * 55
    row[8] = "ada@example.org"
    row[15] = "+44 7700 900000"  # Mobile Phone
    row[29], row[31] = "Mathematician", "Analytical Engines"  # Job Title, Company
    row[53], row[55], row[58] = "William", "Poetry; horses", "12/10/1815"
    text = OUTLOOK_WEB_HEADER + "\n" + ",".join(row) + "\n"

    [ada] = parse_contacts_csv(text, "outlook.csv")

    assert ada == Contact(
        record="line 2",
        name="Ada Lovelace",
        company="Analytical Engines",
        title="Mathematician",
        emails=["ada@example.org"],
        phones=["+44 7700 900000"],
        nickname="Addie",
        spouse="William",
        birthday="1815-12-10",
        hobbies=["Poetry", "horses"],
    )


def _outlook_csv(*rows: str) -> str:
    return "First Name,Last Name,Company,E-mail Address,Birthday,Notes\r\n" + "".join(
        f"{row}\r\n" for row in rows
    )


def test_csv_rows_numbered_by_their_first_line_empty_rows_skipped_useless_ones_reported():
    text = _outlook_csv(
        'Ada,Lovelace,,,,"two',
        'lines"',
        ",,,,,",
        "",
        ",,Analytical Engines,,,",
        "Charles,Babbage,,,,,,surplus",
        ",,,countess@example.org,,",
    )

    records = parse_contacts_csv(text, "x.csv")

    assert records == [
        Contact("line 2", "Ada Lovelace", note="two\nlines"),
        BrokenRecord(
            "line 6", "neither a name nor an email address (only the company Analytical Engines)"
        ),
        BrokenRecord("line 7", "8 values for 6 columns"),
        Contact("line 8", "countess@example.org", emails=["countess@example.org"]),
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("4/15/1979", "1979-04-15"),
        ("15/4/1979", "1979-04-15"),
        ("15.04.1979", "1979-04-15"),
        ("1979-04-15", "1979-04-15"),
        ("--04-15", "--04-15"),
        ("4/15/79", "--04-15"),
        ("15 April 1979", "1979-04-15"),
        ("0/0/00", ""),
        ("1/1/4501", ""),
        ("2/30/1979", ""),
        ("someday", ""),
    ],
)
def test_csv_dates(cell, expected):
    [contact] = parse_contacts_csv(_outlook_csv(f"Ada,Lovelace,,,{cell},"), "x.csv")

    assert contact.birthday == expected


def test_a_windows_1252_csv_is_read_as_such():
    data = _outlook_csv("Henrike,Br\u00fcning,Acme K\u00e4ltetechnik,,,").encode("cp1252")

    [contact] = parse_contacts_csv(data.decode("utf-8", errors="surrogateescape"), "x.csv")

    assert (contact.name, contact.company) == ("Henrike Brüning", "Acme Kältetechnik")


def test_csv_emails_deduplicated_and_non_addresses_dropped():
    text = _outlook_csv("Ada,Lovelace,,Ada@Example.org,,").replace(
        "E-mail Address,", "E-mail Address,E-mail 2 Address,E-mail 3 Address,"
    )
    text = text.replace("Ada@Example.org,", "Ada@Example.org,ada@example.org,/o=Exchange/cn=ada,")

    [contact] = parse_contacts_csv(text, "x.csv")

    assert contact.emails == ["Ada@Example.org"]


@pytest.mark.parametrize(
    "text",
    [
        "client,company,date,kind,intent,duration_min,amount,note\nAda,,2026-03-01,call,,,,\n",
        "a,b,c\n1,2,3\n",
        "",
        'First Name,Last Name\n"unterminated\n',
    ],
)
def test_other_csv_files_are_not_address_books(text):
    assert parse_contacts_csv(text, "x.csv") is None
