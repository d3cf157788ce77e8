"""The cockpit's footer: the screen's keys on one line, the keys used most first, so a
narrow terminal (an 80-column laptop split, an SSH window) cuts the rarest, and below 140
columns the keys sit closer; the command palette's key on the right.

It looks and answers as Textual's Footer does (a click on a key presses it, a key that
cannot be used now is dim), but it is one widget drawing a line, not a widget for each
key: Textual's composes and styles a dozen widgets for every screen opened and again at
every change of its keys, some 10 ms of a screen's opening on a large book.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.widget import Widget

# The keys a day's work needs, first to last; the keys not named follow in their order,
# the command palette's last of all.
FIRST_KEYS = ("undo_log", "log_touch", "weekly_review", "new_client", "filter", "help")
LAST_KEYS = ("quit",)
COMPACT_BELOW = 140  # columns
PALETTE_EDGE = "▏"


@dataclass(frozen=True)
class ShownKey:
    key: str  # as Textual names it, pressed when the key is clicked
    display: str  # as the footer shows it
    description: str
    action: str
    enabled: bool
    tooltip: str


def _place(key: ShownKey) -> int:
    if key.action in FIRST_KEYS:
        return FIRST_KEYS.index(key.action)
    if key.action in LAST_KEYS:
        return len(FIRST_KEYS) + 1
    return len(FIRST_KEYS)


class KeyFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--hover",
        "key-footer--palette-edge",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .key-footer--palette-edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[ShownKey] = []  # the screen's, in the order shown
        self.palette: ShownKey | None = None
        self._places: list[tuple[int, int, ShownKey]] = []  # drawn: start, end, key
        self._hovered: ShownKey | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read_keys()

    def _bindings_changed(self, screen) -> None:
        if self._read_keys():
            self.refresh()

    def _read_keys(self) -> bool:
        """The screen's keys read again; whether they changed."""
        app = self.app
        first: dict[str, ShownKey] = {}  # an action bound to several keys: its first
        palette = None
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            shown = ShownKey(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip or binding.tooltip or "",
            )
            if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = shown
            elif binding.show:
                first.setdefault(binding.action, shown)
        keys = sorted(first.values(), key=_place)  # sorted() keeps ties in order
        if keys == self.keys and palette == self.palette:
            return False
        self.keys, self.palette = keys, palette
        return True

    def render(self) -> Text:
        width = self.size.width
        compact = width < COMPACT_BELOW
        right = self._palette_text(compact)
        line = Text(no_wrap=True, overflow="crop", end="")
        places: list[tuple[int, int, ShownKey]] = []
        room = width - right.cell_len
        for key in self.keys:
            start = line.cell_len
            if start >= room:
                break
            line.append_text(self._key_text(key, compact))
            places.append((start, line.cell_len, key))
            if compact:
                line.append(" ")
        line.truncate(max(room, 0))
        places = [(start, min(end, room), key) for start, end, key in places]  # a key cut
        if self.palette is not None and right.cell_len:
            line.append(" " * (room - line.cell_len))
            places.append((room + 1, width, self.palette))
            line.append_text(right)
        self._places = places
        return line

    def _key_text(self, key: ShownKey, compact: bool) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        if key is self._hovered:
            hover = self.get_component_rich_style("key-footer--hover")
            key_style, description_style = key_style + hover, description_style + hover
        pad = "" if compact else " "
        text = Text.assemble((f"{pad}{key.display}{pad}", key_style))
        if key.description:
            words = f" {key.description}" if compact else f"{key.description} "
            text.append(words, description_style)
        if not key.enabled:
            text.stylize("dim")
        return text

    def _palette_text(self, compact: bool) -> Text:
        if self.palette is None:
            return Text()
        edge = Text(PALETTE_EDGE, self.get_component_rich_style("key-footer--palette-edge"))
        key = self._key_text(self.palette, compact=True)  # as Textual draws it, beside its edge
        return Text.assemble(edge, key, "" if compact else " ")

    def _key_at(self, x: int) -> ShownKey | None:
        for start, end, key in self._places:
            if start <= x < end:
                return key
        return None

    def on_click(self, event: events.Click) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        event.stop()
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self._key_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._hover(None)

    def _hover(self, key: ShownKey | None) -> None:
        if key is not self._hovered:
            self._hovered = key
            self.tooltip = (key.tooltip or key.description or None) if key is not None else None
            self.refresh()
