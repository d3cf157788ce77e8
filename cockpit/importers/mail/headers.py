"""A message's header values as text: unfolded, their bytes decoded, RFC 2047's encoded
words (`=?utf-8?q?J=C3=B6rg?=`) read, and made one clean line.

Raw bytes in a header are read as UTF-8 (RFC 6532 allows it); bytes that are not UTF-8
are read as Windows-1252 (which reads any byte, and is what such mail mostly is), and
that is reported. An encoded word in an unknown charset, or broken, is read as best it
can be (unreadable bytes as �), and reported too.
"""

from __future__ import annotations

import email.errors
import email.header
import re
from dataclasses import dataclass

from cockpit.text import shorten

_FOLD = re.compile(r"\r?\n(?=[ \t])|[\r\n]+$")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # a byte the parser could not read as ASCII
# What a line of text never keeps: control characters (Unicode's Cc, U+0000-U+001F and
# U+007F-U+009F: escapes, tabs, line breaks) and direction overrides.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")
_SPACES = re.compile(r"\s+")
LONGEST_LINE = 200  # characters of a subject or a name kept, as Cockpit's one-line fields


@dataclass(frozen=True)
class HeaderText:
    """A header value read: its text, and what was wrong with it ("" if nothing)."""

    text: str
    trouble: str = ""


def unfolded(value: str) -> str:
    """A raw header value on one line (RFC 5322 folding taken out)."""
    return _FOLD.sub("", value)


def from_bytes(value: str) -> HeaderText:
    """A raw value (the parser's, its non-ASCII bytes escaped) as text."""
    value = unfolded(value)
    if not _ESCAPED_BYTE.search(value):
        return HeaderText(value)
    data = value.encode("ascii", "surrogateescape")
    try:
        return HeaderText(data.decode("utf-8"))
    except UnicodeDecodeError:
        return HeaderText(
            data.decode("cp1252", errors="replace"), "is not UTF-8: read as Windows-1252"
        )


def with_words_decoded(text: str) -> HeaderText:
    """Text with its RFC 2047 encoded words decoded."""
    if "=?" not in text:
        return HeaderText(text)
    try:
        parts = email.header.decode_header(text)
    except email.errors.HeaderParseError:  # a broken base64 word: kept as written
        return HeaderText(text, "has an encoded word that cannot be decoded: kept as written")
    try:
        return HeaderText(str(email.header.make_header(parts)))
    except (LookupError, UnicodeError):
        return HeaderText(
            "".join(_leniently(chunk, charset) for chunk, charset in parts),
            "has encoded words in an unknown charset or not in their charset: read as UTF-8",
        )


def _leniently(chunk: bytes | str, charset: str | None) -> str:
    if isinstance(chunk, str):
        return chunk
    try:
        return chunk.decode(charset or "ascii", errors="replace")
    except LookupError:
        return chunk.decode("utf-8", errors="replace")


def one_line(text: str, limit: int = LONGEST_LINE) -> str:
    """Text on one line: control characters dropped, runs of spaces made one, at most
    `limit` characters (cut with …)."""
    return shorten(_SPACES.sub(" ", _CONTROLS.sub(" ", text)).strip(), limit)


def text_header(value: str) -> HeaderText:
    """A raw value of a header meant for people (Subject, a display name) as one line."""
    read = from_bytes(value)
    decoded = with_words_decoded(read.text)
    return HeaderText(one_line(decoded.text), read.trouble or decoded.trouble)
