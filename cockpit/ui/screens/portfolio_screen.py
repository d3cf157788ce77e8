"""The portfolio: where the time went against where the revenue came from, as charts (or,
with `t`, as the tables behind them, for screen readers and to copy). Opened with `o`
from the cockpit; the chart widget is loaded only when the portfolio opens."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from cockpit.portfolio import Portfolio
from cockpit.portfolio_tables import all_tables
from cockpit.text import safe_text
from cockpit.ui.widgets.key_footer import KeyFooter


def read_portfolio(today: date, team: bool, *, history: bool = False) -> Portfolio:
    """The portfolio (on the book, in a worker): yours, or the team's; without `history`,
    the drifting count at each month's end only when kept (the screen asks for it next)."""
    from cockpit.portfolio import portfolio
    from cockpit.storage import book

    return portfolio(today, 12, None if team else book.my_reps(), history=history)


class PortfolioScreen(Screen[None]):
    DEFAULT_CSS = """
    PortfolioScreen #headline {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    PortfolioScreen #charts {
        height: 1fr;
        overflow-x: auto;
    }
    PortfolioScreen .table {
        height: auto;
        width: auto;
        padding: 1 1 0 1;
    }
    PortfolioScreen .chart {
        height: 16;
        margin: 1 1 0 1;
    }
    PortfolioScreen .chart.tall {
        height: 32;  /* 10 clients, two bars each, every bar drawn */
    }
    """
    BINDINGS: ClassVar = [
        Binding("t", "toggle_tables", "Tables/charts", id="portfolio_tables"),
        Binding("c", "capacity", "Your hours", id="portfolio_capacity"),
        Binding("escape", "back", "Back"),
        Binding("down,j", "scroll('down')", "Down", show=False),
        Binding("up,k", "scroll('up')", "Up", show=False),
        Binding("left,h", "scroll('left')", "Left", show=False),
        Binding("right,l", "scroll('right')", "Right", show=False),
        Binding("question_mark", "app.show_help", "Help", show=False),
    ]

    def __init__(self, found: Portfolio, team: bool = False, tables: bool = False) -> None:
        super().__init__()
        self.portfolio = found
        self.team = team
        self.tables = tables

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="headline")
        yield VerticalScroll(id="charts")
        yield KeyFooter()

    def on_mount(self) -> None:
        found = self.portfolio
        first, last = found.months[0], found.months[-1]
        self.sub_title = f"Portfolio, {first.label} to {last.label}"
        self._show_headline()
        self._show()
        if any(month.drifting is None for month in found.months):
            today, team = found.as_of, self.team
            self.app.in_book(lambda: read_portfolio(today, team, history=True), self._history_read)
        if found.capacity_hours is None and not found.team and not self.app.capacity_asked:
            self.app.capacity_asked = True  # once a session: Esc means "not now"
            self.action_capacity()

    def _show_headline(self) -> None:
        found = self.portfolio
        headline = safe_text(found.headline + ".", "bold")
        line = found.capacity_line
        if line and found.capacity_hours is None and not found.team:
            line += " Press c to say how many hours a week you have."
        if line:
            headline.append("\n")
            headline.append_text(safe_text(line))
        self.query_one("#headline", Static).update(headline)

    def action_capacity(self) -> None:
        """Ask for the hours a week the user has (written to config.toml)."""
        from cockpit.ui.screens.capacity_prompt import CapacityPrompt

        if self.team:
            self.notify("Capacity is one person's: press c on your own portfolio.")
            return

        def said(hours: float | None) -> None:
            if hours is None or self not in self.app.screen_stack:
                return
            self.portfolio.capacity_hours = hours
            self._show_headline()
            self._show()

        self.app.push_screen(CapacityPrompt(self.portfolio.capacity_hours), said)

    def _history_read(self, found: Portfolio) -> None:
        """The drifting history worked out: its chart (or table) drawn again."""
        if self not in self.app.screen_stack:
            return
        found.capacity_hours = self.portfolio.capacity_hours  # as said meanwhile
        self.portfolio = found
        if self.tables:
            self._show()
            return
        from cockpit.ui.widgets.portfolio_charts import charts

        old = self.query("Chart").last()
        new = charts(found)[-1]
        self.query_one("#charts", VerticalScroll).mount(new, after=old)
        old.remove()

    def _show(self) -> None:
        scroll = self.query_one("#charts", VerticalScroll)
        scroll.remove_children()
        if self.tables:
            scroll.mount_all(
                Static(safe_text(table.text(), multiline=True), classes="table")
                for table in all_tables(self.portfolio)
            )
        else:
            from cockpit.ui.widgets.portfolio_charts import charts

            scroll.mount_all(charts(self.portfolio))
        scroll.focus()

    def action_toggle_tables(self) -> None:
        self.tables = not self.tables
        self._show()

    def action_scroll(self, way: str) -> None:
        scroll = self.query_one("#charts", VerticalScroll)
        x = {"left": -8, "right": 8}.get(way, 0)
        y = {"down": 3, "up": -3}.get(way, 0)
        scroll.scroll_relative(x=x, y=y, animate=False)

    def action_back(self) -> None:
        self.dismiss(None)


def open_portfolio(main) -> None:
    """Read the portfolio (yours, or the team's when the cockpit shows the team), then show
    it; keys typed meanwhile go to it."""
    from cockpit import clock

    if main.app.database is None:
        return
    today, team = clock.today(), main.team_view
    main.app.read_then_open(
        lambda: read_portfolio(today, team),
        lambda found: main.app.push_screen(PortfolioScreen(found, team)),
    )
