"""Which file is at a book's path: another file moved into its place (`cockpit demo
--force` again, a restore, a copy) is another book, though the path is the same."""

from __future__ import annotations

import os
from pathlib import Path

FileIdentity = tuple[int, int]  # device, inode


def file_identity(path: Path) -> FileIdentity | None:
    """The identity of the file at `path`; None while nothing is there."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino
