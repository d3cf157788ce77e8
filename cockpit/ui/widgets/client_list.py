"""The client list: a virtual list that renders only the rows on screen.

It holds the rows it is given (already filtered and sorted) and draws each
visible line on demand, so 10,000 clients cost no more to show than 40.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cockpit.dates import ago
from cockpit.text import cell_width, fit, printable
from cockpit.ui.widgets.screen_actions import ScreenActions
from cockpit.vocabulary import DRIFT_MARK, SNOOZE_MARK, STRATEGIC_MARK, Lifecycle

if TYPE_CHECKING:  # the health engine loads with the book, after the first page
    from cockpit.health import ClientHealth

FORMER = Lifecycle.FORMER.value  # as the book stores it
SPARK = " ▁▂▃▄▅▆▇█"
OTHER_TIER = "other"  # health.Tier.OTHER: no tier shown
NO_TOUCHES = (0,) * 12  # the sparkline of a client without touches, shared
LINES_KEPT = 1000  # lines drawn, kept to be drawn again as they were
# What the marks mean, for the help screen.
MARKS_LEGEND = (
    f"Marks in the client list: {DRIFT_MARK} needs attention; {SNOOZE_MARK} snoozed (the "
    f"profile says until when); {STRATEGIC_MARK} after the tier: pinned as strategic."
)


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
    snoozed_until: date | None = None


class ListRow(NamedTuple):
    """One client as the list shows it."""

    health: ClientHealth | FirstLook
    sparkline: Sequence[int]  # touches per month, oldest first


class ListRows(Sequence[ListRow]):
    """The rows of the list, made when asked for: the list holds its clients and their
    sparklines as given, so showing 10,000 rows costs no more than showing 40."""

    __slots__ = ("clients", "sparklines")

    def __init__(self, clients: Sequence, sparklines: Mapping[int, Sequence[int]]) -> None:
        self.clients = clients
        self.sparklines = sparklines

    def __len__(self) -> int:
        return len(self.clients)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(client) for client in self.clients[index]]
        return self._row(self.clients[index])

    def _row(self, client) -> ListRow:
        return ListRow(client, self.sparklines.get(client.id, NO_TOUCHES))


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
    # The selected client's id (None: the list is empty). Watched, not messaged: the
    # panes follow it in the frame that draws the cursor.
    highlighted: reactive[int | None] = reactive(None, repaint=False)

    class SparklinesShown(Message):
        """The list became wide enough to show the sparklines, or too narrow."""

        def __init__(self, shown: bool) -> None:
            super().__init__()
            self.shown = shown

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shows_sparklines = False
        self._drawn: dict[tuple[int, bool], tuple] = {}  # lines drawn, by client and cursor
        self.rows = ListRows([], {})
        self.roles: Mapping[int, str] = {}  # what people are at their account, by client id
        self.today = date.today()
        self.moved_by_user = False  # the user moved the cursor (not a reload)
        self.sorted_by: str | None = None  # the sort order's name: its column stays in view
        self._shared: _Shared | None = None

    # The first line of the view is always the column header; below it, row
    # scroll_y + (y - 1) is drawn on line y. The virtual height counts the header once.
    def set_rows(
        self,
        clients: Sequence[ClientHealth | FirstLook],
        sparklines: Mapping[int, Sequence[int]],
        today: date,
        keep_client: int | None = None,
    ) -> None:
        """Show these clients, with their sparklines (touches per month, oldest first);
        keep the cursor on `keep_client` when it is among them."""
        self.rows = ListRows(clients, sparklines)
        self.today = today
        # Only the height counts: the list never scrolls sideways, and a width that
        # follows the pane would lay the screen out again after every resize.
        self.virtual_size = Size(0, len(clients) + 1)
        index = 0
        if keep_client is not None:
            index = next((n for n, c in enumerate(clients) if c.id == keep_client), 0)
        self.cursor = index
        self.refresh()

    def set_sparklines(self, sparklines: Mapping[int, Sequence[int]]) -> None:
        """The same rows, with these sparklines."""
        self.rows = ListRows(self.rows.clients, sparklines)
        self._drawn.clear()
        self.refresh()

    def set_roles(self, roles: Mapping[int, str]) -> None:
        """What people are at their account (`vocabulary.roles_brief`), by client id: shown
        after their company."""
        self.roles = roles
        self._drawn.clear()
        self.refresh()

    @property
    def selected(self) -> ClientHealth | FirstLook | None:
        clients = self.rows.clients
        if 0 <= self.cursor < len(clients):
            return clients[self.cursor]
        return None

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def _show_cursor(self) -> bool:
        """Scroll so the cursor row is in view below the header line; whether it had to."""
        visible = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True, immediate=True)
        elif self.cursor >= top + visible:
            top = self.cursor - visible + 1
            self.scroll_to(y=top, animate=False, force=True, immediate=True)
        else:
            return False
        return True

    def watch_cursor(self, old: int, new: int) -> None:
        if self._show_cursor():
            self.refresh()  # only the visible lines are drawn again
        else:  # only the line the cursor left and the one it reached
            top, width = self.scroll_offset.y, self.size.width
            self.refresh(*(Region(0, row - top + 1, width, 1) for row in {old, new}))
        selected = self.selected
        self.highlighted = selected.id if selected else None

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
    # Revenue stays longer than the sparkline: it comes with the verdicts (the sparklines
    # are read from every touch of the year) and it is what the list can be sorted by;
    # "name" is room for longer names, before the sparkline.
    PRIORITY = (
        ("health", 10),
        ("last", 13),
        ("tier", 11),
        ("company", 12),
        ("revenue", 11),
        ("name", 8),
        ("spark", 12),
    )
    # Sorted by revenue, the list shows it right after the health, whatever gives way.
    REVENUE_FIRST = (PRIORITY[0], PRIORITY[4], *PRIORITY[1:4], *PRIORITY[5:])
    COLUMNS = ("company", "health", "tier", "last", "revenue", "spark")  # after the name
    REVENUE_AT = 2 + COLUMNS.index("revenue")  # among the widths: after the mark and name
    COMPANY_AT = 2 + COLUMNS.index("company")
    NAME_MIN = 16

    def _widths(self, width: int) -> list[int]:
        """Mark, name, company, health, tier, last touch, revenue, sparkline (0: not shown)."""
        sizes = dict.fromkeys(self.COLUMNS, 0)
        free = width - 2 - self.NAME_MIN  # the mark and its space, and the smallest name
        order = self.REVENUE_FIRST if self.sorted_by == "revenue" else self.PRIORITY
        for key, size in order:
            room = size if key == "name" else size + 1  # a column and its space
            if room > free:
                break  # strictly in order: a later column never shows without an earlier one
            sizes[key] = size
            free -= room
        name = self.NAME_MIN + free + sizes.pop("name", 0)
        if sizes["company"]:  # share what is left between name and company
            extra = name - self.NAME_MIN
            sizes["company"] += extra * 2 // 5
            name -= extra * 2 // 5
        return [1, name, *(sizes[key] for key in self.COLUMNS)]

    def _cells(self, row: ListRow | None, widths: list[int]) -> list[str]:
        revenue_width = widths[self.REVENUE_AT]
        if row is None:
            revenue = "Revenue".rjust(revenue_width)
            return ["", "Name", "Company", "Health", "Tier", "Last touch", revenue, "12 months"]
        h = row.health
        judged = not isinstance(h, FirstLook)
        health = "…" if not judged else h.health.value
        if h.lifecycle == FORMER:
            health = "former"
        tier = h.tier.value if judged and h.tier != OTHER_TIER else ""
        revenue = ""
        if judged and revenue_width:
            from cockpit.ui.revenue_text import revenue_cell

            revenue = revenue_cell(h.revenue_cents, revenue_width)
        return [
            self._mark(h),
            printable(h.name),
            _company_and_role(h.company, self.roles.get(h.id), widths[self.COMPANY_AT]),
            health,
            tier + (STRATEGIC_MARK if h.strategic else ""),
            ago(h.last_touch, self.today),
            revenue,
            sparkline(row.sparkline),
        ]

    def _mark(self, client: ClientHealth | FirstLook) -> str:
        if client.needs_attention:
            return DRIFT_MARK
        snoozed = client.snoozed_until
        return SNOOZE_MARK if snoozed is not None and snoozed > self.today else ""

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this pass shares is worked out once, not once a line.
        self._shared = _Shared(self)
        try:
            return super().render_lines(crop)
        finally:
            self._shared = None

    def render_line(self, y: int) -> Strip:
        shared = self._shared or _Shared(self)
        index = self.scroll_offset.y + y - 1
        if y == 0:
            return self._line(shared, None, "header")
        clients = self.rows.clients
        if index >= len(clients):
            return Strip.blank(shared.width, shared.base)
        # A line is drawn again as it was (a filter keystroke redraws every line on
        # the screen) unless its client, the cursor on it, or the look changed.
        client, cursor = clients[index], index == self.cursor
        key = (id(client), cursor)
        drawn = self._drawn.get(key)
        if drawn is not None and drawn[0] is client and drawn[1] == shared.look:
            return drawn[2]
        kind = None
        judged = getattr(client, "health", None)  # None on the first page
        if client.needs_attention:
            kind = "attention"
        elif client.lifecycle == FORMER or judged == "lapsed":
            kind = "muted"
        elif judged == "recovering":
            kind = "recovering"
        if cursor:
            kind = (kind, "cursor")
        strip = self._line(shared, self.rows._row(client), kind)
        if len(self._drawn) >= LINES_KEPT:
            self._drawn.clear()
        self._drawn[key] = (client, shared.look, strip)
        return strip

    def _line(self, shared: _Shared, row: ListRow | None, kind) -> Strip:
        widths = shared.widths
        text = " ".join(
            fit(cell, size)
            for cell, size in zip(self._cells(row, widths), widths, strict=True)
            if size
        )
        return Strip([Segment(fit(text, shared.width), shared.style(kind))])

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn.clear()  # another theme, or the focus came or went

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.rows) + 1)
        self.call_after_refresh(self._show_cursor)
        shows = self._widths(self.scrollable_content_region.width)[-1] > 0
        if shows != self.shows_sparklines:
            self.shows_sparklines = shows
            self.post_message(self.SparklinesShown(shows))


def _company_and_role(company: str, role: str | None, width: int) -> str:
    """The company, and the person's role there after it ("Atlas… champion"): the company
    gives way to the role, and goes when both do not fit."""
    company = printable(company)
    if not role:
        return company
    role = printable(role)
    room = width - cell_width(role) - 1
    if room < COMPANY_MIN:
        return role
    if not company:
        return role
    return f"{company if cell_width(company) <= room else fit(company, room)} {role}"


COMPANY_MIN = 4  # a company cut shorter says nothing


class _Shared:
    """The width, column widths and styles of one drawing of the list."""

    __slots__ = ("_list", "_styles", "base", "look", "width", "widths")

    def __init__(self, client_list: ClientList) -> None:
        self._list = client_list
        self.base = client_list.rich_style
        self.width = client_list.scrollable_content_region.width
        self.widths = client_list._widths(self.width)
        self._styles: dict = {}
        # What a line drawn earlier must have been drawn with to be drawn again as it was.
        self.look = (
            self.width,
            client_list.today,
            client_list.has_focus,
            self.base,
            client_list.sorted_by,
        )

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
