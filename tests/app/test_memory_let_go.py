"""What a closed screen held is let go: opening profiles all day does not grow the
cockpit (Textual keeps a widget that watched the app until the app's value changes)."""

from __future__ import annotations

import gc
import weakref

from textual.widgets import TextArea

from cockpit.storage.database import DatabaseLocation
from cockpit.ui.app import CockpitApp
from cockpit.ui.garbage import CHECK_SECONDS
from cockpit.ui.screens.profile_editor import ProfileEditor
from tests.support.pilot import loaded
from tests.support.profile_editor import open_editor


async def test_a_closed_profile_editor_is_freed(profiled, book_path):
    app = CockpitApp(DatabaseLocation(book_path, "--db"))
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_editor(pilot)
        text_areas = [weakref.ref(area) for area in editor.query(TextArea)]
        assert len(text_areas) > 30  # the whole form was mounted
        editor_ref = weakref.ref(editor)
        del editor
        await pilot.press("escape")
        await loaded(pilot)
        assert not isinstance(app.screen, ProfileEditor)
        await pilot.pause(CHECK_SECONDS + 0.5)  # the cockpit tidies up when idle
        gc.collect()
        assert editor_ref() is None
        assert [ref for ref in text_areas if ref() is not None] == []
