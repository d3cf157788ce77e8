"""What `cockpit profile` prints: the answered items as text, or all 66 as JSON."""

from __future__ import annotations

import json

from cockpit.profile.document import as_json_document, as_text_lines
from cockpit.text import json_printable, printable


def as_json(name: str, company: str, answers, *, show_sensitive: bool) -> str:
    document = as_json_document(name, company, answers, show_sensitive)
    return json_printable(json.dumps(document, ensure_ascii=False, indent=2))


def as_text(name: str, company: str, answers, *, show_sensitive: bool) -> str:
    lines = as_text_lines(name, company, answers, show_sensitive)
    return "\n".join(printable(line) for line in lines)
