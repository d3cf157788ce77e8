"""The figures of what a person sees, made from what `in_terminal` measured.

A filter keystroke and Backspace: the median against the bare Textual app's, as a
ratio with the figure itself beside it, and the worst of them all; Esc, Down, the
start, the editor and memory: medians (Down's worst too, and the most draws of the
panes). A step that failed in a run marks its figures; one with nothing measured
says why.
"""

from __future__ import annotations

from collections.abc import Sequence

from cockpit.bench import measure as m
from cockpit.bench.in_terminal import STEPS, Found
from cockpit.bench.measure import Figure, median


def _ratio(figure: Figure, app: list[float], bare: list[float], what: str) -> None:
    """The median against the bare app's (`what`: the plural of what was timed)."""
    if not app or not bare:
        figure.skip(f"not measured: none of the {what} was timed")
        return
    ours, floor = median(app), median(bare)
    detail = (
        f"{ours:.0f} ms against {floor:.0f} ms for a bare Textual app doing the same kind of "
        f"update, medians of {len(app)} and {len(bare)} {what}"
    )
    if figure.unit == "x":
        figure.set(ours / floor, len(app), detail, absolute=(ours, "ms"))
    else:
        figure.set(ours, len(app), detail, min(app), max(app))


def _worst(figure: Figure, app: list[float], bare: list[float], what: str) -> None:
    """The slowest of the samples (`what`: the plural of what was timed)."""
    if not app:
        figure.skip(f"not measured: none of the {what} was timed")
        return
    ranked = sorted(app)
    detail = (
        f"the slowest of {len(app)} {what}; the next slowest {ranked[-2]:.0f} ms"
        if len(app) > 1
        else f"the only one of the {what}"
    )
    if bare:
        detail += f"; the bare Textual app's slowest {max(bare):.0f} ms"
    figure.set(max(app), len(app), detail, min(app), max(app))


def _median(figure: Figure, samples: list[float], detail: str) -> None:
    if not samples:
        figure.skip("not measured: nothing was timed")
        return
    figure.record(samples, detail)


def fill(figures: dict[str, Figure], found: Found, words: Sequence[str]) -> None:
    app, bare = found.app, found.bare
    typed = ", ".join(repr(word) for word in words)
    _ratio(figures[m.FILTER_MEDIAN], app["type"], bare["type"], "keystrokes")
    figures[m.FILTER_MEDIAN].detail += f", typing {typed} a letter at a time"
    _worst(figures[m.FILTER_WORST], app["type"], bare["type"], "keystrokes")
    _ratio(figures[m.BACKSPACE_MEDIAN], app["backspace"], bare["backspace"], "Backspaces")
    _worst(figures[m.BACKSPACE_WORST], app["backspace"], bare["backspace"], "Backspaces")
    bare_esc = f"{median(bare['esc_list']):.0f} ms" if bare["esc_list"] else "not timed"
    _median(
        figures[m.ESC_LIST],
        app["esc_list"],
        f"until the filter box is gone and the list full again; the bare Textual app's Esc "
        f"{bare_esc} (Textual takes a lone Esc byte for the key at its next 100 ms poll for "
        f"input; the cockpit once no more bytes came for 50 ms)",
    )
    _median(figures[m.ESC_PANES], app["esc_panes"], "until the panes stop changing")
    _median(
        figures[m.DOWN_MEDIAN],
        app["down"],
        "from the key until the profile and timeline panes stop changing, showing the next client",
    )
    _worst(figures[m.DOWN_WORST], app["down"], [], "Down presses")
    draws = found.draws
    if draws:
        twice = sum(1 for count in draws if count > 1)
        figures[m.DOWN_DRAWS].set(
            max(draws),
            len(draws),
            f"the most times the panes were seen drawn after one Down (a screen kept at least "
            f"8 ms); {twice} of {len(draws)} presses drew them more than once; their boxes "
            f"moved on {sum(found.shifted)}",
            min(draws),
            max(draws),
        )
    else:
        figures[m.DOWN_DRAWS].skip("not measured: no Down was timed")
    saved = f"{median(found.saved_start):.2f} s" if found.saved_start else "not timed"
    bare_start = f"{median(bare['start']):.2f} s" if bare["start"] else "not timed"
    _median(
        figures[m.VERDICTS_SHOWN],
        app["start"],
        "from the Enter that starts cockpit until every row on screen shows a verdict, "
        f"no verdicts saved (as after a write); {saved} with the verdicts saved; the bare "
        f"Textual app's first screen {bare_start}",
    )
    _median(
        figures[m.EDITOR_OPENS],
        app["editor"],
        "from Enter on a client until the Mackay 66 editor shows its title, first item and footer",
    )
    _median(
        figures[m.BRIEF_OPENS],
        app["brief"],
        "from b on a client until its pre-call brief shows its title, first sections and footer",
    )
    _median(
        figures[m.PORTFOLIO_OPENS],
        app["portfolio"],
        "from o until the portfolio shows its headline, first chart and footer, the first time "
        "in a run (its drifting history is then worked out behind it and drawn when ready)",
    )
    _median(
        figures[m.PORTFOLIO_AGAIN],
        app["portfolio_again"],
        "from o again after Esc: the same, with what the portfolio worked out kept",
    )
    at_end = ""
    if found.memory_before_editor:
        at_end += f"; {median(found.memory_before_editor):.0f} MiB after the Down and filter keys"
    if found.memory_at_end:
        # Its 600 or so widgets take some 35 MiB whatever the size of the book.
        at_end += f"; {median(found.memory_at_end):.0f} MiB once the profile editor was opened"
    _median(
        figures[m.MEMORY],
        app["memory"],
        f"the cockpit's VmHWM once every row shows a verdict{at_end}",
    )
    _failures(figures, found)


def _failures(figures: dict[str, Figure], found: Found) -> None:
    """A step that failed in some run: its figures say so and count as broken; a figure
    left without samples says why."""
    failed = {step: found.failures[step] for step in STEPS if found.failures.get(step)}
    if not failed:
        return
    for step, messages in failed.items():
        note = f"{step} failed in {len(messages)} run(s): {messages[0]}"
        for name in STEPS[step]:
            figure = figures[name]
            if figure.value is None:
                figure.skip(f"error: {note}", error=True)
            else:
                figure.error = True
                figure.detail += f"; {note}"
    first = next(iter(failed.items()))
    for name in m.TERMINAL_FIGURES:
        if figures[name].value is None and not figures[name].error:
            figures[name].skip(f"error: {first[0]} failed first: {first[1][0]}", error=True)


def skip(figures: dict[str, Figure], reason: str) -> None:
    for name in m.TERMINAL_FIGURES:
        figures[name].skip(reason)
