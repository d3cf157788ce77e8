"""Choosing what kind of touch to log with one key, and toggling its intent."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from cockpit.vocabulary import KIND_INFO, Intent, Kind

KIND_KEYS: dict[str, Kind] = {
    "c": Kind.CALL,
    "m": Kind.MEETING,
    "e": Kind.EMAIL,
    "t": Kind.MESSAGE,
    "h": Kind.HANDWRITTEN_NOTE,
    "g": Kind.GIFT,
    "v": Kind.EVENT,
    "r": Kind.REFERRAL_ASKED,
    "R": Kind.REFERRAL_RECEIVED,
    "G": Kind.REFERRAL_GIVEN,
    "n": Kind.NOTE,
}
KEY_OF_KIND = {kind: key for key, kind in KIND_KEYS.items()}
ORDER = list(KIND_KEYS.values())


class KindPicker(Widget, can_focus=True):
    """Every kind with its key; a kind's key picks it and moves on to the next field."""

    DEFAULT_CSS = """
    KindPicker {
        height: auto;
    }
    """
    BINDINGS: ClassVar = [
        Binding("left", "move(-1)", "Previous kind", show=False),
        Binding("right", "move(1)", "Next kind", show=False),
        Binding("enter", "accept", "Keep this kind", show=False),
    ]

    kind: reactive[Kind] = reactive(Kind.CALL)

    class Chosen(Message):
        """A kind was picked with its key (or Enter): time for the next field."""

        def __init__(self, kind: Kind) -> None:
            super().__init__()
            self.kind = kind

    class Changed(Message):
        def __init__(self, kind: Kind) -> None:
            super().__init__()
            self.kind = kind

    def __init__(self, kind: Kind = Kind.CALL, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(KindPicker.kind, kind)

    def render(self) -> Text:
        """The kinds in rows as wide as the widget, never splitting one."""
        width = max(self.size.width, 20)
        text, used = Text(), 0
        for kind in ORDER:
            label = KIND_INFO[kind].label.lower()
            item = len(label) + 2
            if used and used + 2 + item > width:
                text.append("\n")
                used = 0
            elif used:
                text.append("  ")
                used += 2
            chosen = kind is self.kind
            text.append(KEY_OF_KIND[kind], style="bold reverse" if chosen else "bold underline")
            text.append(" " + label, style="bold reverse" if chosen else "")
            used += item
        return text

    def on_resize(self) -> None:
        self.refresh(layout=True)

    def watch_kind(self, kind: Kind) -> None:
        self.post_message(self.Changed(kind))

    def on_key(self, event) -> None:
        kind = KIND_KEYS.get(event.character or "")
        if kind is None:
            return
        event.stop()
        event.prevent_default()
        self.kind = kind
        self.post_message(self.Chosen(kind))

    def action_move(self, step: int) -> None:
        self.kind = ORDER[(ORDER.index(self.kind) + step) % len(ORDER)]

    def action_accept(self) -> None:
        self.post_message(self.Chosen(self.kind))


class IntentToggle(Widget, can_focus=True):
    """Relationship (a give) or sales (an ask); space, arrows, s or r switch."""

    DEFAULT_CSS = """
    IntentToggle {
        height: auto;
    }
    """
    BINDINGS: ClassVar = [
        Binding("space,left,right", "toggle", "Toggle intent", show=False),
        Binding("s", "set('sales')", "Sales", show=False),
        Binding("r", "set('relationship')", "Relationship", show=False),
    ]

    intent: reactive[Intent] = reactive(Intent.RELATIONSHIP)

    def __init__(self, intent: Intent = Intent.RELATIONSHIP, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(IntentToggle.intent, intent)
        self.chosen_by_user = False

    def render(self) -> Text:
        text = Text()
        for intent, label in (
            (Intent.RELATIONSHIP, "♥ relationship (a give)"),
            (Intent.SALES, "$ sales (an ask)"),
        ):
            if intent is Intent.SALES:
                text.append("   ")
            text.append(label, style="bold reverse" if intent is self.intent else "dim")
        return text

    def action_toggle(self) -> None:
        self.chosen_by_user = True
        self.intent = Intent.SALES if self.intent is Intent.RELATIONSHIP else Intent.RELATIONSHIP

    def action_set(self, value: str) -> None:
        self.chosen_by_user = True
        self.intent = Intent(value)
