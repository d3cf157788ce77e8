"""Cutting vCard text into cards, and each card into its properties.

Address books write vCards loosely: quoted-printable values broken over lines
without the folding space, line endings of any kind, a card cut short, a card
without BEGIN, property names in any case. So the text is cut into cards here,
one card's trouble never costing the others, and each card into logical lines;
vobject then reads each line (name, group, parameters), and a quoted-printable
value is decoded here.
"""

from __future__ import annotations

import quopri
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from vobject.base import ContentLine, ParseError, parseLine

from cockpit.importers.contact import windows_bytes_read

LINE_BREAK = re.compile(r"\r*\n|\r")  # \r\r\n is one break: some iPhone exports write it
_BEGIN = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*VCARD[ \t]*$", re.IGNORECASE)
_END = re.compile(r"^[ \t]*END[ \t]*:[ \t]*VCARD[ \t]*$", re.IGNORECASE)
# Pictures and keys are large and of no use here, and a damaged one must not cost the card;
# PROFILE (Lotus Notes writes it) makes vobject take the line for the start of a component.
SKIPPED = frozenset({"PHOTO", "LOGO", "SOUND", "KEY", "PROFILE"})
# vobject's own pattern for a property line, written so that each character can be read
# one way only: vobject's backtracks exponentially on a damaged line with many parameters.
_PROPERTY = re.compile(
    r'^(?:[A-Za-z0-9_-]+\.)?[A-Za-z0-9_-]+;?(?:;[A-Za-z0-9_-]+(?:[=,](?:"[^"]*"|[^";:,=]*))*)*:'
)


def cards(text: str) -> Iterator[Chunk]:
    """The cards of the text in order, and the stray text between them, each with its
    lines; one that cannot be read says why in its `problem`."""
    return _chunks(_physical_lines(text))


def properties(lines: list[str]) -> Iterator[ContentLine]:
    """The properties of one card's lines that vobject reads, in order; pictures, keys and
    unreadable lines left out."""
    for text in _logical_lines(lines):
        line = _content_line(text)
        if line is not None:
            yield line


@dataclass
class Chunk:
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
    return LINE_BREAK.split(text)


def _chunks(lines: list[str]) -> Iterator[Chunk]:
    """The cards between BEGIN and END lines, and any text that is in no card.

    BEGIN and END may be indented; but in a card whose BEGIN is not, a line starting
    with a space or a tab continues the line before it (RFC 6350, 3.2), so it never
    ends the card: a name folded just before its "END:VCARD" stays whole.
    """
    card: Chunk | None = None
    stray: Chunk | None = None
    for number, line in enumerate(lines, start=1):
        if card and card.folds and card.lines and line[:1] in (" ", "\t"):
            card.lines.append(line)
        elif _BEGIN.match(line):
            if stray:
                yield _stray(stray)
                stray = None
            if card:
                yield _unclosed(card)
            card = Chunk(number, [], folds=line[:1] not in (" ", "\t"))
        elif card:
            if _END.match(line):
                yield card
                card = None
            else:
                card.lines.append(line)
        elif line.strip():
            stray = stray or Chunk(number, [])
            stray.lines.append(line)
            if _END.match(line):
                yield _stray(stray)
                stray = None
    if stray:
        yield _stray(stray)
    if card:
        yield _unclosed(card)


def _unclosed(card: Chunk) -> Chunk:
    card.problem = (
        f"the card starting on line {card.first_line} has no END:VCARD line "
        "(the file may be cut short); it was not imported"
    )
    return card


def _stray(chunk: Chunk) -> Chunk:
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
