"""The client list: a virtual list that renders only the rows on screen.

It holds the rows it is given (already filtered and sorted) and draws each
visible line on demand, so 10,000 clients cost no more to show than 40.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cockpit.dates import ago
from cockpit.text import fit, printable
from cockpit.ui.widgets.screen_actions import ScreenActions

if TYPE_CHECKING:  # the health engine loads with the book, after the first page
    from cockpit.health import ClientHealth

# vocabulary.Lifecycle.FORMER.value, as the book stores it (the vocabulary module
# loads with the book, after the first page is drawn).
FORMER = "former"
SPARK = " ▁▂▃▄▅▆▇█"
DRIFT_MARK = "!"
OTHER_TIER = "other"  # health.Tier.OTHER: no tier shown
NO_TOUCHES = (0,) * 12  # the sparkline of a client without touches, shared


@dataclass(frozen=True, slots=True)
class FirstLook:
    """A client before the health engine has judged it: what the first page shows
    while the verdicts are computed."""

    id: int
    name: str
    company: str
    lifecycle: str
    last_touch: date | None
    needs_attention: bool = False
    strategic: bool = False
    keep_in_touch_days: int | None = None
    plan_interval: float | None = None


@dataclass(frozen=True, slots=True)
class ListRow:
    """One client as the list shows it."""

    health: ClientHealth | FirstLook
    sparkline: Sequence[int]  # touches per month, oldest first


def sparkline(counts: Sequence[int]) -> str:
    top = max(counts, default=0)
    if top == 0:
        return " " * len(counts)
    return "".join(SPARK[min(8, -(-count * 8 // top))] if count else " " for count in counts)


class ClientList(ScreenActions, ScrollView, can_focus=True):
    """Clients, one per line; the cursor row is the selected client."""

    SCREEN_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"edit_profile", "edit_client", "remove_client"}
    )

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "client-list--header",
        "client-list--cursor",
        "client-list--attention",
        "client-list--recovering",
        "client-list--muted",
    }
    DEFAULT_CSS = """
    ClientList {
        height: 1fr;
        overflow-x: hidden;
    }
    ClientList > .client-list--header {
        text-style: bold;
        color: $text-muted;
    }
    ClientList > .client-list--cursor {
        background: $surface-lighten-2;
    }
    ClientList:focus > .client-list--cursor {
        background: $accent 40%;
    }
    ClientList > .client-list--attention {
        color: $error;
        text-style: bold;
    }
    ClientList > .client-list--recovering {
        color: $success;
    }
    ClientList > .client-list--muted {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter,p", "edit_profile", "Profile"),
        Binding("e", "edit_client", "Edit"),
        Binding("d", "remove_client", "Archive/delete"),
    ]

    def action_edit_profile(self) -> None:
        self.screen_action("edit_profile")

    def action_edit_client(self) -> None:
        self.screen_action("edit_client")

    def action_remove_client(self) -> None:
        self.screen_action("remove_client")

    cursor = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved to another client (None: the list is empty)."""

        def __init__(self, client_id: int | None) -> None:
            super().__init__()
            self.client_id = client_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[ListRow] = []
        self.today = date.today()
        self._highlighted: int | None = None
        self.moved_by_user = False  # the user moved the cursor (not a reload)
        self._shared: _Shared | None = None

    # The first line of the view is always the column header; below it, row
    # scroll_y + (y - 1) is drawn on line y. The virtual height counts the header once.
    def set_rows(self, rows: list[ListRow], today: date, keep_client: int | None = None) -> None:
        """Show these rows; keep the cursor on `keep_client` when it is among them."""
        self.rows = rows
        self.today = today
        # Only the height counts: the list never scrolls sideways, and a width that
        # follows the pane would lay the screen out again after every resize.
        self.virtual_size = Size(0, len(rows) + 1)
        index = 0
        if keep_client is not None:
            index = next((n for n, row in enumerate(rows) if row.health.id == keep_client), 0)
        self.cursor = index
        self.refresh()

    @property
    def selected(self) -> ClientHealth | FirstLook | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor].health
        return None

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def _show_cursor(self) -> None:
        """Scroll so the cursor row is in view below the header line."""
        visible = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, force=True)

    def watch_cursor(self, new: int) -> None:
        self._show_cursor()
        self.refresh()  # only the visible lines are drawn again
        selected = self.selected
        client_id = selected.id if selected else None
        if client_id != self._highlighted:
            self._highlighted = client_id
            self.post_message(self.Highlighted(client_id))

    def action_cursor_down(self) -> None:
        self.moved_by_user = True
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.moved_by_user = True
        self.cursor -= 1

    def action_page_down(self) -> None:
        self.moved_by_user = True
        self.cursor += max(1, self.size.height - 2)

    def action_page_up(self) -> None:
        self.moved_by_user = True
        self.cursor -= max(1, self.size.height - 2)

    def action_first(self) -> None:
        self.moved_by_user = True
        self.cursor = 0

    def action_last(self) -> None:
        self.moved_by_user = True
        self.cursor = len(self.rows) - 1

    def on_click(self, event) -> None:
        if event.y < 1:
            return  # the header line
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < len(self.rows):
            self.moved_by_user = True
            self.cursor = index

    # Columns in the order they give way when the list is narrow: the first ones stay.
    PRIORITY = (("health", 10), ("last", 13), ("tier", 11), ("company", 12), ("spark", 12))
    NAME_MIN = 16

    def _widths(self, width: int) -> list[int]:
        """Mark, name, company, health, tier, last touch, sparkline (0: not shown)."""
        sizes = dict.fromkeys(("company", "health", "tier", "last", "spark"), 0)
        free = width - 2 - self.NAME_MIN  # the mark and its space, and the smallest name
        for key, size in self.PRIORITY:
            if size + 1 > free:
                break  # strictly in order: a later column never shows without an earlier one
            sizes[key] = size
            free -= size + 1
        name = self.NAME_MIN + free
        if sizes["company"]:  # share what is left between name and company
            extra = name - self.NAME_MIN
            sizes["company"] += extra * 2 // 5
            name -= extra * 2 // 5
        return [
            1,
            name,
            sizes["company"],
            sizes["health"],
            sizes["tier"],
            sizes["last"],
            sizes["spark"],
        ]

    def _cells(self, row: ListRow | None) -> list[str]:
        if row is None:
            return ["", "Name", "Company", "Health", "Tier", "Last touch", "12 months"]
        h = row.health
        judged = not isinstance(h, FirstLook)
        health = "…" if not judged else h.health.value
        if h.lifecycle == FORMER:
            health = "former"
        tier = h.tier.value if judged and h.tier != OTHER_TIER else ""
        return [
            DRIFT_MARK if h.needs_attention else "",
            printable(h.name),
            printable(h.company),
            health,
            tier + ("*" if h.strategic else ""),
            ago(h.last_touch, self.today),
            sparkline(row.sparkline),
        ]

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this pass shares is worked out once, not once a line.
        self._shared = _Shared(self)
        try:
            return super().render_lines(crop)
        finally:
            self._shared = None

    def render_line(self, y: int) -> Strip:
        shared = self._shared or _Shared(self)
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y - 1
        width = shared.width
        if y == 0:
            row, kind = None, "header"
        elif index < len(self.rows):
            row = self.rows[index]
            kind = None
            judged = getattr(row.health, "health", None)  # None on the first page
            if row.health.needs_attention:
                kind = "attention"
            elif row.health.lifecycle == FORMER or judged == "lapsed":
                kind = "muted"
            elif judged == "recovering":
                kind = "recovering"
            if index == self.cursor:
                kind = (kind, "cursor")
        else:
            return Strip.blank(width, shared.base)
        text = " ".join(
            fit(cell, size)
            for cell, size in zip(self._cells(row), shared.widths, strict=True)
            if size
        )
        strip = Strip([Segment(fit(text, width), shared.style(kind))])
        return strip.crop(scroll_x, scroll_x + width)

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.rows) + 1)
        self.call_after_refresh(self._show_cursor)


class _Shared:
    """The width, column widths and styles of one drawing of the list."""

    __slots__ = ("_list", "_styles", "base", "width", "widths")

    def __init__(self, client_list: ClientList) -> None:
        self._list = client_list
        self.base = client_list.rich_style
        self.width = client_list.scrollable_content_region.width
        self.widths = client_list._widths(self.width)
        self._styles: dict = {}

    def style(self, kind: str | tuple | None) -> Style:
        """The style of a line: a component style (or a row's with the cursor's) over the base."""
        style = self._styles.get(kind)
        if style is None:
            get = self._list.get_component_rich_style
            if isinstance(kind, tuple):
                row_kind, _cursor = kind
                line = get(f"client-list--{row_kind}") if row_kind else self.base
                line = line + get("client-list--cursor")
            else:
                line = get(f"client-list--{kind}") if kind else self.base
            style = self._styles[kind] = Style.chain(self.base, line)
        return style
