"""What a person sees, timed in a real terminal: Cockpit and a bare Textual app, run after run.

Each run starts Cockpit on the bench's book (no verdicts saved, as after a write
elsewhere) and the bare app of `bare_filter_app` (the same names, an Input that
filters a list) in tmux at 120x40 (`terminal`). Then, the two taking turns a word
at a time so both meet the same load:

- start: from the Enter that starts `cockpit` until every row of the list shows a
  verdict; its memory (VmHWM) then;
- Down arrow (Cockpit): until the panes stop changing, showing another client,
  with how many times they were seen drawn and whether their boxes moved;
- a last name of the book typed a letter at a time (after `/` in Cockpit), then
  Backspace down to its first letter: until the list side of the screen stops
  changing, showing the box's text and only clients that match it (the bench
  works out which from the book, as `search.filtered` does);
- Esc: until the whole list is back, and until the panes are;
- Enter on a client (Cockpit): until the Mackay 66 editor is drawn for them.
- b on a client (Cockpit): until their pre-call brief is drawn.
- o (Cockpit): until the portfolio is drawn, the first time (its history worked out), then
  again after Esc (its history kept).

A step that fails (the app gone, a screen that never came) ends its run, and is
noted; the next run starts afresh. `terminal_figures` makes the figures.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.bench import measure as m
from cockpit.bench import screen as s
from cockpit.bench.people import SEED
from cockpit.bench.terminal import (
    Shown,
    Terminal,
    TerminalError,
    Watched,
    left_part,
    panes_part,
)
from cockpit.search import Candidate, filtered

BARE_APP = Path(__file__).with_name("bare_filter_app.py")
PLACEHOLDER = "Filter by name or company"  # the bare app's empty box (and Cockpit's)
KEYSTROKES = 50  # at least this many letters typed, and as many Backspaces, in a full run
# The editor mounts the rest of its form in steps after its first frame, for a second or
# so, quiet at times for longer than `terminal.QUIET`; the bench reads it this long before
# it leaves, as Esc while it still mounts can end Cockpit (NoMatches '#s-...' from the
# mounting worker, ui/screens/profile_navigation.py).
EDITOR_DWELL = 2.0


@dataclass(frozen=True)
class Plan:
    """What the terminal runs do, on which book."""

    python: str
    book: Path
    clients: tuple[tuple[str, str], ...]  # (name, company) of the clients the list shows
    words: tuple[tuple[str, ...], ...]  # the words typed, run by run
    downs: int  # Down presses a run
    editor_opens: int  # profile editor openings a run
    env: dict[str, str]
    root: Path
    start_timeout: float


def choose_words(
    clients: Sequence[tuple[str, str]], runs: int, letters: int = KEYSTROKES
) -> tuple[tuple[str, ...], ...]:
    """Last names of the book (plain letters, 5 or more), typed run by run: at least
    `letters` letters, and as many Backspaces (each word back to its first letter)."""
    rng = random.Random(SEED)
    names = sorted({name.split()[-1].lower() for name, _company in clients})
    usable = [word for word in names if len(word) >= 5 and word.isascii() and word.isalpha()]
    rng.shuffle(usable)
    chosen: list[str] = []
    while usable and (sum(map(len, chosen)) < letters or sum(len(w) - 1 for w in chosen) < letters):
        chosen.append(usable.pop())
    chosen = chosen or ["abcde"]
    return tuple(tuple(chosen[run::runs]) for run in range(min(runs, len(chosen))))


@dataclass
class Subject:
    """One of the two apps in its terminal, and what was measured of it."""

    terminal: Terminal
    cockpit: bool  # Cockpit (a filter box opened with "/", panes) or the bare app
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    room: int = 0  # the rows a full list shows

    def cleared(self, screen: s.Screen) -> bool:
        """The filter undone: the whole list back (and, in Cockpit, the panes filled)."""
        if self.cockpit:
            return s.whole_list_shown(screen, self.room) and s.panes_filled(screen)
        return screen.filter_text() == PLACEHOLDER and len(screen.shown_clients()) == self.room


class Expectations:
    """What the list should show for each query: the clients `search.filtered` keeps."""

    def __init__(self, clients: Sequence[tuple[str, str]]) -> None:
        self._candidates = [
            Candidate(number, name, company) for number, (name, company) in enumerate(clients)
        ]
        self._known: dict[str, s.Expected] = {}

    def of(self, query: str) -> s.Expected:
        if query not in self._known:
            kept = filtered(query, self._candidates)
            pairs = tuple((c.folded_name, c.folded_company) for c in kept)
            self._known[query] = s.Expected(query, pairs)
        return self._known[query]


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def _add(samples: dict[str, list[float]], key: str, value: float | None) -> None:
    if value is not None:
        samples[key].append(value)


# What a key waits for: made by functions, so each predicate keeps its own values.


def _list_of(expected: s.Expected) -> Shown:
    return lambda screen: s.filtered_list_shown(screen, expected)


def _panes_moved_from(before: tuple[str, ...]) -> Shown:
    return lambda screen: s.panes_filled(screen) and screen.panes != before


def _editor_of(name: str) -> Shown:
    return lambda screen: s.editor_open(screen, name)


def _brief_of(name: str) -> Shown:
    return lambda screen: s.brief_open(screen, name)


def _panes_of(name: str) -> Shown:
    return lambda screen: _client_name(screen) == name and s.panes_filled(screen)


def _client_name(screen: s.Screen) -> str:
    return screen.profile_heading().split("  ")[0].strip()


def _word(subject: Subject, word: str, expect: Expectations) -> None:
    """Type the word a letter at a time, Backspace to its first letter, then Esc."""
    term, samples = subject.terminal, subject.samples
    if subject.cockpit:
        term.type("/", lambda screen: screen.filter_text() is not None)
    for length in range(1, len(word) + 1):
        typed = term.type(word[length - 1], _list_of(expect.of(word[:length])))
        _add(samples, "type", _ms(typed.settled(left_part)))
    for length in range(len(word) - 1, 0, -1):
        erased = term.press("BSpace", _list_of(expect.of(word[:length])))
        _add(samples, "backspace", _ms(erased.settled(left_part)))
    cleared = term.press("Escape", subject.cleared)
    _add(samples, "esc_list", _ms(cleared.settled(left_part)))
    if subject.cockpit:
        _add(samples, "esc_panes", _ms(cleared.settled(panes_part)))


def _downs(subject: Subject, count: int, draws: list[int], shifted: list[bool]) -> None:
    term = subject.terminal
    for _ in range(count):
        moved = term.press("Down", _panes_moved_from(term.screen.panes))
        _add(subject.samples, "down", _ms(moved.settled(panes_part)))
        draws.append(moved.draws(panes_part))
        shifted.append(moved.layout_shifted())


def _editor(subject: Subject, count: int) -> None:
    term = subject.terminal
    for _ in range(count):
        name = _client_name(term.screen)
        opened = term.press("Enter", _editor_of(name))
        _add(subject.samples, "editor", opened.first(_editor_of(name)))
        term.dwell(opened.sent, EDITOR_DWELL)
        term.press("Escape", _panes_of(name))
        term.press("Down", _panes_moved_from(term.screen.panes))


def _briefs(subject: Subject, count: int) -> None:
    term = subject.terminal
    for _ in range(count):
        name = _client_name(term.screen)
        opened = term.press("b", _brief_of(name))
        _add(subject.samples, "brief", _ms(opened.first(_brief_of(name))))
        term.press("Escape", _panes_of(name))
        term.press("Down", _panes_moved_from(term.screen.panes))


def _portfolio(subject: Subject) -> None:
    term = subject.terminal
    opened = term.press("o", s.portfolio_open)
    _add(subject.samples, "portfolio", opened.first(s.portfolio_open))  # seconds
    term.press("Escape", s.panes_filled)
    again = term.press("o", s.portfolio_open)
    _add(subject.samples, "portfolio_again", _ms(again.first(s.portfolio_open)))
    term.press("Escape", s.panes_filled)


def _verdicts_shown(screen: s.Screen) -> bool:
    from cockpit.health.verdict import Health

    return s.verdicts_shown(screen, {health.value for health in Health} | {"former"})


@dataclass
class Found:
    """Everything the runs measured."""

    app: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    bare: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    draws: list[int] = field(default_factory=list)
    shifted: list[bool] = field(default_factory=list)
    memory_before_editor: list[float] = field(default_factory=list)  # after Down and filter
    memory_at_end: list[float] = field(default_factory=list)
    saved_start: list[float] = field(default_factory=list)
    failures: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _start(subject: Subject, shown: Callable[[s.Screen], bool], timeout: float) -> float | None:
    """Seconds from the Enter that starts the app until `shown`; then waits for the app
    to settle (Cockpit: its panes filled too)."""

    def ready(screen: s.Screen) -> bool:
        return shown(screen) and (not subject.cockpit or s.panes_filled(screen))

    started: Watched = subject.terminal.start(ready, timeout=timeout)
    subject.room = len(subject.terminal.screen.shown_clients())
    return started.first(shown)


def _last_words(term: Terminal) -> str:
    """What a program that died left on its last line (a Python traceback's last line, the
    error), or "" while it runs."""
    if not term.dead():
        return ""
    lines = [line.strip().strip("│").strip() for line in term.history().splitlines()]
    said = [line for line in lines if line and not line.startswith("Pane is dead")]  # tmux's
    return said[-1][:200] if said else ""


def _cockpit_argv(plan: Plan) -> list[str]:
    return [plan.python, "-m", "cockpit", "--db", str(plan.book)]


# What each step of a run measures: when it fails, so do they.
STEPS = {
    "start": (m.VERDICTS_SHOWN, m.MEMORY),
    "Down": (m.DOWN_MEDIAN, m.DOWN_WORST, m.DOWN_DRAWS),
    "filter": (
        m.FILTER_MEDIAN,
        m.FILTER_WORST,
        m.BACKSPACE_MEDIAN,
        m.BACKSPACE_WORST,
        m.ESC_LIST,
        m.ESC_PANES,
    ),
    "editor": (m.EDITOR_OPENS,),
    "brief": (m.BRIEF_OPENS,),
    "portfolio": (m.PORTFOLIO_OPENS, m.PORTFOLIO_AGAIN),
}


def _steps(plan: Plan, app: Subject, bare: Subject, words: Sequence[str], expect, found: Found):
    """A run's steps, in order: (name, what it does)."""

    def start() -> None:
        _add(bare.samples, "start", _start(bare, s.names_shown, plan.start_timeout))
        _add(app.samples, "start", _start(app, _verdicts_shown, plan.start_timeout))
        memory = app.terminal.peak_memory()
        _add(app.samples, "memory", None if memory is None else memory / 2**20)

    def words_typed() -> None:
        for word in words:
            _word(bare, word, expect)
            _word(app, word, expect)
        memory = app.terminal.peak_memory()
        if memory is not None:
            found.memory_before_editor.append(memory / 2**20)

    return (
        ("start", start),
        ("Down", lambda: _downs(app, plan.downs, found.draws, found.shifted)),
        ("filter", words_typed),
        ("editor", lambda: _editor(app, plan.editor_opens)),
        ("brief", lambda: _briefs(app, plan.editor_opens)),
        ("portfolio", lambda: _portfolio(app)),
    )


