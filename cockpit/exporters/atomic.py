"""Writing a file all at once: a temporary file beside the target, then a rename.

A reader never sees a half-written file, a failure leaves the target as it was
and no temporary file behind, and an existing file is only replaced when the
user said so (`--force`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from cockpit.errors import CockpitError, UsageError

EXPORT_MODE = 0o644  # before the umask
PRIVATE_MODE = 0o600  # backups hold everything, sensitive answers included


def check_target(path: Path, *, force: bool) -> None:
    """Raise a one-line error if `path` cannot be written as asked; writes nothing."""
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give the path of a file to write")
    if not path.parent.is_dir():
        raise UsageError(f"cannot write {path}: the folder {path.parent} does not exist")
    if not force and (path.exists() or path.is_symlink()):
        raise UsageError(f"{path} exists; add --force to replace it")
    if not path.is_symlink() and path.exists() and not path.is_file():
        # --force renames a new file over the old: over a device or a pipe that would take
        # it away from every program (/dev/null as root).
        raise UsageError(f"{path} is not a regular file (a device or a pipe); it is never replaced")


def _current_umask() -> int:
    """The process's umask, read without changing it where the system allows: setting it
    to read it back would, for a moment, leave files other threads create (the book's
    write-ahead log) open to everyone."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o077)
    os.umask(umask)
    return umask


def _umasked(mode: int) -> int:
    return mode & ~_current_umask()


def _sync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible everywhere (Windows); the rename itself is what matters
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _place(temporary: str, path: Path, *, force: bool) -> None:
    if force:
        os.replace(temporary, path)
        return
    # A hard link fails if the name was taken meanwhile, so nothing is ever replaced
    # without --force, even by a race; where links are not supported, check and rename.
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise UsageError(f"{path} exists; add --force to replace it") from None
    except OSError:
        if path.exists() or path.is_symlink():
            raise UsageError(f"{path} exists; add --force to replace it") from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def write_file(path: Path, data: bytes, *, force: bool = False, private: bool = False) -> None:
    """Write `data` to `path` atomically: mode 0600 if `private`, else 0644 (less the umask).

    Raises UsageError (the target exists without `force`, its folder is missing)
    or CockpitError (the system refused, e.g. permission denied or disk full).
    """
    check_target(path, force=force)
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise CockpitError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        os.chmod(temporary, PRIVATE_MODE if private else _umasked(EXPORT_MODE))
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _place(temporary, path, force=force)
    except OSError as error:
        raise CockpitError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    _sync_folder(path.parent)
