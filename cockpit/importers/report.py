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
    failures: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)

    def fail(self, line: int, reason: str) -> None:
        self.failures.append((line, reason))

    def summary(self, *, dry_run: bool = False) -> str:
        verb = "would add" if dry_run else "added"
        return (
            f"{self.path.name}: {self.clients_created} clients created, "
            f"{self.clients_updated} updated, {self.clients_unchanged} unchanged; "
            f"{verb} {self.touches_added} touches, {self.notes_added} notes and "
            f"{self.deals_added} deals; "
            f"{self.already_there} rows already there; {len(self.failures)} rows failed"
        )

    def failure_lines(self) -> list[str]:
        return [f"{self.path}:{line}: {reason}" for line, reason in self.failures]
