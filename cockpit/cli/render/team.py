"""What `cockpit forget`, `assign` and `settings` print."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cockpit.text import counted, printable

SERVER_KEEPS = (
    "No one can read them through the book any more, but the PostgreSQL server keeps "
    "copies for a while: the deleted rows stay in the table's files until VACUUM reuses "
    "their space (VACUUM FULL profile_value, run by the book's owner, rewrites the table "
    "without them), in the write-ahead log until it is recycled, and in every base "
    "backup, pg_dump file and replica made before; ask the server's administrator if "
    "those must go too."
)


def forgotten_on_server(erased: int, client: str) -> str:
    return printable(f"Erased {erased} profile answers of {client} from the book.") + (
        "\n" + SERVER_KEEPS
    )


def forgotten(erased: int, client: str, backups: Sequence[Path]) -> str:
    """On a SQLite book; `backups`: the copies made before schema upgrades, beside it."""
    lines = [printable(f"Erased {erased} profile answers of {client} for good.")]
    if backups:
        lines.append(
            printable(
                f"{len(backups)} backup(s) made before schema upgrades, beside the book, "
                "still hold earlier answers; delete them if those must go too."
            )
        )
    return "\n".join(lines)


def book_handed_over(from_rep: str, to_rep: str, handed: Sequence, accounts: int = 0) -> str:
    managed = f" {from_rep}'s {counted(accounts, 'account')} went too." if accounts else ""
    if not handed:
        return printable(f"{from_rep} owns no clients; no client was handed over.{managed}")
    return printable(
        f"Handed {len(handed)} client(s) over from {from_rep} to "
        f"{to_rep}: " + ", ".join(item.name for item in handed) + "." + managed
    )


def account_assigned(account: str, rep: str, was: str, handed: Sequence) -> str:
    before = f" (was {was}'s)" if was and was != rep else ""
    people = (
        f"; {counted(len(handed), 'person', 'people')} handed over with it: "
        + ", ".join(item.name for item in handed)
        if handed
        else "; everyone there was theirs already"
    )
    return printable(f"{account} is now managed by {rep}{before}{people}.")


def client_assigned(client: str, rep: str, handed) -> str:
    """`handed`: None when the client was the rep's already, else whose it was."""
    if handed is None:
        return printable(f"{client} is {rep}'s already.")
    was = f" (was {handed.was}'s)" if handed.was else " (nobody owned it)"
    return printable(f"{client} is now {rep}'s{was}.")


def setting_changed(name: str, shown: object, *, unset: bool) -> str:
    said = "back to its default," if unset else "set to"
    return printable(f"Team setting health.{name} {said} {shown}, for everyone on this book.")


def team_health_settings(in_force: dict[str, object], stored: dict[str, object]) -> str:
    lines = [
        "Team settings (stored in the book; managers change them with 'cockpit settings set'):"
    ]
    for name, value in in_force.items():
        lines.append(f"  health.{name} = {value}" + ("" if name in stored else " (default)"))
    return "\n".join(lines)


def own_health_settings(health: dict[str, object], config: Path) -> str:
    lines = [printable(f"Health settings (yours on a SQLite book: [health] in {config}):")]
    lines.extend(f"  health.{name} = {value}" for name, value in health.items())
    return "\n".join(lines)


def personal_settings(mine, config: Path, rep: str | None) -> str:
    """The user's own settings; `rep` only on a SQLite book (a team book's is the login)."""
    lines = [
        printable(f"Personal settings ({config}):"),
        f"  currency = {mine.currency}",
        printable(f"  timezone = {mine.timezone or '(your machine' + chr(39) + 's)'}"),
    ]
    if rep is not None:
        lines.append(printable(f"  rep = {rep}"))
    hours = mine.capacity_hours_per_week
    lines.append(f"  capacity_hours_per_week = {'(not set)' if hours is None else f'{hours:g}'}")
    return "\n".join(lines)
