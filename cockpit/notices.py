"""Things worth saying once that no command asked for (a setting ignored, say): the lower
layers leave them here, and the command line or the screen says them."""

from __future__ import annotations

import hashlib

_said: set[str] = set()
_waiting: list[str] = []


def say_once(text: str, *, lasting: str | None = None) -> None:
    """Leave a notice to be said, unless it was left already in this run; with `lasting`
    (what the notice is about), unless it was said for that on this machine before (a mark
    in the cache folder remembers it; deleting the folder only makes it said again)."""
    if text in _said:
        return
    _said.add(text)
    if lasting is not None and not _first_time(lasting):
        return
    _waiting.append(text)


def _first_time(subject: str) -> bool:
    from cockpit.locations import cache_dir

    mark = cache_dir() / "said" / hashlib.sha256(subject.encode("utf-8", "replace")).hexdigest()
    try:
        mark.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        mark.touch(mode=0o600, exist_ok=False)
    except FileExistsError:
        return False
    except OSError:
        pass  # no cache folder to remember in: say it, every run
    return True


def take() -> list[str]:
    """The notices not said yet; they are the taker's to say."""
    taken = list(_waiting)
    _waiting.clear()
    return taken


def forget() -> None:
    """Start the run afresh: nothing said, nothing waiting (the marks stay)."""
    _said.clear()
    _waiting.clear()
