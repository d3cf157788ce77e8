"""`cockpit bench` in a terminal: reading tmux's control mode, reading the screen, telling
when a key's result is on it, and the figures made of that. The screens in
tests/support/bench_screens were captured from Cockpit in tmux at 120x40 on the
bench's book. No timing is asserted anywhere: only that figures come out."""

from __future__ import annotations

import os
import shutil
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from cockpit.bench import budgets, in_terminal, measure, terminal_figures
from cockpit.bench import screen as s
from cockpit.bench.control_mode import Exited, LineReader, Notice, Output, Reply
from cockpit.bench.measure import Figure
from cockpit.bench.terminal import Frame, Terminal, TerminalError, Watched, left_part, panes_part
from cockpit.search import fold

SCREENS = Path(__file__).parents[1] / "support" / "bench_screens"


def _captured(name: str) -> s.Screen:
    lines = (SCREENS / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return s.Screen.parse(lines, 120)


# Control mode -------------------------------------------------------------------------

# What `tmux -C attach` wrote: the attach's own block (flags 0), a command's answer, output
# of the pane, a capture of two lines, a failed command, a notification, the end.
RECORDED = [
    "%begin 1796319525 265 0",
    "%end 1796319525 265 0",
    "%session-changed $0 s",
    "%begin 1796319525 270 1",
    "120x40 %0 22803",
    "%end 1796319525 270 1",
    r"%output %0 \015\012hello\015\012",
    "%begin 1796319525 272 1",
    "",
    "hello %end 1796319525 272 1",
    "%end 1796319525 272 1",
    "%begin 1796319526 275 1",
    "parse error: unknown command: bogus-command",
    "%error 1796319526 275 1",
    "%window-renamed @0 sleep",
    "%exit",
]


def test_control_mode_lines_become_replies_output_and_notices():
    reader = LineReader()
    events = [reader.feed(line, float(n)) for n, line in enumerate(RECORDED)]
    events = [event for event in events if event is not None]
    assert events == [
        Notice("%session-changed $0 s", 2.0),
        Reply(("120x40 %0 22803",), False, 5.0),
        Output("%0", 6.0),
        Reply(("", "hello %end 1796319525 272 1"), False, 10.0),  # ends on its own number
        Reply(("parse error: unknown command: bogus-command",), True, 13.0),
        Notice("%window-renamed @0 sleep", 14.0),
        Exited("", 15.0),
    ]


# Reading the screen -------------------------------------------------------------------


def test_the_cockpit_with_its_verdicts():
    screen = _captured("main")
    assert screen.panes_column == 72
    assert screen.filter_text() is None
    shown = screen.shown_clients()
    assert len(shown) == 37 and shown[0] == ("Nils Zimmermann", "Oakfield Co…")
    assert s.verdicts_shown(screen, {"drifting", "steady", "former"})
    assert not s.verdicts_shown(screen, {"steady"})
    assert screen.profile_heading().startswith("Nils Zimmermann  Head of Procurement")
    assert screen.timeline_filled() and s.panes_filled(screen)
    assert s.panes_show(screen, "Nils Zimmerm…") and not s.panes_show(screen, "Niamh Eriksen")
    assert screen.pane_borders() == (1, 12, 13, 38)  # two boxes, one above the other
    assert s.whole_list_shown(screen, 37) and not s.whole_list_shown(screen, 36)
    assert all(line.startswith(("╭", "│", "╰")) or not line.strip() for line in screen.panes[1:39])


def test_the_first_page_before_the_verdicts():
    screen = _captured("first_page")
    assert screen.health_cells()[:3] == ["…", "…", "…"]
    assert not s.verdicts_shown(screen, {"drifting", "steady", "former"})
    assert not s.panes_filled(screen)  # the panes wait for the book
    assert s.names_shown(screen)


def _expected(screen: s.Screen, query: str, more: int = 10) -> s.Expected:
    """What a query keeps, made from the rows on screen (their cut companies completed)."""
    pairs = [
        (fold(name), fold(company.removesuffix("…")) + (" group" if company.endswith("…") else ""))
        for name, company in screen.shown_clients()
    ]
    return s.Expected(query, tuple(pairs + [(f"someone {n} okafor", "") for n in range(more)]))


def test_a_filtered_list_shows_the_query_and_only_its_clients():
    screen = _captured("filtered_oka")
    assert screen.filter_text() == "oka"
    assert len(screen.list_rows()) == len(screen.shown_clients()) == 34  # the box takes 3
    assert s.filtered_list_shown(screen, _expected(screen, "oka"))
    assert not s.filtered_list_shown(screen, _expected(screen, "okaf"))  # the box says "oka"
    fewer = _expected(screen, "oka", more=0)
    assert s.filtered_list_shown(screen, fewer)
    missing_one = s.Expected("oka", fewer.clients[1:] + tuple((f"x{n}", "") for n in range(5)))
    assert not s.filtered_list_shown(screen, missing_one)  # a row that should not be there
    short = s.Expected("oka", fewer.clients[:3])
    assert not s.filtered_list_shown(screen, short)  # more rows than the query keeps
    assert not s.whole_list_shown(screen, 37)


def test_the_profile_editor_is_open_for_its_client():
    editor = _captured("editor")
    assert s.editor_open(editor, "Nils Zimmermann")
    assert not s.editor_open(editor, "Niamh Eriksen")
    assert not s.editor_open(_captured("main"), "Nils Zimmermann")


# What a key did ------------------------------------------------------------------------


def _panes(heading: str, profile_rows: int = 2) -> s.Screen:
    """A small screen: a list on the left, a profile box and a timeline box on the right."""
    right = ["╭─ Profile ──────╮", f"│ {heading:<14} │"]
    right += ["│" + " " * 16 + "│"] * (profile_rows - 1)
    right += [
        "╰" + "─" * 16 + "╯",
        "╭─ Timeline ─────╮",
        "│ May 2026       │",
        "╰" + "─" * 16 + "╯",
    ]
    return s.Screen.parse([f"{'list':<10}{line}" for line in right], 28)


def test_a_key_is_timed_until_the_panes_stop_changing_and_its_draws_counted():
    before = _panes("Ann")
    once = Watched(1.0, before, (Frame(1.040, _panes("Bob")), Frame(1.043, _panes("Bob  CFO"))))
    assert once.settled(panes_part) == pytest.approx(0.043)
    assert once.settled(left_part) is None  # the list side never changed
    assert once.draws(panes_part) == 1  # 3 ms apart: no one sees the first
    assert not once.layout_shifted()
    assert once.first(lambda screen: screen.profile_heading() == "Bob") == pytest.approx(0.040)
    twice = Watched(1.0, before, (Frame(1.040, _panes("Bob", 3)), Frame(1.080, _panes("Bob"))))
    assert twice.draws(panes_part) == 2 and twice.layout_shifted()  # the timeline moved up
    assert twice.settled(panes_part) == pytest.approx(0.080)
    nothing = Watched(1.0, before, ())
    assert nothing.final is before and nothing.draws(panes_part) == 0


# The words, the expectations, the figures ---------------------------------------------


def test_the_words_typed_are_last_names_of_the_book_enough_for_fifty_keystrokes():
    clients = [(f"Ann {last}", "Acme") for last in ("Okafor", "Wójcik", "Xu", "O'Brien")]
    clients += [(f"Bo {last}{n}", "") for n, last in enumerate(["Smith"] * 3)]
    clients += [(f"Cy Name{letter}xyz", "") for letter in "abcdefghijklmnopqrstuvwxyz"]
    words = in_terminal.choose_words(clients, runs=4)
    assert words == in_terminal.choose_words(clients, runs=4)  # the same every time
    flat = [word for run in words for word in run]
    assert len(words) <= 4 and all(run for run in words)
    assert all(len(word) >= 5 and word.isascii() and word.isalpha() for word in flat)
    assert "okafor" in flat or len(flat) < 27
    assert sum(map(len, flat)) >= 50 and sum(len(word) - 1 for word in flat) >= 50
    assert len(set(flat)) == len(flat)


def test_what_a_query_keeps_is_what_the_cockpit_filter_keeps():
    expect = in_terminal.Expectations(
        [("Rania Okafor", "Ember Partners"), ("Zoë Adler", "Okapi Ltd"), ("Bob Smith", "Acme")]
    )
    assert expect.of("oka").clients == (
        ("rania okafor", "ember partners"),
        ("zoe adler", "okapi ltd"),
    )
    assert expect.of("zoe").clients == (("zoe adler", "okapi ltd"),)
    assert expect.of("zoe").has("Zoë Adler", "Okapi…") and not expect.of("zoe").has("Bob", "")


def test_the_samples_make_the_figures_with_the_bare_app_as_the_floor():
    figures = {
        name: Figure(name, unit, budget, section)
        for name, unit, budget, section in budgets.rows(10_000)
    }
    found = in_terminal.Found()
    found.app.update(
        {
            "type": [60.0, 50.0, 240.0],
            "backspace": [40.0, 45.0],
            "esc_list": [200.0],
            "esc_panes": [260.0],
            "down": [45.0, 55.0, 120.0],
            "start": [1.3],
            "editor": [0.25],
            "memory": [100.0],
        }
    )
    found.bare.update({"type": [30.0, 25.0], "backspace": [20.0], "esc_list": [130.0]})
    found.draws, found.shifted = [1, 2, 1], [False, True, False]
    found.memory_before_editor, found.memory_at_end = [104.0], [139.0]
    terminal_figures.fill(figures, found, ["okafor"])
    filter_median = figures[measure.FILTER_MEDIAN]
    assert filter_median.value == pytest.approx(60 / 27.5) and filter_median.absolute == 60
    assert filter_median.verdict == "MISSED" and "'okafor'" in filter_median.detail
    assert figures[measure.FILTER_WORST].value == 240
    assert figures[measure.BACKSPACE_MEDIAN].value == pytest.approx(42.5 / 20)
    assert figures[measure.DOWN_MEDIAN].value == 55 and figures[measure.DOWN_WORST].value == 120
    draws = figures[measure.DOWN_DRAWS]
    assert draws.value == 2 and "1 of 3 presses" in draws.detail and "moved on 1" in draws.detail
    assert figures[measure.ESC_PANES].value == 260
    assert figures[measure.VERDICTS_SHOWN].value == 1.3
    memory = figures[measure.MEMORY]
    assert memory.verdict == "ok" and "104 MiB after the Down and filter keys" in memory.detail
    assert "139 MiB once the profile editor was opened" in memory.detail
    empty = in_terminal.Found()
    empty.app = defaultdict(list)
    terminal_figures.fill(figures, empty, [])
    assert figures[measure.FILTER_MEDIAN].verdict == "not measured"


# The driver in tmux, against the bare app -----------------------------------------------


@pytest.mark.timing
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_terminal_driver_times_the_bare_app_in_tmux(tmp_path):
    from cockpit.bench.people import COMPANY_KINDS, FIRST_NAMES, LAST_NAMES

    clients = [
        (f"{first} {last}", f"{kind} Ltd")
        for first, last, kind in zip(
            FIRST_NAMES * 3, LAST_NAMES * 3, COMPANY_KINDS * 15, strict=False
        )
    ]
    listed = tmp_path / "clients.tsv"
    listed.write_text("".join(f"{n}\t{c}\n" for n, c in clients), encoding="utf-8")
    argv = [sys.executable, str(in_terminal.BARE_APP), str(listed)]
    with Terminal(argv, dict(os.environ), tmp_path) as term:
        bare = in_terminal.Subject(term, cockpit=False)
        started = in_terminal._start(bare, s.names_shown, timeout=60)
        assert bare.room > 20  # a screenful of names
        in_terminal._word(bare, "okafor", in_terminal.Expectations(clients))
        assert term.peak_memory() is None or term.peak_memory() > 0
    assert started is not None and started > 0
    samples = bare.samples
    assert len(samples["type"]) == 6 and len(samples["backspace"]) == 5
    assert len(samples["esc_list"]) == 1
    assert all(value > 0 for values in samples.values() for value in values)


def test_a_step_that_failed_marks_its_figures_and_the_others_keep_theirs():
    figures = {
        name: Figure(name, unit, budget, section)
        for name, unit, budget, section in budgets.rows(10_000)
    }
    found = in_terminal.Found()
    found.app.update({"type": [60.0], "down": [45.0], "start": [1.0], "memory": [90.0]})
    found.bare.update({"type": [30.0]})
    found.draws, found.shifted = [1], [False]
    found.failures["editor"].append("the screen did not show ... (NoMatches: #s-education)")
    terminal_figures.fill(figures, found, ["okafor"])
    editor = figures[measure.EDITOR_OPENS]
    assert editor.value is None and editor.error and "NoMatches" in editor.missing
    assert figures[measure.FILTER_MEDIAN].value == 2 and not figures[measure.FILTER_MEDIAN].error
    assert figures[measure.ESC_LIST].error  # nothing timed, and a step failed: says which
    assert "editor failed first" in figures[measure.ESC_LIST].missing


@pytest.mark.timing
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_program_that_dies_leaves_its_last_words(tmp_path):
    argv = [sys.executable, "-c", "import sys; print('starting'); sys.exit('BoomError: gone')"]
    with Terminal(argv, dict(os.environ), tmp_path) as term:
        with pytest.raises(TerminalError, match="did not show what was awaited"):
            term.start(lambda screen: "never" in screen.text, timeout=3)
        assert term.dead()
        assert in_terminal._last_words(term) == "BoomError: gone"
