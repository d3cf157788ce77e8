"""Today's agenda as `cockpit today` gives it: text for a terminal or a pipe, Markdown,
JSON, and for its deliveries a mail's subject and HTML part and a desktop notification's
summary and body. User data is text everywhere: printed as it is, escaped in Markdown and
HTML, never markup or terminal control."""

from __future__ import annotations

import html
import json

from cockpit.text import markdown_text, printable, shorten
from cockpit.today import RENEWAL_DAYS, Today

SHOWN = 20  # items a section shows at most (--json lists every one)
NOTIFY_LINES = 8  # items a notification shows at most
NOTIFY_CHARS = 110  # of each of them
NOTHING = (
    f"No follow-ups, occasions, planned communications, drifting core clients, or renewals "
    f"in the next {RENEWAL_DAYS} days."
)
FOOTER = "Sent by Cockpit (cockpit today). Sensitive profile answers are never included."


def _blocks(today: Today) -> list[tuple[str, list[str]]]:
    """The sections listed (those with something to say), each as its heading and its
    lines: the first SHOWN items, how many more, the drifting clients left out."""
    blocks = []
    for section in today.sections:
        if not section.items and not section.others_line:
            continue
        lines = [printable(item.text) for item in section.items[:SHOWN]]
        if section.count > SHOWN:
            more = section.count - SHOWN
            lines.append(f"… and {more} more (cockpit today --json lists every one)")
        if section.others_line:
            lines.append(section.others_line)
        blocks.append((f"{section.title} ({section.count})", lines))
    return blocks


def title(today: Today) -> str:
    return f"Today, {today.long_day}"


def subject(today: Today) -> str:
    """ "Cockpit — today, Monday 23 November: 3 follow-ups, 1 birthday"."""
    day = today.day
    return printable(f"Cockpit — today, {day:%A} {day.day} {day:%B}: {today.headline()}")


def _sentence(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}."


def as_text(today: Today) -> str:
    lines = [f"{title(today)}: {today.headline()}"]
    if today.empty:
        lines.append(NOTHING)
    for heading, entries in _blocks(today):
        lines += ["", heading, *(f"  - {entry}" for entry in entries)]
    return "\n".join(lines)


def as_markdown(today: Today) -> str:
    lines = [f"# {title(today)}", "", _sentence(today.headline())]
    if today.empty:
        lines += ["", NOTHING]
    for heading, entries in _blocks(today):
        lines += ["", f"## {heading}", "", *(f"- {markdown_text(entry)}" for entry in entries)]
    return "\n".join(lines)


def as_json(today: Today) -> str:
    return json.dumps(today.as_json(), indent=2, ensure_ascii=False)


def _h(text: str) -> str:
    return html.escape(printable(text), quote=True)


def as_html(today: Today) -> str:
    """A whole HTML document: no images, no scripts, no links, every user string escaped."""
    body = [
        f'<h1 style="font-size:1.3em">{_h(title(today))}</h1>',
        f"<p>{_h(_sentence(today.headline()))}</p>",
    ]
    if today.empty:
        body.append(f"<p>{_h(NOTHING)}</p>")
    for heading, entries in _blocks(today):
        body.append(f'<h2 style="font-size:1.1em">{_h(heading)}</h2>')
        body.append("<ul>\n" + "\n".join(f"<li>{_h(entry)}</li>" for entry in entries) + "\n</ul>")
    body.append(f'<p style="color:#666;font-size:0.9em">{_h(FOOTER)}</p>')
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_h(subject(today))}</title>\n</head>\n"
        '<body style="font-family:sans-serif;line-height:1.4">\n'
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def mail_text(today: Today) -> str:
    """The mail's plain-text part: the agenda as the terminal shows it, and the footer."""
    return f"{as_text(today)}\n\n-- \n{FOOTER}\n"


def notification(today: Today) -> tuple[str, str]:
    """A desktop notification's summary and body: NOTIFY_LINES of the day's items (each
    section's first, then the first sections' next ones), shortened, and how many more.
    Notification servers may read the body as markup (<b>, <a>), so it is escaped."""
    summary = printable(f"Cockpit — today: {today.headline()}")
    sections = [section.items for section in today.sections if section.items]
    # Each section its first item, then the first sections the rest, in order.
    shown = [min(1, len(items)) for items in sections][:NOTIFY_LINES]
    for at, items in enumerate(sections[: len(shown)]):
        shown[at] += min(len(items) - shown[at], NOTIFY_LINES - sum(shown))
    picked = [item for items, count in zip(sections, shown, strict=False) for item in items[:count]]
    lines = [shorten(printable(item.text), NOTIFY_CHARS) for item in picked]
    more = today.count - len(picked)
    if more:
        lines.append(f"… and {more} more: cockpit today lists them")
    if not today.count:
        lines.append(NOTHING)
    return summary, html.escape("\n".join(lines), quote=False)
