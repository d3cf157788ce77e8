"""The accounts screen's pickers: the account to merge into the selected one, and the
people its email domains suggest."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from cockpit.text import safe_text
from cockpit.ui.screens.dialog import dialog_css
from cockpit.ui.widgets.account_lines import account_line


def picker_css(name: str, height: str) -> str:
    """A picker's frame: a dialog of 80 columns whose list takes the room left."""
    return (
        dialog_css(name, "Vertical", width="80", max_width="100%", height=height, padding="0 1")
        + f"""
    {name} OptionList {{
        height: 1fr;
    }}
    """
    )


class AccountPicker(ModalScreen[int | None]):
    """Pick the account to merge into another: type to narrow, Enter to pick."""

    DEFAULT_CSS = picker_css("AccountPicker", "24")
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


class SuggestionPicker(ModalScreen[int | None]):
    """The people whose email domain is the account's but who are not at it: Enter puts
    the one under the cursor at it; nobody is put there unasked."""

    DEFAULT_CSS = picker_css("SuggestionPicker", "20")
    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, account: str, suggestions: list) -> None:
        """`suggestions`: `storage.account_people.Suggestion`s for the account."""
        super().__init__()
        self.account = account
        self.suggestions = suggestions

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                safe_text(f"Their email says they work at {self.account}: Enter puts one there")
            )
            yield OptionList(
                *(
                    Option(Text(f"{s.name}  <{s.email}>"), id=str(s.client_id))
                    for s in self.suggestions
                ),
                id="suggested",
            )

    def on_mount(self) -> None:
        self.query_one("#suggested").focus()

    @on(OptionList.OptionSelected, "#suggested")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.suggestions[event.option_index].client_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