def _one_run(
    plan: Plan,
    number: int,
    words: Sequence[str],
    expect: Expectations,
    found: Found,
    progress: Callable[[str], None],
) -> None:
    """One run: both apps started, then each step until one fails (the app may be gone);
    the next run starts afresh."""
    folder = plan.root / f"terminal-{number}"
    folder.mkdir(parents=True, exist_ok=True)
    clients_file = folder / "clients.tsv"
    clients_file.write_text("".join(f"{n}\t{c}\n" for n, c in plan.clients), encoding="utf-8")
    env = {**plan.env, "XDG_CACHE_HOME": str(folder / "cache")}  # no verdicts saved yet
    bare_argv = [plan.python, str(BARE_APP), str(clients_file)]
    with (
        Terminal(bare_argv, env, folder) as bare_term,
        Terminal(_cockpit_argv(plan), env, folder) as app_term,
    ):
        bare = Subject(bare_term, cockpit=False, samples=found.bare)
        app = Subject(app_term, cockpit=True, samples=found.app)
        for step, action in _steps(plan, app, bare, words, expect, found):
            try:
                action()
            except TerminalError as error:
                last_words = _last_words(app_term) or _last_words(bare_term)
                found.failures[step].append(f"{error}{last_words and f' ({last_words})'}")
                shown = [line for line in error.screen.splitlines() if line.strip()][-12:]
                progress(f"in a terminal, run {number + 1}, {step}: {error}; the screen ends:")
                progress("\n".join(shown) or "(empty)")
                break
        else:
            memory = app_term.peak_memory()
            if memory is not None:
                found.memory_at_end.append(memory / 2**20)
    if number == 0 and app.samples["start"]:  # once: the start with the verdicts it saved
        with Terminal(_cockpit_argv(plan), env, folder) as again:
            try:
                saved = _start(Subject(again, cockpit=True), _verdicts_shown, plan.start_timeout)
            except TerminalError:
                saved = None
            if saved is not None:
                found.saved_start.append(saved)


def measure(plan: Plan, progress: Callable[[str], None]) -> Found:
    found = Found()
    expect = Expectations(plan.clients)
    for number, words in enumerate(plan.words):
        progress(f"in a terminal: run {number + 1} of {len(plan.words)}")
        _one_run(plan, number, words, expect, found, progress)
    return found
