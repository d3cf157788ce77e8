"""Reading the address-book CSV exports of Google Contacts, Outlook and LinkedIn.

A layout is recognised by the names in its header, and its columns are read by
name, so the order of the columns and the ones a version adds or drops do not
matter. The layouts:

- Google Contacts, current ("First Name, ..., Organization Name, ...") and older
  ("Name, Given Name, ...") exports: several values in one cell are separated
  by `:::`; numbered groups such as "E-mail 2 - Value", "Event 1 - Label"
  (older: "- Type") carry emails, phones, addresses, an anniversary, a spouse
  and children; "Labels" (older: "Group Membership") the groups, which become
  tags but for Google's own ("* myContacts").
- Outlook: the CSV export, the desktop Import/Export wizard (92 quoted columns)
  and the web export share their column names. Dates are US-style M/D/YYYY and
  `0/0/00` is an empty one; "Title" is the courtesy title (Dr.), not the job;
  "Categories" (separated by `;`) become tags.
- LinkedIn Connections.csv: a few lines of notes come before the header.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice

from cockpit.errors import ValidationError
from cockpit.importers.contact import (
    BrokenRecord,
    Child,
    Contact,
    first_of,
    group_tags,
    one_line,
    unique,
    windows_bytes_read,
)
from cockpit.partial_date import PartialDate

GOOGLE = "Google Contacts"
GOOGLE_LEGACY = "Google Contacts (older layout)"
OUTLOOK = "Outlook"
LINKEDIN = "LinkedIn connections"
MAX_HEADER_ROW = 10  # LinkedIn writes a few lines of notes before its header
# "E-mail 2 - Value"; a longer number is no column of a layout (int() refuses 4300 digits)
_NUMBERED = re.compile(r"^(.+?) (\d{1,9}) - (.+)$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_NO_YEAR = re.compile(r"^--(\d{1,2})-?(\d{1,2})$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_LIST = re.compile(r"\s*(?:[,;]|:::)\s*")
OUTLOOK_NO_DATE = (4501, 1, 1)  # Outlook's "None" date, written by some versions
OUTLOOK_EMPTY_DATE = "0/0/00"  # and what other versions write for no date
OUTLOOK_PHONES_NOT_THEIRS = frozenset({"Assistant's Phone"})


@dataclass(frozen=True)
class Layout:
    name: str  # GOOGLE, GOOGLE_LEGACY, OUTLOOK or LINKEDIN
    header_line: int  # the header's line in the file, counting from 1
    columns: tuple[str, ...]
    delimiter: str = ","


def detect_layout(lines: Iterable[str], delimiter: str = ",") -> Layout | None:
    """The address-book layout of a CSV whose first lines these are, or None.

    Reads no further than the header, so the rows of a file handle can be read
    on from there.
    """
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        for cells in islice(reader, MAX_HEADER_ROW):
            columns = tuple(cell.strip().removeprefix("\ufeff") for cell in cells)
            name = _layout_name(set(columns))
            if name:
                return Layout(name, reader.line_num, columns, delimiter)
    except csv.Error:
        return None
    return None


def _layout_name(columns: set[str]) -> str | None:
    if {"Name", "Given Name", "Family Name"} <= columns:
        return GOOGLE_LEGACY
    if not {"First Name", "Last Name"} <= columns:
        return None
    if "Organization Name" in columns:
        return GOOGLE
    if "Connected On" in columns:
        return LINKEDIN
    if "E-mail Address" in columns or "Job Title" in columns:
        return OUTLOOK
    return None


def parse_contacts_csv(
    text: str, source: str, delimiter: str = ","
) -> list[Contact | BrokenRecord] | None:
    """The rows of an address-book export as contacts, or None when the CSV is none.

    Records are named by the line where their row starts ("line 5"), counting
    the header and any lines before it. Empty rows are skipped; a row with
    neither a name nor an email is a BrokenRecord; a date it cannot read is left
    out and noted in the contact's `left_out`. `source` names the file for the
    caller's messages; the report adds it to the line itself.

    Text decoded with surrogate escapes holds the bytes that were not UTF-8:
    Outlook on Windows writes its CSV in Windows-1252, so they are read as that.
    """
    text = windows_bytes_read(text)
    handle = io.StringIO(text, newline="")
    layout = detect_layout(handle, delimiter)
    if layout is None:
        return None
    return list(_records(handle, layout))


def _records(handle: io.StringIO, layout: Layout) -> Iterator[Contact | BrokenRecord]:
    """The rows after the header; a row's cells may span lines, so each row is
    numbered by the line it starts on."""
    reader = csv.reader(handle, delimiter=layout.delimiter)
    while True:
        record = f"line {layout.header_line + reader.line_num + 1}"
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield BrokenRecord(record, f"broken CSV ({error}); the rest of the file was not read")
            return
        if any(cell.strip() for cell in cells):
            yield _record(record, layout, cells)


def _record(record: str, layout: Layout, cells: list[str]) -> Contact | BrokenRecord:
    if any(cell.strip() for cell in cells[len(layout.columns) :]):
        return BrokenRecord(record, f"{len(cells)} values for {len(layout.columns)} columns")
    row = _Row(dict(zip(layout.columns, cells, strict=False)))
    return _contact(record, READERS[layout.name](row), row.left_out)


class _Row:
    """One row's cells by column name."""

    def __init__(self, cells: dict[str, str]) -> None:
        self.cells = cells
        self.left_out: list[str] = []  # the dates that could not be read

    def date(self, what: str, text: str) -> str:
        """A date cell as `_date` reads it; one it cannot read is noted as left out."""
        try:
            return _date(text)
        except ValidationError:
            self.left_out.append(f"{what} {text.strip()!r} left out: it is not a calendar date")
            return ""

    def get(self, *columns: str) -> str:
        """The first of these columns that holds something, trimmed."""
        return next((value for c in columns if (value := self.cells.get(c, "").strip())), "")

    def groups(self, kind: str) -> list[dict[str, str]]:
        """Google's numbered columns of one kind: "Phone 1 - Label", "Phone 1 - Value", ...
        as one {"Label": ..., "Value": ...} per number; "Type" is the older "Label"."""
        found: dict[int, dict[str, str]] = {}
        for column, value in self.cells.items():
            match = _NUMBERED.match(column)
            if match and match.group(1) == kind:
                field = "Label" if match.group(3) == "Type" else match.group(3)
                found.setdefault(int(match.group(2)), {})[field] = value.strip()
        return [found[number] for number in sorted(found)]


