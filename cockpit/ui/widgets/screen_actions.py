"""Keys of a pane that act through the cockpit's main screen, the pane's own screen.

A binding on the `screen` namespace would reach whichever screen is on top (a form
over the cockpit); these reach the pane's screen, which says when they may run."""

from __future__ import annotations

from typing import ClassVar


class ScreenActions:
    """Mixed into a pane: `SCREEN_ACTIONS` are run, and checked, by its screen."""

    SCREEN_ACTIONS: ClassVar[frozenset[str]] = frozenset()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in self.SCREEN_ACTIONS:
            return self.screen.check_action(action, parameters)
        return super().check_action(action, parameters)

    def screen_action(self, action: str) -> None:
        getattr(self.screen, f"action_{action}")()
