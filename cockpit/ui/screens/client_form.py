"""Adding or editing a client: a form that checks every field before anything is saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static

from cockpit import validation
from cockpit.text import printable, safe_text
from cockpit.ui.screens.form_fields import listed, optional_date, optional_days
from cockpit.ui.screens.form_screen import FormScreen
from cockpit.vocabulary import Lifecycle


@dataclass
class ClientValues:
    """What the form holds; `book.add_client`/`update_client` take these as keywords."""

    name: str = ""
    company: str = ""
    title: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    lifecycle: str = Lifecycle.ACTIVE.value
    client_since: date | None = None
    keep_in_touch_days: int | None = None
    strategic: bool = False
    snoozed_until: date | None = None


class ClientForm(FormScreen[ClientValues]):
    """Dismisses with the checked values, or None when cancelled."""

    AUTO_FOCUS = "#name"

    def __init__(self, title: str, values: ClientValues | None = None) -> None:
        super().__init__()
        self.form_title = title
        self.values = values or ClientValues()

    def compose(self) -> ComposeResult:
        v = self.values
        with VerticalScroll():
            yield Static(safe_text(self.form_title, "bold"))
            yield Label("Name (required)")
            yield Input(printable(v.name), id="name")
            yield Label("Company")
            yield Input(printable(v.company), id="company")
            yield Label("Title")
            yield Input(printable(v.title), id="title")
            yield Label("Emails (comma-separated)")
            yield Input(printable(", ".join(v.emails)), id="emails")
            yield Label("Phones (comma-separated)")
            yield Input(printable(", ".join(v.phones)), id="phones")
            yield Label("Lifecycle")
            yield Select(
                [(item.value, item.value) for item in Lifecycle],
                value=v.lifecycle,
                allow_blank=False,
                id="lifecycle",
            )
            yield Label("Client since (YYYY-MM-DD; empty: the first won deal)")
            yield Input(v.client_since.isoformat() if v.client_since else "", id="since")
            yield Label("Keep in touch every N days (empty: derived)")
            yield Input(str(v.keep_in_touch_days or ""), id="keep")
            yield Checkbox("Pinned as strategic", v.strategic, id="strategic")
            yield Label("Snoozed until (YYYY-MM-DD)")
            yield Input(v.snoozed_until.isoformat() if v.snoozed_until else "", id="snooze")
            yield from self.form_end()

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def read(self) -> ClientValues:
        """The values typed, checked; raises ValidationError naming the field."""
        values = ClientValues(
            name=validation.clean_line(self._text("name"), "Name", required=True),
            company=validation.clean_line(self._text("company"), "Company"),
            title=validation.clean_line(self._text("title"), "Title"),
            emails=listed(self._text("emails")),
            phones=listed(self._text("phones")),
            lifecycle=str(self.query_one("#lifecycle", Select).value),
            client_since=optional_date(self._text("since"), "Client since"),
            keep_in_touch_days=optional_days(self._text("keep"), "Keep in touch"),
            strategic=self.query_one("#strategic", Checkbox).value,
            snoozed_until=optional_date(self._text("snooze"), "Snoozed until"),
        )
        validation.check_contacts(values.emails, values.phones)
        return values
