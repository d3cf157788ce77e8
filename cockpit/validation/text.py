"""Text fields: one-line values, free text and the key names are matched by.

What a terminal would act on (control characters, direction overrides) or a database
cannot store (text that is not UTF-8) is refused, with the field named.
"""

from __future__ import annotations

import re
import unicodedata

from cockpit.errors import ValidationError

MAX_SHORT_TEXT = 200
MAX_LONG_TEXT = 1_000_000  # characters: a note of a few hundred pages


def match_key(text: str) -> str:
    """The form used to match names, companies and emails: case and spacing folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


# Characters that make a terminal show the text around them in another order
# (right-to-left text itself needs none of them).
_DIRECTION_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Searched with regular expressions rather than character by character in Python (a
# 250,000-row import checks every note): the control characters are Unicode's category
# Cc, exactly U+0000-U+001F and U+007F-U+009F.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROLS_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def _has_control_characters(text: str) -> bool:
    return _CONTROLS.search(text) is not None


def check_encodable(text: str, what: str) -> None:
    """Text holding a byte that was not UTF-8 (a lone surrogate, as Python reads such a
    command-line argument) cannot be stored: refused here, not by the database."""
    if _SURROGATES.search(text):
        raise ValidationError(f"{what} holds a character that is not valid text (not UTF-8)")


def clean_line(
    value: str, what: str, *, required: bool = False, limit: int = MAX_SHORT_TEXT
) -> str:
    """A one-line text field: trimmed, no control characters, at most `limit` characters."""
    text = str(value).strip()
    if required and not text:
        raise ValidationError(f"{what} cannot be empty")
    if _has_control_characters(text):
        raise ValidationError(
            f"{what} cannot contain control characters (tabs, newlines, escapes, "
            "direction overrides)"
        )
    check_encodable(text, what)
    if len(text) > limit:
        raise ValidationError(f"{what} is longer than {limit} characters")
    return text


def clean_text(value: str, what: str) -> str:
    """Free text (summaries, notes): any printable text, line breaks and tabs."""
    text = str(value).replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise ValidationError(f"{what} cannot contain NUL characters")
    if _CONTROLS_BUT_LINES.search(text):
        raise ValidationError(
            f"{what} cannot contain control characters such as escapes or direction overrides"
        )
    if len(text) > MAX_LONG_TEXT:
        raise ValidationError(f"{what} is longer than {MAX_LONG_TEXT:,} characters")
    check_encodable(text, what)
    return text
