"""The weekly review's agenda as `cockpit review` prints it: text, Markdown or JSON."""

from __future__ import annotations

import json

from cockpit.dates import short_day
from cockpit.review import Agenda, AgendaItem
from cockpit.text import printable


def _period(agenda: Agenda) -> str:
    start, end = agenda.as_of, agenda.week_end
    return f"{short_day(start)} to {short_day(end)} {end:%Y}"


def _who(item: AgendaItem) -> str:
    who = item.client + (f" ({item.company})" if item.company else "")
    return who + (f", rep {item.owner}" if item.owner else "")


def _how_many(agenda: Agenda) -> str:
    more = f" ({agenda.more} less pressing left out)" if agenda.more else ""
    return f"{len(agenda.items)} items{more}"


def as_text(agenda: Agenda) -> str:
    lines = [f"Weekly review, {_period(agenda)}: {_how_many(agenda)}"]
    for part in agenda.parts:
        lines.append("")
        lines.append(f"{part.title} ({part.count})")
        if part.lead:
            lines.append(f"  {part.lead}")
        if not part.items:
            lines.append(f"  {part.empty_line}")
        for item in part.items:
            lines.append(f"  - {_who(item)}: {item.text}")
        if part.more:
            lines.append(f"  {part.more_line}")
    return printable("\n".join(lines), multiline=True)


def _markdown_escape(text: str) -> str:
    """User text as literal Markdown: no emphasis, links or HTML from a name or note."""
    special = "\\`*_[]<>|~&"
    return "".join("\\" + char if char in special else char for char in printable(text))


def as_markdown(agenda: Agenda) -> str:
    lines = [f"# Weekly review, {_period(agenda)}", "", f"{_how_many(agenda)}.", ""]
    for part in agenda.parts:
        lines.append(f"## {part.title} ({part.count})")
        lines.append("")
        if part.lead:
            lines += [_markdown_escape(part.lead), ""]
        if not part.items:
            lines.append(f"{part.empty_line[0].upper()}{part.empty_line[1:]}.")
        for item in part.items:
            lines.append(f"- **{_markdown_escape(_who(item))}**: {_markdown_escape(item.text)}")
        if part.more:
            lines.append(f"- {_markdown_escape(part.more_line)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def as_json(agenda: Agenda) -> str:
    return json.dumps(agenda.as_json(), indent=2, ensure_ascii=False)
