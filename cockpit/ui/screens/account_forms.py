"""The accounts screen's forms: what a person is at their account (`r`), a person who
changed jobs (`M`), and the account's own name, email domains and notes (`e`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, SelectionList, Static, TextArea

from cockpit.errors import ValidationError
from cockpit.search import fold
from cockpit.text import printable, safe_text
from cockpit.ui.screens.form_screen import FormScreen
from cockpit.ui.widgets.date_field import DateField
from cockpit.ui.widgets.phrase_field import with_preview
from cockpit.validation import clean_line
from cockpit.vocabulary import Role, role_label

ROLE_CHOICES_CSS = """
    {name} SelectionList {{
        height: auto;
        max-height: 8;
        border: none;
        padding: 0;
    }}
"""


def role_choices(held: Sequence[Role], *, id: str) -> SelectionList[str]:
    """The roles of the vocabulary, those held ticked (Space ticks, ↑↓ move)."""
    return SelectionList[str](
        *((role_label(role), role.value, role in held) for role in Role), id=id
    )


@dataclass(frozen=True)
class RolesValues:
    roles: list[str]
    note: str


class RolesForm(FormScreen[RolesValues]):
    """What a person is at their account: roles of the vocabulary and words of the user's."""

    DEFAULT_CSS = ROLE_CHOICES_CSS.format(name="RolesForm")
    AUTO_FOCUS = "#roles"

    def __init__(
        self,
        person: str,
        account: str,
        held: Sequence[Role],
        note: str,
        store: Callable[[RolesValues], object],
    ) -> None:
        super().__init__()
        self.person, self.account = person, account
        self.held, self.note = held, note
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(f"What {self.person} is at {self.account}", "bold"))
            yield Label("Roles (Space ticks one, ↑↓ move)")
            yield role_choices(self.held, id="roles")
            yield Label("In your words (e.g. signs off anything over $50k)")
            yield Input(printable(self.note), id="note")
            yield from self.form_end()

    def read(self) -> RolesValues:
        note = clean_line(self.query_one("#note", Input).value, "the role", limit=200)
        return RolesValues(list(self.query_one("#roles", SelectionList).selected), note)


@dataclass(frozen=True)
class MoveValues:
    company: str
    on: date
    roles: list[str]


class MoveForm(FormScreen[MoveValues]):
    """A person changed jobs: the company they joined, the day, what they are there. Their
    touches and deals before that day stay with the account they left."""

    DEFAULT_CSS = (
        ROLE_CHOICES_CSS.format(name="MoveForm")
        + """
    MoveForm #company-meaning {
        color: $text-muted;
    }
    """
    )
    AUTO_FOCUS = "#company"

    def __init__(
        self,
        person: str,
        account: str,
        accounts: Sequence[str],
        today: date,
        store: Callable[[MoveValues], object],
    ) -> None:
        """`accounts`: the names of the accounts there are, to say which one is meant."""
        super().__init__()
        self.person, self.account = person, account
        self.accounts = {fold(name): name for name in accounts}
        self.today = today
        self.store = store

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(safe_text(f"{self.person} left {self.account} for…", "bold"))
            yield Label("Company they joined (an account's name, or a new one)")
            yield Input(id="company")
            yield Static("", id="company-meaning", markup=False)
            yield Label("Moved on (a date or a phrase: last monday, 2026-11-02)")
            yield from with_preview(
                DateField(self.today, self.today, future=False, label="Moved on", id="moved_on")
            )
            yield Label("Their roles there (Space ticks one)")
            yield role_choices((), id="roles")
            yield from self.form_end()

    @on(Input.Changed, "#company")
    def _company_typed(self, event: Input.Changed) -> None:
        typed = fold(event.value)
        meaning = ""
        if typed:
            known = self.accounts.get(typed)
            if known is not None:
                meaning = f"joins the account {known}"
            else:
                close = [name for key, name in self.accounts.items() if typed in key][:3]
                meaning = "a new account" + (f" (there is {', '.join(close)})" if close else "")
        self.query_one("#company-meaning", Static).update(meaning)

    def read(self) -> MoveValues:
        company = self.query_one("#company", Input).value.strip()
        if not company:
            raise ValidationError("Company: the name of the company they joined")
        moved_on = self.query_one("#moved_on", DateField).read()
        if moved_on is None:
            raise ValidationError("Moved on: type the day they moved, such as last monday")
        if moved_on > self.today:
            raise ValidationError("Moved on: a move is recorded once it happened, not ahead")
        roles = list(self.query_one("#roles", SelectionList).selected)
        return MoveValues(company, moved_on, roles)


@dataclass(frozen=True)
class AccountValues:
    name: str
    domains: list[str]
    notes: str


class AccountForm(FormScreen[AccountValues]):
    """An account's name (its people's company follows), email domains and notes."""

    DEFAULT_CSS = """
    AccountForm TextArea {
        height: 8;
    }
    """
    AUTO_FOCUS = "#name"

    def __init__(
        self,
        name: str,
        domains: Sequence[str],
        notes: str,
        store: Callable[[AccountValues], object],
    ) -> None:
        super().__init__()
        self.account_name, self.domains, self.notes = name, domains, notes
        self.store = store

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(safe_text(f"The account {self.account_name}", "bold"))
            yield Label("Name (its people's company follows)")
            yield Input(printable(self.account_name), id="name")
            yield Label("Email domains (e.g. acme.com acme.co.uk)")
            yield Input(" ".join(self.domains), id="domains")
            yield Label("Notes")
            yield TextArea(self.notes, id="notes", soft_wrap=True, show_line_numbers=False)
            yield from self.form_end()

    def read(self) -> AccountValues:
        from cockpit.storage.accounts import checked_domains

        name = self.query_one("#name", Input).value.strip()
        if not name:
            raise ValidationError("Name: an account needs a name")
        domains = checked_domains([self.query_one("#domains", Input).value])
        return AccountValues(name, domains, self.query_one("#notes", TextArea).text)
