"""Reading the values of vCard properties: escapes, structured values, names,
addresses, dates and relatives.

Values are decoded here rather than by vobject's card reader: that reader keeps
only the text before the first unescaped comma of a value, and 2.1 files (and
Gmail's 3.0 ones) do not escape commas, so `FN:Doe, John` would become `Doe`.
"""

from __future__ import annotations

import re

from vobject.base import ContentLine

from cockpit.errors import ValidationError
from cockpit.importers.contact import one_line
from cockpit.importers.vcard_lines import LINE_BREAK
from cockpit.partial_date import PartialDate

_TOKENS = {sep: re.compile(rf"\\.|[^\\{sep}]+|.", re.DOTALL) for sep in ";,"}
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_URI = re.compile(r"^[a-z][a-z0-9+.-]*:\S", re.IGNORECASE)
_FULL_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")


def types_of(line: ContentLine) -> set[str]:
    """TYPE=work,pref (3.0, 4.0) and bare WORK (2.1) alike, in lower case."""
    types = {part for value in line.params.get("TYPE", []) for part in value.split(",")}
    return {value.strip().lower() for value in types | set(line.singletonparams)}


def label_of(value: str) -> str:
    text = value.strip()
    if text.startswith("_$!<") and text.endswith(">!$_"):
        text = text[4:-4]
    return text.lower()


def unescape(value: str) -> str:
    return _ESCAPE.sub(lambda match: "\n" if match.group(1) in "nN" else match.group(1), value)


def split(value: str, separator: str = ";") -> list[str]:
    """The parts between separators that no backslash escapes, each unescaped."""
    parts = [""]
    for token in _TOKENS[separator].findall(value):
        if token == separator:
            parts.append("")
        else:
            parts[-1] += token
    return [unescape(part) for part in parts]


def _fields(value: str, count: int) -> list[str]:
    """The first `count` parts of a structured value; writers often leave the last ones off."""
    parts = split(value)
    return [*parts, *[""] * count][:count]


def multi_line(text: str) -> str:
    return "\n".join(line.strip() for line in LINE_BREAK.split(text)).strip()


def text_of(line: ContentLine) -> str:
    return one_line(unescape(line.value))


def lines_of(line: ContentLine) -> str:
    """A value of several lines (NOTE, LABEL), each line trimmed."""
    return multi_line(unescape(line.value))


def organisation(line: ContentLine) -> str:
    """ORG is organisation;unit;sub-unit: the first part is the company."""
    return one_line(split(line.value)[0])


def structured_name(line: ContentLine) -> str:
    """N is family;given;additional;prefix;suffix; a part may list several names
    separated by commas. The prefix and suffix (Mr., Jr.) are left out."""
    family, given, additional = _fields(line.value, 3)
    return one_line(" ".join(part.replace(",", " ") for part in (given, additional, family)))


def address(value: str) -> str:
    """ADR (box;extended;street;city;region;code;country) as the lines of an envelope."""
    box, extended, street, city, region, code, country = _fields(value, 7)
    lines = [one_line(part) for field in (box, extended, street) for part in field.split("\n")]
    place = " ".join(filter(None, (one_line(region), one_line(code))))
    lines.append(", ".join(filter(None, (one_line(city), place))))
    lines += [one_line(part) for part in country.split("\n")]
    return "\n".join(filter(None, lines))


def first_date(lines: list[ContentLine], what: str, left_out: list[str]) -> str:
    """The first of these dates that reads as one; each that does not is noted in `left_out`."""
    for line in lines:
        try:
            if found := _date(line):
                return found
        except ValidationError:
            value = unescape(line.value).strip()
            left_out.append(f"{what} {value!r} left out: it is not a calendar date")
    return ""


def child_birthday(line: ContentLine, left_out: list[str]) -> str:
    """A child's birthday, which Cockpit writes as the X-BIRTHDAY parameter of X-CHILD."""
    written = [ContentLine("X-BIRTHDAY", [], text) for text in line.params.get("X-BIRTHDAY", [])]
    return first_date(written, "child's birthday", left_out)


def _date(line: ContentLine) -> str:
    """A BDAY or anniversary as `YYYY-MM-DD` or `--MM-DD`; "" when it is empty or text
    (vCard 4 allows `VALUE=text`); ValidationError when it is no calendar date.

    Accepts 19790415, 1979-04-15, a date and time (the time is dropped), and
    without a year --0415 (vCard 3 style) or --04-15 (vCard 4). Apple writes a
    year it does not know as 1604 and says so in X-APPLE-OMIT-YEAR.
    """
    if any(value.lower() == "text" for value in line.params.get("VALUE", [])):
        return ""
    value = unescape(line.value).strip().partition("T")[0]
    if not value:
        return ""
    if match := _FULL_DATE.match(value):
        year, month, day = (int(part) for part in match.groups())
        omitted = {  # isdigit() would take "²", which int() refuses
            int(y) for y in line.params.get("X-APPLE-OMIT-YEAR", []) if _is_year(y)
        }
        known_year = None if year == 0 or year in omitted else year
    elif match := _NO_YEAR.match(value):
        known_year = None
        month, day = (int(part) for part in match.groups())
    else:
        raise ValidationError(f"{value!r} is not a date")
    return PartialDate(known_year, month, day).iso()


def _is_year(text: str) -> bool:
    return text.isdecimal() and len(text) <= 4


def relative(line: ContentLine) -> str:
    """A spouse's or child's name; a vCard 4 RELATED that points at a URI names nobody."""
    name = text_of(line)
    return "" if _URI.match(name) else name
