"""The cockpit's keys, and every screen's keys for the help screen."""

from __future__ import annotations

from textual.binding import Binding

# The main screen's keys; the client list and the timeline add theirs.
MAIN_BINDINGS = [
    Binding("q", "quit", "Quit", id="quit"),
    Binding("question_mark", "help", "Help", id="help"),
    Binding("slash", "filter", "Filter", id="filter"),
    Binding("s", "sort", "Sort", id="sort"),
    Binding("t", "team_view", "Yours/team", id="team_view", show=False),
    Binding("l", "log_touch", "Log touch", id="log_touch"),
    Binding("w", "weekly_review", "Review", id="weekly_review"),
    Binding("a", "accounts", "Accounts", id="accounts"),
    Binding("b", "brief", "Brief", id="brief"),
    Binding("A", "account_plan", "Account plan", id="account_plan"),
    Binding("o", "portfolio", "Portfolio", id="portfolio"),
    Binding("C", "communications", "Communications", id="communications", show=False),
    Binding("P", "plans", "Plans", id="plans", show=False),
    Binding("u", "undo_log", "Undo log", id="undo_log"),
    Binding("u", "undo_too_late", "Undo log", show=False),  # when undo_log may not: why
    Binding("n", "new_client", "New client", id="new_client"),
    Binding("dollar_sign", "record_deal", "Won deal", id="record_deal"),
    Binding("escape", "clear_filter", "Clear filter", show=False, id="clear_filter"),
]

# Actions that are commands, not text, and so wait while a text field has focus.
KEY_ACTIONS = frozenset(
    {
        "quit",
        "sort",
        "filter",
        "new_client",
        "record_deal",
        "help",
        "edit_client",
        "remove_client",
        "edit_touch",
        "delete_touch",
        "edit_profile",
        "log_touch",
        "undo_log",
        "undo_too_late",
        "follow_up_done",
        "weekly_review",
        "plans",
        "accounts",
        "brief",
        "account_plan",
        "portfolio",
        "communications",
    }
)

# Keys that Textual itself provides everywhere, for the help screen.
SYSTEM_KEYS = [
    Binding("tab", "focus_next", "Next pane or field"),
    Binding("shift+tab", "focus_previous", "Previous pane or field"),
    Binding("ctrl+p", "command_palette", "Every action by name"),
    Binding("ctrl+q", "quit", "Quit from anywhere"),
    Binding("enter", "submit", "In the filter: back to the list"),
]


def help_sections() -> list[tuple[str, list]]:
    """Every screen's and pane's own bindings, for the help screen."""
    from cockpit.ui.screens.account_plan_screen import AccountPlanScreen
    from cockpit.ui.screens.accounts_screen import AccountsScreen
    from cockpit.ui.screens.brief_screen import BriefScreen
    from cockpit.ui.screens.client_form import ClientForm
    from cockpit.ui.screens.communications_screen import CommunicationsScreen
    from cockpit.ui.screens.confirm import Confirm
    from cockpit.ui.screens.help_screen import HelpScreen
    from cockpit.ui.screens.log_form import LogForm
    from cockpit.ui.screens.plans_screen import PlansScreen
    from cockpit.ui.screens.portfolio_screen import PortfolioScreen
    from cockpit.ui.screens.profile_editor import ProfileEditor
    from cockpit.ui.screens.review_screen import ReviewScreen
    from cockpit.ui.screens.touch_form import TouchForm
    from cockpit.ui.widgets.client_list import ClientList
    from cockpit.ui.widgets.kind_picker import IntentToggle, KindPicker
    from cockpit.ui.widgets.profile_pane import ProfilePane
    from cockpit.ui.widgets.timeline_pane import TimelinePane

    return [
        ("Everywhere", SYSTEM_KEYS),
        ("Cockpit", MAIN_BINDINGS),
        ("Client list", ClientList.BINDINGS),
        ("Accounts", AccountsScreen.BINDINGS),
        ("Pre-call brief", BriefScreen.BINDINGS),
        ("Profile pane", ProfilePane.BINDINGS),
        ("Mackay 66 editor", ProfileEditor.BINDINGS),
        ("Timeline", TimelinePane.BINDINGS),
        ("Client and deal forms", ClientForm.BINDINGS),
        # The kind and the intent are two fields: a key (r, left...) means one thing in each.
        ("Quick log", LogForm.BINDINGS),
        ("Quick log: on the kind of touch", KindPicker.BINDINGS),
        ("Quick log: on sales or relationship", IntentToggle.BINDINGS),
        ("Touch form", TouchForm.BINDINGS),
        ("Weekly review", ReviewScreen.BINDINGS),
        ("Planned communications", PlansScreen.BINDINGS),
        ("Communications to a segment", CommunicationsScreen.BINDINGS),
        ("Account plan", AccountPlanScreen.BINDINGS),
        ("Portfolio", PortfolioScreen.BINDINGS),
        ("Questions", Confirm.BINDINGS),
        ("Help", HelpScreen.BINDINGS),
    ]


def show_help(app) -> None:
    """Every key of every screen, over the screen on top."""
    from cockpit.ui.screens.help_screen import HelpScreen

    app.push_screen(HelpScreen(help_sections()))
