"""`b`: the pre-call brief on a client, on one screen. `v` reveals the sensitive answers one
at a time; `l` logs the call, offering the open follow-ups to close; Esc goes back."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from cockpit.brief import MASK, SECTIONS, Brief
from cockpit.text import printable
from cockpit.ui.widgets.key_footer import KeyFooter

HEALTH_STYLES = {"drifting": "bold red", "lapsed": "red", "recovering": "yellow"}


def brief_text(brief: Brief, revealed: int = 0) -> Text:
    """The brief as the screen shows it: user data as text, the first `revealed`
    sensitive answers shown, the others masked."""
    text = Text(printable(f"Brief: {brief.heading()}"), style="bold")
    health = brief.health or "not judged"
    text.append("\n\nHealth: ", style="bold")
    text.append(health, style=HEALTH_STYLES.get(health, ""))
    text.append(printable(f" · {brief.why}"))
    text.append("\nStake: ", style="bold")
    text.append(printable(brief.stake_text))
    for title, attribute in SECTIONS:
        text.append(f"\n\n{title}\n", style="bold underline")
        if attribute == "do_not_raise" and brief.sensitive:
            lines = [
                f"{label}: {answer if at < revealed else MASK}"
                for at, (label, answer) in enumerate(brief.sensitive)
            ]
            style = "bold red"
        else:
            lines = brief.lines_of(attribute)
            style = "bold red" if attribute == "do_not_raise" and brief.do_not_raise else ""
        text.append("\n".join(f"  {printable(line)}" for line in lines), style=style)
    return text


def open_brief(main, client_id: int, client=None, on_logged=None) -> None:
    """The flow: the brief read in a worker, then shown over whichever screen is on top;
    `main` is the cockpit's main screen, which logs the call (`client` and `on_logged` as
    its `action_log_touch` takes them)."""
    from cockpit.brief import client_brief

    today = main.today
    main.app.read_then_open(
        lambda: client_brief(client_id, today, show_sensitive=True, with_account=False),
        lambda brief: main.app.push_screen(BriefScreen(brief, today, main, client, on_logged)),
    )


class BriefScreen(Screen[None]):
    DEFAULT_CSS = """
    BriefScreen #brief-scroll {
        padding: 0 2;
    }
    """
    BINDINGS: ClassVar = [
        Binding("escape", "back", "Back"),
        Binding("l", "log_call", "Log the call", id="brief_log"),
        Binding("v", "reveal", "Reveal next sensitive", id="brief_reveal"),
        Binding("A", "account_plan", "Account plan", id="brief_plan"),
        Binding("down,j", "scroll('down')", "Down", show=False),
        Binding("up,k", "scroll('up')", "Up", show=False),
        Binding("question_mark", "app.show_help", "Help", show=False),
    ]

    def __init__(self, brief: Brief, today, main, client=None, on_logged=None) -> None:
        """`brief` may come without its account: it is read once the brief is shown."""
        super().__init__()
        self.brief = brief
        self.today = today
        self.main = main
        self.client = client
        self.on_logged = on_logged
        self.revealed = 0

    def compose(self) -> ComposeResult:
        # No header: the brief's first line names the client (and it draws sooner).
        with VerticalScroll(id="brief-scroll"):
            yield Static(brief_text(self.brief), id="brief")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#brief-scroll").focus()
        self.app.call_after_refresh(self.app.stage_reached, "brief")
        if self.brief.account is None:
            self._read_account()

    @work(thread=True, group="brief-account", exclusive=True, exit_on_error=False)
    def _read_account(self) -> None:
        """The account's part (the first time, the 80/20 split over every account is worked
        out and kept)."""
        from cockpit.brief import with_account_read

        with self.app.database.connection_context():
            brief = with_account_read(self.brief, self.today)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._account_read, brief)

    def _account_read(self, brief: Brief) -> None:
        self.brief = brief
        self.query_one("#brief", Static).update(brief_text(brief, self.revealed))

    def action_scroll(self, way: str) -> None:
        scroll = self.query_one("#brief-scroll", VerticalScroll)
        scroll.scroll_relative(y=1 if way == "down" else -1, animate=False)

    def action_reveal(self) -> None:
        if self.revealed >= len(self.brief.sensitive):
            self.notify("Nothing sensitive left to reveal.", markup=False)
            return
        self.revealed += 1
        self.query_one("#brief", Static).update(brief_text(self.brief, self.revealed))

    def action_account_plan(self) -> None:
        self.main.open_account_plan(client_id=self.brief.client_id)

    def action_log_call(self) -> None:
        brief = self.brief

        def logged(touch) -> None:
            if self.on_logged is not None:
                self.on_logged(touch)
            if self.is_current:
                self.dismiss(None)

        stack = self.app.screen_stack
        self.main.action_log_touch(
            brief.client_id,
            on_logged=logged,
            client=self.client,
            follow_ups=brief.open_follow_ups,
            back_on_cockpit=len(stack) > 1 and stack[-2] is self.main,
        )

    def action_back(self) -> None:
        self.dismiss(None)
