"""A message's text, for `--with-notes`: its text/plain part, else its HTML part made
text; quoted replies and the signature trimmed; at most LONGEST_NOTE characters.

What is trimmed: lines quoted with `>`; everything from a reply's attribution line on
("On Mon, 30 Nov 2026, Ann Lee wrote:", and its French, German, Spanish, Dutch and
Italian forms; Outlook's "-----Original Message-----" and "From: … Sent: …" blocks); the
signature after a `-- ` line. In HTML, `<blockquote>` and Gmail's and Outlook's quoted
blocks, scripts and styles are left out; links keep their text, not their address.
"""

from __future__ import annotations

import email.policy
import re
from collections.abc import Iterator
from email.message import Message
from email.parser import BytesParser
from html.parser import HTMLParser

LONGEST_NOTE = 2000  # characters of one message's text: about a page
# compat32: `email.policy.default` reads the same messages ten times slower (11 s for
# 10,000 messages, against 1.1 s), and its `get_body` is the choice made in `_text_part`.
_PARSER = BytesParser(policy=email.policy.compat32)
_ATTRIBUTION = re.compile(
    r"^(?:On\b.{0,300}\bwrote:"
    r"|Le\b.{0,300}\ba écrit\s?:"
    r"|Am\b.{0,300}\bschrieb\b.{0,200}:"
    r"|El\b.{0,300}\bescribió:"
    r"|Op\b.{0,300}\bschreef\b.{0,200}:"
    r"|Il giorno\b.{0,300}\bha scritto:"
    r"|-{2,}\s*Original Message\s*-{2,}"
    r"|-{2,}\s*Forwarded message\s*-{2,}"
    r"|_{20,})\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_OUTLOOK_HEADER = re.compile(r"^From: .+\n(?:.+\n)?^(?:Sent|Date): ", re.MULTILINE)
_SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BLANK_LINES = re.compile(r"\n{3,}")
_QUOTED_LINES = re.compile(r"^[ \t]*>.*(?:\n|$)", re.MULTILINE)
_TRAILING_SPACES = re.compile(r"[ \t]+$", re.MULTILINE)
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def note_of(raw: bytes) -> tuple[str, str]:
    """The text of a message (its bytes, without an mbox From line) and what went wrong
    reading it ("" if nothing)."""
    part = _text_part(_parsed(raw))
    if part is None:
        return "", ""
    content, trouble = _decoded(part)
    if part.get_content_subtype() == "html":
        content = html_text(content)
    return trimmed(content), trouble


def _parsed(raw: bytes) -> Message:
    """The message; one of a single part has its body set as it is, not read line by
    line (the parser's way, which takes most of the time)."""
    found = _HEADER_END.search(raw)
    if found is None:
        return _PARSER.parsebytes(raw)
    message = _PARSER.parsebytes(raw[: found.end()])
    if message.get_content_maintype() == "multipart":
        return _PARSER.parsebytes(raw)
    message.set_payload(raw[found.end() :].decode("ascii", "surrogateescape"))
    return message


def _text_part(message: Message) -> Message | None:
    """The part a reader sees: the first text/plain part, else the first text/html one;
    never an attachment, nor a message forwarded inside it."""
    parts = [part for part in _shown_parts(message) if part.get_content_maintype() == "text"]
    for subtype in ("plain", "html"):
        for part in parts:
            if part.get_content_subtype() == subtype:
                return part
    return None


def _shown_parts(part: Message) -> Iterator[Message]:
    if part.get_content_disposition() == "attachment":
        return
    if part.is_multipart():
        if part.get_content_maintype() == "multipart":
            for inner in part.get_payload():
                yield from _shown_parts(inner)
        return
    yield part


def _decoded(part: Message) -> tuple[str, str]:
    """A part's text (its transfer encoding undone) and any trouble with its charset."""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return "", ""
    charset = part.get_content_charset()
    if charset is None:  # none named: UTF-8, else the usual 8-bit one
        try:
            return data.decode("utf-8"), ""
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace"), ""
    try:
        return data.decode(charset), ""
    except LookupError:
        return (
            data.decode("utf-8", errors="replace"),
            f"names an unknown charset for its text ({charset}): read as UTF-8",
        )
    except UnicodeDecodeError:
        return data.decode(charset, errors="replace"), f"has text that is not {charset}"


def trimmed(text: str) -> str:
    """Plain text without quoted replies and signature, tidy, at most LONGEST_NOTE
    characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for pattern in (_ATTRIBUTION, _OUTLOOK_HEADER, _SIGNATURE):
        found = pattern.search(text)
        if found:
            text = text[: found.start()]
    text = _TRAILING_SPACES.sub("", _QUOTED_LINES.sub("", text))
    text = _BLANK_LINES.sub("\n\n", _CONTROLS.sub("", text)).strip()
    if len(text) > LONGEST_NOTE:
        text = text[: LONGEST_NOTE - 1].rstrip() + "…"
    return text


# --- HTML ----------------------------------------------------------------------------------

_LEFT_OUT = frozenset({"script", "style", "head", "title", "blockquote", "template"})
_QUOTED_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted")
_QUOTED_IDS = ("divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "ul",
        "ol",
        "pre",
        "hr",
        "section",
        "article",
        "header",
        "footer",
    }
)


def html_text(html: str) -> str:
    """The text an HTML message shows, its blocks on lines of their own."""
    reader = _HtmlText()
    reader.feed(html)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.out).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []  # the elements open, to know where a left-out one ends
        self.left_out_at: int | None = None  # depth of the element being left out

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS and self.left_out_at is None:
            self.out.append("\n")
        if tag in _VOID:
            return
        self.open.append(tag)
        if self.left_out_at is None and _quoted(tag, dict(attrs)):
            self.left_out_at = len(self.open)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.open:
            return
        while self.open:  # unclosed elements inside end with it
            if self.left_out_at is not None and len(self.open) <= self.left_out_at:
                self.left_out_at = None
            if self.open.pop() == tag:
                break
        if tag in _BLOCKS and self.left_out_at is None:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self.left_out_at is None:
            self.out.append(data.replace("\n", " "))


def _quoted(tag: str, attrs: dict[str, str | None]) -> bool:
    classes = (attrs.get("class") or "").lower()
    return (
        tag in _LEFT_OUT
        or any(name in classes for name in _QUOTED_CLASSES)
        or (attrs.get("id") or "").lower() in _QUOTED_IDS
    )
