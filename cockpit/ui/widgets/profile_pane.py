"""The profile pane: who the selected client is, and how the relationship stands."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual, visualize

from cockpit.dates import ago, short_day
from cockpit.text import printable, shorten
from cockpit.ui.widgets.pane import pane_css

if TYPE_CHECKING:  # these load with the book, after the first page is drawn
    from cockpit.client_view import ClientDetail
    from cockpit.health import ClientHealth

FOLLOW_UP_CHARS = 200  # a follow-up shows the first line of its note, up to this
LINE_CHARS = 1000  # any other value (an answer, a list of interests): the editor shows all


def _line(label: str, value: str, style: str = "") -> Text:
    text = Text(f"{label:<14}", style="bold")
    text.append(printable(shorten(value, LINE_CHARS)), style=style)
    return text


def profile_text(
    detail: ClientDetail,
    verdict: ClientHealth | None,
    today: date,
    revealed: int = 0,
    deals: int | None = None,
) -> Group:
    """The pane's content; every piece of user data is shown as text, never markup.
    `deals`: the won deals the verdict's revenue counts (None: not known)."""
    from cockpit.profile.schema import ITEMS
    from cockpit.ui.revenue_text import revenue_line

    heading = Text(printable(detail.name), style="bold")
    if detail.title or detail.company:
        heading.append("  " + printable(" · ".join(p for p in (detail.title, detail.company) if p)))
    lines: list[Text] = [heading]
    if detail.roles or detail.role_note:
        from cockpit.vocabulary import roles_in_words

        words = roles_in_words(detail.roles, detail.role_note)
        lines.append(_line("Role", printable(words) + " (a: the account)"))
    if detail.tags:
        lines.append(_line("Tags", ", ".join(detail.tags)))
    if detail.has_confidential_subjects:
        lines.append(
            Text(
                "⚠ Do not raise: this client has confidential subjects (item 39, masked).",
                style="bold red",
            )
        )
    if verdict is not None:
        mark = "! " if verdict.needs_attention else ""
        style = "bold red" if verdict.needs_attention else ""
        lines.append(_line("Health", f"{mark}{verdict.health.value}, {verdict.tier.value}", style))
        lines.append(Text(printable(verdict.explanation), style="italic"))
        if verdict.give_explanation:
            lines.append(Text(printable(verdict.give_explanation), style="italic"))
        window = verdict.rules.window_days
        lines.append(_line("Revenue", revenue_line(verdict.revenue_cents, window, deals)))
    for index, (day, what) in enumerate(detail.follow_ups):
        style = "bold red" if day <= today else ""
        label = "Follow up" if index == 0 else ""
        what = shorten(what, FOLLOW_UP_CHARS)  # the first line of a note, maybe 100 KB long
        lines.append(_line(label, f"{day.isoformat()} ({ago(day, today)}): {what}", style))
    if detail.scheduled:
        days = ", ".join(f"{short_day(day)} ({ago(day, today)})" for day in detail.scheduled)
        lines.append(_line("Next touch", days))
    if detail.emails:
        lines.append(_line("Email", ", ".join(detail.emails)))
    if detail.phones:
        lines.append(_line("Phone", ", ".join(detail.phones)))
    since = detail.client_since or detail.won_on
    lines.append(_line("Client since", since.isoformat() if since else "not won yet"))
    if detail.keep_in_touch_days:
        plan = f"every {detail.keep_in_touch_days} days"
    elif verdict is not None and verdict.plan_interval:
        plan = f"every {round(verdict.plan_interval)} days ({verdict.plan_source})"
    else:
        plan = "none yet"
    lines.append(_line("Keep in touch", plan))
    if detail.strategic:
        lines.append(_line("Pinned", "strategic"))
    snoozed = detail.snoozed_until
    if snoozed and snoozed > today:
        lines.append(_line("Snoozed until", f"{short_day(snoozed)} ({ago(snoozed, today)})"))
    if detail.next_occasion:
        occasion = detail.next_occasion
        when = ago(occasion.day, today)
        age = f" ({occasion.age})" if occasion.age is not None else ""
        lines.append(
            _line("Next occasion", f"{occasion.what}{age}, {occasion.day.isoformat()} ({when})")
        )
    lines.append(_line("Mackay 66", f"{detail.profile_answered} of {len(ITEMS)} answered"))
    if detail.profile_answered:
        sections = ", ".join(f"{name} {done}/{total}" for name, (done, total) in detail.sections)
        lines.append(Text("              " + sections, style="dim"))
    if detail.interests:
        lines.append(_line("Interests", ", ".join(detail.interests)))
    if detail.children:
        lines.append(_line("Children", ", ".join(detail.children)))
    for plan_line in detail.plans:
        lines.append(_line("Plan", plan_line))
    if detail.sensitive:
        lines.append(Text("Sensitive (r reveals one at a time)", style="bold yellow"))
        for index, (label, answer) in enumerate(detail.sensitive):
            shown = answer if index < revealed else "••••••"
            lines.append(_line(label[:13], shown, "yellow" if index < revealed else "dim"))
    return Group(*lines)


class ProfilePane(ScrollView, can_focus=True):
    """The profile of the selected client, drawn a line at a time: its lines are laid
    out once per client, at the pane's width, so showing another client repaints the
    pane without laying the screen out again (and again as scrollbars come and go)."""

    DEFAULT_CSS = pane_css("ProfilePane", "1fr")

    BINDINGS: ClassVar = [Binding("r", "reveal", "Reveal next sensitive answer")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: tuple | None = None
        self.revealed = 0
        self.deals: int | None = None
        self._content: RenderableType = Text("")
        self._lines: list[Strip] = []

    def on_mount(self) -> None:
        self.border_title = "Profile"

    def show(
        self,
        detail: ClientDetail | None,
        verdict: ClientHealth | None,
        today: date,
        deals: int | None = None,
    ) -> None:
        """Show this client (`deals`: its won deals the verdict's revenue counts)."""
        # Fresh data (another client, or the same after a change) comes masked again:
        # a count of revealed answers must never unmask an answer nobody asked to see.
        before = self.shown[0] if self.shown else None
        self.revealed = 0
        self.shown = (detail, verdict, today)
        self.deals = deals
        if detail is None or before is None or before.id != detail.id:
            self.scroll_to(y=0, animate=False, immediate=True)  # another client: from the top
        self._render_body()

    def _render_body(self) -> None:
        detail, verdict, today = self.shown
        if detail is None:
            self._content = Text("No client selected.")
        else:
            self._content = profile_text(detail, verdict, today, self.revealed, self.deals)
        self._lay_out()

    def _lay_out(self) -> None:
        """The content's lines at the pane's width (none until the pane has one)."""
        width = self.scrollable_content_region.width
        if width <= 0:
            self._lines = []
            return
        style = self.visual_style
        visual = visualize(self, self._content, markup=False)
        rich_style = style.rich_style
        self._lines = [
            strip.extend_cell_length(width, rich_style)
            for strip in Visual.to_strips(self, visual, width, None, style)
        ]
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        if index < len(self._lines):
            return self._lines[index]
        return Strip.blank(self.scrollable_content_region.width, self.visual_style.rich_style)

    def on_resize(self) -> None:
        self._lay_out()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lay_out()  # a theme drawn in other colours

    def action_reveal(self) -> None:
        if self.shown and self.shown[0] and self.revealed < len(self.shown[0].sensitive):
            self.revealed += 1
            self._render_body()
