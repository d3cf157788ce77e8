"""Making user text safe to show: it is text, never markup or terminal control.

Textual passes control characters through to the terminal, so a name holding
`ESC ] 0 ; title BEL` would retitle the terminal. Every piece of user text
shown on screen or printed goes through `printable` (or `safe_text`, which
also keeps it from being read as Rich markup).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

_DEL = 0x7F
_DEL_AND_C1 = re.compile("[\x7f-\x9f]")  # a megabyte of JSON is searched in C, not looped over


def _picture(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block: ␛ for ESC
    if code == _DEL:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls (0x80-0x9F)


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or _DEL <= code <= 0x9F


def printable(text: str, *, multiline: bool = False, tabs: bool = False) -> str:
    """`text` with every control character replaced by a visible symbol.

    With `multiline`, line breaks are kept; otherwise they show as spaces, so a
    note fits on one line of a list. Tabs become spaces, unless `tabs` keeps them
    (for a text area, which lays tabs out itself: an edit then saves them as they were).
    """
    if not any(_is_control(char) for char in text):
        return text
    out = []
    for char in text:
        if char == "\n":
            out.append("\n" if multiline else " ")
        elif char == "\t":
            out.append("\t" if tabs else " ")
        elif char == "\r":
            continue
        elif _is_control(char):
            out.append(_picture(char))
        else:
            out.append(char)
    return "".join(out)


def pasted(text: str) -> str:
    """Text pasted into a field, as it may be typed there: line breaks (which terminals
    often send as CR) and tabs kept, any other control character shown as a symbol, so
    a pasted escape sequence is seen and never echoed to the terminal."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return printable(text, multiline=True, tabs=True)


def safe_text(text: str, style: str = "", *, multiline: bool = False) -> Text:
    """A Rich Text of user data: shown literally, markup and escapes included."""
    from rich.text import Text

    return Text(printable(text, multiline=multiline), style=style)


def counted(number: int, one: str, many: str | None = None) -> str:
    """A number of things in words: "1 weekly review", "2 weekly reviews", "0 replies"."""
    return f"{number} {one if number == 1 else many or one + 's'}"


def ordinal(number: int) -> str:
    """ "1st", "2nd", "11th", "57th"."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters of `text`, ending in … when cut (a 100 KB note
    must not fill a one-line place, nor cost a second to lay out)."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def cell_width(text: str) -> int:
    """How many terminal cells `text` takes."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` terminal cells: padded, or cut with … (wide
    characters such as emoji and CJK take two cells; combining marks none)."""
    if width <= 0:
        return ""
    if text.isascii():  # the common case, and one cell a character
        return text[: width - 1] + "…" if len(text) > width else text.ljust(width)
    from rich.cells import set_cell_size

    if cell_width(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(set_cell_size(text, width - 1) + "…", width)


def markdown_text(text: str) -> str:
    """Text that Markdown shows as it is, on one line (no emphasis, links or HTML made of
    it)."""
    for special in "\\`*_{}[]<>()#+-!|~":
        text = text.replace(special, "\\" + special)
    return " ".join(text.split())


def json_printable(document: str) -> str:
    """JSON text as `json.dumps(..., ensure_ascii=False)` makes it, with DEL and the
    C1 controls (U+007F-U+009F, which some terminals obey as ESC sequences) written
    as \\u escapes too, as JSON already writes the C0 ones: the same data, safe to print.
    So are the characters standard output cannot encode (under PYTHONIOENCODING=ascii),
    which it would otherwise print in a plainer form: other data."""
    encoding = _stdout_encoding()
    try:
        encoded = document.encode(encoding)
    except (UnicodeError, LookupError):
        encoded = None
    if encoded is not None:  # the usual case: only DEL and C1 to escape, if any
        if _is_utf8(encoding) and b"\x7f" not in encoded and b"\xc2" not in encoded:
            return document  # in UTF-8 DEL is 0x7f and every C1 control starts with 0xc2
        return _DEL_AND_C1.sub(lambda found: _json_escape(found.group()), document)
    return "".join(
        char if _as_is_in_json(char, encoding) else _json_escape(char) for char in document
    )


def _as_is_in_json(char: str, encoding: str) -> bool:
    return not _DEL <= ord(char) <= 0x9F and (char.isascii() or _encodes(char, encoding))


def _stdout_encoding() -> str:
    import sys

    return getattr(sys.stdout, "encoding", None) or "utf-8"


def _is_utf8(encoding: str) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True


def _json_escape(char: str) -> str:
    """The character as JSON writes it with \\u escapes (a surrogate pair beyond U+FFFF)."""
    units = char.encode("utf-16-be", errors="surrogatepass")
    return "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))
