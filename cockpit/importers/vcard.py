"""Reading vCard files (versions 2.1, 3.0 and 4.0) into contacts.

`vcard_lines` cuts the text into cards and each card into its properties (one
card's trouble never costing the others), `vcard_values` reads their values;
here a card's properties become a `Contact`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from vobject.base import ContentLine

from cockpit.card_note import card_note_lines
from cockpit.importers import vcard_lines
from cockpit.importers import vcard_values as value
from cockpit.importers.contact import (
    BrokenRecord,
    Child,
    Contact,
    first_of,
    group_tags,
    one_line,
    unique,
)

_CARD_LINE = re.compile(
    r"(?:^|[\r\n])[ \t]*(?:BEGIN|END)[ \t]*:[ \t]*VCARD[ \t]*(?:[\r\n]|$)", re.IGNORECASE
)
_SCHEME = re.compile(r"^(?:mailto|tel):", re.IGNORECASE)
ANNIVERSARY = ("ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY")
SPOUSE = ("X-SPOUSE", "X-MS-SPOUSE", "X-EVOLUTION-SPOUSE", "X-KADDRESSBOOK-X-SPOUSESNAME")
CHILD = ("X-MS-CHILD", "X-CHILD")
HOBBY = ("HOBBY", "X-HOBBY")  # HOBBY is vCard 4 (RFC 6715)
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
    for number, chunk in enumerate(vcard_lines.cards(text), start=1):
        record = f"record {number}"
        if chunk.problem:
            results.append(BrokenRecord(record, chunk.problem))
        else:
            results.append(_card(record, chunk.lines))
    return results


def _card(record: str, lines: list[str]) -> Contact | BrokenRecord:
    card = _Card(lines)
    name = card.name() or first_of(card.emails())  # as the CSV layouts do: named by email
    if not name:
        return BrokenRecord(record, "no name: the card has no FN, N, ORG or EMAIL")
    home, work = card.addresses()
    left_out: list[str] = []
    children = card.children(left_out)
    hobbies = unique(value.text_of(line) for name in HOBBY for line in card[name])
    return Contact(
        record=record,
        name=name,
        company=card.first("ORG", value.organisation),
        title=card.first("TITLE", value.text_of),
        emails=card.emails(),
        phones=card.phones(),
        nickname=card.first("NICKNAME", lambda line: one_line(value.split(line.value, ",")[0])),
        company_address=work,
        home_address=home,
        birthday=value.first_date(card["BDAY"], "birthday", left_out),
        anniversary=value.first_date(card.anniversaries(), "anniversary", left_out),
        spouse=first_of(value.relative(line) for line in card.relatives(SPOUSE, SPOUSE_LABELS)),
        children=children,
        hobbies=hobbies,
        note=_note(card, children, hobbies),
        tags=group_tags(
            part for line in card["CATEGORIES"] for part in value.split(line.value, ",")
        ),
        left_out=left_out,
    )


def _note(card: _Card, children: list[Child], hobbies: list[str]) -> str:
    """The NOTE, without the lines a Cockpit export wrote there for what the card holds
    as children and hobbies already (`card_note`)."""
    written = card_note_lines([(child.name, child.birthday) for child in children], hobbies)
    derived = {one_line(line) for line in written}
    lines = [
        line
        for note in card["NOTE"]
        for line in value.lines_of(note).split("\n")
        if one_line(line) not in derived
    ]
    return value.multi_line("\n".join(lines))


class _Card:
    """A card's properties by name, and the Apple-style labels of grouped ones
    (`item1.X-ABRELATEDNAMES:Jenny` with `item1.X-ABLabel:_$!<Spouse>!$_`)."""

    def __init__(self, lines: list[str]) -> None:
        self.props: dict[str, list[ContentLine]] = {}
        for line in vcard_lines.properties(lines):
            self.props.setdefault(line.name, []).append(line)
        self.labels = {
            line.group.lower(): value.label_of(line.value)
            for line in self["X-ABLABEL"]
            if line.group
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
            self.first("FN", value.text_of)
            or self.first("N", value.structured_name)
            or self.first("ORG", value.organisation)
        )

    def emails(self) -> list[str]:
        found = (_SCHEME.sub("", value.text_of(line)) for line in self["EMAIL"])
        return unique(email for email in found if "@" in email and " " not in email)

    def phones(self) -> list[str]:
        """The numbers; a vCard 4 `tel:` URI loses its scheme and `;ext=` reads as "ext."."""
        return unique(
            _SCHEME.sub("", one_line(line.value)).replace(";ext=", " ext. ") for line in self["TEL"]
        )

    def addresses(self) -> tuple[str, str]:
        """The home and the work address; LABEL (a preformatted one) serves when there is
        no ADR. A home address is one typed HOME, else any that is not typed WORK."""
        found = [(value.types_of(line), value.address(line.value)) for line in self["ADR"]]
        if not any(text for _, text in found):
            found = [(value.types_of(line), value.lines_of(line)) for line in self["LABEL"]]
        work = first_of(text for types, text in found if "work" in types)
        home = first_of(text for types, text in found if "home" in types and "work" not in types)
        return home or first_of(text for types, text in found if "work" not in types), work

    def children(self, left_out: list[str]) -> list[Child]:
        """The children by name, each once; Cockpit writes a birthday as an X-BIRTHDAY
        parameter, and a child known by the birthday alone with no name."""
        children: list[Child] = []
        names: set[str] = set()
        for line in self.relatives(CHILD, CHILD_LABELS):
            name = value.relative(line)
            birthday = value.child_birthday(line, left_out)
            if (name or birthday) and name.casefold() not in names:
                children.append(Child(name, birthday))
                names |= {name.casefold()} - {""}
        return children

    def anniversaries(self) -> list[ContentLine]:
        lines = [line for name in ANNIVERSARY for line in self[name]]
        return lines + self.labelled("X-ABDATE", frozenset({"anniversary"}))

    def relatives(self, names: tuple[str, ...], kinds: frozenset[str]) -> list[ContentLine]:
        lines = [line for name in names for line in self[name]]
        lines += [line for line in self["RELATED"] if value.types_of(line) & kinds]
        return lines + self.labelled("X-ABRELATEDNAMES", kinds)
