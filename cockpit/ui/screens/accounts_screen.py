"""The accounts: the cockpit's list of clients turned into the list of the companies they
work at (`a` toggles between the two). The selected account shows its verdict and
roll-up, its people with their roles and health (Enter jumps to one in the client list),
and its combined timeline, whose touch each line was. `m` merges another spelling into
it, `u` takes the last merge back, `K` pins it as a key account."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from cockpit.text import printable, safe_text, shorten
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.screens.dialog import dialog_css
from cockpit.ui.widgets.key_footer import KeyFooter
from cockpit.ui.widgets.pane import UP_DOWN_KEYS, pane_css
from cockpit.ui.widgets.timeline_pane import DEAL_MARK, MARKS

if TYPE_CHECKING:
    from cockpit.account_view import AccountHealth, AccountTimelineEntry

DRIFT_MARK = "!"
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


HEALTH_STYLES = {"drifting": "bold red", "lapsed": "red", "recovering": "yellow"}


def account_line(account: AccountHealth, currency: str) -> Text:
    """One account in the list: a mark when drifting, name, health, tier (·1: single-
    threaded), revenue over 12 months, how many of its people were touched lately, and ↻
    when its renewal is at risk."""
    from cockpit.validation import money

    line = Text(f"{DRIFT_MARK if account.drifting else ' '} ", style="bold red")
    line.append(printable(shorten(account.name, 22)).ljust(22), style="bold")
    health = account.health.value
    line.append(f" {health:<10}", style=HEALTH_STYLES.get(health, ""))
    tier = account.tier.value + ("·1" if account.single_threaded else "")
    line.append(f"{tier:<11}")
    line.append(f"{money(account.revenue_12m_cents, currency):>9}")
    line.append(f" {account.touched_90d}/{account.contacts}", style="dim")
    if account.renewal_at_risk:
        line.append(" ↻", style="bold red")
    return line


def person_line(person) -> Text:
    verdict = person.verdict
    line = Text(printable(person.name), style="bold" if person.key_person else "")
    roles = person.roles_text()
    if roles:
        line.append(f" · {printable(roles)}", style="cyan")
    if person.left_on is not None:
        line.append(f" · moved on {person.left_on:%d %b %Y}", style="dim")
    elif verdict is not None:
        word = "former client" if verdict.lifecycle == "former" else verdict.health.value
        line.append(f" · {word}", style=HEALTH_STYLES.get(verdict.health.value, "dim"))
    return line


def timeline_line(line: AccountTimelineEntry) -> Text:
    """A touch or deal of the account, with whose it was."""
    entry = line.entry
    text = Text(f"{entry.day:%d %b %Y}  ")
    if hasattr(entry, "amount_cents"):
        text.append(f"{DEAL_MARK} ", style="green")
        text.append(printable(shorten(entry.text, 80)), style="bold green")
    else:
        mark = MARKS.get(entry.intent, " ") if entry.is_touch else "·"
        text.append(f"{mark} {entry.label}", style="bold" if entry.is_touch else "dim")
        summary = (entry.summary.strip().splitlines() or [""])[0]
        if summary:
            text.append(f": {printable(shorten(summary, 80))}")
    text.append(f" · {printable(line.person)}", style="cyan")
    return text


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
        if not found:
            self.query_one("#summary", Static).update(
                "No accounts yet: a client's company makes one (e on a client, or import)."
            )
        self.app.call_after_refresh(self.app.stage_reached, "accounts")

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
        summary = Text("\n").join(lines)
        self.query_one("#summary", Static).update(summary)
        people = self.query_one("#people", OptionList)
        people.clear_options()
        people.add_options([Option(person_line(p), id=str(p.client_id)) for p in account.people])
        if account.people:
            people.highlighted = 0
        self._read_timeline(account)

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

    def _changed(self, keep: int | None, said: str) -> None:
        self.notify(printable(said), markup=False)
        self.load(keep)


class AccountPicker(ModalScreen[int | None]):
    """Pick the account to merge into another: type to narrow, Enter to pick."""

    DEFAULT_CSS = (
        dialog_css(
            "AccountPicker", "Vertical", width="80", max_width="100%", height="24", padding="0 1"
        )
        + """
    AccountPicker OptionList {
        height: 1fr;
    }
    """
    )
    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, kept: str, accounts: list, currency: str) -> None:
        super().__init__()
        self.kept = kept
        self.accounts = accounts
        self.currency = currency
        self.shown = list(accounts)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe_text(f"Merge which account into {self.kept}?", "bold"))
            yield Input(placeholder="type part of its name", id="pick-filter")
            yield OptionList(id="pick")

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#pick-filter").focus()

    def _fill(self) -> None:
        from cockpit.search import fold

        words = fold(self.query_one("#pick-filter", Input).value).split()
        self.shown = [a for a in self.accounts if all(w in fold(a.name) for w in words)]
        options = self.query_one("#pick", OptionList)
        options.clear_options()
        options.add_options([Option(account_line(a, self.currency)) for a in self.shown])
        if self.shown:
            options.highlighted = 0

    @on(Input.Changed, "#pick-filter")
    def _typed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#pick-filter")
    def _enter_in_box(self) -> None:
        self._pick(self.query_one("#pick", OptionList).highlighted)

    @on(OptionList.OptionSelected, "#pick")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option_index)

    def _pick(self, at: int | None) -> None:
        if at is None or at >= len(self.shown):
            self.notify("No account matches.", severity="warning")
            return
        self.dismiss(self.shown[at].id)

    def action_move(self, step: int) -> None:
        options = self.query_one("#pick", OptionList)
        if self.shown:
            at = (options.highlighted or 0) + step
            options.highlighted = max(0, min(at, len(self.shown) - 1))

    def action_cancel(self) -> None:
        self.dismiss(None)
