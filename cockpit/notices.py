"""Things worth saying once per run that no command asked for (a setting ignored, say):
the lower layers leave them here, and the command line or the screen says them."""

from __future__ import annotations

_said: set[str] = set()
_waiting: list[str] = []


def say_once(text: str) -> None:
    """Leave a notice to be said, unless it was left already in this run."""
    if text not in _said:
        _said.add(text)
        _waiting.append(text)


def take() -> list[str]:
    """The notices not said yet; they are the taker's to say."""
    taken = list(_waiting)
    _waiting.clear()
    return taken
