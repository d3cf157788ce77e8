"""The profile editor: a client with an answer of every field type, and opening the editor."""

from __future__ import annotations

from cockpit.ui.screens.profile_editor import ProfileEditor
from tests.support.pilot import loaded

STORED = {
    "nickname": "Annie",  # text
    "company_address": "1 Main St\nSpringfield",  # multiline
    "birth_date": "--04-15",  # date without a year
    "wedding_anniversary": "2001-06-30",  # date with one
    "children": [{"name": "Mia", "birthday": "2015-11-02"}, {"name": "Leo"}],  # list
    "hobbies": [{"value": "sailing"}],  # simple list
    "drinks": "no",  # yes/no
    "marital_status": "married",  # choice
    "confidential_subjects": "Her divorce",  # sensitive
    "health": "Knee",
}


async def open_editor(pilot) -> ProfileEditor:
    await loaded(pilot)
    await pilot.press("enter")
    await loaded(pilot)
    assert isinstance(pilot.app.screen, ProfileEditor)
    return pilot.app.screen
