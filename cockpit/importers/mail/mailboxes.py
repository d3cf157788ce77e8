"""Reading a mailbox, one message at a time: an mbox file, or a Maildir folder.

**mbox.** The file is read a block at a time, never all of it at once, and cut at its
From lines (a line starting `From ` at the start of the file, after a blank line, or
looking like one: `From ann@acme.example Mon Nov 30 09:12:00 2026`). A problem is
reported with the line of the message's From line. A message cut short (the file ends
inside it, or a MIME message lacks its closing boundary) is imported when its headers are
whole, and reported either way: a message cut at the end of a line of its text cannot be
told from a shorter one.

**Maildir.** The messages of `new/` and `cur/` (by name, which starts with the time
they arrived), then those of its subfolders one level down that are Maildirs themselves
(Maildir++'s `.Sent`, `.Archive`; mbsync's `Sent`, `Archive`); a folder that is not a
Maildir but holds some (mbsync's account folder) is read as their parent. Folders for
drafts, junk, spam, trash, templates and the outbox are passed over (their mail was not
sent, or is not correspondence), and listed. Hidden files are passed over; a message
file that cannot be read (permissions, gone) is reported with its path in the folder,
and the rest import. Only a message's headers are read, unless notes are wanted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from cockpit.errors import UsageError
from cockpit.importers.folders import MAILDIR, is_maildir
from cockpit.importers.mail.message import (
    Fallback,
    MailMessage,
    Problem,
    SkippedMessage,
    read_message,
)

MBOX = "mbox"
MAILDIR_KIND = "Maildir"
_FROM_LINE = re.compile(rb"^From ", re.MULTILINE)
_FROM_LINE_WHOLE = re.compile(
    rb"From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) +(?P<month>[A-Z][a-z]{2}) +(?P<day>\d{1,2}) +"
    rb"(?P<time>\d{1,2}:\d\d(?::\d\d)?) +(?:[A-Z]{3,4} +|[+-]\d{4} +)?(?P<year>\d{4})"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            b"Jan",
            b"Feb",
            b"Mar",
            b"Apr",
            b"May",
            b"Jun",
            b"Jul",
            b"Aug",
            b"Sep",
            b"Oct",
            b"Nov",
            b"Dec",
        ),
        start=1,
    )
}
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_BOUNDARY = re.compile(
    rb'^Content-Type:[ \t]*multipart/[^\n]*(?:\n[ \t][^\n]*)*?boundary="?([^";\r\n]+)"?',
    re.IGNORECASE | re.MULTILINE,
)
PASSED_OVER_FOLDERS = frozenset(
    {
        "drafts",
        "draft",
        "junk",
        "junk e-mail",
        "junk email",
        "spam",
        "bulk mail",
        "trash",
        "deleted",
        "deleted items",
        "deleted messages",
        "bin",
        "templates",
        "outbox",
    }
)
BLOCK = 2**20  # bytes of an mbox read at a time
HEAD_CHUNK = 65536  # bytes of a Maildir file read at a time for its headers
PROGRESS_STEP = 1 / 200  # of the bytes: how often progress is told

Message = MailMessage | SkippedMessage
Progress = Callable[[float], None]  # how far the reading is, from 0 to 1, by the bytes


class NotMail(UsageError):
    """A path that is neither an mbox file nor a Maildir folder (nor a folder of them)."""


def looks_like_mbox(start: bytes) -> bool:
    """Whether a file beginning so is an mbox: its first line is a From line."""
    return start.startswith(b"From ") and len(start.split(maxsplit=2)) >= 2


def is_mail_folder(folder: Path) -> bool:
    """A Maildir, or a folder whose subfolders are (mbsync's account folder)."""
    if is_maildir(folder):
        return True
    try:
        return any(is_maildir(Path(entry.path)) for entry in os.scandir(folder) if entry.is_dir())
    except OSError:
        return False


@dataclass
class MailReading:
    """Reading one mailbox: `messages()` yields its messages in order, the problems met
    are in `problems`. `folders` are the Maildir folders read (`""` the one named),
    `passed_over` those not read."""

    path: Path
    with_notes: bool = False
    progress: Progress | None = None

    def __post_init__(self) -> None:
        self.problems: list[Problem] = []
        self.folders: list[str] = []
        self.passed_over: list[str] = []
        if self.path.is_dir():
            if not is_mail_folder(self.path):
                raise NotMail(f"{self.path} is a folder but not a Maildir (no cur and new in it)")
            self.kind = MAILDIR_KIND
        else:
            self.kind = MBOX

    def messages(self) -> Iterator[Message]:
        if self.kind == MBOX:
            yield from self._mbox()
        else:
            yield from self._maildir()

    # --- mbox --------------------------------------------------------------------------

    def _mbox(self) -> Iterator[Message]:
        try:
            with self.path.open("rb") as file:
                size = os.fstat(file.fileno()).st_size
                if not looks_like_mbox(file.read(1024)):
                    raise NotMail(f"{self.path} is not an mbox: it does not start with a From line")
                file.seek(0)
                yield from self._mbox_messages(file, size)
        except FileNotFoundError:
            raise UsageError(f"{self.path} does not exist") from None
        except OSError as error:
            raise UsageError(f"cannot read {self.path}: {error.strerror or error}") from None

    def _mbox_messages(self, file: BinaryIO, size: int) -> Iterator[Message]:
        told = _Told(self.progress, size)
        line, done = 1, 0
        for number, (chunk, is_last) in enumerate(_mbox_chunks(file), start=1):
            first_line_end = chunk.find(b"\n") + 1 or len(chunk)
            from_line = chunk[:first_line_end]
            body = chunk[first_line_end:]
            cut = _cut(body, is_last=is_last)
            found = read_message(
                body,
                number,
                line,
                lambda from_line=from_line: Fallback(_from_line_moment(from_line), "its From line"),
                self.problems,
                with_notes=self.with_notes,
                cut=cut,
            )
            line += chunk.count(b"\n")
            done += len(chunk)
            told(done)
            if found is not None:
                yield found

    # --- Maildir -------------------------------------------------------------------------

    def _maildir(self) -> Iterator[Message]:
        files: list[tuple[str, Path, int]] = []  # (path in the folder, path, size)
        for folder in self._maildir_folders():
            for sub in ("new", "cur"):
                files += _message_files(self.path, folder / sub)
        told = _Told(self.progress, sum(size for _, _, size in files))
        done = 0
        for number, (shown, path, size) in enumerate(files, start=1):
            found = self._maildir_message(number, shown, path)
            done += size
            told(done)
            if found is not None:
                yield found

    def _maildir_folders(self) -> list[Path]:
        folders = [self.path] if is_maildir(self.path) else []
        try:
            subfolders = sorted(
                Path(entry.path) for entry in os.scandir(self.path) if entry.is_dir()
            )
        except OSError as error:
            raise UsageError(f"cannot read the folder {self.path}: {error.strerror}") from None
        for folder in subfolders:
            if folder.name in MAILDIR or folder.name == "tmp" or not is_maildir(folder):
                continue
            if _passed_over(folder.name):
                self.passed_over.append(folder.name)
            else:
                folders.append(folder)
        self.folders = [
            folder.relative_to(self.path).as_posix() if folder != self.path else ""
            for folder in folders
        ]
        return folders

    def _maildir_message(self, number: int, shown: str, path: Path) -> Message | None:
        try:
            with path.open("rb") as file:
                raw = file.read() if self.with_notes else _head(file)
                modified = os.fstat(file.fileno()).st_mtime
        except OSError as error:
            reason = (
                "is a folder, not a message"
                if path.is_dir()
                else (f"cannot be read ({error.strerror or error})")
            )
            self.problems.append(Problem(shown, f"message {number} {reason}", True))
            return None
        if not raw.strip():
            self.problems.append(Problem(shown, f"message {number} is an empty file", True))
            return None
        return read_message(
            raw,
            number,
            shown,
            lambda: Fallback(_file_moment(modified), "its file's modification time"),
            self.problems,
            with_notes=self.with_notes,
            draft="D" in _flags(path.name),
        )


def _mbox_chunks(file: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    """The messages of an mbox, each with its From line, read a block at a time (never the
    whole file), and whether it is the last one."""
    buffer = bytearray()  # from the start of the message being read
    scan = len(b"From ")  # where to look for the next From line
    at_end = False
    while not at_end:
        block = file.read(BLOCK)
        at_end = not block
        buffer += block
        while True:
            found = _FROM_LINE.search(buffer, scan)
            if found is None:
                scan = max(scan, len(buffer) - len(b"\nFrom "))  # one may straddle the blocks
                break
            at = found.start()
            if buffer.find(b"\n", at) < 0 and not at_end:
                scan = at  # its line is not all read yet
                break
            if _starts_a_message(buffer, at):
                yield bytes(buffer[:at]), False
                del buffer[:at]
                at = 0
            scan = at + len(b"From ")
    if buffer:
        yield bytes(buffer), True


def _starts_a_message(buffer: bytearray, at: int) -> bool:
    """Whether the line starting `From ` at `at` (not the buffer's first) is a From line:
    after a blank line, or looking like one."""
    return (
        buffer[at - 2 : at] == b"\n\n"
        or buffer[max(0, at - 4) : at] == b"\r\n\r\n"
        or _FROM_LINE_WHOLE.match(buffer, at) is not None
    )


def _cut(message: bytes, *, is_last: bool) -> str:
    """How a message of an mbox is cut short ("" if it seems whole)."""
    if is_last and not message.endswith(b"\n"):
        return "is cut off: the file ends inside it"
    found = _HEADER_END.search(message)
    if found is None:
        return ""
    boundary = _BOUNDARY.search(message, 0, found.end())
    if boundary and b"--" + boundary.group(1).strip() + b"--" not in message:
        return "is cut off: its MIME parts end early"
    return ""


def _from_line_moment(line: bytes) -> datetime | None:
    """The moment an mbox From line gives (`From ann@acme.example Mon Nov 30 09:12:00 2026`),
    taken as UTC, as Python's `mailbox` and most mail servers write it."""
    found = _FROM_LINE_WHOLE.match(line)
    if found is None:
        return None
    hour, minute, *second = (int(part) for part in found["time"].split(b":"))
    try:
        return datetime(
            int(found["year"]),
            _MONTHS.get(found["month"], 0),
            int(found["day"]),
            hour,
            minute,
            second[0] if second else 0,
        )
    except ValueError:
        return None


def _file_moment(modified: float) -> datetime | None:
    try:
        return datetime.fromtimestamp(modified, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def _message_files(root: Path, folder: Path) -> list[tuple[str, Path, int]]:
    """A Maildir's `new` or `cur` folder's message files, by name: (path in `root`, path,
    size); hidden files passed over."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(
                (entry for entry in scan if not entry.name.startswith(".")),
                key=lambda entry: entry.name,
            )
    except OSError as error:
        raise UsageError(f"cannot read the folder {folder}: {error.strerror}") from None
    found = []
    for entry in entries:
        try:
            size = entry.stat().st_size
        except OSError:
            size = 0
        path = Path(entry.path)
        found.append((path.relative_to(root).as_posix(), path, size))
    return found


def _head(file) -> bytes:
    """A message file's bytes up to the end of its headers (or all of it)."""
    data = b""
    while True:
        chunk = file.read(HEAD_CHUNK)
        data += chunk
        if not chunk or _HEADER_END.search(data, max(0, len(data) - len(chunk) - 3)):
            return data


def _flags(name: str) -> str:
    """A Maildir message's flags, from its file name (`1700000000.M1P2.host:2,RS`)."""
    _, separator, flags = name.rpartition(":2,")
    if not separator:
        _, separator, flags = name.rpartition("!2,")  # where a colon cannot be in a name
    return flags if separator else ""


def _passed_over(name: str) -> bool:
    """A folder of drafts, junk, spam, trash, templates or the outbox (`.Trash`,
    `.INBOX.Drafts`, `Deleted Items`)."""
    last = name.lstrip(".").rsplit(".", 1)[-1]
    return last.lower() in PASSED_OVER_FOLDERS or name.lstrip(".").lower() in PASSED_OVER_FOLDERS


class _Told:
    """Tells progress by the bytes read, every PROGRESS_STEP of them."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = max(1, total)
        self.next = 0.0

    def __call__(self, done: int) -> None:
        fraction = min(1.0, done / self.total)
        if self.progress is not None and (fraction >= self.next or fraction == 1.0):
            self.progress(fraction)
            self.next = fraction + PROGRESS_STEP
