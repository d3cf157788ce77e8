"""A client's Mackay 66 profile as a document: for printing, JSON and completeness.

Sensitive answers are masked unless asked for; item 39 (confidential subjects)
is sensitive like the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.profile.schema import ITEMS, SECTIONS, FieldType, Item, items_in_section

MASK = "••••••"


@dataclass(frozen=True)
class Completeness:
    answered: int
    total: int
    by_section: dict[str, tuple[int, int]]  # section -> (answered, items)


def answered_items(answers: dict) -> set[int]:
    """The numbers of the items with at least one answered field."""
    return {item.number for item in ITEMS if any(f.key in answers for f in item.fields)}


def completeness(answers: dict) -> Completeness:
    done = answered_items(answers)
    return Completeness(
        answered=len(done),
        total=len(ITEMS),
        by_section={
            section: (
                sum(1 for item in items_in_section(section) if item.number in done),
                len(items_in_section(section)),
            )
            for section in SECTIONS
        },
    )


def _field_json(item: Item, answers: dict, show_sensitive: bool) -> list[dict]:
    fields = []
    for field in item.fields:
        value = answers.get(field.key)
        masked = field.sensitive and value is not None and not show_sensitive
        fields.append(
            {
                "key": field.key,
                "type": field.type.value,
                "sensitive": field.sensitive,
                "value": None if masked else value,
                "masked": masked,
            }
        )
    return fields


def as_json_document(name: str, company: str, answers: dict, show_sensitive: bool) -> dict:
    """The object `cockpit profile --json` prints."""
    done = completeness(answers)
    return {
        "client": name,
        "company": company,
        "completeness": {
            "answered": done.answered,
            "of": done.total,
            "sections": {section: list(pair) for section, pair in done.by_section.items()},
        },
        "items": [
            {
                "number": item.number,
                "section": item.section,
                "title": item.title,
                "fields": _field_json(item, answers, show_sensitive),
            }
            for item in ITEMS
        ],
    }


def _value_text(field, value) -> str:
    if field.type is FieldType.LIST:
        rows = []
        for row in value:
            cells = [row.get(column.key, "") for column in field.columns]
            rows.append(" · ".join(cell for cell in cells if cell))
        return "; ".join(rows)
    return str(value)


def as_text_lines(name: str, company: str, answers: dict, show_sensitive: bool) -> list[str]:
    """The answered items, section by section, sensitive ones masked unless asked for."""
    done = completeness(answers)
    heading = name + (f" — {company}" if company else "")
    lines = [f"{heading}", f"Mackay 66: {done.answered} of {done.total} items answered", ""]
    hidden = 0
    for section in SECTIONS:
        answered, total = done.by_section[section]
        lines.append(f"{section} ({answered} of {total})")
        for item in items_in_section(section):
            present = [f for f in item.fields if f.key in answers]
            if not present:
                continue
            lines.append(f"  {item.number:>2}. {item.title}")
            for field in present:
                if field.sensitive and not show_sensitive:
                    text = f"{MASK} (sensitive)"
                    hidden += 1
                else:
                    text = _value_text(field, answers[field.key])
                lines.append(f"      {field.label}: {text}")
        lines.append("")
    if hidden:
        masked = "sensitive answer is" if hidden == 1 else "sensitive answers are"
        lines.append(f"{hidden} {masked} masked; --show-sensitive shows them.")
    return lines
