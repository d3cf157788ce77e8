"""The accounts: the cockpit's list of clients turned into the list of the companies they
work at (`a` toggles between the two). The selected account shows its verdict and
roll-up, its people with their roles and health (Enter jumps to one in the client list),
and its combined timeline, whose touch each line was. `m` merges another spelling into
it, `u` takes the last merge back, `K` pins it as a key account, `e` edits its name,
email domains and notes, `s` shows the people its domains suggest, `A` opens its account
plan; on a person, `r` sets their roles and `M` moves them to the company they joined."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from cockpit.text import printable, shorten
from cockpit.ui.screens.account_pickers import AccountPicker, SuggestionPicker
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.widgets.account_lines import (
    HEALTH_STYLES,
    account_line,
    person_line,
    timeline_line,
)
from cockpit.ui.widgets.key_footer import KeyFooter
from cockpit.ui.widgets.pane import UP_DOWN_KEYS, pane_css

if TYPE_CHECKING:
    from cockpit.account_view import AccountHealth, AccountPerson
    from cockpit.storage.account_people import Suggestion

AccountsRead = tuple  # (the accounts, the home currency, the account to select)


def read_accounts(
    today: date, *, of_client: int | None = None, keep_account: int | None = None
) -> AccountsRead:
    """What the accounts screen shows (on the book, in a worker): every account, the
    home currency, and the account to select (`keep_account`, else `of_client`'s)."""
    from cockpit.account_view import accounts_health
    from cockpit.config import settings
    from cockpit.storage import accounts as stored

    found = accounts_health(today)
    if keep_account is None and of_client is not None:
        keep_account = stored.account_of(of_client)
    return found, settings().currency, keep_account


def open_accounts(screen, today: date, client_id: int | None, back) -> None:
    """Read the accounts, then show them; keys typed meanwhile go to the accounts screen.
    `back(client_id)` hears the person picked there (None: none)."""
    screen.app.read_then_open(
        lambda: read_accounts(today, of_client=client_id),
        lambda found: screen.app.push_screen(AccountsScreen(today, found), back),
    )


class AccountsScreen(Screen[int | None]):
    """Dismissed with the id of a client to show in the client list, or None."""

    DEFAULT_CSS = (
        """
    AccountsScreen #panes {
        height: 1fr;
    }
    AccountsScreen #left {
        width: 3fr;
        min-width: 50;
    }
    AccountsScreen #accounts {
        height: 1fr;
        border: round $primary 50%;
    }
    AccountsScreen #accounts:focus {
        border: round $accent;
    }
    AccountsScreen #right {
        width: 2fr;
        min-width: 40;
    }
    AccountsScreen #summary {
        height: auto;
        max-height: 12;
        padding: 0 1;
    }
    AccountsScreen #account-filter {
        display: none;
    }
    """
        + pane_css("AccountsScreen #people", "1fr")
        + pane_css("AccountsScreen #account-timeline", "2fr")
    )
    BINDINGS: ClassVar = [
        Binding("a", "clients", "Clients", id="clients"),
        Binding("enter", "jump", "Go to person", id="jump"),
        Binding("m", "merge", "Merge into it", id="merge"),
        Binding("u", "undo_merge", "Undo merge", id="undo_merge"),
        Binding("K", "pin", "Pin key", id="pin"),
        Binding("e", "edit", "Edit", id="edit_account"),
        Binding("r", "roles", "Roles", id="roles"),
        Binding("M", "move", "Moved jobs", id="move_person"),
        Binding("s", "suggested", "Suggested", id="suggested"),
        Binding("A", "account_plan", "Account plan", id="account_plan"),
        Binding("slash", "filter", "Filter", id="account_filter"),
        Binding("escape", "back", "Back", id="back", show=False),
        Binding("question_mark", "app.show_help", "Help", show=False),
        *UP_DOWN_KEYS,
    ]

    def __init__(self, today: date, found: AccountsRead) -> None:
        """`found`: the accounts as `read_accounts` read them."""
        super().__init__()
        self.today = today
        self.found = found
        self.accounts: list[AccountHealth] = []
        self.shown: list[AccountHealth] = []
        self.currency = "USD"
        self.reads = 0
        # The people each account's email domains suggest, by account (read after the list).
        self.suggested: dict[int, list[Suggestion]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield Input(placeholder="filter accounts", id="account-filter")
                yield OptionList(id="accounts")
            with Vertical(id="right"):
                yield Static(id="summary")
                yield OptionList(id="people")
                yield OptionList(id="account-timeline")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#accounts").border_title = "Accounts"
        self.query_one("#people").border_title = "People"
        self.query_one("#account-timeline").border_title = "Timeline"
        self.query_one("#accounts").focus()
        self._show(*self.found)

    # Reading ---------------------------------------------------------------------------

    def load(self, keep: int | None = None) -> None:
        self.reads += 1
        self._read(self.reads, keep)

    @work(thread=True, group="accounts", exclusive=True, exit_on_error=False)
    def _read(self, number: int, keep: int | None) -> None:
        app = self.app
        with app.database.connection_context():
            found = read_accounts(self.today, keep_account=keep)
        if not get_current_worker().is_cancelled and number == self.reads:
            app.call_from_thread(self._show, *found)

    def _show(self, found: list, currency: str, keep: int | None) -> None:
        self.accounts, self.currency = found, currency
        self._filtered(keep)
        self._read_suggestions(self.reads)
        if not found:
            self.query_one("#summary", Static).update(
                "No accounts yet: a client's company makes one (e on a client, or import)."
            )
        self.app.call_after_refresh(self.app.stage_reached, "accounts")

    @work(thread=True, group="suggestions", exclusive=True, exit_on_error=False)
    def _read_suggestions(self, number: int) -> None:
        from cockpit.storage.account_people import domain_suggestions

        with self.app.database.connection_context():
            found = domain_suggestions()
        by_account: dict[int, list[Suggestion]] = {}
        for suggestion in found:
            by_account.setdefault(suggestion.account_id, []).append(suggestion)
        if not get_current_worker().is_cancelled and number == self.reads:
            self.app.call_from_thread(self._show_suggestions, by_account)

    def _show_suggestions(self, by_account: dict[int, list[Suggestion]]) -> None:
        self.suggested = by_account
        account = self.selected()
        if account is not None:
            self._show_summary(account)

    def _filtered(self, keep: int | None) -> None:
        from cockpit.search import fold

        words = fold(self.query_one("#account-filter", Input).value).split()
        self.shown = [a for a in self.accounts if all(w in fold(a.name) for w in words)]
        options = self.query_one("#accounts", OptionList)
        options.clear_options()
        options.add_options(
            [Option(account_line(a, self.currency), id=str(a.id)) for a in self.shown]
        )
        at = next((n for n, a in enumerate(self.shown) if a.id == keep), 0)
        if self.shown:
            options.highlighted = at
            self._show_account(self.shown[at])
        else:
            self._clear_account()

    def selected(self) -> AccountHealth | None:
        options = self.query_one("#accounts", OptionList)
        at = options.highlighted
        if at is None or not self.shown or at >= len(self.shown):
            return None
        return self.shown[at]

    @on(OptionList.OptionSelected, "#accounts")
    def _account_chosen(self) -> None:
        """Enter on an account: to its people."""
        people = self.query_one("#people", OptionList)
        if people.option_count:
            people.highlighted = people.highlighted or 0
            people.focus()

    @on(OptionList.OptionSelected, "#people")
    def _person_chosen(self) -> None:
        self.action_jump()

    @on(OptionList.OptionHighlighted, "#accounts")
    def _account_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        account = self.selected()
        if account is not None:
            self._show_account(account)

    def _clear_account(self) -> None:
        self.query_one("#summary", Static).update("")
        self.query_one("#people", OptionList).clear_options()
        self.query_one("#account-timeline", OptionList).clear_options()

    def _show_account(self, account: AccountHealth) -> None:
        self._show_summary(account)
        people = self.query_one("#people", OptionList)
        people.clear_options()
        people.add_options([Option(person_line(p), id=str(p.client_id)) for p in account.people])
        if account.people:
            people.highlighted = 0
        self._read_timeline(account)

    def _show_summary(self, account: AccountHealth) -> None:
        from cockpit.validation import money

        lines = [
            Text(printable(account.name), style="bold"),
            Text(
                f"{account.health.value}, {account.tier.value}"
                + (" (pinned)" if account.pinned_key else "")
                + (", single-threaded" if account.single_threaded else ""),
                style=HEALTH_STYLES.get(account.health.value, ""),
            ),
            Text(printable(account.explanation)),
            Text(
                f"Revenue {money(account.revenue_12m_cents, self.currency)} in 12 months "
                f"({account.revenue_share:.0%}), {money(account.revenue_24m_cents, self.currency)}"
                f" in 24; {account.touched_90d} of {account.contacts} people touched in 90 days",
                style="dim",
            ),
        ]
        if account.next_renewal is not None:
            risk = " — at risk" if account.renewal_at_risk else ""
            lines.append(
                Text(
                    f"Next renewal: {account.next_renewal.text()}{risk}",
                    style="bold red" if risk else "",
                )
            )
        if account.domains:
            lines.append(Text("Domains: " + printable(" ".join(account.domains)), style="dim"))
        suggested = self.suggested.get(account.id, ())
        if suggested:
            who = "person" if len(suggested) == 1 else "people"
            said = f"Suggested: {len(suggested)} {who} with its email domain (s)"
            lines.append(Text(said, style="yellow"))
        if account.notes.strip():
            first = account.notes.strip().splitlines()[0]
            lines.append(Text("Notes: " + printable(shorten(first, 70)), style="italic"))
        self.query_one("#summary", Static).update(Text("\n").join(lines))

    @work(thread=True, group="account-timeline", exclusive=True, exit_on_error=False)
    def _read_timeline(self, account: AccountHealth) -> None:
        from cockpit.account_view import account_timeline

        with self.app.database.connection_context():
            lines = account_timeline(account)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_timeline, account.id, lines)

    def _show_timeline(self, account_id: int, lines: list) -> None:
        selected = self.selected()
        if selected is None or selected.id != account_id:
            return
        timeline = self.query_one("#account-timeline", OptionList)
        timeline.clear_options()
        if not lines:
            timeline.add_option(Option(Text("No touches yet.", style="dim"), disabled=True))
        timeline.add_options([Option(timeline_line(line)) for line in lines])

    # Keys ------------------------------------------------------------------------------

    def action_clients(self) -> None:
        self.dismiss(None)

    def action_back(self) -> None:
        box = self.query_one("#account-filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.query_one("#accounts").focus()
            return
        self.dismiss(None)

    def action_filter(self) -> None:
        box = self.query_one("#account-filter", Input)
        box.display = True
        self.set_focus(box)

    @on(Input.Changed, "#account-filter")
    def _filter_changed(self) -> None:
        account = self.selected()
        self._filtered(account.id if account else None)

    @on(Input.Submitted, "#account-filter")
    def _filter_done(self) -> None:
        self.query_one("#accounts").focus()

    def action_jump(self) -> None:
        """Enter: to the person under the cursor (or the account's first person)."""
        account = self.selected()
        if account is None:
            return
        people = self.query_one("#people", OptionList)
        chosen = None
        if self.focused is people and people.highlighted is not None:
            chosen = account.people[people.highlighted]
        elif account.current_people:
            chosen = account.current_people[0]
        if chosen is None:
            self.notify("Nobody works at this account.", severity="warning")
            return
        self.dismiss(chosen.client_id)

    def action_pin(self) -> None:
        account = self.selected()
        if account is None:
            return
        from cockpit.storage import accounts as stored

        pin = not account.pinned_key
        self.app.in_book(
            lambda: stored.set_account_details(account.id, pinned_key=pin),
            lambda _: self._changed(
                account.id, f"{account.name}: {'pinned as a key account' if pin else 'unpinned'}."
            ),
        )

    def action_merge(self) -> None:
        kept = self.selected()
        if kept is None:
            return
        others = [a for a in self.accounts if a.id != kept.id]
        if not others:
            self.notify("There is no other account to merge into it.", severity="warning")
            return

        def picked(merged_id: int | None) -> None:
            if merged_id is None:
                return
            merged = next(a for a in others if a.id == merged_id)
            question = (
                f"Merge {merged.name} into {kept.name}? Its {merged.contacts} people, domains "
                f"and notes go to {kept.name}, and {merged.name} stays a spelling of it. "
                "u takes it back."
            )
            self.app.push_screen(
                Confirm(question, [("merge", "Merge")]),
                lambda answer: self._merge(kept, merged) if answer == "merge" else None,
            )

        self.app.push_screen(AccountPicker(kept.name, others, self.currency), picked)

    def _merge(self, kept: AccountHealth, merged: AccountHealth) -> None:
        from cockpit.storage import account_merges

        self.app.in_book(
            lambda: account_merges.merge_accounts(kept.id, merged.id),
            lambda done: self._changed(
                kept.id,
                f"Merged {done.merged} into {done.kept}: {done.people} moved (u undoes it).",
            ),
        )

    def action_undo_merge(self) -> None:
        from cockpit.storage import account_merges

        account = self.selected()
        self.app.in_book(
            account_merges.undo_merge,
            lambda done: self._changed(
                account.id if account else None,
                f"Undid the merge of {done.merged} into {done.kept}.",
            ),
        )

    # Changing an account or its people --------------------------------------------------

    def _person(self, doing: str) -> AccountPerson | None:
        """The person under the People cursor (the account's first when the list has the
        focus), still there; else None, said why."""
        account = self.selected()
        if account is None:
            return None
        at = self.query_one("#people", OptionList).highlighted
        if at is None or at >= len(account.people):
            self.notify("Nobody works at this account.", severity="warning")
            return None
        person = account.people[at]
        if person.left_on is not None:
            self.notify(
                printable(f"{person.name} moved on from {account.name}: {doing} at their account."),
                severity="warning",
                markup=False,
            )
            return None
        return person

    def _saving(self, change):
        """A form's `store`: `change(values)` on the book; the form closes with the values
        and what the change returned."""

        def store(values):
            return values, self.app.in_book_now(lambda: change(values))

        return store

    def action_roles(self) -> None:
        from cockpit.storage.account_people import set_roles
        from cockpit.ui.screens.account_forms import RolesForm
        from cockpit.vocabulary import role_label

        account, person = self.selected(), self._person("set their roles")
        if account is None or person is None:
            return

        def saved(done) -> None:
            if done is not None:
                values, _ = done
                held = [role_label(role) for role in values.roles] + [values.note] * bool(
                    values.note
                )
                said = ", ".join(held) or "no role"
                self._changed(account.id, f"{person.name} at {account.name}: {said}.")

        store = self._saving(lambda v: set_roles(person.client_id, v.roles, v.note))
        form = RolesForm(person.name, account.name, person.roles, person.role_note, store)
        self.app.push_screen(form, saved)

    def action_move(self) -> None:
        from cockpit.storage.account_people import move_person
        from cockpit.ui.screens.account_forms import MoveForm

        account, person = self.selected(), self._person("move them")
        if account is None or person is None:
            return

        def saved(done) -> None:
            if done is not None:
                values, (_, joined) = done
                self._changed(
                    account.id,
                    f"{person.name} moved to {joined} on {values.on:%d %b %Y}; "
                    f"their touches and deals before stay with {account.name}.",
                )

        store = self._saving(
            lambda v: move_person(person.client_id, v.company, on=v.on, roles=v.roles)
        )
        names = [a.name for a in self.accounts if a.id != account.id]
        self.app.push_screen(MoveForm(person.name, account.name, names, self.today, store), saved)

    def action_account_plan(self) -> None:
        account = self.selected()
        if account is not None:
            self.app.main.open_account_plan(account_id=account.id)

    def action_edit(self) -> None:
        from cockpit.storage.accounts import edit_account
        from cockpit.ui.screens.account_forms import AccountForm

        account = self.selected()
        if account is None:
            return

        def saved(done) -> None:
            if done is not None:
                self._changed(account.id, f"{done[0].name}: kept.")

        store = self._saving(
            lambda v: edit_account(account.id, name=v.name, domains=v.domains, notes=v.notes)
        )
        form = AccountForm(account.name, account.domains, account.notes, store)
        self.app.push_screen(form, saved)

    def action_suggested(self) -> None:
        from cockpit.storage.account_people import link_person

        account = self.selected()
        if account is None:
            return
        suggested = self.suggested.get(account.id)
        if not suggested:
            hint = "" if account.domains else " (it has no email domain: e gives it one)"
            self.notify(f"Nobody else's email says they work there{hint}.", markup=False)
            return

        def picked(client_id: int | None) -> None:
            if client_id is None:
                return
            name = next(s.name for s in suggested if s.client_id == client_id)

            def linked(_) -> None:
                # Gone from the suggestions at once, not when they are read again.
                left = [s for s in suggested if s.client_id != client_id]
                self.suggested[account.id] = left
                self._changed(account.id, f"{name} is at {account.name} now.")

            self.app.in_book(lambda: link_person(client_id, account.id), linked)

        self.app.push_screen(SuggestionPicker(account.name, suggested), picked)

    def _changed(self, keep: int | None, said: str) -> None:
        self.notify(printable(said), markup=False)
        self.load(keep)
