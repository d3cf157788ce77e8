"""The portfolio's charts (`portfolio_plots`), drawn by textual-plotext (Plotext in a Textual
widget, following the app's theme). Imported only when the portfolio opens (the cockpit's
start does not pay for Plotext)."""

from __future__ import annotations

from collections.abc import Callable

from textual_plotext import PlotextPlot

from cockpit.portfolio import Portfolio
from cockpit.portfolio_plots import drawings


class Chart(PlotextPlot):
    """A plot drawn by `draw(plt)` once mounted, in the app's theme's colours, and again
    when the theme changes; Plotext redraws it at each size."""

    def __init__(self, draw: Callable[[object], None], *, name: str, tall: bool = False) -> None:
        super().__init__(classes="chart tall" if tall else "chart", name=name)
        self.draw = draw

    def on_mount(self) -> None:
        # Textual runs PlotextPlot's own on_mount too (its theme subscription): not again.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show())
        self.show()

    def show(self) -> None:
        # The theme is set before the data: Plotext colours each series as it is added, so
        # the colours are the theme's on the first frame as on every later one.
        self.plt.clear_figure()
        self._register_theme(self.app.theme)
        self.plt.theme(self._get_plotext_theme_name(self.app.theme))
        self.draw(self.plt)
        self.refresh()


def charts(portfolio: Portfolio) -> list[Chart]:
    return [Chart(each.draw, name=each.name, tall=each.tall) for each in drawings(portfolio)]