def _contact(record: str, contact: Contact, left_out: list[str]) -> Contact | BrokenRecord:
    """The contact named after its person, else its company, else its email;
    one with no name and no email is of no use. A value in an email column that
    is no address (Outlook writes Exchange paths such as /o=ExchangeLabs/...)
    is left out, as the book would refuse the whole contact for it."""
    emails = unique(email for email in contact.emails if _EMAIL.match(email))
    if not contact.name and not emails:
        only = f" (only the company {contact.company})" if contact.company else ""
        return BrokenRecord(record, f"neither a name nor an email address{only}")
    return replace(
        contact,
        record=record,
        name=contact.name or contact.company or emails[0],
        emails=emails,
        phones=unique(contact.phones),
        left_out=left_out,
    )


def _google(row: _Row) -> Contact:
    """Both Google layouts: the current one names its columns "First Name" and
    "Organization Name", the older one "Given Name" and "Organization 1 - Name"."""
    organisations = row.groups("Organization")
    addresses = [(_label(group), _google_address(group)) for group in row.groups("Address")]
    return Contact(
        record="",
        name=row.get("Name")
        or _joined(
            row.get("First Name", "Given Name"),
            row.get("Middle Name", "Additional Name"),
            row.get("Last Name", "Family Name"),
        ),
        company=one_line(
            row.get("Organization Name") or first_of(o.get("Name", "") for o in organisations)
        ),
        title=one_line(
            row.get("Organization Title") or first_of(o.get("Title", "") for o in organisations)
        ),
        emails=[value for group in row.groups("E-mail") for value in _values(group)],
        phones=[value for group in row.groups("Phone") for value in _values(group)],
        nickname=one_line(row.get("Nickname")),
        company_address=first_of(text for label, text in addresses if label == "work"),
        home_address=first_of(text for label, text in addresses if label != "work"),
        birthday=row.date("birthday", row.get("Birthday")),
        anniversary=first_of(
            row.date("anniversary", v) for v in _labelled(row.groups("Event"), {"anniversary"})
        ),
        spouse=first_of(_labelled(row.groups("Relation"), {"spouse", "wife", "husband"})),
        children=[Child(name) for name in _labelled(row.groups("Relation"), {"child"})],
        hobbies=_list(row.get("Hobby")),
        note=_multi_line(row.get("Notes")),
        tags=group_tags(row.get("Labels", "Group Membership").split(":::")),
    )


def _label(group: dict[str, str]) -> str:
    """A Google label without its decoration: "* Work" is "work"."""
    return group.get("Label", "").strip().lstrip("*").strip().lower()


def _values(group: dict[str, str]) -> list[str]:
    return [one_line(value) for value in group.get("Value", "").split(":::") if value.strip()]


def _labelled(groups: list[dict[str, str]], labels: set[str]) -> list[str]:
    return [value for group in groups if _label(group) in labels for value in _values(group)]


