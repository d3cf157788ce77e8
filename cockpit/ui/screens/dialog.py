"""What the dialogs (modal screens) share: a framed box in the middle of the screen."""

from __future__ import annotations


def dialog_css(screen: str, box: str, **rules: str) -> str:
    """The CSS of the modal `screen` with its `box` (a container's class name) framed in
    the middle; `rules` are the box's own (max_height="90%" for max-height)."""
    own = "".join(f"        {name.replace('_', '-')}: {value};\n" for name, value in rules.items())
    return f"""
    {screen} {{
        align: center middle;
    }}
    {screen} > {box} {{
{own}        border: thick $accent;
        background: $surface;
    }}
    """
