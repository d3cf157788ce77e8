"""The command palette (Ctrl+P): on the cockpit it offers the same actions as the keys."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import SystemCommand

COMMANDS = (
    ("Log a touch", "A call, meeting, email… with the selected client", "log_touch"),
    ("Weekly review", "Walk through whom to look after this week", "weekly_review"),
    ("Planned communications", "The selected client's recurring touches", "plans"),
    (
        "Import a file",
        "vCard, Google/Outlook/LinkedIn CSV, a touch history, a calendar or a mailbox",
        "import_file",
    ),
    ("New client", "Add a client", "new_client"),
    ("Edit client", "Edit the selected client", "edit_client"),
    ("Mackay 66 profile", "Open the selected client's profile editor", "edit_profile"),
    ("Archive or delete client", "Archive the selected client, or delete it", "remove_client"),
    ("Record a won deal", "A won deal for the selected client", "record_deal"),
    ("Filter clients", "Filter the list by name or company", "filter"),
    ("Sort clients", "Attention, last touch, revenue, name", "sort"),
    ("Your clients or the team's", "Show only yours, or everyone's in a team book", "team_view"),
    ("Edit touch", "Edit the touch selected in the timeline", "edit_touch"),
    ("Delete touch", "Delete the touch selected in the timeline", "delete_touch"),
    ("Follow-up done", "Mark the follow-up of the selected touch done", "follow_up_done"),
)

# The help screen, offered on every screen in place of Textual's own "Keys" panel.
KEYS_TITLE, KEYS_HELP = "Keys", "Every key of every screen"


def cockpit_commands(main) -> Iterator[SystemCommand]:
    """The cockpit's actions, run on its main screen `main`."""
    for title, help_text, action in COMMANDS:
        yield SystemCommand(title, help_text, getattr(main, f"action_{action}"))