def _google_address(group: dict[str, str]) -> str:
    if formatted := _multi_line(group.get("Formatted", "")):
        return formatted
    return _address(
        group.get("Street", ""),
        group.get("Extended Address", ""),
        group.get("PO Box", ""),
        city=group.get("City", ""),
        region=group.get("Region", ""),
        code=group.get("Postal Code", ""),
        country=group.get("Country", ""),
    )


def _outlook(row: _Row) -> Contact:
    phones = [
        value
        for column, value in row.cells.items()
        if "Phone" in column and column not in OUTLOOK_PHONES_NOT_THEIRS
    ]
    return Contact(
        record="",
        name=_joined(row.get("First Name"), row.get("Middle Name"), row.get("Last Name")),
        company=one_line(row.get("Company")),
        title=one_line(row.get("Job Title")),
        emails=[row.get(f"E-mail{n} Address") for n in ("", " 2", " 3")],
        phones=[one_line(phone) for phone in phones],
        nickname=one_line(row.get("Nickname")),
        company_address=_outlook_address(row, "Business"),
        home_address=_outlook_address(row, "Home"),
        birthday=row.date("birthday", row.get("Birthday")),
        anniversary=row.date("anniversary", row.get("Anniversary")),
        spouse=one_line(row.get("Spouse")),
        children=[Child(name) for name in _list(row.get("Children"))],
        hobbies=_list(row.get("Hobby")),
        note=_multi_line(row.get("Notes")),
        tags=group_tags(row.get("Categories").split(";")),
    )


def _outlook_address(row: _Row, kind: str) -> str:
    """Outlook's "Home Address" holds the whole address when it writes one; the
    wizard writes only the parts, and Outlook 2003 names the country "Country"."""
    if formatted := _multi_line(row.get(f"{kind} Address")):
        return formatted
    return _address(
        row.get(f"{kind} Street"),
        row.get(f"{kind} Street 2"),
        row.get(f"{kind} Street 3"),
        row.get(f"{kind} Address PO Box"),
        city=row.get(f"{kind} City"),
        region=row.get(f"{kind} State"),
        code=row.get(f"{kind} Postal Code"),
        country=row.get(f"{kind} Country/Region", f"{kind} Country"),
    )


def _linkedin(row: _Row) -> Contact:
    """LinkedIn gives the profile address and the day of connecting: they go in the note."""
    url, connected = row.get("URL", "Profile URL"), row.get("Connected On")
    note = [
        f"LinkedIn: {url}" if url else "",
        f"Connected on LinkedIn: {connected}" if connected else "",
    ]
    return Contact(
        record="",
        name=_joined(row.get("First Name"), row.get("Last Name")),
        company=one_line(row.get("Company")),
        title=one_line(row.get("Position")),
        emails=[row.get("Email Address")],
        note="\n".join(filter(None, note)),
    )


READERS: dict[str, Callable[[_Row], Contact]] = {
    GOOGLE: _google,
    GOOGLE_LEGACY: _google,
    OUTLOOK: _outlook,
    LINKEDIN: _linkedin,
}


def _address(*lines: str, city: str, region: str, code: str, country: str) -> str:
    place = " ".join(filter(None, (one_line(region), one_line(code))))
    locality = ", ".join(filter(None, (one_line(city), place)))
    return "\n".join(filter(None, (*(one_line(line) for line in lines), locality, country)))


def _date(text: str) -> str:
    """A date as `YYYY-MM-DD` or `--MM-DD`; "" when it is empty (Outlook writes an empty
    one as 0/0/00 or 1/1/4501); ValidationError when it is no calendar date.

    Reads ISO dates, --MM-DD, Outlook's M/D/YYYY (D/M/YYYY when the first number
    cannot be a month) and D.M.YYYY, then what PartialDate reads ("15 April
    1975"). A two-digit year could be of either century, so it is left out.
    """
    value = text.strip()
    year: int | None
    if match := _ISO.match(value):
        year, month, day = (int(part) for part in match.groups())
    elif match := _NO_YEAR.match(value):
        year = None
        month, day = (int(part) for part in match.groups())
    elif match := _SLASHED.match(value):
        first, second = int(match.group(1)), int(match.group(2))
        month, day = (first, second) if first <= 12 else (second, first)
        year = int(match.group(3)) if len(match.group(3)) == 4 else None
    elif match := _DOTTED.match(value):
        day, month, year = (int(part) for part in match.groups())
    else:
        return PartialDate.parse(value).iso() if value else ""
    if (year, month, day) == OUTLOOK_NO_DATE or value == OUTLOOK_EMPTY_DATE:
        return ""
    return PartialDate(year, month, day).iso()


def _joined(*parts: str) -> str:
    return one_line(" ".join(parts))


def _multi_line(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines()).strip()


def _list(text: str) -> list[str]:
    """A cell listing names or hobbies: "Sasha, Nika", "Golf; chess"."""
    return unique(one_line(part) for part in _LIST.split(text))
