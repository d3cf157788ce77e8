"""What an import did, for the summary line and the per-row messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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
    contacts: bool = False  # an address book, not a touch history
    failures: list[tuple[int | str, str]] = field(default_factory=list)  # (line or record, why)
    differences: list[tuple[str, str]] = field(default_factory=list)  # (record, left alone)

    def fail(self, line: int | str, reason: str) -> None:
        self.failures.append((line, reason))

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
            return (
                f"{self.path.name}: contacts {would}created "
                f"{self.clients_created}, updated {self.clients_updated}, unchanged "
                f"{self.clients_unchanged}, failed {len(self.failures)}{left}"
            )
        verb = "would add" if dry_run else "added"
        return (
            f"{self.path.name}: {self.clients_created} clients created, "
            f"{self.clients_updated} updated, {self.clients_unchanged} unchanged; "
            f"{verb} {self.touches_added} touches, {self.notes_added} notes and "
            f"{self.deals_added} deals; "
            f"{self.already_there} rows already there; {len(self.failures)} rows failed"
        )

    def failure_lines(self) -> list[str]:
        return [
            f"{self.path}:{where}: {reason}"
            if isinstance(where, int)
            else f"{self.path} ({where}): {reason}"
            for where, reason in self.failures
        ]

    def difference_lines(self) -> list[str]:
        return [f"{self.path} ({record}): {what}" for record, what in self.differences]
