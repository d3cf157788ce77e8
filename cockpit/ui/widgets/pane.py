"""What the framed panes share: their frame, lit when focused, and j/k to move."""

from __future__ import annotations

from textual.binding import Binding

UP_DOWN_KEYS = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
]


def pane_css(name: str, height: str) -> str:
    """The CSS of the pane `name` (its class name), `height` high."""
    return f"""
    {name} {{
        height: {height};
        border: round $primary 50%;
        padding: 0 1;
    }}
    {name}:focus {{
        border: round $accent;
    }}
    """
