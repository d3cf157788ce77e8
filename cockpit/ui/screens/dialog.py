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


def list_dialog_css(screen: str, width: int) -> str:
    """A framed dialog `width` columns wide (at most the screen's) holding a list of at
    most 16 lines, such as a client's planned communications."""
    return (
        dialog_css(
            screen,
            "Vertical",
            width=str(width),
            max_width="100%",
            height="auto",
            max_height="90%",
            padding="0 1",
        )
        + f"""
    {screen} OptionList {{
        height: auto;
        max-height: 16;
        margin: 1 0;
    }}
    """
    )
