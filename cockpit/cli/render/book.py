"""What the commands that write a book or a file say they did."""

from __future__ import annotations

import shlex
from pathlib import Path

from cockpit.text import counted, printable


def demo_built(summary) -> str:
    built = printable(
        f"Demo book {summary.path}: {summary.clients} clients at {summary.companies} "
        f"companies, {summary.interactions} interactions, {summary.deals} deals, "
        f"{summary.profiles} profiles, {summary.plans} planned communications."
    )
    calendar = ""
    if summary.calendar is not None:
        calendar_file, me = str(summary.calendar.path), summary.calendar.me
        command = shlex.join(
            ["cockpit", "--db", str(summary.path), "import", calendar_file, "--me", me]
        )
        calendar = "\n" + printable(
            f"Its calendar {summary.calendar.path}: meetings with some drifting clients, to "
            f"try the calendar import: {command}"
        )
    return built + calendar + "\n" + _demo_reached(summary.path)


def demo_kept(path) -> str:
    return printable(f"Kept the demo book {path} as it was.") + "\n" + _demo_reached(path)


def demo_exists(path, *, asking: bool = False) -> str:
    """The demo book at `path` exists: a question, or why the command stopped."""
    if asking:
        return printable(f"{path} holds a demo book. Build it afresh, losing your changes? [y/N] ")
    return printable(
        f"{path} already holds a demo book, perhaps with your changes; add --force to build "
        f"it afresh, or open it with: cockpit --db {shlex.quote(str(path))}"
    )


def _demo_reached(path) -> str:
    """How to reach the demo book again: it is never your own book, the commands' default."""
    quoted = shlex.quote(str(path))
    return printable(
        f"Your own book is unchanged; commands reach the demo with --db: "
        f"cockpit --db {quoted} drift"
    )


def calendar_written(calendar) -> str:
    return (
        f"{counted(calendar.events, 'event')}: {calendar.occasions} birthdays and "
        f"anniversaries, {counted(calendar.follow_ups, 'follow-up')}, "
        f"{counted(calendar.plans, 'planned communication')}, "
        f"{counted(calendar.drift_alerts, 'drift alert')}, "
        f"{counted(calendar.renewals, 'renewal')}"
    )


def cards_written(cards) -> str:
    return counted(cards.cards, "contact")


def history_written(history) -> str:
    return (
        f"{counted(history.touches, 'touch', 'touches')}, {counted(history.notes, 'note')} "
        f"and {counted(history.deals, 'deal')}"
    )


def wrote(done: str, path: Path) -> str:
    return printable(f"Wrote {done} to {path}.")


def note(warning: str) -> str:
    return printable(f"cockpit: note: {warning}")


def backed_up(book: str, path: Path, counts: str) -> str:
    return printable(
        f"Backed up {book} to {path}: {counts}. It holds the "
        "sensitive profile answers too: keep it private."
    )


def not_restorable(problem: str) -> str:
    return printable(
        f"cockpit: the backup is written, but restore would refuse it as it stands "
        f"({problem}); correct that row in the book, then back up again"
    )


def restored(path: Path, book: str, counts: str) -> str:
    return printable(f"Restored {path} into {book}: {counts}.")


def copied(source: str, target: str, counts: str) -> str:
    return printable(f"Copied {source} into {target}: {counts}.")
