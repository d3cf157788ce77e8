"""A dialog holding a list read from the book (a client's planned communications, the
communications to segments): it shows the rows keeping the highlight, hands the
highlighted one to an action, and after a change says so and reads the list again."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from cockpit.text import printable


class ListDialog(ModalScreen[bool]):
    """Dismissed with True when the book was changed. A subclass composes an OptionList,
    reads its rows in `reload` and hands them to `show_rows`."""

    EMPTY: ClassVar[str] = "None yet: a adds one."
    NONE_SELECTED: ClassVar[str] = "Nothing selected."

    def __init__(self) -> None:
        super().__init__()
        self.rows: list = []
        self.changed = False

    def reload(self) -> None:
        raise NotImplementedError

    def row_line(self, row) -> Text:
        raise NotImplementedError

    def row_id(self, row) -> str:
        return str(row.id)

    def show_rows(self, rows: list) -> None:
        if self not in self.app.screen_stack:
            return  # closed while the read was on its way
        self.rows = rows
        options = self.query_one(OptionList)
        kept = options.highlighted
        options.clear_options()
        if not rows:
            options.add_option(Option(Text(self.EMPTY, style="dim"), disabled=True))
        for row in rows:
            options.add_option(Option(self.row_line(row), id=self.row_id(row)))
        if rows:
            options.highlighted = min(kept or 0, len(rows) - 1)
        options.focus()

    def selected_row(self):
        """The highlighted row, or None (and a warning) when there is none."""
        options = self.query_one(OptionList)
        if not self.rows or options.highlighted is None:
            self.notify(self.NONE_SELECTED, severity="warning")
            return None
        return self.rows[options.highlighted]

    def changed_then(self, message: str):
        """What to do once a change is written: say `message`, read the list again."""

        def then(_) -> None:
            self.changed = True
            self.notify(printable(message), markup=False)
            self.reload()

        return then
