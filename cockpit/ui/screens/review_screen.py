"""The weekly review: the agenda as a list, one key per action on the focused item.

Every action is written at once, so leaving (Esc) and coming back within
the week resumes where the user was. When every item has had an answer,
or on `f`, the review ends with a summary that is kept with it.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.widgets.option_list import Option

from cockpit.dates import short_day
from cockpit.review import AgendaItem
from cockpit.review import keeping as reviews
from cockpit.review.keeping import Choice, OpenReview
from cockpit.search import Candidate
from cockpit.text import counted, printable
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.screens.date_prompt import DatePrompt
from cockpit.ui.widgets.agenda_list import AgendaList, item_text, summary_text
from cockpit.vocabulary import ReviewStep


class ReviewScreen(Screen[None]):
    DEFAULT_CSS = """
    ReviewScreen #heading {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    """
    BINDINGS: ClassVar = [
        Binding("l", "log", "Log"),
        Binding("s", "schedule", "Schedule"),
        Binding("z", "snooze", "Snooze"),
        Binding("d", "done", "Done"),
        Binding("n", "skip", "Skip"),
        Binding("g", "let_go", "Let go"),
        Binding("r", "relax", "Relax cadence"),
        Binding("p", "profile", "Profile"),
        Binding("b", "brief", "Brief"),
        Binding("P", "plans", "Plans", show=False),
        Binding("A", "account_plan", "Account plan"),
        Binding("f", "finish", "Finish"),
        Binding("escape", "leave", "Leave"),
        Binding("question_mark", "app.show_help", "Help", show=False),
    ]

    def __init__(self, review: OpenReview, today: date) -> None:
        super().__init__()
        self.review = review
        self.today = today
        self.items = review.agenda.items
        self.busy = False  # a write is on its way: keys wait, so each acts on its own item
        self.let_go: set[str] = set()  # the items whose client was made former here
        self.finishing = False

    def compose(self) -> ComposeResult:
        yield Static(id="heading")
        yield AgendaList(id="agenda")
        yield Footer()

    def on_mount(self) -> None:
        agenda = self.query_one(AgendaList)
        for part in self.review.agenda.parts:
            title = Text(f"{part.title} ({part.count})", style="bold underline")
            agenda.add_option(Option(title, disabled=True))
            if part.lead:
                agenda.add_option(Option(Text(f"  {printable(part.lead)}"), disabled=True))
            if not part.items:
                empty = Text(f"  {part.empty_line}", style="dim")
                agenda.add_option(Option(empty, disabled=True))
            for item in part.items:
                agenda.add_option(Option(self._render_item(item), id=item.key))
            if part.more:
                more = Text(f"  {part.more_line}", style="dim")
                agenda.add_option(Option(more, disabled=True))
        agenda.focus()
        self._go_to_next(after=None)
        self._update_heading()

    def _render_item(self, item: AgendaItem) -> Table:
        choice = self.review.choices.get(item.key)
        return item_text(item, choice, let_go=item.key in self.let_go)

    def _update_heading(self) -> None:
        agenda = self.review.agenda
        position = self._position()
        parts = [f"{short_day(agenda.as_of)} to {short_day(agenda.week_end)}"]
        if position is not None:
            parts.append(f"{position + 1} of {len(self.items)}")
        elif not self.items:
            parts.append("nothing to look after")
        parts.append(f"{self.review.handled} handled")
        heading = Text("Weekly review", style="bold")
        heading.append("".join(f" · {part}" for part in parts))
        self.query_one("#heading", Static).update(heading)

    def _position(self) -> int | None:
        item = self.current_item
        return self.items.index(item) if item is not None else None

    @property
    def current_item(self) -> AgendaItem | None:
        agenda = self.query_one(AgendaList)
        if agenda.highlighted is None:
            return None
        key = agenda.get_option_at_index(agenda.highlighted).id
        return next((item for item in self.items if item.key == key), None)

    def on_option_list_option_highlighted(self) -> None:
        self._update_heading()
        self.refresh_bindings()  # `g` lets go of a lapsed client, or one eating time

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`g` is shown dimmed on an item whose client cannot be let go from here; `r` is
        shown only on the capacity part."""
        if action not in ("let_go", "relax") or not self.is_mounted:
            return True
        item = self.current_item
        if action == "relax":
            return item is not None and item.part in reviews.RELAX_PARTS
        return True if item is not None and item.part in reviews.LET_GO_PARTS else None

    def _go_to_next(self, after: AgendaItem | None) -> None:
        """Highlight the next item without an answer (from the top when none follows)."""
        start = self.items.index(after) + 1 if after is not None else 0
        ordered = self.items[start:] + self.items[:start]
        for item in ordered:
            if item.key not in self.review.choices:
                agenda = self.query_one(AgendaList)
                agenda.highlighted = agenda.get_option_index(item.key)
                return

    def _selected(self) -> AgendaItem | None:
        if self.busy or self.finishing:
            self.app.bell()
            return None
        item = self.current_item
        if item is None:
            self.notify("Nothing to act on this week.", severity="warning")
            return None
        choice = self.review.choices.get(item.key)
        if choice is not None and choice.step is not ReviewStep.SKIPPED:
            self.notify(
                printable(f"{item.client}: already answered ({choice.step.value})."),
                severity="warning",
                markup=False,
            )
            return None
        return item

    @property
    def is_open(self) -> bool:
        """Still on the screen stack: a worker finishing after Esc must not touch it."""
        return self in self.app.screen_stack

    # Actions: each is written in a worker, then the item shows its mark and
    # the cursor moves on to the next item without an answer.

    def _record(
        self, item: AgendaItem, step: ReviewStep, on_date: date | None = None, change=None
    ) -> None:
        review_id = self.review.id

        def record() -> Choice:
            return reviews.record(review_id, item, step, on_date)

        change = change or record
        self.busy = True
        self.app.in_book(
            change, lambda choice: self._recorded(item, choice), failed=self._not_recorded
        )

    def _not_recorded(self) -> None:
        self.busy = False

    def _recorded(self, item: AgendaItem, choice: Choice) -> None:
        self.busy = False
        self.app.book_changed = True
        if not self.is_open:
            return
        self.review.choices[item.key] = choice
        agenda = self.query_one(AgendaList)
        agenda.replace_option_prompt(item.key, self._render_item(item))
        if all(i.key in self.review.choices for i in self.items):
            self.action_finish()
            return
        self._go_to_next(after=item)
        self._update_heading()

    def action_done(self) -> None:
        item = self._selected()
        if item is not None:
            self._record(item, ReviewStep.DONE, change=self._plan_kept(item))

    def _plan_kept(self, item: AgendaItem):
        """For a plan's item, the change `d` makes: the touch that kept the plan is logged
        with the answer (None for other items)."""
        if item.plan_id is None:
            return None
        from cockpit.ui.screens.plans_screen import done_in_review
        from cockpit.vocabulary import a_kind

        review_id, today = self.review.id, self.today

        def change() -> Choice:
            choice, logged = done_in_review(review_id, item, today)
            kinds = " and ".join(a_kind(touch.interaction.kind) for touch in logged)
            if kinds:
                said = printable(f"Done: logged {kinds} with {item.client}.")
                self.app.call_from_thread(self.notify, said, markup=False)
            return choice

        return change

    def action_skip(self) -> None:
        item = self._selected()
        if item is not None:
            self._record(item, ReviewStep.SKIPPED)

    def action_let_go(self) -> None:
        """Make a lapsed client (or one eating time) former, once the user confirms."""
        item = self._selected()
        if item is None:
            return
        if item.part not in reviews.LET_GO_PARTS:
            self.notify("Only a lapsed client, or one eating your time, is let go here.")
            return
        review_id = self.review.id

        def let_go() -> Choice:
            choice = reviews.let_go(review_id, item)
            self.let_go.add(item.key)
            return choice

        def answered(answer: str | None) -> None:
            if answer == "former":
                self._record(item, ReviewStep.DONE, change=let_go)

        question = (
            f"Let {item.client} go? They become a former client: kept, with their history "
            "and profile, but out of the drift lists and your reviews. Editing the client "
            "(e) makes them active again."
        )
        self.app.push_screen(Confirm(question, [("former", "Make former")]), answered)

    def action_relax(self) -> None:
        """Give a peripheral client of the capacity part the longer cadence it offers."""
        item = self._selected()
        if item is None:
            return
        if item.part not in reviews.RELAX_PARTS:
            self.notify("Only a client of the capacity part has its cadence relaxed here.")
            return
        review_id = self.review.id

        def relax() -> Choice:
            choice = reviews.relax_cadence(review_id, item)
            said = printable(
                f"{item.client}: every {item.cadence_days} days now; e on the client changes it."
            )
            self.app.call_from_thread(self.notify, said, markup=False)
            return choice

        self._record(item, ReviewStep.DONE, change=relax)

    def _ask_day(self, item: AgendaItem, step: ReviewStep, question: str) -> None:
        def answered(day: date | None) -> None:
            if day is not None:
                self._record(item, step, day)

        self.app.push_screen(DatePrompt(question, self.today), answered)

    def action_schedule(self) -> None:
        item = self._selected()
        if item is not None:
            self._ask_day(item, ReviewStep.SCHEDULED, f"Next touch with {item.client} on:")

    def action_snooze(self) -> None:
        item = self._selected()
        if item is None:
            return
        if item.part == "occasions":
            self.notify("An occasion cannot be snoozed: d marks it done, n skips it.")
            return
        many = "these" if item.also_ids or len(item.action_ids) > 1 else "this"
        what = (
            f"{many} action{'s' if len(item.action_ids) > 1 else ''}"
            if item.action_ids
            else "the plan's review"
            if item.account_plan_id
            else f"{many} follow-up{'s' if item.also_ids else ''}"
            if item.interaction_id
            else f"{many} plan{'s' if item.also_ids else ''}"
            if item.plan_id
            else item.client
        )
        self._ask_day(item, ReviewStep.SNOOZED, f"Snooze {what} until:")

    def action_log(self) -> None:
        item = self._selected()
        if item is None:
            return
        client = Candidate(item.client_id, item.client, item.company)
        self.app.main.action_log_touch(
            item.client_id, on_logged=self._logged_for(item), client=client
        )

    def _logged_for(self, item):
        """What a touch logged for the item does: marks it logged when it was a touch
        with its client."""

        def logged(touch) -> None:
            if touch.client_id != item.client_id:
                self.notify(
                    printable(
                        f"That touch was logged with someone else; {item.client}'s item stays open."
                    ),
                    markup=False,
                )
            elif touch.interaction.kind == "note":
                self.notify("A note is not a touch; the item stays open.")
            else:
                self._record(item, ReviewStep.LOGGED, touch.interaction.day)

        return logged

    def action_brief(self) -> None:
        """The pre-call brief on the item's client; a call logged from it marks the item."""
        item = self.current_item
        if item is not None:
            client = Candidate(item.client_id, item.client, item.company)
            self.app.main.open_brief(item.client_id, client, self._logged_for(item))

    def action_profile(self) -> None:
        item = self.current_item
        if item is not None:
            self.app.main.open_profile_editor(item.client_id, item.client)

    def action_account_plan(self) -> None:
        """The item's account plan (a plan's item), or the one its client's work goes by."""
        item = self.current_item
        if item is None:
            return
        if item.account_plan_id is not None:
            self.app.main.open_account_plan(plan_id=item.account_plan_id)
        else:
            self.app.main.open_account_plan(client_id=item.client_id)

    def action_plans(self) -> None:
        item = self.current_item
        if item is not None:
            self.app.main.open_plans(item.client_id, item.client)

    def action_finish(self) -> None:
        if self.finishing or self.busy:
            return
        review_id = self.review.id

        def show(summary: dict[str, int]) -> None:
            self.app.book_changed = True
            if not self.is_open:
                return
            message = f"Review finished. {summary_text(summary)}{self._who_summary()}"
            self.app.push_screen(
                Confirm(message, [("close", "Close")]), lambda _: self.dismiss(None)
            )

        def finish() -> None:
            self.finishing = True
            self.app.in_book(lambda: reviews.finish(review_id), show, failed=self._not_finished)

        untouched = sum(1 for i in self.items if i.key not in self.review.choices)
        if untouched and self.is_current:

            def answered(choice: str | None) -> None:
                if choice == "finish":
                    finish()

            question = (
                f"Finish the review? {untouched} of {counted(len(self.items), 'item')} "
                f"{'has' if untouched == 1 else 'have'} no answer yet; "
                f"{'it comes' if untouched == 1 else 'they come'} back at the next review."
            )
            self.app.push_screen(Confirm(question, [("finish", "Finish")]), answered)
            return
        finish()

    def _not_finished(self) -> None:
        self.finishing = False

    def _who_summary(self) -> str:
        """Whom the promises and snoozes concern, for the closing summary."""
        lines = []
        for item in self.items:
            choice = self.review.choices.get(item.key)
            if choice is not None and choice.step in (ReviewStep.SCHEDULED, ReviewStep.SNOOZED):
                verb = "touch on" if choice.step is ReviewStep.SCHEDULED else "snoozed until"
                lines.append(f"{item.client}: {verb} {short_day(choice.on_date)}")
        return "\n\n" + "\n".join(lines) if lines else ""

    def action_leave(self) -> None:
        until = short_day(self.review.agenda.week_end)
        self.notify(f"The review is kept: w resumes it until {until}.", markup=False)
        self.dismiss(None)
