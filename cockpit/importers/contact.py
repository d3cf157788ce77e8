"""A contact as an address book holds it, whatever the file format.

Parsers (vCard, the address-book CSV layouts) turn each record into a
`Contact` or a `BrokenRecord`; `contacts.merge` brings them into the book.
Dates are kept as text in a form `PartialDate.parse` reads: `1979-03-14`,
or `--03-14` when the year is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Child:
    name: str
    birthday: str = ""  # "2015-11-02" or "--11-02"


@dataclass
class Contact:
    record: str  # where it came from, for messages: "record 3", "line 12"
    name: str
    company: str = ""
    title: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    # Mackay 66 answers the format may carry
    nickname: str = ""
    company_address: str = ""
    home_address: str = ""
    birthday: str = ""
    anniversary: str = ""
    spouse: str = ""
    children: list[Child] = field(default_factory=list)
    hobbies: list[str] = field(default_factory=list)
    note: str = ""
    tags: list[str] = field(default_factory=list)  # its groups or categories (`group_tags`)
    # Values the parser could not read (a birthday of 2000-02-30), each with why: the
    # contact comes in without them and the report lists them.
    left_out: list[str] = field(default_factory=list)


@dataclass
class BrokenRecord:
    record: str  # "record 3", "line 12"
    reason: str


# Groups an address book puts every contact in, which say nothing about a client: Google's
# (`myContacts`, `starred`; its CSV marks them "* myContacts") and Android's.
SYSTEM_GROUPS = frozenset({"mycontacts", "my contacts", "starred", "starred in android"})

_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def windows_bytes_read(text: str) -> str:
    """Text decoded with surrogate escapes, its bytes that were not UTF-8 read as
    Windows-1252 one by one (older Outlook and vCard 2.1 exports), and without a BOM."""
    return _ESCAPED_BYTE.sub(_windows_1252, text.removeprefix("\ufeff"))


def _windows_1252(match: re.Match[str]) -> str:
    return bytes([ord(match.group()) - 0xDC00]).decode("cp1252", errors="replace")


def one_line(text: str) -> str:
    """Text with its runs of white space, line breaks included, made single spaces."""
    return " ".join(text.split())


def first_of(values: Iterable[str]) -> str:
    return next((value for value in values if value), "")


def group_tags(groups: Iterable[str]) -> list[str]:
    """An address book's groups or categories as tags: each on one line, one holding
    commas (which separate tags in Cockpit) cut there, the system groups left out (Google
    CSV marks them with "* "), each once whatever its case."""
    tags = []
    for group in groups:
        for part in group.split(","):
            tag = one_line(part)
            if tag and not tag.startswith("* ") and tag.casefold() not in SYSTEM_GROUPS:
                tags.append(tag)
    return unique(tags)


def unique(values: Iterable[str]) -> list[str]:
    """The non-empty values in order, each once whatever its case."""
    seen: dict[str, str] = {}
    for value in values:
        if value:
            seen.setdefault(value.casefold(), value)
    return list(seen.values())
