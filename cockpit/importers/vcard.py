"""Reading vCard files (versions 2.1, 3.0 and 4.0) into contacts.

Address books write vCards loosely: quoted-printable values broken over lines
without the folding space, line endings of any kind, a card cut short, a card
without BEGIN, property names in any case. So the text is cut into cards here,
one card's trouble never costing the others, and each card into logical lines;
vobject then reads each line (name, group, parameters).

Values are decoded here rather than by vobject's card reader: that reader keeps
only the text before the first unescaped comma of a value, and 2.1 files (and
Gmail's 3.0 ones) do not escape commas, so `FN:Doe, John` would become `Doe`.
"""

from __future__ import annotations

import quopri
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from vobject.base import ContentLine, ParseError, parseLine

from cockpit.errors import ValidationError
from cockpit.importers.contact import (
    BrokenRecord,
    Child,
    Contact,
    first_of,
    one_line,
    unique,
    windows_bytes_read,
)
from cockpit.partial_date import PartialDate

_LINE_BREAK = re.compile(r"\r*\n|\r")  # \r\r\n is one break: some iPhone exports write it
_BEGIN = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*VCARD[ \t]*$", re.IGNORECASE)
_END = re.compile(r"^[ \t]*END[ \t]*:[ \t]*VCARD[ \t]*$", re.IGNORECASE)
_CARD_LINE = re.compile(
    r"(?:^|[\r\n])[ \t]*(?:BEGIN|END)[ \t]*:[ \t]*VCARD[ \t]*(?:[\r\n]|$)", re.IGNORECASE
)
# Pictures and keys are large and of no use here, and a damaged one must not cost the card;
# PROFILE (Lotus Notes writes it) makes vobject take the line for the start of a component.
SKIPPED = frozenset({"PHOTO", "LOGO", "SOUND", "KEY", "PROFILE"})
_TOKENS = {sep: re.compile(rf"\\.|[^\\{sep}]+|.", re.DOTALL) for sep in ";,"}
# vobject's own pattern for a property line, written so that each character can be read
# one way only: vobject's backtracks exponentially on a damaged line with many parameters.
_PROPERTY = re.compile(
    r'^(?:[A-Za-z0-9_-]+\.)?[A-Za-z0-9_-]+;?(?:;[A-Za-z0-9_-]+(?:[=,](?:"[^"]*"|[^";:,=]*))*)*:'
)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_URI = re.compile(r"^[a-z][a-z0-9+.-]*:\S", re.IGNORECASE)
_SCHEME = re.compile(r"^(?:mailto|tel):", re.IGNORECASE)
_FULL_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
ANNIVERSARY = ("ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY")
SPOUSE = ("X-SPOUSE", "X-MS-SPOUSE", "X-EVOLUTION-SPOUSE", "X-KADDRESSBOOK-X-SPOUSESNAME")
CHILD = ("X-MS-CHILD", "X-CHILD")
SPOUSE_LABELS = frozenset({"spouse", "wife", "husband"})
CHILD_LABELS = frozenset({"child", "son", "daughter"})


def looks_like_vcard(text: str) -> bool:
    """Whether the text holds a BEGIN:VCARD or END:VCARD line.

    END counts too, so that a file whose BEGIN line is lost is still read as
    vCard and reported as such rather than refused as an unknown file.
    """
    return _CARD_LINE.search(text) is not None


def parse_vcards(text: str, source: str) -> list[Contact | BrokenRecord]:
    """Every card of the text in order, as a Contact or a BrokenRecord "record N".

    `source` names the file for the caller's messages; the records carry only
    their number, as the report adds the file name itself.
    """
    results: list[Contact | BrokenRecord] = []
    for number, chunk in enumerate(_chunks(_physical_lines(text)), start=1):
        record = f"record {number}"
        if chunk.problem:
            results.append(BrokenRecord(record, chunk.problem))
        else:
            results.append(_card(record, chunk.lines))
    return results


@dataclass
class _Chunk:
    first_line: int
    lines: list[str]
    problem: str = ""
    folds: bool = False  # whether an indented line continues the one before, END:VCARD or not


