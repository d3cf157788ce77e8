"""Making user text safe to show: it is text, never markup or terminal control.

Textual passes control characters through to the terminal, so a name holding
`ESC ] 0 ; title BEL` would retitle the terminal. Every piece of user text
shown on screen or printed goes through `printable` (or `safe_text`, which
also keeps it from being read as Rich markup).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

_DEL = 0x7F


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


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character replaced by a visible symbol.

    With `multiline`, line breaks are kept; otherwise they show as spaces, so a
    note fits on one line of a list. Tabs become spaces.
    """
    if not any(_is_control(char) for char in text):
        return text
    out = []
    for char in text:
        if char == "\n":
            out.append("\n" if multiline else " ")
        elif char == "\t":
            out.append(" ")
        elif char == "\r":
            continue
        elif _is_control(char):
            out.append(_picture(char))
        else:
            out.append(char)
    return "".join(out)


def safe_text(text: str, style: str = "", *, multiline: bool = False) -> Text:
    """A Rich Text of user data: shown literally, markup and escapes included."""
    from rich.text import Text

    return Text(printable(text, multiline=multiline), style=style)
