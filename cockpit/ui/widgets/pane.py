"""What the framed panes share: their frame, lit when focused, their scrollbar's
column, and j/k to move."""

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
        /* The scrollbar keeps its column, shown or not, where the right padding
           would be: the text keeps its width, so showing a longer or shorter
           client never wraps it again (or lays the screen out twice). */
        padding: 0 0 0 1;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
    }}
    {name}:focus {{
        border: round $accent;
    }}
    """
