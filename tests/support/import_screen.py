"""Driving the cockpit's import screens: the form, the result and its prospects offer."""

from __future__ import annotations

from textual.widgets import SelectionList, Static

from tests.support.forms import fill
from tests.support.pilot import loaded


def shown(app) -> str:
    """The text of the screen on top."""
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


async def import_from_form(pilot, path) -> None:
    """The import form opened, `path` typed and saved, the import let finish."""
    from cockpit.ui.screens.import_screen import ImportForm

    pilot.app.main.action_import_file()
    await pilot.pause()
    assert isinstance(pilot.app.screen, ImportForm)
    fill(pilot.app.screen, {"path": str(path)})
    await pilot.press("ctrl+s")
    await loaded(pilot)


async def offered_prospects(pilot) -> list[str]:
    """`p` pressed on an import's result: the lines of the prospects offered, all ticked."""
    from cockpit.ui.screens.import_screen import ProspectsScreen

    await pilot.press("p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ProspectsScreen)
    listed = pilot.app.screen.query_one(SelectionList)
    return [
        str(listed.get_option_at_index(at).prompt)
        for at in range(listed.option_count)
        if listed.get_option_at_index(at).value in listed.selected
    ]


async def make_prospects_but_the_second(pilot) -> str:
    """On the prospects offered: the second unticked, the others made; the new import's
    result, as shown."""
    from cockpit.ui.screens.import_screen import ImportResult

    pilot.app.screen.query_one(SelectionList).focus()
    await pilot.press("down", "space")
    await pilot.press("enter")
    await loaded(pilot)
    assert isinstance(pilot.app.screen, ImportResult)
    return shown(pilot.app)
