"""What an import did, for the summary line and the per-row messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

UTF8 = "UTF-8"  # the usual encoding, not named in the summary


@dataclass
class ImportReport:
    path: Path
    clients_created: int = 0
    clients_updated: int = 0
    clients_unchanged: int = 0
    touches_added: int = 0
    notes_added: int = 0
    deals_added: int = 0
    already_there: int = 0
    created_without_deal: int = 0  # clients created with no won deal: prospects
    contacts: bool = False  # an address book, not a touch history
    encoding: str = UTF8  # how the file was read: UTF-8, UTF-16 LE, UTF-16 BE, Windows-1252
    failures: list[tuple[int | str, str]] = field(default_factory=list)  # (line or record, why)
    # (record, the value and why): bad fields of contacts that came in without them
    left_out: list[tuple[str, str]] = field(default_factory=list)
    differences: list[tuple[str, str]] = field(default_factory=list)  # (record, left alone)

    def fail(self, line: int | str, reason: str) -> None:
        self.failures.append((line, reason))

    def leave_out(self, record: str, reason: str) -> None:
        self.left_out.append((record, reason))

    @property
    def incomplete(self) -> bool:
        """Whether some of the file did not come in: a failed row, or a field left out."""
        return bool(self.failures or self.left_out)

    @property
    def name(self) -> str:
        """The file's name, and how it was read unless that was UTF-8."""
        read = f" (read as {self.encoding})" if self.encoding != UTF8 else ""
        return f"{self.path.name}{read}"

    def differ(self, record: str, client: str, what: str, kept: str, offered: str) -> None:
        self.differences.append(
            (record, f"{client}: kept the {what} {kept!r}; the file has {offered!r}")
        )

    def summary(self, *, dry_run: bool = False) -> str:
        if self.contacts:
            would = "would be " if dry_run else ""
            left = (
                f"; {len(self.differences)} differences left alone (--overwrite replaces them)"
                if self.differences
                else ""
            )
            bad = f"; {len(self.left_out)} bad fields left out" if self.left_out else ""
            return (
                f"{self.name}: contacts {would}created "
                f"{self.clients_created}, updated {self.clients_updated}, unchanged "
                f"{self.clients_unchanged}, failed {len(self.failures)}{bad}{left}"
            )
        verb = "would add" if dry_run else "added"
        return (
            f"{self.name}: {self.clients_created} clients created, "
            f"{self.clients_updated} updated, {self.clients_unchanged} unchanged; "
            f"{verb} {self.touches_added} touches, {self.notes_added} notes and "
            f"{self.deals_added} deals; "
            f"{self.already_there} rows already there; {len(self.failures)} rows failed"
            f"{self._prospects()}"
        )

    def _prospects(self) -> str:
        """How many of the clients created have no won deal, for the end of the summary."""
        count, created = self.created_without_deal, self.clients_created
        if not count:
            return ""
        if count == created == 1:
            who = "The client created has"
        elif count == created:
            who = f"The {count} clients created have"
        else:
            who = f"{count} of the {created} clients created {'has' if count == 1 else 'have'}"
        what = "a prospect" if count == 1 else "prospects"
        return f". {who} no won deal yet: {what} until one is won"

    def failure_lines(self) -> list[str]:
        """What did not come in: the failed rows, then the fields left out."""
        return [
            f"{self.path}:{where}: {reason}"
            if isinstance(where, int)
            else f"{self.path} ({where}): {reason}"
            for where, reason in [*self.failures, *self.left_out]
        ]

    def difference_lines(self) -> list[str]:
        return [f"{self.path} ({record}): {what}" for record, what in self.differences]
