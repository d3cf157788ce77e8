"""What `cockpit import` says: the imports listed, and a progress bar on the terminal."""

from __future__ import annotations

from cockpit import clock
from cockpit.text import printable

BAR_WIDTH = 24  # characters between the brackets, at most


def when(moment) -> str:
    """A stored (UTC) moment as the user's local date and time."""
    return clock.to_local(moment).strftime("%Y-%m-%d %H:%M")


def _sources(sources: list[str]) -> str:
    names = [source.rstrip("/").rsplit("/", 1)[-1] or source for source in sources]
    if len(names) > 3:
        return f"{', '.join(names[:3])} and {len(names) - 3} more"
    return ", ".join(names) or "?"


def import_lines(entries) -> list[str]:
    """`cockpit import --list`: each import (the latest first) on one line."""
    if not entries:
        return ["No imports yet."]
    lines = []
    for entry in entries:
        files = "1 file" if entry.files == 1 else f"{entry.files} files"
        state = f" [undone {when(entry.undone_at)}]" if entry.undone_at is not None else ""
        lines.append(
            printable(
                f"#{entry.id}  {when(entry.started_at)}  {_sources(entry.sources)} ({files}): "
                f"{entry.summary}{state}"
            )
        )
    return lines


def progress_line(fraction: float, name: str, columns: int) -> str:
    """One line of the terminal's progress bar, within `columns` characters (ASCII, so any
    terminal shows it): "Importing [=====>      ]  42%  contacts/card-0042.vcf"."""
    fraction = max(0.0, min(1.0, fraction))
    width = max(8, min(BAR_WIDTH, columns // 4))
    filled = int(width * fraction)
    bar = "=" * filled + (">" if filled < width else "") + " " * (width - filled - 1)
    head = f"Importing [{bar[:width]}] {int(fraction * 100):3d}%"
    room = columns - len(head) - 3
    name = printable(name)
    if room < 8 or not name:
        return head[: columns - 1]
    if len(name) > room:
        name = "..." + name[-(room - 3) :]
    return f"{head}  {name}"
