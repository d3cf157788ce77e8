"""The filter box searching the notes: `?` then words keeps the clients whose touches or
profile answers (never the sensitive ones) hold them, and a line under the box shows
where the highlighted client's note is and what it says around the match.

The notes are searched in a thread (a book of 250,000 touches answers within the
keystroke's time, but a word found in most notes takes longer); the list keeps what it
showed until the answer comes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.css.query import NoMatches
from textual.widgets import Static
from textual.worker import get_current_worker

from cockpit.search import filter_query, note_words, snippet
from cockpit.text import safe_text
from cockpit.ui.widgets.client_list import ClientList

if TYPE_CHECKING:
    from textual.screen import Screen

    from cockpit.storage.notes_search import NoteMatch

PREFIX = "?"  # no name is looked for with it: the name filter finds "?" nowhere
PLACEHOLDER = "Name or company, #tag, or ?word in the notes"
# What the filter box takes, for the help screen.
FILTER_LEGEND = (
    "In the filter (/): words find names and companies; #golf keeps the clients with a tag "
    'beginning with golf (#"key account" for spaces); ?words search the notes.'
)


class NoteLine(Static):
    """Under the filter box: where the highlighted client's note is, and its words."""

    DEFAULT_CSS = """
    NoteLine {
        height: auto;
        max-height: 2;
        padding: 0 1;
        color: $text-muted;
    }
    """


def notes_query(typed: str) -> str | None:
    """What to search the notes for, when the filter text asks for it."""
    typed = typed.lstrip()
    return typed[len(PREFIX) :] if typed.startswith(PREFIX) else None


class NotesFilter:
    """The notes search behind the filter box of a screen whose `#left` holds the box."""

    def __init__(self, screen: Screen, refilter: Callable[[], None]) -> None:
        self.screen = screen
        self.refilter = refilter  # filters the list again, asking `positions`
        self.searched: str | None = None  # the query `found` answers
        self.found: dict[int, NoteMatch] = {}
        self.words: list[str] = []
        self.kept: list[int] = []  # the positions shown for `found`
        self.listed: Sequence | None = None  # the list `kept` was made from

    def positions(self, typed: str, listed: Sequence) -> Sequence[int] | None:
        """The positions of `listed` to show for the filter text; None when it is a
        filter by name."""
        query = notes_query(typed)
        if query is None:
            self.words = []  # a search typed again later reads the book again
            self._say(None)
            return None
        words = note_words(query)
        if not words:
            self._say("Type words after ? to search the touches and profiles.")
            return range(len(listed))
        if self.screen.app.database is None:
            self._say("Searching the notes once the book is open…")  # it asks again then
        elif words != self.words:
            self.words = words
            self._say("Searching the notes…")
            self.screen.run_worker(
                lambda: self._search(query, words),
                thread=True,
                exclusive=True,
                group="notes",
                exit_on_error=False,
            )
        if listed is not self.listed:  # the last answer, until the new one comes
            self.listed = listed
            self.kept = [n for n, client in enumerate(listed) if client.id in self.found]
        return self.kept

    def highlighted(self, client_id: int | None) -> None:
        """Show the note of the client under the cursor (when searching the notes)."""
        if self.searched is None or notes_query(self._typed()) is None:
            return
        match = self.found.get(client_id) if client_id is not None else None
        self._show(match)

    def _search(self, query: str, words: list[str]) -> None:
        from cockpit.storage.notes_search import clients_with_notes

        app = self.screen.app
        with app.database.connection_context():
            found = clients_with_notes(query)
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self._found, words, found)

    def _found(self, words: list[str], found: dict[int, NoteMatch]) -> None:
        if words != self.words:
            return  # typed on meanwhile
        self.searched, self.found, self.listed = " ".join(words), found, None
        self.refilter()
        if not self.kept:
            self._say(f"No client here has a note holding {' '.join(words)!r}.")
            return
        selected = self.screen.query_one(ClientList).selected
        self._show(self.found.get(selected.id) if selected else None)

    def _show(self, match: NoteMatch | None) -> None:
        if match is None:
            self._say(None)
            return
        where = f"{match.kind} on {match.day.isoformat()}" if match.day else match.item
        cut = snippet(match.text, self.words)
        line = safe_text(f"{where}: ")
        line.append_text(safe_text(cut.text))
        offset = len(where) + 2
        line.stylize("bold", offset + cut.start, offset + cut.end)
        self._line().update(line)
        self._line().display = True

    def _say(self, message: str | None) -> None:
        if message is None:
            for line in self.screen.query(NoteLine):
                line.display = False
            return
        line = self._line()
        line.update(safe_text(message))
        line.display = True

    def _line(self) -> NoteLine:
        try:
            return self.screen.query_one(NoteLine)
        except NoMatches:
            line = NoteLine(markup=False)
            self.screen.query_one("#left").mount(line, after="#filter")
            return line

    def _typed(self) -> str:
        """The filter text but its tag terms (`#word`)."""
        try:
            return filter_query(self.screen.query_one("#filter").value).rest
        except NoMatches:
            return ""
