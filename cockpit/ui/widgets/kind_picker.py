"""Choosing what kind of touch to log with one key, and toggling its intent."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from cockpit.vocabulary import KIND_INFO, KIND_KEYS, Intent, Kind

KEY_OF_KIND = {kind: key for key, kind in KIND_KEYS.items()}
ORDER = list(KIND_KEYS.values())


class LogChoice(Widget, can_focus=True):
    """A one-line-high choice of the quick log, as tall as its text."""

    DEFAULT_CSS = """
    LogChoice {
        height: auto;
    }
    """


class KindPicker(LogChoice):
    """Every kind with its key; a kind's key picks it and moves on to the field `then`.

    Kind keys are priority bindings: Textual runs them as it reads the key, before
    it hands the next key to a widget, so the focus has moved on by the time the
    note's first letter arrives however fast it is typed (a plain binding would
    run only after the key bubbled back up, with the next keys already queued
    for this widget). `on_change(kind)` runs as soon as the kind changes.
    """

    BINDINGS: ClassVar = [
        Binding("left", "move(-1)", "Previous kind", show=False),
        Binding("right", "move(1)", "Next kind", show=False),
        Binding("enter", "accept", "Keep this kind", show=False, priority=True),
        *(
            Binding(key, f"pick('{kind.value}')", KIND_INFO[kind].label, show=False, priority=True)
            for key, kind in KIND_KEYS.items()
        ),
    ]

    kind: reactive[Kind] = reactive(Kind.CALL)

    def __init__(
        self,
        kind: Kind = Kind.CALL,
        *,
        then: str | None = None,
        on_change: Callable[[Kind], None] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.set_reactive(KindPicker.kind, kind)
        self.then = then
        self.on_change = on_change

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
        if self.on_change is not None:
            self.on_change(kind)

    def action_pick(self, value: str) -> None:
        self.kind = Kind(value)
        self.action_accept()

    def action_move(self, step: int) -> None:
        self.kind = ORDER[(ORDER.index(self.kind) + step) % len(ORDER)]

    def action_accept(self) -> None:
        if self.then is not None:
            self.screen.set_focus(self.screen.query_one(self.then))

    def on_key(self, event) -> None:
        if event.is_printable and event.character not in KIND_KEYS:
            event.stop()
            self.app.bell()
            self.notify(
                f"{event.character!r} is not a kind: press one of the keys shown, or Tab "
                "to go on to the summary.",
                severity="warning",
                markup=False,
                timeout=4,
            )


class IntentToggle(LogChoice):
    """Relationship (a give) or sales (an ask); space, arrows, s or r switch."""

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
