"""Letting go of the watchers of widgets that are gone.

`widget.watch(other, "name", ...)` and `data_bind` keep the widget in a list on `other`,
and Textual drops it from there only when `other.name` next changes (Textual issue
6666). Each TextArea watches the app's theme, so every profile editor ever opened (38
TextAreas) stayed in memory, some 3 MiB each time; each time a footer is composed
again, its keys stay behind on it in the same way.
"""

from __future__ import annotations

WATCHERS = "__watchers"  # where Textual keeps them, on the object watched


def forget_closed_watchers(watched: object) -> None:
    """Drop the watchers on `watched` whose widget was removed."""
    for watchers in getattr(watched, WATCHERS, {}).values():
        watchers[:] = [(node, callback) for node, callback in watchers if not _gone(node)]


def _gone(node: object) -> bool:
    return bool(getattr(node, "_closing", False) or getattr(node, "_closed", False))