def _physical_lines(text: str) -> list[str]:
    """The lines, whatever their endings.

    Text decoded with surrogate escapes holds the bytes that were not UTF-8;
    old 2.1 exports wrote Windows-1252, the likeliest reading of each of them.
    """
    text = windows_bytes_read(text)
    return _LINE_BREAK.split(text)


def _chunks(lines: list[str]) -> Iterator[_Chunk]:
    """The cards between BEGIN and END lines, and any text that is in no card.

    BEGIN and END may be indented; but in a card whose BEGIN is not, a line starting
    with a space or a tab continues the line before it (RFC 6350, 3.2), so it never
    ends the card: a name folded just before its "END:VCARD" stays whole.
    """
    card: _Chunk | None = None
    stray: _Chunk | None = None
    for number, line in enumerate(lines, start=1):
        if card and card.folds and card.lines and line[:1] in (" ", "\t"):
            card.lines.append(line)
        elif _BEGIN.match(line):
            if stray:
                yield _stray(stray)
                stray = None
            if card:
                yield _unclosed(card)
            card = _Chunk(number, [], folds=line[:1] not in (" ", "\t"))
        elif card:
            if _END.match(line):
                yield card
                card = None
            else:
                card.lines.append(line)
        elif line.strip():
            stray = stray or _Chunk(number, [])
            stray.lines.append(line)
            if _END.match(line):
                yield _stray(stray)
                stray = None
    if stray:
        yield _stray(stray)
    if card:
        yield _unclosed(card)


def _unclosed(card: _Chunk) -> _Chunk:
    card.problem = (
        f"the card starting on line {card.first_line} has no END:VCARD line "
        "(the file may be cut short); it was not imported"
    )
    return card


def _stray(chunk: _Chunk) -> _Chunk:
    last = chunk.first_line + len(chunk.lines) - 1
    where = f"line {last}" if last == chunk.first_line else f"lines {chunk.first_line}-{last}"
    if _END.match(chunk.lines[-1]):
        chunk.problem = f"{where}: a card without its BEGIN:VCARD line; it was not imported"
    else:
        chunk.problem = f"{where}: text outside any BEGIN:VCARD ... END:VCARD card was ignored"
    return chunk


def _logical_lines(lines: list[str]) -> list[str]:
    """Unfold the card: a line starting with a space or tab continues the one before,
    and a quoted-printable value ending in `=` continues on the next line (vCard 2.1).
    A blank line ends such a value, as some writers leave one after the last `=`."""
    logical: list[str] = []
    soft_break = False
    for line in lines:
        if soft_break:
            logical[-1] = logical[-1][:-1]
            if not line.strip():
                soft_break = False
                continue
            logical[-1] += line
        elif line[:1] in (" ", "\t") and logical:
            logical[-1] += line[1:]
        elif line.strip():
            logical.append(line.lstrip())
        else:
            continue
        soft_break = logical[-1].endswith("=") and _is_quoted_printable(logical[-1])
    return logical


def _is_quoted_printable(line: str) -> bool:
    return "QUOTED-PRINTABLE" in line.partition(":")[0].upper()


def _content_line(text: str) -> ContentLine | None:
    """One property read by vobject, its quoted-printable value decoded; None when unreadable."""
    if not _PROPERTY.match(text):
        return None
    try:
        name, params, value, group = parseLine(text)
    except ParseError:
        return None
    if name.upper() in SKIPPED:
        return None
    if any(_is_qp_param(param) for param in params):
        charset = next((p[1] for p in params if p[0].upper() == "CHARSET" and len(p) > 1), None)
        value = _decode_qp(value, charset)
        params = [p for p in params if not _is_qp_param(p) and p[0].upper() != "CHARSET"]
    return ContentLine(name, params, value, group)


def _is_qp_param(param: list[str]) -> bool:
    values = [value.upper() for value in param]
    return values == ["QUOTED-PRINTABLE"] or values[:2] == ["ENCODING", "QUOTED-PRINTABLE"]


