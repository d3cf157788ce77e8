"""Which files an import reads: the files named, and the files of the folders named.

A folder is read with one level of subfolders, as vdirsyncer keeps one subfolder per
collection (`~/.contacts/personal/*.vcf`); deeper folders are not read. Hidden files
and folders (`.DS_Store`, `.git`) and editor backups (`notes~`, `#notes#`, `.swp`,
`.bak`, `.orig`) are passed over and counted. A Maildir (a folder with `cur` and `new`
subfolders) is one mailbox to import, whether it is named or is a subfolder of a folder
named; so is a folder named that holds Maildirs and no files of its own (mbsync's
account folder: `INBOX`, `Sent`, `Archive`), which `mail.mailboxes` reads as one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.errors import UsageError

BACKUP_SUFFIXES = (".bak", ".swp", ".swo", ".orig", ".rej", ".tmp")
MAILDIR = ("cur", "new")  # with tmp, which copies often lose


@dataclass(frozen=True)
class Source:
    """A file to import: where it is, how the report names it, and whether it was named
    on the command line (then its trouble stops the import) or found in a folder (then
    a file Cockpit cannot read is skipped)."""

    path: Path
    shown: str
    given: bool


@dataclass
class Survey:
    """The files an import reads, and what it passed over in the folders."""

    sources: list[Source] = field(default_factory=list)
    passed_over: int = 0  # hidden files, editor backups
    deep_folders: list[str] = field(default_factory=list)  # two levels down: not read


def is_maildir(folder: Path) -> bool:
    return all((folder / name).is_dir() for name in MAILDIR)


def _mail_account(folder: Path) -> bool:
    """A folder of Maildirs with no files of its own but hidden ones (mbsync's account
    folder, Maildir++'s `.Sent`...): read as one mailbox."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return False
    return any(entry.is_dir() and is_maildir(Path(entry.path)) for entry in entries) and not any(
        entry.is_file() and not passed_over(entry.name) for entry in entries
    )


def passed_over(name: str) -> bool:
    """Hidden files and editor backups: never an address book or a history."""
    return (
        name.startswith(".")
        or name.endswith("~")
        or (name.startswith("#") and name.endswith("#"))
        or name.lower().endswith(BACKUP_SUFFIXES)
    )


def survey(paths: list[Path]) -> Survey:
    """The files to import for the paths named, in order (a folder's by name); the same
    file named twice is read once. A path that does not exist is the file reader's to
    report. A Maildir is a source of its own (a folder, not its files)."""
    found = Survey()
    seen: set[Path] = set()

    def add(path: Path, shown: str, given: bool) -> None:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a loop of links: the reader says so
            key = path
        if key not in seen:
            seen.add(key)
            found.sources.append(Source(path, shown, given))

    for path in paths:
        if not path.is_dir():
            add(path, path.name, True)
            continue
        if is_maildir(path) or _mail_account(path):
            add(path, path.name, True)
            continue
        for entry, depth in _entries(path):
            relative = entry.relative_to(path).as_posix()
            if entry.is_dir():
                if passed_over(entry.name):
                    found.passed_over += 1
                elif depth == 2:
                    found.deep_folders.append(relative + "/")
                elif is_maildir(entry):
                    add(entry, relative, False)
                continue
            if passed_over(entry.name):
                found.passed_over += 1
            else:
                add(entry, relative, False)
    return found


def _entries(folder: Path) -> list[tuple[Path, int]]:
    """The folder's entries and those of its subfolders (not hidden ones), by name; each
    with its depth (1 or 2). A folder that cannot be read is refused by name."""
    entries: list[tuple[Path, int]] = []
    for entry in _listing(folder):
        entries.append((entry, 1))
        if entry.is_dir() and not passed_over(entry.name) and not is_maildir(entry):
            entries += [(inner, 2) for inner in _listing(entry)]
    return sorted(entries, key=lambda pair: pair[0].relative_to(folder).as_posix())


def _listing(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as scan:
            return [Path(entry.path) for entry in scan]
    except OSError as error:
        raise UsageError(
            f"cannot read the folder {folder}: {error.strerror or error}; nothing was imported"
        ) from None
