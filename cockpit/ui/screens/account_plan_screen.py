"""The key account plan of an account (or of a client at no account), edited in place:
objectives, the relationship plan, actions, risks, competitors and the date to review it.
`o` adds an objective, `a` an action, Enter or `e` changes the line under the cursor, `x`
marks an action done (or not), `t` marks it done and logs the touch it was in one key
(`u` takes that back for a while), `d` removes a line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cockpit.text import printable, safe_text, shorten
from cockpit.ui.screens.account_plan_forms import (
    ActionForm,
    ActionValues,
    ObjectiveForm,
    ObjectiveValues,
    PlanText,
    PlanTextForm,
)
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.screens.dialog import dialog_css
from cockpit.ui.undo import UndoesATouch
from cockpit.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from cockpit.storage.account_plans import Action, Plan, PlanFor
    from cockpit.storage.book import LoggedTouch

TEXT_LINES = 4  # lines of a long text shown in the plan; the form shows all of it


@dataclass(frozen=True)
class PlanRead:
    plan: Plan
    people: list[tuple[int, str]]  # whom an action may be with


def read_plan(
    today: date,
    *,
    account_id: int | None = None,
    client_id: int | None = None,
    plan_id: int | None = None,
) -> PlanRead:
    """The plan and the people its actions may be with (on the book, in a worker): an
    account's, a plan's by its id, or the one a client's work goes by."""
    from cockpit import account_plan
    from cockpit.storage import account_plans

    if plan_id is not None:
        subject = account_plans.subject_of(plan_id)
    elif account_id is not None:
        subject = account_plans.PlanFor(account_id=account_id)
    else:
        subject = account_plans.plan_for_client(client_id)
    plan = account_plans.read_plan(subject)
    if subject.account_id is not None:
        people = account_plan.account_people(subject.account_id, today)
        return PlanRead(plan, [(person.client_id, person.name) for person in people])
    return PlanRead(plan, [(subject.client_id, plan.name)])


def _heading(title: str) -> Option:
    return Option(Text(title, style="bold underline"), disabled=True)


def _empty(words: str) -> Option:
    return Option(Text(f"  {words}", style="dim"), disabled=True)


def _long_text(label: str, text: str) -> Text:
    line = Text(f"{label}: ", style="bold")
    if not text.strip():
        line.append("none yet", style="dim")
        return line
    lines = text.splitlines()
    shown = [printable(each) for each in lines[:TEXT_LINES]]
    line.append(shown[0])
    for each in shown[1:]:
        line.append("\n  " + each)
    if len(lines) > TEXT_LINES:
        line.append(f"\n  … {len(lines) - TEXT_LINES} more lines (Enter shows all)", style="dim")
    return line


