"""Picking a client by typing part of a name or company (the same matching as the filter)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from cockpit.search import Candidate, matching
from cockpit.text import printable

SHOWN = 6


class Matches(OptionList, can_focus=False):
    """The matches under the input; the input keeps the focus."""


def candidate_text(candidate: Candidate) -> str:
    return printable(candidate.name + (f" ({candidate.company})" if candidate.company else ""))


class ClientPicker(Vertical):
    """An input showing the chosen client; typing lists the matches below it,
    ↑/↓ move through them and Enter picks one. Leaving the field with text
    typed picks the best match, so what is shown is always what is saved."""

    DEFAULT_CSS = """
    ClientPicker {
        height: auto;
    }
    ClientPicker Matches {
        height: auto;
        max-height: 8;
        display: none;
        border: none;
        padding: 0;
    }
    ClientPicker.open Matches {
        display: block;
    }
    """
    BINDINGS: ClassVar = [
        Binding("down", "move(1)", "Next match", show=False),
        Binding("up", "move(-1)", "Previous match", show=False),
        Binding("escape", "close_or_cancel", "Close the matches", show=False),
    ]

    class Picked(Message):
        def __init__(self, picker: ClientPicker, candidate: Candidate) -> None:
            super().__init__()
            self.picker = picker
            self.candidate = candidate

    def __init__(
        self,
        candidates: Sequence[Candidate],
        chosen: Candidate | None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.candidates = candidates
        self.chosen = chosen
        self.matches: list[Candidate] = []

    def compose(self) -> ComposeResult:
        yield Input(
            candidate_text(self.chosen) if self.chosen else "",
            placeholder="Type part of a name or company",
            select_on_focus=True,
            compact=True,
        )
        yield Matches()

    @property
    def typed(self) -> str:
        return self.query_one(Input).value

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.chosen is not None and event.value == candidate_text(self.chosen):
            self._close()
            return
        self.matches = matching(event.value, self.candidates)[:SHOWN] if event.value.strip() else []
        options = self.query_one(Matches)
        options.clear_options()
        if self.matches:
            options.add_options(Option(Text(candidate_text(c))) for c in self.matches)
        else:
            options.add_option(Option("No client matches.", disabled=True))
        options.highlighted = 0 if self.matches else None
        self.set_class(bool(event.value.strip()), "open")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.has_class("open"):
            self.pick_highlighted()
        self.screen.focus_next()

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.pick(self.matches[event.option_index])

    def on_descendant_blur(self) -> None:
        if self.has_class("open"):
            self.pick_highlighted()

    def action_move(self, step: int) -> None:
        options = self.query_one(Matches)
        if self.has_class("open") and self.matches:
            current = options.highlighted or 0
            options.highlighted = (current + step) % len(self.matches)

    def action_close_or_cancel(self) -> None:
        """Esc closes the matches and puts the chosen client back; else it is the form's."""
        if not self.has_class("open"):
            self.screen.action_cancel()
            return
        self._close()
        if self.chosen is not None:
            self.query_one(Input).value = candidate_text(self.chosen)

    def settle(self) -> None:
        """Pick the highlighted match if the list is open (before saving)."""
        if self.has_class("open"):
            self.pick_highlighted()

    def pick_highlighted(self) -> None:
        options = self.query_one(Matches)
        if self.matches and options.highlighted is not None:
            self.pick(self.matches[options.highlighted])

    def pick(self, candidate: Candidate) -> None:
        self.chosen = candidate
        self.query_one(Input).value = candidate_text(candidate)
        self._close()
        self.post_message(self.Picked(self, candidate))

    def _close(self) -> None:
        self.matches = []
        self.remove_class("open")

    @property
    def unresolved(self) -> bool:
        """Text typed that names no client: saving must refuse it."""
        return self.chosen is None or self.typed != candidate_text(self.chosen)
