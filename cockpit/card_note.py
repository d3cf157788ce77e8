"""The NOTE a Cockpit vCard carries for people to read: the children with their birthdays
and the interests, which the card also holds as X-CHILD and X-HOBBY lines. The exporter
writes it; the importer knows it again by these same lines, and leaves it out rather than
taking it for a note someone wrote."""

from __future__ import annotations


def card_note_lines(children: list[tuple[str, str]], interests: list[str]) -> list[str]:
    """The note's lines, from the children as (name, birthday as written on the card) and
    the interests; no lines when there are neither."""
    lines = []
    named = []
    for name, birthday in children:
        if name and birthday:
            named.append(f"{name} (birthday {birthday})")
        elif name or birthday:
            named.append(name or f"a child (birthday {birthday})")
    if named:
        lines.append("Children: " + ", ".join(named))
    if interests:
        lines.append("Interests: " + ", ".join(interests))
    return lines
