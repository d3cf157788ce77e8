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
import html
import re
from collections import Counter
from collections.abc import Iterator
from email.message import Message
from email.parser import BytesParser

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
_TRAILING_SPACES = re.compile(r"(?<![ \t])[ \t]+(?=\n)")  # a run from its start: linear
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
# Read with a tokenizer of its own, in one pass: the stdlib's HTMLParser takes minutes over
# some 256 KB of broken HTML ("<a" repeated, unclosed comments and quotes), which is what
# mail from anyone can hold.

_LEFT_OUT = frozenset({"script", "style", "head", "title", "blockquote", "template"})
_RAW_TEXT = ("script", "style", "title", "textarea", "template")  # their text is not HTML
_RAW_END = {tag: re.compile(rf"</{tag}[^<>]{{0,100}}>", re.IGNORECASE) for tag in _RAW_TEXT}
_QUOTED_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted")
_QUOTED_IDS = ("divrplyfwdmsg", "appendonsend", "mail-editor-reference-message-container")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_BLOCKS = frozenset(
    [
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
    ]
)
# A tag (its attributes never hold "<" or ">" here, and are at most 2,000 characters: a
# longer or broken one is text), the start of a comment, a declaration.
_TAG = re.compile(r"<(?:(/?)([a-zA-Z][a-zA-Z0-9:-]*)([^<>]{0,2000})>|(!--)|[!?][^<>]{0,2000}>)")
_ATTRIBUTE = re.compile(r"""\b(class|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def html_text(html: str) -> str:
    """The text an HTML message shows, its blocks on lines of their own."""
    reader = _HtmlText()
    at = 0
    while True:
        found = _TAG.search(html, at)
        reader.data(html[at : found.start() if found else len(html)])
        if found is None:
            break
        at = found.end()
        if found.group(4):  # a comment: to its end, or the text's
            close = html.find("-->", at)
            if close < 0:
                break
            at = close + len("-->")
            continue
        if found.group(2) is None:  # <!DOCTYPE html>, <?xml ...?>
            continue
        tag, attributes = found.group(2).lower(), found.group(3)
        if found.group(1):
            reader.end(tag)
            continue
        reader.start(tag, attributes)
        if attributes.rstrip().endswith("/"):
            reader.end(tag)
        elif tag in _RAW_END:
            close = _RAW_END[tag].search(html, at)
            reader.data(html[at : close.start() if close else len(html)])
            if close is None:
                break
            at = close.start()
    lines = (" ".join(line.split()) for line in "".join(reader.out).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


class _HtmlText:
    """The text of the elements shown, blocks on lines of their own."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.open: list[str] = []  # the elements open, to know where a left-out one ends
        self.open_count: Counter[str] = Counter()  # of each tag, so an end tag never scans
        self.left_out_at: int | None = None  # depth of the element being left out

    def start(self, tag: str, attributes: str) -> None:
        if tag in _BLOCKS and self.left_out_at is None:
            self.out.append("\n")
        if tag in _VOID:
            return
        self.open.append(tag)
        self.open_count[tag] += 1
        if self.left_out_at is None and _quoted(tag, attributes):
            self.left_out_at = len(self.open)

    def end(self, tag: str) -> None:
        if tag in _VOID or not self.open_count[tag]:
            return
        while self.open:  # unclosed elements inside end with it
            if self.left_out_at is not None and len(self.open) <= self.left_out_at:
                self.left_out_at = None
            ended = self.open.pop()
            self.open_count[ended] -= 1
            if ended == tag:
                break
        if tag in _BLOCKS and self.left_out_at is None:
            self.out.append("\n")

    def data(self, text: str) -> None:
        if text and self.left_out_at is None:
            self.out.append(html.unescape(text).replace("\n", " "))


def _quoted(tag: str, attributes: str) -> bool:
    """A left-out element: a quoted reply, a script or style, the head."""
    if tag in _LEFT_OUT:
        return True
    for found in _ATTRIBUTE.finditer(attributes):
        value = next(group for group in found.groups()[1:] if group is not None).lower()
        if found.group(1).lower() == "class" and any(name in value for name in _QUOTED_CLASSES):
            return True
        if found.group(1).lower() == "id" and value in _QUOTED_IDS:
            return True
    return False