def _decode_qp(value: str, charset: str | None) -> str:
    """Quoted-printable decoded; a declared charset is trusted, else UTF-8, else Windows-1252.
    Decoding never fails: a wrong byte becomes a replacement character."""
    data = quopri.decodestring(value.encode("utf-8"))
    if charset:
        try:
            with warnings.catch_warnings():  # unicode_escape warns of a bad escape
                warnings.simplefilter("ignore")
                return data.decode(charset, errors="replace")
        except (LookupError, ValueError):  # no such charset, or a name no codec takes
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _card(record: str, lines: list[str]) -> Contact | BrokenRecord:
    card = _Card(lines)
    name = card.name() or first_of(card.emails())  # as the CSV layouts do: named by email
    if not name:
        return BrokenRecord(record, "no name: the card has no FN, N, ORG or EMAIL")
    home, work = card.addresses()
    left_out: list[str] = []
    return Contact(
        record=record,
        name=name,
        company=card.first("ORG", _organisation),
        title=card.first("TITLE", _text),
        emails=card.emails(),
        phones=card.phones(),
        nickname=card.first("NICKNAME", lambda line: one_line(_split(line.value, ",")[0])),
        company_address=work,
        home_address=home,
        birthday=_first_date(card["BDAY"], "birthday", left_out),
        anniversary=_first_date(card.anniversaries(), "anniversary", left_out),
        spouse=first_of(_relative(line) for line in card.relatives(SPOUSE, SPOUSE_LABELS)),
        children=[
            Child(child)
            for child in unique(_relative(line) for line in card.relatives(CHILD, CHILD_LABELS))
        ],
        note="\n".join(filter(None, (_multi_line(_unescape(line.value)) for line in card["NOTE"]))),
        left_out=left_out,
    )


class _Card:
    """A card's properties by name, and the Apple-style labels of grouped ones
    (`item1.X-ABRELATEDNAMES:Jenny` with `item1.X-ABLabel:_$!<Spouse>!$_`)."""

    def __init__(self, lines: list[str]) -> None:
        self.props: dict[str, list[ContentLine]] = {}
        for text in _logical_lines(lines):
            line = _content_line(text)
            if line is not None:
                self.props.setdefault(line.name, []).append(line)
        self.labels = {
            line.group.lower(): _label(line.value) for line in self["X-ABLABEL"] if line.group
        }

    def __getitem__(self, name: str) -> list[ContentLine]:
        return self.props.get(name, [])

    def first(self, name: str, read: Callable[[ContentLine], str]) -> str:
        return first_of(read(line) for line in self[name])

    def labelled(self, name: str, wanted: frozenset[str]) -> list[ContentLine]:
        return [
            line for line in self[name] if self.labels.get((line.group or "").lower()) in wanted
        ]

    def name(self) -> str:
        """FN; else the N parts in reading order; else the organisation."""
        return (
            self.first("FN", _text)
            or self.first("N", _structured_name)
            or self.first("ORG", _organisation)
        )

    def emails(self) -> list[str]:
        found = (_SCHEME.sub("", _text(line)) for line in self["EMAIL"])
        return unique(email for email in found if "@" in email and " " not in email)

    def phones(self) -> list[str]:
        """The numbers; a vCard 4 `tel:` URI loses its scheme and `;ext=` reads as "ext."."""
        return unique(
            _SCHEME.sub("", one_line(line.value)).replace(";ext=", " ext. ") for line in self["TEL"]
        )

    def addresses(self) -> tuple[str, str]:
        """The home and the work address; LABEL (a preformatted one) serves when there is
        no ADR. A home address is one typed HOME, else any that is not typed WORK."""
        found = [(_types(line), _address(line.value)) for line in self["ADR"]]
        if not any(text for _, text in found):
            found = [(_types(line), _multi_line(_unescape(line.value))) for line in self["LABEL"]]
        work = first_of(text for types, text in found if "work" in types)
        home = first_of(text for types, text in found if "home" in types and "work" not in types)
        return home or first_of(text for types, text in found if "work" not in types), work

    def anniversaries(self) -> list[ContentLine]:
        lines = [line for name in ANNIVERSARY for line in self[name]]
        return lines + self.labelled("X-ABDATE", frozenset({"anniversary"}))

    def relatives(self, names: tuple[str, ...], kinds: frozenset[str]) -> list[ContentLine]:
        lines = [line for name in names for line in self[name]]
        lines += [line for line in self["RELATED"] if _types(line) & kinds]
        return lines + self.labelled("X-ABRELATEDNAMES", kinds)


