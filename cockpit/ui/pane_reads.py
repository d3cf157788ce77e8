"""What the profile and timeline panes show of the clients around the cursor, read ahead
and kept in memory, so moving through the list fills the panes at once, in the same
frame as the cursor.

Everything kept is dropped when the book is read again (a change made here or
elsewhere): what comes from an older read is never shown.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import NamedTuple

KEPT = 256  # clients: a few screenfuls, far less memory than the list itself
AHEAD = 3  # clients read ahead in the direction the cursor moves
BEHIND = 1  # and the other way


class PaneData(NamedTuple):
    detail: object  # client_view.ClientDetail, or None for a client gone
    entries: list  # client_view.timeline's entries


class PaneReads:
    """Pane data by client, the latest used kept; `generation` tells reads apart."""

    def __init__(self) -> None:
        self._kept: OrderedDict[int, PaneData] = OrderedDict()
        self.generation = 0

    def clear(self) -> None:
        """Forget everything: the book is read again."""
        self._kept.clear()
        self.generation += 1

    def get(self, client_id: int) -> PaneData | None:
        data = self._kept.get(client_id)
        if data is not None:
            self._kept.move_to_end(client_id)
        return data

    def keep(self, generation: int, client_id: int, data: PaneData) -> bool:
        """Keep what a read found, unless the book was read again since it began."""
        if generation != self.generation:
            return False
        self._kept[client_id] = data
        self._kept.move_to_end(client_id)
        while len(self._kept) > KEPT:
            self._kept.popitem(last=False)
        return True

    def forget(self, client_id: int) -> None:
        self._kept.pop(client_id, None)

    def missing(self, client_ids: Sequence[int]) -> list[int]:
        return [client_id for client_id in client_ids if client_id not in self._kept]


def around(clients: Sequence, index: int, moving_up: bool) -> list[int]:
    """The ids of the clients near position `index` of the list worth reading ahead, the
    likeliest next first: those the cursor moves towards, then one the other way."""
    step = -1 if moving_up else 1
    ahead = [index + step * n for n in range(1, AHEAD + 1)]
    behind = [index - step * n for n in range(1, BEHIND + 1)]
    return [clients[n].id for n in ahead + behind if 0 <= n < len(clients)]
