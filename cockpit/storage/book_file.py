"""The file of a SQLite book, made ready before anything opens it: created private (mode
0600) when nothing is there, refused when it is not a regular file Cockpit may read and
write (opening a FIFO would block; a device, a folder or another user's file is left as
it is), and an empty file made private when it is plainly the user's own."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cockpit.errors import DatabaseError
from cockpit.storage.location import DatabaseLocation

FILE_MODE = 0o600


def prepare_file(location: DatabaseLocation) -> None:
    """Make sure the book's path is a regular file Cockpit may use, creating it (private)
    when nothing is there.

    Its kind is known before anything opens it: opening a FIFO would block, and a
    device, a folder or another user's file is refused and left as it is.
    """
    path = location.path
    if not os.path.lexists(path):
        _ensure_folder(location)
        _create_private(path)
    status = _book_file_status(path)
    if status.st_size == 0:
        _keep_new_book_private(path, status)


def _ensure_folder(location: DatabaseLocation) -> None:
    folder = location.path.parent
    if folder.is_dir():
        return
    if not location.is_default:
        raise DatabaseError(f"cannot create {location.path}: the folder {folder} does not exist")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)


def _create_private(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass  # another process created it in the meantime
    except OSError as error:
        raise DatabaseError(f"cannot create {path}: {error.strerror}") from None


def _book_file_status(path: Path) -> os.stat_result:
    """The status of the file at `path` (a symbolic link is followed), refused unless it
    is a regular file Cockpit may read and write."""
    try:
        status = path.stat()
    except FileNotFoundError:
        raise DatabaseError(
            f"{path} is a symbolic link to {os.readlink(path)}, which does not exist; "
            "give the path of a file"
        ) from None
    except OSError as error:
        raise DatabaseError(f"cannot use {path}: {error.strerror}") from None
    if stat.S_ISDIR(status.st_mode):
        raise DatabaseError(f"{path} is a directory, not a Cockpit book; give a file path")
    if not stat.S_ISREG(status.st_mode):
        raise DatabaseError(
            f"{path} is {_special_kind(status.st_mode)}, not a Cockpit book; "
            "it was left as it is. Give the path of a regular file"
        )
    if not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseError(f"cannot open {path} for reading and writing; check its permissions")
    return status


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _keep_new_book_private(path: Path, status: os.stat_result) -> None:
    """Make an empty file that is about to become a book private (mode 0600), as books are,
    but only when it is plainly the user's own: owned by them, named here directly (not
    through a symbolic link) and by no other hard link. Any other file keeps its mode."""
    if not hasattr(os, "O_NOFOLLOW") or not status.st_mode & 0o077:
        return  # not POSIX, or private already
    if status.st_uid != os.geteuid() or status.st_nlink != 1:
        return
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return  # a symbolic link (O_NOFOLLOW), or gone: leave it to SQLite to say more
    try:
        opened = os.fstat(descriptor)
        if (opened.st_dev, opened.st_ino) == (status.st_dev, status.st_ino) and (
            opened.st_size == 0
        ):
            os.fchmod(descriptor, FILE_MODE)
    except OSError:
        pass  # a file whose mode cannot change (in /proc, say): SQLite says what it is
    finally:
        os.close(descriptor)
