"""The pre-call brief as text, Markdown and JSON: user data printed as it is, never as
markup or terminal control."""

from __future__ import annotations

import json

from cockpit.brief import SECTIONS, Brief
from cockpit.text import json_printable, markdown_text, printable


def _health(brief: Brief) -> str:
    return f"{brief.health or 'not judged'}: {brief.why}"


def as_text(brief: Brief) -> str:
    lines = [
        f"Brief: {brief.heading()}",
        f"Health: {_health(brief)}",
        f"Stake: {brief.stake_text}",
    ]
    for title, attribute in SECTIONS:
        lines += ["", f"{title}:"] + [f"  {line}" for line in brief.lines_of(attribute)]
    if not brief.sensitive_shown and brief.do_not_raise:
        lines += ["", "Sensitive answers are masked; --show-sensitive shows them."]
    return "\n".join(printable(line) for line in lines)


def as_markdown(brief: Brief) -> str:
    lines = [
        f"# Brief: {markdown_text(brief.heading())}",
        "",
        f"**Health:** {markdown_text(_health(brief))}",
        "",
        f"**Stake:** {markdown_text(brief.stake_text)}",
    ]
    for title, attribute in SECTIONS:
        shown = [f"- {markdown_text(line)}" for line in brief.lines_of(attribute)]
        lines += ["", f"## {title}", "", *shown]
    return "\n".join(printable(line) for line in lines)


def as_json(brief: Brief) -> str:
    document = {
        "client": brief.client,
        "company": brief.company,
        "roles": brief.roles,
        "health": brief.health,
        "why": brief.why,
        "stake": brief.stake_text,
        "follow_ups": list(brief.follow_ups),
        "last_touches": list(brief.last_touches),
        "next_occasion": brief.next_occasion,
        "interests": list(brief.interests),
        "goals": list(brief.goals),
        "family": list(brief.family),
        "account": list(brief.account or ()),
        "suggested_gives": list(brief.suggested_gives),
        "do_not_raise": list(brief.do_not_raise),
    }
    return json_printable(json.dumps(document, ensure_ascii=False, indent=2))
