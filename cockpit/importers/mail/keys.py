"""The keys that tell messages apart from one import to the next.

A message is known by its Message-ID, as written between the angle brackets (the same
message in two folders, or in a mailbox imported again, is one message):

    mail:<id>             mail:CAF3x+9q@mail.example
    mail:#<digest>        a message without a Message-ID (see `stand_in_id`), or one longer
                          than LONGEST_ID characters (a digest of it)
"""

from __future__ import annotations

import hashlib
import re

PREFIX = "mail:"
LONGEST_ID = 400
_BRACKETED = re.compile(r"<([^<>]*)>")
_SPACES = re.compile(r"\s+")


def message_id(value: str) -> str:
    """The id of a Message-ID header's value (unfolded): what is between its first angle
    brackets, else the value; spaces taken out. "" when there is none."""
    found = _BRACKETED.search(value)
    return _SPACES.sub("", found.group(1) if found else value)


def message_key(identity: str) -> str:
    """The key of a message by its id (`message_id`, or a `stand_in_id`)."""
    if len(identity) > LONGEST_ID:
        identity = "#" + _digest(identity)
    return PREFIX + identity


def stand_in_id(date: str, sender: str, to: str, cc: str, subject: str) -> str:
    """What stands for the id of a message without one: a digest of its Date, From, To, Cc
    and Subject as written (unfolded), so the same message read again gets the same key,
    and two messages differing in any of them are two messages."""
    return "#" + _digest(
        "\x1f".join(_SPACES.sub(" ", value).strip() for value in (date, sender, to, cc, subject))
    )


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
