"""Adding or editing a client: a form that checks every field before anything is saved."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static

from cockpit import clock, validation
from cockpit.fields import ClientFields
from cockpit.text import printable, safe_text
from cockpit.ui.screens.form_fields import listed
from cockpit.ui.screens.form_screen import FormScreen
from cockpit.ui.widgets.date_field import DateField
from cockpit.ui.widgets.interval_field import IntervalField
from cockpit.ui.widgets.phrase_field import with_preview
from cockpit.vocabulary import Lifecycle


class ClientForm(FormScreen[ClientFields]):
    """Dismisses with the checked fields, or None when cancelled."""

    AUTO_FOCUS = "#name"

    def __init__(self, title: str, values: ClientFields | None = None) -> None:
        super().__init__()
        self.form_title = title
        self.values = values or ClientFields()
        self.today = clock.today()

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
            yield Label("Tags (comma-separated: golf, key account)")
            yield Input(printable(", ".join(v.tags)), id="tags")
            yield Label("Lifecycle")
            yield Select(
                [(item.value, item.value) for item in Lifecycle],
                value=v.lifecycle,
                allow_blank=False,
                id="lifecycle",
            )
            yield Label("Client since (a date or a phrase; empty: the first won deal)")
            yield from with_preview(
                DateField(
                    v.client_since, self.today, future=False, label="Client since", id="since"
                )
            )
            yield Label("Keep in touch every (30, 2 weeks, monthly; empty: derived)")
            yield from with_preview(
                IntervalField(v.keep_in_touch_days, label="Keep in touch", id="keep")
            )
            yield Checkbox("Pinned as strategic", v.strategic, id="strategic")
            yield Label("Snoozed until (a date or a phrase: friday, in 2 weeks)")
            yield from with_preview(
                DateField(v.snoozed_until, self.today, label="Snoozed until", id="snooze")
            )
            yield from self.form_end()

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value

    def read(self) -> ClientFields:
        """The values typed, checked; raises ValidationError naming the field."""
        values = ClientFields(
            name=validation.clean_line(self._text("name"), "Name", required=True),
            company=validation.clean_line(self._text("company"), "Company"),
            title=validation.clean_line(self._text("title"), "Title"),
            emails=listed(self._text("emails")),
            phones=listed(self._text("phones")),
            lifecycle=str(self.query_one("#lifecycle", Select).value),
            client_since=self.query_one("#since", DateField).read(),
            keep_in_touch_days=self.query_one("#keep", IntervalField).read(),
            strategic=self.query_one("#strategic", Checkbox).value,
            snoozed_until=self.query_one("#snooze", DateField).read(),
            tags=validation.parse_tags(self._text("tags")),
        )
        validation.check_contacts(values.emails, values.phones)
        return values


# The flows: a new client, a client edited, archived or deleted. `main` is the
# cockpit's main screen, whose selected client they act on.


def new_client(main) -> None:
    from cockpit.storage import book

    def saved(fields: ClientFields | None) -> None:
        if fields is not None:
            main.write(lambda: book.create_client(fields).id, None, f"Added {fields.name}.")

    main.app.push_screen(ClientForm("New client"), saved)


def edit_client(main) -> None:
    selected = main.selected_client()
    if selected is not None:
        _read_client(main, selected.id)


def _read_client(main, client_id: int) -> None:
    """Read the client's details in a worker, then open the form on them."""
    from cockpit import client_view

    def edit(detail) -> None:
        if detail is not None:  # else the client is gone
            _edit(main, detail)

    main.app.read_then_open(lambda: client_view.client_detail(client_id, main.today), edit)


def _edit(main, detail) -> None:
    from cockpit.storage import book

    def saved(changed: ClientFields | None) -> None:
        if changed is not None:
            main.write(
                lambda: book.update_client(detail.id, changed), detail.id, f"Saved {changed.name}."
            )

    main.app.push_screen(ClientForm(f"Edit {detail.name}", ClientFields.of(detail)), saved)


def remove_client(main) -> None:
    from cockpit.storage import book
    from cockpit.ui.screens.confirm import Confirm

    selected = main.selected_client()
    if selected is None:
        return
    question = (
        f"Archive {selected.name}? An archived client is kept and still judged, but no "
        "longer listed. Deleting removes the client and every touch, deal and profile "
        "answer, for good."
    )

    def answered(choice: str | None) -> None:
        if choice == "archive":
            change = lambda: book.set_archived(selected.id, True)  # noqa: E731
            main.write(change, None, f"Archived {selected.name}.")
        elif choice == "delete":
            main.write(lambda: book.delete_client(selected.id), None, f"Deleted {selected.name}.")

    answers = [("archive", "Archive"), ("delete", "Delete for good")]
    main.app.push_screen(Confirm(question, answers), answered)
