"""Importing from the cockpit: ask for a file or a folder, import it in a worker while a
progress bar moves (Esc cancels, and nothing is written), then show what the import did,
with a key to take it back, and, when calendars or mail met addresses that matched nobody,
a key to make prospects of them in one step (`ProspectsScreen`: the same files imported
again with those prospects made first, so their meetings and mail come in too). Your own
addresses are asked for on the form and kept as the `me` setting."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, SelectionList, Static

from cockpit.config import settings
from cockpit.errors import ValidationError
from cockpit.text import printable, safe_text
from cockpit.ui.screens.form_screen import FormScreen

SHOWN_FILES = 500  # lines of files in the result, at most (the total counts them all)
REDRAW_EVERY = 0.1  # seconds between two looks at how far the import is
NO_ADDRESSES = (
    "Your email addresses: there is mail to import; say which addresses are yours, so that "
    "what you sent is told from what your clients sent you. Nothing was imported yet."
)


@dataclass(frozen=True)
class ImportRequest:
    path: Path
    overwrite: bool
    merge_by_email: bool = True
    with_notes: bool = False  # calendars and mail: each event's description, message's text
    me: tuple[str, ...] = ()  # the user's addresses
    prospects: tuple = ()  # `prospects.AskedProspect`s to make first

    def calendar(self):
        from cockpit.importers.calendar_import import CalendarOptions

        return CalendarOptions(with_notes=self.with_notes, me=self.me, prospects=self.prospects)


class ImportForm(FormScreen[ImportRequest]):
    """What to import; opened again as it was left (`request`) with `error` said when the
    import needs more (mail, and no address of yours)."""

    AUTO_FOCUS = "#path"

    def __init__(self, request: ImportRequest | None = None, error: str = "") -> None:
        super().__init__()
        self.request = request
        self.error = error

    def on_mount(self) -> None:
        request = self.request
        if request is None:
            return
        self.query_one("#path", Input).value = str(request.path)
        self.query_one("#overwrite", Checkbox).value = request.overwrite
        self.query_one("#no-merge-by-email", Checkbox).value = not request.merge_by_email
        self.query_one("#with-notes", Checkbox).value = request.with_notes
        self.query_one("#me", Input).value = ", ".join(request.me)
        self.query_one("#error", Static).update(safe_text(self.error))
        if self.error:
            self.query_one("#me", Input).focus()

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(safe_text("Import a file or a folder", "bold"))
            yield Static(
                "vCard (.vcf), Google Contacts, Outlook or LinkedIn CSV exports, an "
                "interchange history CSV, a calendar (.ics) or a mailbox (an mbox file, a "
                "Maildir folder); or a folder of them (a vdirsyncer vdir: its subfolders too). "
                "Contacts are matched by email, then by name and company; empty fields are "
                "filled and nothing is overwritten unless you ask. A calendar's meetings with "
                "clients of the last year become touches; so does the mail you sent them, and "
                "theirs is shown as heard from. The import can be taken back.",
                classes="hint",
            )
            yield Label("File or folder")
            yield Input(placeholder="~/Downloads/contacts.vcf or ~/.contacts", id="path")
            yield Label("Your email addresses, for mail and calendars (kept in config.toml)")
            yield Input(
                ", ".join(settings().me),
                placeholder="you@example.com, you@gmail.com",
                id="me",
            )
            yield Checkbox("Replace values that differ (overwrite)", id="overwrite", compact=True)
            yield Checkbox(
                "Don't merge by email: match by name and company only",
                id="no-merge-by-email",
                compact=True,
            )
            yield Checkbox(
                "Calendars and mail: keep each event's description, each message's text",
                id="with-notes",
                compact=True,
            )
            yield from self.form_end()

    def read(self) -> ImportRequest:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            raise ValidationError("File: type the path of the file or folder to import")
        path = Path(text).expanduser()
        if not path.is_file() and not path.is_dir():
            raise ValidationError(f"File: {printable(str(path))} is not a file or a folder")
        return ImportRequest(
            path,
            self.query_one("#overwrite", Checkbox).value,
            merge_by_email=not self.query_one("#no-merge-by-email", Checkbox).value,
            with_notes=self.query_one("#with-notes", Checkbox).value,
            me=self._me(),
        )

    def _me(self) -> tuple[str, ...]:
        from cockpit.importers.correspondents import checked_addresses

        text = self.query_one("#me", Input).value
        given = text.replace(";", ",").replace(" ", ",").split(",")
        return tuple(dict.fromkeys(checked_addresses(given, "Your email addresses")))


class ImportProgress(ModalScreen[None]):
    """How far the import is; Esc stops it, and then nothing is written."""

    DEFAULT_CSS = """
    ImportProgress {
        align: center middle;
    }
    ImportProgress > Vertical {
        width: 72;
        height: auto;
        border: thick $accent;
        background: $surface;
        padding: 0 2;
    }
    ImportProgress ProgressBar {
        margin: 1 0;
    }
    ImportProgress #file {
        color: $text-muted;
        height: 1;
    }
    ImportProgress .hint {
        color: $text-muted;
        margin-bottom: 1;
    }
    """
    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel the import")]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.cancelled = False
        self.latest = (0.0, "")  # set by the import's worker, shown by the screen's timer
        self._shown: tuple[float, str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(f"Importing {self.path}", "bold"), id="title")
            yield ProgressBar(total=100, show_eta=False, id="bar")
            yield Static("", id="file")
            yield Static("Esc cancels the import: nothing is written.", classes="hint")

    def on_mount(self) -> None:
        self.set_interval(REDRAW_EVERY, self._show)

    def progress(self, fraction: float, file: str) -> None:
        """The import's progress callback, called in its worker (an assignment, which a
        thread may make); after Esc it stops the import."""
        if self.cancelled:
            from cockpit.importers.files import Cancelled

            raise Cancelled
        self.latest = (fraction, file)

    def _show(self) -> None:
        latest = self.latest
        if latest == self._shown or self.cancelled:
            return
        self._shown = latest
        fraction, file = latest
        self.query_one("#bar", ProgressBar).update(progress=round(fraction * 100, 1))
        self.query_one("#file", Static).update(safe_text(file))

    def action_cancel(self) -> None:
        self.cancelled = True
        self.query_one("#file", Static).update(safe_text("Cancelling…"))


class ImportResult(ModalScreen[None]):
    """The grand total of an import, then every failure, merge by email, client updated,
    difference left alone and file; `u` takes the import back."""

    DEFAULT_CSS = """
    ImportResult {
        align: center middle;
    }
    ImportResult > Vertical {
        width: 90%;
        max-width: 110;
        height: auto;
        max-height: 90%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    ImportResult VerticalScroll {
        height: auto;
        max-height: 20;
    }
    ImportResult .buttons {
        height: auto;
    }
    ImportResult Button {
        margin-right: 2;
    }
    """
    BINDINGS: ClassVar = [
        Binding("escape,enter", "close", "Close"),
        Binding("u", "undo", "Undo this import"),
        Binding("p", "prospects", "Make prospects of the addresses"),
    ]

    def __init__(
        self,
        summary: str,
        details: list[str],
        import_id: int | None = None,
        *,
        unmatched: list | None = None,
        request: ImportRequest | None = None,
    ) -> None:
        super().__init__()
        self.summary = summary
        self.details = details
        self.import_id = import_id
        self.unmatched = unmatched or []  # `correspondents.UnmatchedAddress`, the top ones
        self.request = request

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(self.summary, "bold"))
            with VerticalScroll():
                text = "\n".join(printable(line) for line in self.details)
                yield Static(safe_text(text or "Nothing to report.", multiline=True))
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close", variant="primary")
                if self.import_id is not None:
                    yield Button("Undo this import (u)", id="undo")
                if self._offers_prospects():
                    yield Button("Make prospects of the addresses (p)", id="prospects")

    def _offers_prospects(self) -> bool:
        return bool(self.unmatched and self.request is not None and self.import_id is not None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "undo":
            self.action_undo()
        elif event.button.id == "prospects":
            self.action_prospects()
        else:
            self.dismiss(None)

    def action_prospects(self) -> None:
        """Offer the addresses that matched nobody; those kept become prospects."""
        if not self._offers_prospects():
            return
        request = self.request

        def chosen(asked: list | None) -> None:
            if asked:
                self.dismiss(None)
                run_import(self.app.main, replace(request, prospects=tuple(asked)))

        self.app.push_screen(ProspectsScreen(self.unmatched), chosen)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_undo(self) -> None:
        if self.import_id is not None:
            self.dismiss(None)
            undo_import(self.app.main, self.import_id)


def result_lines(result) -> list[str]:
    """What an import's result screen lists under its total: what did not come in, the
    contacts merged by email, what changed of each client updated, the differences left
    alone, what mailboxes and calendars did client by client (and the addresses that
    matched nobody), then each file's line (the first SHOWN_FILES of them)."""
    from cockpit import clock

    files = result.file_lines()
    shown = files[:SHOWN_FILES]
    if len(files) > SHOWN_FILES:
        shown.append(f"… and {len(files) - SHOWN_FILES} more files (the total counts them all)")
    return [
        *result.failure_lines(),
        *result.warning_lines(),
        *result.merge_lines(),
        *result.change_lines(),
        *result.difference_lines(),
        *result.prospect_lines(),
        *result.mail_lines(),
        *result.calendar_lines(clock.today()),
        *shown,
    ]


class ProspectsScreen(ModalScreen[list | None]):
    """The addresses the calendars and mail met that matched nobody, each ticked: Enter
    makes prospects of those left ticked (Space unticks one), Esc none; the result is a
    list of `prospects.AskedProspect`."""

    DEFAULT_CSS = """
    ProspectsScreen {
        align: center middle;
    }
    ProspectsScreen > Vertical {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 90%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    ProspectsScreen SelectionList {
        height: auto;
        max-height: 22;
    }
    ProspectsScreen .hint {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Make none"),
        Binding("enter,ctrl+s", "make", "Make prospects of the ticked", priority=True),
    ]

    def __init__(self, unmatched: list) -> None:
        super().__init__()
        self.unmatched = unmatched

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text("Make prospects of these addresses", "bold"))
            yield Static(
                "Each becomes a prospect named as the calendar or the mail names them (else "
                "by the address), with its meetings and mail. Space unticks one; Enter makes "
                "them; Esc makes none. The import can be taken back.",
                classes="hint",
            )
            yield SelectionList[int](
                *((safe_text(item.line()), at, True) for at, item in enumerate(self.unmatched)),
                id="addresses",
            )

    def action_make(self) -> None:
        from cockpit.importers.prospects import AskedProspect

        ticked = self.query_one("#addresses", SelectionList).selected
        chosen = [self.unmatched[at] for at in sorted(ticked)]
        self.dismiss([AskedProspect(item.address, item.name) for item in chosen])

    def action_cancel(self) -> None:
        self.dismiss(None)


def import_file(main) -> None:
    """The flow: a file or folder chosen, imported in a worker under a progress bar, then
    what came in; `main` is the cockpit's main screen, which reads the book again."""
    if main.app.database is None:
        return

    def chosen(request: ImportRequest | None) -> None:
        if request is not None:
            run_import(main, request)

    main.app.push_screen(ImportForm(), chosen)


def run_import(main, request: ImportRequest) -> None:
    """Import what `request` names in a worker under a progress bar, then show the result."""
    from cockpit.config import MyAddressesMissing
    from cockpit.importers.files import import_paths

    progress = ImportProgress(request.path)

    def imported(outcome) -> None:
        result, kept = outcome
        progress.dismiss(None)
        if result is None:  # mail, and no address of yours: asked for, the rest as it was
            main.app.push_screen(ImportForm(request, NO_ADDRESSES), again)
            return
        main.app.push_screen(
            ImportResult(
                result.total(),
                [*kept, *result_lines(result)],
                result.import_id,
                unmatched=result.unmatched(),
                request=request,
            )
        )
        main.reload()

    def again(changed: ImportRequest | None) -> None:
        if changed is not None:
            run_import(main, changed)

    def work():
        kept = _keep_my_addresses(request.me)
        try:
            result = import_paths(
                [request.path],
                overwrite=request.overwrite,
                progress=progress.progress,
                merge_by_email=request.merge_by_email,
                calendar=request.calendar(),
            )
        except MyAddressesMissing:
            return None, kept
        return result, kept

    def failed() -> None:
        progress.dismiss(None)

    main.app.push_screen(progress)
    main.app.in_book(work, imported, failed)


def _keep_my_addresses(me: tuple[str, ...]) -> list[str]:
    """The addresses typed kept as the `me` setting when they changed; a line for the
    result when they could not be."""
    from cockpit.config import settings
    from cockpit.config_writing import set_setting
    from cockpit.errors import ConfigError

    if not me or me == tuple(settings().me):
        return []
    try:
        path = set_setting("me", list(me))
    except ConfigError as error:
        return [f"Your addresses were not kept: {error.message}"]
    return [f"Your addresses are kept in {path} (me = ...)."]


def undo_import(main, import_id: int) -> None:
    """Take an import back in a worker, and say what the undo did; when some of it was
    changed since, list what and offer to undo the rest (`--keep-changed`)."""
    from cockpit.storage.import_undo import UndoRefused
    from cockpit.storage.import_undo import undo_import as undone

    def undo(keep_changed: bool):
        try:
            return undone(import_id, keep_changed=keep_changed)
        except UndoRefused as refused:
            return refused

    def done(outcome) -> None:
        if isinstance(outcome, UndoRefused):
            lines = [changed.line() for changed in outcome.changed]
            main.app.push_screen(UndoRefusedScreen(outcome.message, lines), keep_going)
            return
        main.notify(printable(outcome.summary()), markup=False, timeout=10)
        main.reload()

    def keep_going(rest: bool | None) -> None:
        if rest:
            main.app.in_book(lambda: undo(True), done)

    main.app.in_book(lambda: undo(False), done)


class UndoRefusedScreen(ModalScreen[bool]):
    """An undo refused: the clients changed since, and whether to undo the rest."""

    DEFAULT_CSS = """
    UndoRefusedScreen {
        align: center middle;
    }
    UndoRefusedScreen > Vertical {
        width: 90%;
        max-width: 110;
        height: auto;
        max-height: 90%;
        border: thick $error;
        background: $surface;
        padding: 0 1;
    }
    UndoRefusedScreen VerticalScroll {
        height: auto;
        max-height: 16;
    }
    UndoRefusedScreen .buttons {
        height: auto;
    }
    UndoRefusedScreen Button {
        margin-right: 2;
    }
    """
    BINDINGS: ClassVar = [
        Binding("escape", "keep_all", "Change nothing"),
        Binding("r", "undo_rest", "Undo the rest"),
    ]

    def __init__(self, message: str, lines: list[str]) -> None:
        super().__init__()
        self.message = message
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(self.message, "bold"))
            with VerticalScroll():
                yield Static(safe_text("\n".join(self.lines), multiline=True))
            with Horizontal(classes="buttons"):
                yield Button("Change nothing (Esc)", id="keep", variant="primary")
                yield Button("Undo the rest, keep these (r)", id="rest")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "rest")

    def action_keep_all(self) -> None:
        self.dismiss(False)

    def action_undo_rest(self) -> None:
        self.dismiss(True)
