"""Printing to a terminal or pipe whose encoding lacks some characters.

Under `PYTHONIOENCODING=ascii`, an old `LANG=C` system or a Windows code page, the
first "…" or "Zoë" would end a command in UnicodeEncodeError. Cockpit's standard
output and error write what their encoding lacks in its plainest form instead:
typographic punctuation as ASCII ("…" as "...", "—" as "--", "“" as '"'), letters
without their accents ("Zoë Ångström" as "Zoe Angstrom"), anything else as "?".
"""

from __future__ import annotations

import codecs
import sys

ERRORS = "cockpit-plain"  # the name of the codec error handler
PLAIN = {  # typographic characters and letters that NFKD does not take apart
    "\u2026": "...",  # horizontal ellipsis
    "\u2013": "-",  # en dash
    "\u2014": "--",  # em dash
    "\u2212": "-",  # minus sign
    "\u2018": "'",  # quotation marks, single and double
    "\u2019": "'",
    "\u201a": ",",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2039": "<",
    "\u203a": ">",
    "\u00ab": "<<",
    "\u00bb": ">>",
    "\u2022": "*",  # bullet
    "\u00b7": ".",  # middle dot
    "\u00d7": "x",  # multiplication sign
    "\u2192": "->",  # arrows
    "\u2190": "<-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u20ac": "EUR",
    "\u00a3": "GBP",
    "\u00df": "ss",  # sharp s, ae, oe, o and l with a stroke, d with a stroke, thorn
    "\u00e6": "ae",
    "\u00c6": "AE",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u00f8": "o",
    "\u00d8": "O",
    "\u0142": "l",
    "\u0141": "L",
    "\u0111": "d",
    "\u0110": "D",
    "\u00fe": "th",
    "\u00de": "Th",
}


def write_plain_when_unencodable() -> None:
    """Make standard output and error write the characters their encoding lacks in
    plain form (see the module's docstring) instead of raising UnicodeEncodeError."""
    codecs.register_error(ERRORS, _plain_replacement)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # None under pythonw
        if reconfigure is not None:
            reconfigure(errors=ERRORS)


def _plain_replacement(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    unencodable = error.object[error.start : error.end]
    return "".join(plain(char, error.encoding) for char in unencodable), error.end


def plain(char: str, encoding: str) -> str:
    """The closest form of `char` that `encoding` can write; "?" when there is none."""
    if char in PLAIN:
        return PLAIN[char]
    import unicodedata

    if "\ud800" <= char <= "\udfff":  # a byte that was not text (a file name's): never raw
        return _or_question_mark("\ufffd", encoding)
    decomposed = unicodedata.normalize("NFKD", char)
    bare = "".join(part for part in decomposed if not unicodedata.combining(part))
    return _or_question_mark(bare, encoding) if bare and bare != char else "?"


def _or_question_mark(text: str, encoding: str) -> str:
    try:
        text.encode(encoding)
    except (UnicodeError, LookupError):
        return "?"
    return text
