"""Email addresses: what is one, and the key two spellings of one address share.

Case is ignored (`Ann@Acme.example` is `ann@acme.example`), and an internationalised
domain matches in either spelling (`bücher.example` and its ASCII form
`xn--bcher-kva.example`). A `+tag` is part of the address: `ann+crm@acme.example` is not
`ann@acme.example` (some servers deliver both to one mailbox, others do not, and the book
holds the address you gave).
"""

from __future__ import annotations

import re
import unicodedata

MAX_ADDRESS = 320  # characters, as RFC 5321 allows
_NOT_IN_AN_ADDRESS = re.compile(r'[\s<>,;"()\[\]\\\x00-\x1f\x7f]')


def is_address(text: str) -> bool:
    """Whether the text is an address on its own: `local@domain`, without spaces, angle
    brackets, a display name or characters a terminal would act on."""
    local, at, domain = text.rpartition("@")
    return (
        bool(at and local and domain)
        and len(text) <= MAX_ADDRESS
        and _NOT_IN_AN_ADDRESS.search(text) is None
        and (text.isascii() or not any(_is_control(char) for char in text))
        and "" not in domain.rstrip(".").split(".")
    )


def _is_control(char: str) -> bool:
    """A control character (Cc) or a format one (Cf: direction overrides, zero widths),
    which a terminal would act on or hide."""
    return unicodedata.category(char) in ("Cc", "Cf")


def address_key(address: str) -> str:
    """The form addresses are compared in: case folded (and NFKC), the domain's labels in
    Unicode, without a final dot."""
    local, at, domain = address.strip().rpartition("@")
    if not at:
        return _folded(address.strip())
    labels = domain.rstrip(".").split(".")
    return f"{_folded(local)}@{_folded('.'.join(_unicode_label(label) for label in labels))}"


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _unicode_label(label: str) -> str:
    if label[:4].lower() != "xn--":
        return label
    try:
        return label.lower().encode("ascii").decode("idna")
    except UnicodeError:  # not valid Punycode: compared as written
        return label
