"""Tags: free labels on clients ("golf", "key account"), what one may hold, and when two
are the same tag.

A tag is kept as typed (trimmed, its spaces single, a leading `#` and quotes around it
dropped: the filter box writes tags that way, `#golf`, `#"key account"`) and found by its
key, folded as names are searched (`search.fold`: no case, no accents), so "Golf" and
"golf" are one tag on a client.
"""

from __future__ import annotations

from collections.abc import Iterable

from cockpit.errors import ValidationError
from cockpit.search import fold
from cockpit.text import shorten
from cockpit.validation.text import clean_line

MAX_TAG = 40  # characters
TAG_SEPARATOR = ","  # between tags where several are typed in one box or cell
TAG_MARK = "#"
QUOTE = '"'


def tag_key(tag: str) -> str:
    """What tells tags apart, and what the filter compares: the tag folded."""
    return fold(tag)


def clean_tag(text: str) -> str:
    """One tag as stored; ValidationError naming the tag when it cannot be one."""
    shown = repr(shorten(str(text).strip(), 60))
    line = clean_line(text, f"the tag {shown}", limit=10 * MAX_TAG)
    tag = " ".join(line.lstrip(TAG_MARK).split())
    if len(tag) > 1 and tag[0] == tag[-1] == QUOTE:  # as the filter box writes one
        tag = " ".join(tag[1:-1].split())
    if not tag:
        raise ValidationError(f"the tag {shown} is empty: a tag needs a letter or a digit")
    if TAG_SEPARATOR in tag:
        raise ValidationError(f"the tag {shown} holds a comma, which separates tags")
    if len(tag) > MAX_TAG:
        raise ValidationError(f"the tag {shown} is longer than {MAX_TAG} characters")
    return tag


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags as stored, in order; of two with the same key the first is kept."""
    kept: dict[str, str] = {}
    for text in tags:
        tag = clean_tag(text)
        kept.setdefault(tag_key(tag), tag)
    return list(kept.values())


def split_tags(text: str) -> list[str]:
    """The tags of a comma-separated list as typed ("golf, key account"), unchecked; what
    is empty between two commas is no tag."""
    return [piece for piece in str(text).split(TAG_SEPARATOR) if piece.strip()]


def parse_tags(text: str) -> list[str]:
    """A comma-separated list of tags, checked (see `clean_tags`)."""
    return clean_tags(split_tags(text))


def sorted_tags(tags: Iterable[str]) -> list[str]:
    """Tags in the order they are shown: by key, as typed among equals."""
    return sorted(tags, key=lambda tag: (tag_key(tag), tag))


def tag_rows(client_id: int, tags: Iterable[str]) -> list[dict]:
    """Rows of `client_tag` for tags checked already."""
    return [{"client": client_id, "tag": tag, "tag_key": tag_key(tag)} for tag in tags]
