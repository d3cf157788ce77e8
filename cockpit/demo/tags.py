"""The demo's tags: what a salesperson labels clients with, on the book's own people.

The key account's people are tagged "key account"; about one client in six plays golf,
one in nine came to the spring event; two tags are typed with a capital, as people do.
"""

from __future__ import annotations

import zlib

from cockpit.demo.accounts import KEY_ACCOUNT
from cockpit.storage import book
from cockpit.storage.tags import store_tags


def write_tags() -> None:
    """Tag the demo's clients (their "updated" moments stay the demo's own)."""
    for client in sorted(book.client_candidates(), key=lambda c: c.id):
        drawn = zlib.crc32(client.name.encode())  # the same for a name, spread over companies
        tags = []
        if client.company == KEY_ACCOUNT:
            tags.append("key account")
        if drawn % 6 == 0:
            tags.append("Golf")
        if drawn % 9 == 4:
            tags.append("spring event")
        if tags:
            store_tags(client.id, book.clean_tags(tags))
