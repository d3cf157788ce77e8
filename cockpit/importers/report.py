"""What an import did: each file's summary line and per-row messages (`ImportReport`),
and the whole import's, with its grand total and id (`ImportResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cockpit.importers.changes import ClientChanges
from cockpit.text import counted

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
    calendar: bool = False  # a calendar (iCalendar), not a touch history
    events: int = 0  # a calendar's events (VEVENT components) read
    occurrences: int = 0  # and their occurrences in the window read
    events_skipped: int = 0  # occurrences cancelled, declined, a conference...
    moved: int = 0  # touches or scheduled touches moved with their event
    promises: int = 0  # next meetings that became scheduled touches
    mail: bool = False  # a mailbox (an mbox file or a Maildir folder)
    mail_kind: str = "mbox"  # or "Maildir"
    messages: int = 0  # a mailbox's messages read
    messages_skipped: int = 0  # mailing lists, automated and bulk mail, drafts
    # (line, what was assumed): things a file got wrong that did not stop it coming in
    warnings: list[tuple[int | str, str]] = field(default_factory=list)
    encoding: str = UTF8  # how the file was read: UTF-8, UTF-16 LE, UTF-16 BE, Windows-1252
    failures: list[tuple[int | str, str]] = field(default_factory=list)  # (line or record, why)
    # (record, the value and why): bad fields of contacts that came in without them
    left_out: list[tuple[str, str]] = field(default_factory=list)
    differences: list[tuple[str, str]] = field(default_factory=list)  # (record, left alone)
    # (record, the client as it was named, what merging the contact changed of it)
    changes: list[tuple[str, str, ClientChanges]] = field(default_factory=list)
    merges: list[tuple[str, Merge]] = field(default_factory=list)  # (record, by email)
    shown: str = ""  # how the summary names the file (a folder's: its path in the folder)

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
        return f"{self.shown or self.path.name}{read}"

    def differ(self, record: str, client: str, what: str, kept: str, offered: str) -> None:
        self.differences.append(
            (record, f"{client}: kept the {what} {kept!r}; the file has {offered!r}")
        )

    def change(self, record: str, client: str, changes: ClientChanges) -> None:
        self.changes.append((record, client, changes))

    def merge(self, record: str, contact: str, client: str, email: str) -> None:
        self.merges.append((record, Merge(contact, client, email)))

    def warn(self, line: int | str, what: str) -> None:
        self.warnings.append((line, what))

    def warning_lines(self) -> list[str]:
        return [
            f"{self.path}:{where}: {what}"
            if isinstance(where, int)
            else f"{self.path} ({where}): {what}"
            for where, what in self.warnings
        ]

    def summary(self, *, dry_run: bool = False) -> str:
        if self.calendar:
            return self._calendar_summary(dry_run)
        if self.mail:
            return self._mail_summary()
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
                f"{self.clients_unchanged}, failed {len(self.failures)}"
                f"{merged_by_email(len(self.merges), dry_run)}{bad}{left}"
            )
        verb = "would add" if dry_run else "added"
        return (
            f"{self.name}: {counted(self.clients_created, 'client')} created, "
            f"{self.clients_updated} updated, {self.clients_unchanged} unchanged; "
            f"{verb} {counted(self.touches_added, 'touch', 'touches')}, "
            f"{counted(self.notes_added, 'note')} and {counted(self.deals_added, 'deal')}; "
            f"{counted(self.already_there, 'row')} already there; "
            f"{counted(len(self.failures), 'row')} failed"
            f"{self._prospects()}"
        )

    def _calendar_summary(self, dry_run: bool) -> str:
        verb = "would add" if dry_run else "added"
        moved = "would move" if dry_run else "moved"
        parts = [
            f"{counted(self.events, 'event')}, "
            f"{counted(self.occurrences, 'occurrence')} in the window",
            f"{verb} {counted(self.touches_added, 'meeting')}",
        ]
        if self.moved:
            parts.append(f"{moved} {self.moved}")
        if self.promises:
            parts.append(f"{counted(self.promises, 'next touch', 'next touches')} scheduled")
        parts.append(f"{self.already_there} already there")
        if self.events_skipped:
            parts.append(f"{self.events_skipped} skipped")
        problems = len(self.failures) + len(self.warnings)
        if problems:
            parts.append(f"{counted(problems, 'problem')} (listed)")
        return f"{self.name}: {'; '.join(parts)}"

    def _mail_summary(self) -> str:
        parts = [f"{self.mail_kind}, {counted(self.messages, 'message')} read"]
        if self.messages_skipped:
            parts.append(f"{self.messages_skipped} skipped (lists, automated, bulk, drafts)")
        if self.failures:
            parts.append(f"{counted(len(self.failures), 'message')} left out (listed)")
        if self.warnings:
            parts.append(f"{counted(len(self.warnings), 'problem')} (listed)")
        return f"{self.name}: {'; '.join(parts)}"

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

    def merge_lines(self, *, dry_run: bool = False) -> list[str]:
        """Each contact merged into a client of another name because they share an email."""
        return [f"{self.path} ({record}): {merge.line(dry_run)}" for record, merge in self.merges]

    def change_lines(self, *, dry_run: bool = False) -> list[str]:
        """What the import changed of each client it updated."""
        updated = "would be updated" if dry_run else "updated"
        return [
            f"{self.path} ({record}): {client} {updated}: {changes.describe()}"
            for record, client, changes in self.changes
        ]


@dataclass(frozen=True)
class Merge:
    """A contact found by its email in a client of another name, and merged into it."""

    contact: str
    client: str
    email: str

    def line(self, dry_run: bool = False) -> str:
        merged = "would be merged" if dry_run else "merged"
        return f"{self.contact} {merged} into {self.client} (same email {self.email})"


def merged_by_email(count: int, dry_run: bool) -> str:
    """For the end of a summary: how many contacts were merged into clients of other names."""
    if not count:
        return ""
    would = "would be " if dry_run else ""
    return f"; {count} {would}merged by email (--no-merge-by-email keeps them apart)"


@dataclass(frozen=True)
class SkippedFile:
    """A file of a folder that was not imported, and why."""

    path: Path
    shown: str
    reason: str
    failed: bool = False  # a file Cockpit reads that broke half-way: nothing of it came in

    def line(self) -> str:
        return f"{self.shown}: skipped, {self.reason}"


@dataclass
class ImportResult:
    """A whole import: one report per file read and the files of its folders it skipped,
    in the order read, and its id in the ledger (None for a dry run, which writes nothing)."""

    files: list[ImportReport | SkippedFile] = field(default_factory=list)
    passed_over: int = 0  # hidden files and editor backups in the folders
    deep_folders: list[str] = field(default_factory=list)  # folders two levels down
    import_id: int | None = None
    dry_run: bool = False
    calendar: object | None = None  # `calendar_import.CalendarSummary` of its calendars
    mail: object | None = None  # `mail_import.MailSummary` of its mailboxes
    prospects: list[str] = field(default_factory=list)  # names of the prospects made

    @property
    def reports(self) -> list[ImportReport]:
        return [file for file in self.files if isinstance(file, ImportReport)]

    @property
    def skipped(self) -> list[SkippedFile]:
        return [file for file in self.files if isinstance(file, SkippedFile)]

    @property
    def incomplete(self) -> bool:
        """Whether something did not come in: a failed record, a field left out, a file
        that broke half-way."""
        return any(
            file.incomplete if isinstance(file, ImportReport) else file.failed
            for file in self.files
        )

    def failure_lines(self) -> list[str]:
        lines = []
        for file in self.files:
            if isinstance(file, ImportReport):
                lines += file.failure_lines()
            elif file.failed:
                lines.append(f"{file.path}: {file.reason}")
        return lines

    def difference_lines(self) -> list[str]:
        return [line for report in self.reports for line in report.difference_lines()]

    def warning_lines(self) -> list[str]:
        return [line for report in self.reports for line in report.warning_lines()]

    def calendar_lines(self, today) -> list[str]:
        """What the calendars did, client by client, what they skipped and the addresses
        that matched nobody."""
        return self.calendar.lines(today) if self.calendar is not None else []

    def prospect_lines(self) -> list[str]:
        if not self.prospects:
            return []
        made = "that would be made" if self.dry_run else "made"
        return [f"Prospects {made} from addresses: {', '.join(self.prospects)}"]

    def unmatched(self) -> list:
        """The addresses the mailboxes and calendars met that matched nobody, the most met
        first (`correspondents.UnmatchedAddress`): the prospects the import screen offers."""
        from cockpit.importers.correspondents import merged_unmatched

        return merged_unmatched(
            summary.unmatched for summary in (self.mail, self.calendar) if summary is not None
        )

    def mail_lines(self) -> list[str]:
        """What the mailboxes did, client by client, what they skipped and the addresses
        that matched nobody."""
        return self.mail.lines() if self.mail is not None else []

    def merge_lines(self) -> list[str]:
        return [line for r in self.reports for line in r.merge_lines(dry_run=self.dry_run)]

    def change_lines(self) -> list[str]:
        return [line for r in self.reports for line in r.change_lines(dry_run=self.dry_run)]

    def file_lines(self) -> list[str]:
        """One line a file, in the order read: what it brought, or why it was skipped;
        then the folders too deep to be read."""
        lines = [
            file.summary(dry_run=self.dry_run) if isinstance(file, ImportReport) else file.line()
            for file in self.files
        ]
        return lines + [
            f"{folder}: not read (a folder is read with one level of subfolders)"
            for folder in self.deep_folders
        ]

    def total(self) -> str:
        """The grand total in one line, with the import's id."""
        head = f"Total, {counted(len(self.reports), 'file')}"
        if self.dry_run or self.import_id is None:
            return f"{head} (a dry run: nothing was written): {self.counts()}"
        return (
            f"{head}, import #{self.import_id}: {self.counts()} "
            f"('cockpit import --undo {self.import_id}' takes it back)"
        )

    def counts(self) -> str:
        """What the files brought, all told (the ledger keeps it for `--list`)."""
        reports = self.reports
        would = "would be " if self.dry_run else ""
        parts = [
            f"{counted(sum(r.clients_created for r in reports), 'client')} {would}created, "
            f"{sum(r.clients_updated for r in reports)} updated, "
            f"{sum(r.clients_unchanged for r in reports)} unchanged"
        ]
        calendars = [report for report in reports if report.calendar]
        if calendars:
            verb = "would add" if self.dry_run else "added"
            part = f"{verb} {counted(sum(r.touches_added for r in calendars), 'meeting')}"
            if moved := sum(r.moved for r in calendars):
                part += f", {'would move' if self.dry_run else 'moved'} {moved}"
            if promises := sum(r.promises for r in calendars):
                part += f", {counted(promises, 'next touch', 'next touches')} scheduled"
            parts.append(part)
        if self.mail is not None:
            parts.append(self.mail.counts())
        histories = [r for r in reports if not (r.calendar or r.mail)]  # address books' too
        if any(not report.contacts for report in histories):
            verb = "would add" if self.dry_run else "added"
            parts.append(
                f"{verb} {counted(sum(r.touches_added for r in histories), 'touch', 'touches')}, "
                f"{counted(sum(r.notes_added for r in histories), 'note')} and "
                f"{counted(sum(r.deals_added for r in histories), 'deal')}; "
                f"{counted(sum(r.already_there for r in histories), 'row')} already there"
            )
        parts.append(f"{sum(len(r.failures) for r in reports)} failed")
        if merged := sum(len(r.merges) for r in reports):
            parts.append(merged_by_email(merged, self.dry_run).removeprefix("; "))
        if left_out := sum(len(r.left_out) for r in reports):
            parts.append(f"{left_out} bad fields left out")
        if differences := sum(len(r.differences) for r in reports):
            parts.append(f"{differences} differences left alone (--overwrite replaces them)")
        if self.skipped:
            parts.append(f"{counted(len(self.skipped), 'file')} skipped")
        if self.passed_over:
            parts.append(f"{counted(self.passed_over, 'hidden or backup file')} passed over")
        return "; ".join(parts)