def _types(line: ContentLine) -> set[str]:
    """TYPE=work,pref (3.0, 4.0) and bare WORK (2.1) alike, in lower case."""
    types = {part for value in line.params.get("TYPE", []) for part in value.split(",")}
    return {value.strip().lower() for value in types | set(line.singletonparams)}


def _label(value: str) -> str:
    text = value.strip()
    if text.startswith("_$!<") and text.endswith(">!$_"):
        text = text[4:-4]
    return text.lower()


def _unescape(value: str) -> str:
    return _ESCAPE.sub(lambda match: "\n" if match.group(1) in "nN" else match.group(1), value)


def _split(value: str, separator: str = ";") -> list[str]:
    """The parts between separators that no backslash escapes, each unescaped."""
    parts = [""]
    for token in _TOKENS[separator].findall(value):
        if token == separator:
            parts.append("")
        else:
            parts[-1] += token
    return [_unescape(part) for part in parts]


def _fields(value: str, count: int) -> list[str]:
    """The first `count` parts of a structured value; writers often leave the last ones off."""
    parts = _split(value)
    return [*parts, *[""] * count][:count]


def _multi_line(text: str) -> str:
    return "\n".join(line.strip() for line in _LINE_BREAK.split(text)).strip()


def _text(line: ContentLine) -> str:
    return one_line(_unescape(line.value))


def _organisation(line: ContentLine) -> str:
    """ORG is organisation;unit;sub-unit: the first part is the company."""
    return one_line(_split(line.value)[0])


def _structured_name(line: ContentLine) -> str:
    """N is family;given;additional;prefix;suffix; a part may list several names
    separated by commas. The prefix and suffix (Mr., Jr.) are left out."""
    family, given, additional = _fields(line.value, 3)
    return one_line(" ".join(part.replace(",", " ") for part in (given, additional, family)))


def _address(value: str) -> str:
    """ADR (box;extended;street;city;region;code;country) as the lines of an envelope."""
    box, extended, street, city, region, code, country = _fields(value, 7)
    lines = [one_line(part) for field in (box, extended, street) for part in field.split("\n")]
    place = " ".join(filter(None, (one_line(region), one_line(code))))
    lines.append(", ".join(filter(None, (one_line(city), place))))
    lines += [one_line(part) for part in country.split("\n")]
    return "\n".join(filter(None, lines))


def _first_date(lines: list[ContentLine], what: str, left_out: list[str]) -> str:
    """The first of these dates that reads as one; each that does not is noted in `left_out`."""
    for line in lines:
        try:
            if found := _date(line):
                return found
        except ValidationError:
            value = _unescape(line.value).strip()
            left_out.append(f"{what} {value!r} left out: it is not a calendar date")
    return ""


def _date(line: ContentLine) -> str:
    """A BDAY or anniversary as `YYYY-MM-DD` or `--MM-DD`; "" when it is empty or text
    (vCard 4 allows `VALUE=text`); ValidationError when it is no calendar date.

    Accepts 19790415, 1979-04-15, a date and time (the time is dropped), and
    without a year --0415 (vCard 3 style) or --04-15 (vCard 4). Apple writes a
    year it does not know as 1604 and says so in X-APPLE-OMIT-YEAR.
    """
    if any(value.lower() == "text" for value in line.params.get("VALUE", [])):
        return ""
    value = _unescape(line.value).strip().partition("T")[0]
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


def _relative(line: ContentLine) -> str:
    """A spouse's or child's name; a vCard 4 RELATED that points at a URI names nobody."""
    name = _text(line)
    return "" if _URI.match(name) else name
