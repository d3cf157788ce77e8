"""Importing a file from the cockpit: ask for the path, then show what the import did."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from cockpit.errors import ValidationError
from cockpit.text import printable, safe_text
from cockpit.ui.screens.form_screen import FormScreen


@dataclass(frozen=True)
class ImportRequest:
    path: Path
    overwrite: bool


class ImportForm(FormScreen[ImportRequest]):
    AUTO_FOCUS = "#path"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text("Import a file", "bold"))
            yield Static(
                "vCard (.vcf), Google Contacts, Outlook or LinkedIn CSV exports, or an "
                "interchange history CSV. Contacts are matched by email, then by name and "
                "company; empty fields are filled and nothing is overwritten unless you ask.",
                classes="hint",
            )
            yield Label("File")
            yield Input(placeholder="~/Downloads/contacts.vcf", id="path")
            yield Checkbox("Replace values that differ (overwrite)", id="overwrite")
            yield from self.form_end()

    def read(self) -> ImportRequest:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            raise ValidationError("File: type the path of the file to import")
        path = Path(text).expanduser()
        if not path.is_file():
            raise ValidationError(f"File: {printable(str(path))} is not a file")
        return ImportRequest(path, self.query_one("#overwrite", Checkbox).value)


class ImportResult(ModalScreen[None]):
    """The summary of an import, with every failure and difference left alone."""

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
    """
    BINDINGS: ClassVar = [Binding("escape,enter", "close", "Close")]

    def __init__(self, summary: str, details: list[str]) -> None:
        super().__init__()
        self.summary = summary
        self.details = details

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(self.summary, "bold"))
            with VerticalScroll():
                yield Static(safe_text("\n".join(self.details) or "Nothing to report."))
            yield Button("Close", id="close")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def import_file(main) -> None:
    """The flow: a file chosen, imported in a worker, then what came in; `main` is the
    cockpit's main screen, which reads the book again."""
    from cockpit.importers.files import import_file as imported_from

    if main.app.database is None:
        return

    def imported(report) -> None:
        details = report.failure_lines() + report.difference_lines()
        main.app.push_screen(ImportResult(report.summary(), details))
        main.reload()

    def chosen(request: ImportRequest | None) -> None:
        if request is None:
            return
        main.notify(printable(f"Importing {request.path.name}…"), markup=False)
        main.app.in_book(lambda: imported_from(request.path, overwrite=request.overwrite), imported)

    main.app.push_screen(ImportForm(), chosen)