class AccountPlanScreen(UndoesATouch, ModalScreen[bool]):
    """Dismissed with True when the plan (or a touch) was changed."""

    DEFAULT_CSS = (
        dialog_css(
            "AccountPlanScreen",
            "Vertical",
            width="100",
            max_width="100%",
            height="90%",
            padding="0 1",
        )
        + """
    AccountPlanScreen OptionList {
        height: 1fr;
        margin: 1 0 0 0;
    }
    """
    )
    BINDINGS: ClassVar = [
        Binding("e", "edit", "Change", id="plan_edit"),
        Binding("o", "add_objective", "Objective", id="plan_objective"),
        Binding("a", "add_action", "Action", id="plan_action"),
        Binding("x", "toggle_done", "Done/not", id="plan_done"),
        Binding("t", "done_and_log", "Done + log touch", id="plan_log"),
        Binding("u", "undo", "Undo touch", id="plan_undo"),
        Binding("d,delete", "remove", "Remove", id="plan_remove"),
        Binding("escape", "close", "Close"),
        Binding("question_mark", "app.show_help", "Help", show=False),
    ]

    def __init__(self, found: PlanRead, today: date) -> None:
        super().__init__()
        self.plan = found.plan
        self.people = found.people
        self.today = today
        self.changed = False

    @property
    def subject(self) -> PlanFor:
        return self.plan.subject

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="plan-title")
            yield Static(id="plan-facts", classes="hint")
            yield OptionList(id="plan")
            yield KeyFooter()

    def on_mount(self) -> None:
        self._show(self.plan)

    # Showing -------------------------------------------------------------------

    def _show(self, plan: Plan) -> None:
        from cockpit.account_plan import action_words
        from cockpit.exporters.plans_markdown import objective_words, plan_facts, plan_title

        self.plan = plan
        self.query_one("#plan-title", Static).update(safe_text(plan_title(plan), "bold"))
        self.query_one("#plan-facts", Static).update(
            safe_text(" · ".join(plan_facts(plan, self.today)))
        )
        options = self.query_one(OptionList)
        kept = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        options.add_option(_heading("Objectives"))
        for objective in plan.objectives:
            line = Text(printable(objective_words(objective, self.today)))
            options.add_option(Option(line, id=f"objective:{objective.id}"))
        if not plan.objectives:
            options.add_option(_empty("none yet: o adds one"))
        options.add_option(_heading("How we look after them"))
        options.add_option(
            Option(_long_text("Relationship plan", plan.relationship), id="text:relationship")
        )
        options.add_option(_heading("Actions"))
        for action in plan.actions:
            options.add_option(
                Option(self._action_line(action, action_words), id=f"action:{action.id}")
            )
        if not plan.actions:
            options.add_option(_empty("none yet: a adds one"))
        options.add_option(_heading("Risks and competitors"))
        options.add_option(Option(_long_text("Risks", plan.risks), id="text:risks"))
        options.add_option(
            Option(_long_text("Competitors", plan.competitors), id="text:competitors")
        )
        review = Text("Next review: ", style="bold")
        review.append(
            plan_facts(plan, self.today)[1].removeprefix("Next review: ")
            + "  (the weekly review brings it up)"
        )
        options.add_option(Option(review, id="text:review_on"))
        ids = [option.id for option in options.options]
        if kept is not None and kept in ids:
            options.highlighted = ids.index(kept)
        else:
            options.highlighted = next(i for i, o in enumerate(options.options) if not o.disabled)
        options.focus()

    def _action_line(self, action: Action, action_words) -> Text:
        done = action.done_on is not None
        line = Text("[x] " if done else "[ ] ", style="dim" if done else "")
        words = printable(action_words(action, self.today))
        style = "dim" if done else "red" if action.overdue(self.today) else ""
        line.append(words, style=style)
        return line

    def reload(self, then_say: str | None = None) -> None:
        from cockpit.storage import account_plans

        subject = self.subject

        def shown(plan) -> None:
            if self not in self.app.screen_stack:
                return  # closed while the read was on its way
            self._show(plan)
            if then_say:
                self.notify(printable(then_say), markup=False)

        self.app.in_book(lambda: account_plans.read_plan(subject), shown)

    def _changed(self, message: str):
        def then(_=None) -> None:
            self.changed = True
            self.reload(message)

        return then

    # The line under the cursor ---------------------------------------------------

    def _highlighted(self) -> tuple[str, str] | None:
        option = self.query_one(OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        kind, _, key = option.id.partition(":")
        return kind, key

    def _action(self, verb: str) -> Action | None:
        found = self._highlighted()
        if found is None or found[0] != "action":
            self.notify(f"Put the cursor on an action to {verb} it.", severity="warning")
            return None
        return next(a for a in self.plan.actions if a.id == int(found[1]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        found = self._highlighted()
        if found is None:
            return
        kind, key = found
        if kind == "text":
            self._edit_text(key)
        elif kind == "objective":
            self._edit_objective(int(key))
        elif kind == "action":
            self._edit_action(int(key))

    # Forms -------------------------------------------------------------------------

    def _edit_text(self, focus: str) -> None:
        from cockpit.storage import account_plans

        plan, subject = self.plan, self.subject
        current = PlanText(plan.relationship, plan.risks, plan.competitors, plan.review_on)

        def write(values: PlanText) -> None:
            account_plans.save_plan_text(
                subject, values.relationship, values.risks, values.competitors, values.review_on
            )

        self.app.push_screen(
            PlanTextForm(plan.name, self.today, current, self._storing(write), focus=focus),
            lambda saved: self._changed("Account plan saved.")() if saved is not None else None,
        )

    def action_add_objective(self) -> None:
        self._objective_form(f"New objective for {self.plan.name}", None)

    def _edit_objective(self, objective_id: int) -> None:
        objective = next(o for o in self.plan.objectives if o.id == objective_id)
        current = ObjectiveValues(objective.what, objective.target_on, objective.measure)
        self._objective_form("Change the objective", objective_id, current)

    def _objective_form(
        self, title: str, objective_id: int | None, current: ObjectiveValues | None = None
    ) -> None:
        """The objective form: a new objective (`objective_id` None), or that one changed."""
        from cockpit.storage import account_plans

        subject = self.subject

        def write(values: ObjectiveValues) -> None:
            if objective_id is None:
                account_plans.add_objective(subject, values.what, values.target_on, values.measure)
            else:
                account_plans.update_objective(
                    objective_id, values.what, values.target_on, values.measure
                )

        said = "Objective added" if objective_id is None else "Objective saved"
        self.app.push_screen(
            ObjectiveForm(title, self.today, self._storing(write), current), self._saved(said)
        )

    def action_add_action(self) -> None:
        self._action_form(f"New action for {self.plan.name}", None)

    def _edit_action(self, action_id: int) -> None:
        action = next(a for a in self.plan.actions if a.id == action_id)
        current = ActionValues(
            action.what, action.who, action.client_id, action.due_on, action.kind, action.intent
        )
        self._action_form("Change the action", action_id, current)

    def _action_form(
        self, title: str, action_id: int | None, current: ActionValues | None = None
    ) -> None:
        """The action form: a new action (`action_id` None), or that one changed."""
        from cockpit.storage import account_plans

        subject = self.subject

        def write(values: ActionValues) -> None:
            details = {"client_id": values.client_id, "kind": values.kind, "intent": values.intent}
            if action_id is None:
                account_plans.add_action(subject, values.what, values.who, values.due_on, **details)
            else:
                account_plans.update_action(
                    action_id, values.what, values.who, values.due_on, **details
                )

        said = "Action added" if action_id is None else "Action saved"
        form = ActionForm(title, self.today, self.people, self._storing(write), current)
        self.app.push_screen(form, self._saved(said))

    def _storing(self, write):
        """A form's `store`: `write(values)` on the book (in the form's worker), then the
        values, which close the form."""

        def store(values):
            self.app.in_book_now(lambda: write(values))
            return values

        return store

    def _saved(self, said: str):
        def then(values) -> None:
            if values is not None:
                self._changed(f"{said}: {values.what}.")()

        return then

    # Actions done ------------------------------------------------------------------

    def action_toggle_done(self) -> None:
        from cockpit.storage import account_plans

        action = self._action("mark")
        if action is None:
            return
        done_on = None if action.done_on else self.today
        said = f"Not done: {action.what}." if action.done_on else f"Done: {action.what}."
        self.app.in_book(
            lambda: account_plans.set_action_done(action.id, done_on), self._changed(said)
        )

    def action_done_and_log(self) -> None:
        from cockpit import account_plan

        action = self._action("log")
        if action is None:
            return
        if action.done_on is not None:
            self.notify(
                printable(f"{action.what} is done already; x marks it not done."), markup=False
            )
            return
        subject, today = self.subject, self.today

        def logged(result) -> None:
            touch, person = result
            self.changed = True
            self.offer_undo(touch, self.done_message(touch, person.name))
            self.reload()

        self.app.in_book(lambda: account_plan.do_action(subject, action, today), logged)

    def done_message(self, touch: LoggedTouch, name: str | None = None) -> str:
        from cockpit.vocabulary import a_kind

        with_whom = f" with {name}" if name else ""
        what = shorten(touch.interaction.summary, 60)
        return f"Done: {what}. Logged {a_kind(touch.interaction.kind)}{with_whom}."

    def undone(self, message: str) -> None:
        self._changed(message)()

    def action_remove(self) -> None:
        from cockpit.storage import account_plans

        found = self._highlighted()
        if found is None or found[0] not in ("objective", "action"):
            self.notify("Put the cursor on an objective or an action to remove it.")
            return
        kind, key = found
        rows = self.plan.objectives if kind == "objective" else self.plan.actions
        row = next(r for r in rows if r.id == int(key))
        remove = (
            account_plans.delete_objective if kind == "objective" else account_plans.delete_action
        )

        def answered(choice: str | None) -> None:
            if choice == "remove":
                self.app.in_book(lambda: remove(row.id), self._changed(f"Removed: {row.what}."))

        self.app.push_screen(
            Confirm(f"Remove the {kind} {printable(row.what)!r}?", [("remove", "Remove")]),
            answered,
        )

    def action_close(self) -> None:
        self.dismiss(self.changed)


def open_account_plan(
    main,
    *,
    account_id: int | None = None,
    client_id: int | None = None,
    plan_id: int | None = None,
) -> None:
    """The flow: read the plan, then show it over whichever screen is on top (keys typed
    meanwhile go to it); the cockpit's main screen `main` reads the book again when it
    changed, and takes over the undo of a touch just logged (for the rest of its time)."""
    from cockpit import clock

    app = main.app
    if app.database is None:
        return
    today = clock.today()

    def show(found: PlanRead) -> None:
        screen = AccountPlanScreen(found, today)

        def closed(changed: bool | None) -> None:
            if not changed:
                return
            app.book_changed = True
            if app.screen is main:
                main.load_book(client_id)
                seconds = screen.undo_time_left()
                if seconds > 0:
                    main.offer_undo(screen.undoable, screen.done_message(screen.undoable), seconds)

        app.push_screen(screen, closed)

    app.read_then_open(
        lambda: read_plan(today, account_id=account_id, client_id=client_id, plan_id=plan_id),
        show,
    )
