"""The cockpit's footer: the keys used most come first, so a narrow terminal (an 80-column
laptop split, an SSH window) cuts the rarest, and below 140 columns the keys sit closer."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer

from cockpit.ui.watchers import forget_closed_watchers

# The keys a day's work needs, first to last; the keys not named follow in their order,
# the command palette's last of all.
FIRST_KEYS = ("undo_log", "log_touch", "weekly_review", "new_client", "filter", "help")
LAST_KEYS = ("quit",)
COMPACT_BELOW = 140  # columns


def _place(widget) -> int:
    action = getattr(widget, "action", None)
    if action in FIRST_KEYS:
        return FIRST_KEYS.index(action)
    if action in LAST_KEYS or widget.has_class("-command-palette"):
        return len(FIRST_KEYS) + 1
    return len(FIRST_KEYS)


class KeyFooter(Footer):
    # Compact, Textual gives the palette key a margin, through which a key behind shows.
    DEFAULT_CSS = """
    KeyFooter.-compact FooterKey.-command-palette {
        margin-right: 0;
    }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A screen opened once the cockpit is up shows its keys in its first frame:
        # Textual's Footer composes empty and fills in two frames later (some 40 ms on a
        # large book). The cockpit's own first page keeps Textual's way: its keys would
        # cost the start 50 ms.
        first_frame = getattr(self.app, "first_frame", None)
        if first_frame is not None and first_frame.is_set():
            self.set_reactive(Footer._bindings_ready, True)

    def compose(self) -> ComposeResult:
        forget_closed_watchers(self)  # the keys composed before these
        yield from sorted(super().compose(), key=_place)  # sorted() keeps ties in order

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
