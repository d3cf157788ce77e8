"""What a terminal screen shows, read from its text as `tmux capture-pane -p` gives it.

The bench looks at the screen the way a person does: the client list on the
left (its column header names the columns), the profile and timeline panes on
the right (boxes titled "Profile" and "Timeline"), the filter box above the list.
Nothing here knows how the app draws them; it reads the characters. Columns are
counted in characters, which is right for the bench's book (its names and the
app's frames are one cell wide each).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cached_property

from cockpit.search import fold
from cockpit.vocabulary import ROLE_BRIEFS

PROFILE_TITLE = "╭─ Profile"
TIMELINE_TITLE = "╭─ Timeline"
INPUT_BORDERS = "▊▎"
ELLIPSIS = "…"
EDITOR_TITLE = "Mackay 66 profile of"
EDITOR_FIRST_ITEM = "1. Name and role"
EDITOR_FOOTER = "^s Save"
BRIEF_TITLE = "Brief:"
BRIEF_PARTS = ("Health:", "Last touches", "Log the call")  # its body and its footer
PORTFOLIO_PARTS = ("Portfolio, ", "of your time", "Tables/charts")  # title, headline, footer
PORTFOLIO_CHART = "Time spent each month, by tier"  # the first chart's title


@dataclass(frozen=True)
class Screen:
    """One capture of the whole screen, a line per row, padded to its width."""

    lines: tuple[str, ...]
    width: int

    @classmethod
    def parse(cls, lines: Iterable[str], width: int) -> Screen:
        return cls(tuple(line.ljust(width)[:width] for line in lines), width)

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines)

    @cached_property
    def panes_column(self) -> int:
        """Where the panes begin (the profile box's left edge); the width if there are none."""
        for line in self.lines:
            at = line.find(PROFILE_TITLE)
            if at >= 0:
                return at
        return self.width

    @property
    def left(self) -> tuple[str, ...]:
        """The list side: the filter box, the list and whatever else is left of the panes."""
        column = self.panes_column
        return tuple(line[:column] for line in self.lines)

    @property
    def panes(self) -> tuple[str, ...]:
        """The profile and timeline panes (empty lines when there are none)."""
        column = self.panes_column
        return tuple(line[column:] for line in self.lines)

    def pane_borders(self) -> tuple[int, ...]:
        """The rows where a pane's box begins or ends: the panes' layout."""
        return tuple(number for number, line in enumerate(self.panes) if line[:1] in ("╭", "╰"))

    # The filter box ---------------------------------------------------------------

    def filter_text(self) -> str | None:
        """What the filter box (a bordered Input above the list) shows, None if no box is
        open. Its placeholder reads as its text: the bench never leaves the box empty."""
        for line in self.left[:6]:
            stripped = line.strip()
            if stripped[:1] == INPUT_BORDERS[0] and stripped[-1:] == INPUT_BORDERS[1]:
                inner = stripped[1:-1].strip()
                if inner and not set(inner) <= set("▔▁"):
                    return inner
        return None

    # The list ---------------------------------------------------------------------

    @cached_property
    def _header(self) -> tuple[int, dict[str, int]] | None:
        """The list's column header: its row and where each titled column begins."""
        for number, line in enumerate(self.left):
            name, company = line.find(" Name "), line.find(" Company ")
            if 0 <= name < company:
                columns = {"Name": name + 1, "Company": company + 1}
                for title in ("Health", "Tier"):
                    at = line.find(f" {title} ")
                    if at > company:
                        columns[title] = at + 1
                return number, columns
        return None

    def list_rows(self) -> list[str]:
        """The list's lines below its header, the last screen line (the footer) left out,
        blank lines included: their count is the room the list has."""
        if self._header is None:
            return []
        row, _columns = self._header
        return list(self.left[row + 1 : len(self.lines) - 1])

    def _cell(self, line: str, title: str) -> str | None:
        if self._header is None or title not in self._header[1]:
            return None
        columns = sorted(self._header[1].values())
        start = self._header[1][title]
        later = [column for column in columns if column > start]
        end = later[0] if later else len(line)
        return line[start:end].strip()

    def shown_clients(self) -> list[tuple[str, str]]:
        """(name, company) of each row the list shows, as drawn (possibly cut short with …)."""
        found = []
        for line in self.list_rows():
            if not line.strip():
                continue
            company = _without_role(self._cell(line, "Company") or "")
            found.append((self._cell(line, "Name") or "", company))
        return found

    def health_cells(self) -> list[str]:
        """What the Health column shows on each row ([] when the list has no such column)."""
        return [
            cell
            for line in self.list_rows()
            if line.strip() and (cell := self._cell(line, "Health")) is not None
        ]

    # The panes --------------------------------------------------------------------

    def _box(self, title: str) -> list[str]:
        """The inside lines of the pane box with this title."""
        panes = self.panes
        for number, line in enumerate(panes):
            if line.startswith(title):
                inside = []
                for below in panes[number + 1 :]:
                    if below.startswith("╰"):
                        break
                    inside.append(below[1:].rstrip().rstrip("│").strip())
                return inside
        return []

    def profile_heading(self) -> str:
        """The first line inside the profile pane: the client's name (and role)."""
        lines = self._box(PROFILE_TITLE)
        return lines[0] if lines else ""

    def timeline_filled(self) -> bool:
        return any(self._box(TIMELINE_TITLE))


# What the bench waits for ------------------------------------------------------------


def verdicts_shown(screen: Screen, verdicts: Collection[str]) -> bool:
    """The list shows a verdict (one of `verdicts`) on every row it shows: the health
    engine has judged the book (before, the Health column shows "…")."""
    cells = screen.health_cells()
    return bool(cells) and all(cell in verdicts for cell in cells)


def names_shown(screen: Screen) -> bool:
    """A list with at least one row (the bare app has started)."""
    return bool(screen.shown_clients())


ANY_COMPANY = "\0"  # a company cell that showed only the person's role


def _without_role(cell: str) -> str:
    """The company a cell shows, without the role the list draws after it ("Atl… DM");
    ANY_COMPANY when the role took the whole cell."""
    match = _ROLE_AT_END.search(cell)
    if match is None:
        return cell
    company = cell[: match.start()].rstrip()
    return company or ANY_COMPANY


_BRIEF = "|".join(re.escape(brief) for brief in ROLE_BRIEFS)
_ROLE_AT_END = re.compile(rf"(?:^|\s)(?:{_BRIEF})(?:, (?:{_BRIEF}))*$")


def _could_be(shown: str, full: str) -> bool:
    """A cell as drawn is this (folded) text, or its beginning cut short with …."""
    if shown == ANY_COMPANY:
        return True
    if shown.endswith(ELLIPSIS):
        return full.startswith(fold(shown[: -len(ELLIPSIS)]))
    return fold(shown) == full


@dataclass(frozen=True)
class Expected:
    """The clients a query should leave in the list, each as (folded name, folded company)."""

    query: str
    clients: tuple[tuple[str, str], ...]

    @cached_property
    def _exact(self) -> frozenset[tuple[str, str]]:
        return frozenset(self.clients)

    def has(self, name: str, company: str) -> bool:
        if (fold(name), fold(company)) in self._exact:
            return True
        return any(
            _could_be(name, full_name) and _could_be(company, full_company)
            for full_name, full_company in self.clients
        )


def filtered_list_shown(screen: Screen, expected: Expected) -> bool:
    """The filter box holds the query and the list shows only clients that match it, as
    many as there are or as fit."""
    if screen.filter_text() != expected.query:
        return False
    shown = screen.shown_clients()
    room = len(screen.list_rows())
    if len(shown) != min(len(expected.clients), room):
        return False
    return all(expected.has(name, company) for name, company in shown)


def whole_list_shown(screen: Screen, room: int) -> bool:
    """No filter box, and the list full again (`room`: the rows a full list shows)."""
    return screen.filter_text() is None and len(screen.shown_clients()) == room


def panes_filled(screen: Screen) -> bool:
    """The profile pane names a client and the timeline pane shows something."""
    return bool(screen.profile_heading()) and screen.timeline_filled()


def panes_show(screen: Screen, name: str) -> bool:
    """The panes are filled for the client of this name (as the list drew it)."""
    heading = fold(screen.profile_heading())
    name = fold(name.removesuffix(ELLIPSIS))
    return bool(name) and heading.startswith(name) and screen.timeline_filled()


def brief_open(screen: Screen, name: str) -> bool:
    """The pre-call brief drawn for this client: its title, body and footer."""
    text = screen.text
    return f"{BRIEF_TITLE} {name}" in text and all(part in text for part in BRIEF_PARTS)


def portfolio_open(screen: Screen) -> bool:
    """The portfolio drawn: its title, headline, first chart and footer."""
    text = screen.text
    return PORTFOLIO_CHART in text and all(part in text for part in PORTFOLIO_PARTS)


def editor_open(screen: Screen, name: str) -> bool:
    """The Mackay 66 editor drawn for this client: its title, its first item, its footer."""
    text = screen.text
    title = f"{EDITOR_TITLE} {name}"
    return title in text and EDITOR_FIRST_ITEM in text and EDITOR_FOOTER in text
