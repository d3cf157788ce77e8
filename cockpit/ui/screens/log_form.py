"""Quick log: a touch with a client in a few keys, right after it happened.

The kind field has the focus first: one key picks the kind and moves on to
the summary, so a 15-minute call is `l`, `c`, the note, Ctrl+S. The minutes
follow the kind, and the intent the kind, the client's won date and the day
(`validation.default_intent`), until the user sets them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, SelectionList, Static, TextArea

from cockpit import phrases, validation
from cockpit.dates import short_day
from cockpit.errors import ValidationError
from cockpit.fields import TouchFields
from cockpit.search import Candidate
from cockpit.text import printable
from cockpit.ui.screens.confirm import Confirm
from cockpit.ui.screens.form_screen import FormScreen
from cockpit.ui.widgets.client_picker import ClientPicker
from cockpit.ui.widgets.date_field import DateField, MomentField
from cockpit.ui.widgets.interval_field import IntervalField
from cockpit.ui.widgets.kind_picker import IntentToggle, KindPicker
from cockpit.vocabulary import KIND_INFO, Intent, Kind

if TYPE_CHECKING:
    from cockpit.client_view import OpenFollowUp
    from cockpit.storage.book import LoggedTouch


@dataclass(frozen=True)
class LogValues:
    client: Candidate
    touch: TouchFields  # its `when` None: now
    keep_in_touch_days: int | None
    close_follow_ups: tuple[int, ...] = ()  # the client's open follow-ups this touch closes


class LogForm(FormScreen[LogValues]):
    DEFAULT_CSS = """
    LogForm .row {
        height: auto;
        margin-top: 1;
    }
    LogForm .row.tight {
        margin-top: 0;
    }
    LogForm Input, LogForm TextArea, LogForm KindPicker, LogForm IntentToggle {
        background: $surface-lighten-1;
    }
    LogForm Input:focus, LogForm TextArea:focus, LogForm KindPicker:focus,
    LogForm IntentToggle:focus {
        background: $accent 30%;
    }
    LogForm .row > Label {
        width: 10;
    }
    LogForm .row > Label.second {
        width: 9;
        margin-left: 2;
    }
    LogForm .row > Input, LogForm .row > ClientPicker, LogForm .row > KindPicker,
    LogForm .row > IntentToggle, LogForm .row > TextArea {
        width: 1fr;
    }
    LogForm TextArea {
        height: 3;
    }
    LogForm #hints {
        height: auto;
        margin-left: 10;
    }
    LogForm #error {
        height: auto;
        margin-top: 0;
    }
    """
    AUTO_FOCUS = "#kind"
    BINDINGS: ClassVar = [
        Binding("ctrl+t", "toggle_intent", "Toggle sales/relationship", priority=True),
    ]

    def __init__(
        self,
        candidates: Sequence[Candidate],
        client: Candidate | None,
        now: datetime,
        interval_of: Callable[[int], str] = lambda client_id: "",
        store: Callable[[LogValues], object] | None = None,
        won_on_of: Callable[[int], date | None] | None = None,
        follow_ups: Sequence[OpenFollowUp] = (),
    ) -> None:
        """`interval_of(client_id)` says the client's keep-in-touch interval now, for the
        hint of the Every field; `store` saves (see FormScreen); `won_on_of(client_id)`
        reads the client's won date from the book (in a worker), for the intent shown."""
        super().__init__()
        self.candidates = candidates
        self.client = client
        self.now = now
        self.interval_of = interval_of
        self.store = store
        self.won_on_of = won_on_of
        self.follow_ups = follow_ups  # the client's open ones, offered to close (from a brief)
        self.won_dates: dict[int, date | None] = {}  # the won dates read so far
        self.AUTO_FOCUS = "#kind" if client is not None else "#client Input"
        self.auto_minutes = str(KIND_INFO[Kind.CALL].minutes)  # what the kind put there

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            title = Text("Log a touch", style="bold")
            title.append(" · one key picks the kind · Ctrl+T flips the intent", style="dim")
            yield Static(title)
            with Horizontal(classes="row tight"):
                yield Label("Client")
                yield ClientPicker(self.candidates, self.client, id="client")
            with Horizontal(classes="row"):
                yield Label("Kind")
                yield KindPicker(id="kind", then="#summary", on_change=self._kind_changed)
            with Horizontal(classes="row tight"):
                yield Label("Intent")
                yield IntentToggle(self._default_intent(), id="intent")
            with Horizontal(classes="row"):
                yield Label("Summary")
                yield TextArea(id="summary", compact=True)
            with Horizontal(classes="row"):
                yield Label("Minutes")
                yield Input(self.auto_minutes, id="duration", compact=True)
                yield Label("When", classes="second")
                when = MomentField(
                    None,
                    self.now,
                    past=True,
                    label="When",
                    named=True,
                    placeholder="now, or monday 9am",
                    id="when",
                    compact=True,
                )
                yield when
            with Horizontal(classes="row tight"):
                yield Label("Follow up")
                follow_up = DateField(
                    None,
                    self.now.date(),
                    from_today=True,
                    label="Follow up",
                    named=True,
                    placeholder="e.g. next friday",
                    id="follow_up",
                    compact=True,
                )
                yield follow_up
                yield Label("Every", classes="second")
                interval = IntervalField(
                    None,
                    label="Keep in touch every",
                    named=True,
                    placeholder=self._interval_hint(self.client),
                    id="interval",
                    compact=True,
                )
                yield interval
            with Vertical(id="hints"):  # what the phrases typed mean, as they are typed
                yield when.preview
                yield follow_up.preview
                yield interval.preview
            if self.follow_ups:
                yield Label("Follow-ups this call closes (Space ticks one)")
                yield SelectionList[int](
                    *(
                        (Text(printable(f"{short_day(f.day)}: {f.what}")), f.touch_id)
                        for f in self.follow_ups
                    ),
                    id="close_follow_ups",
                )
            yield from self.form_end(compact=True)

    def on_mount(self) -> None:
        if self.client is not None:
            self._read_won_date(self.client.id)

    def _interval_hint(self, client: Candidate | None) -> str:
        return (self.interval_of(client.id) if client is not None else "") or "e.g. 30 days"

    @on(ClientPicker.Picked)
    def _client_picked(self, event: ClientPicker.Picked) -> None:
        self.query_one("#interval", Input).placeholder = self._interval_hint(event.candidate)
        self._follow_default_intent()
        if event.candidate.id not in self.won_dates:
            self._read_won_date(event.candidate.id)

    @work(thread=True, group="won-date", exit_on_error=False)
    def _read_won_date(self, client_id: int) -> None:
        if self.won_on_of is None:
            return
        try:
            won_on = self.won_on_of(client_id)
        except Exception:  # unknown: saving applies the same rule with the book at hand
            return
        self.app.call_from_thread(self._won_date_read, client_id, won_on)

    def _won_date_read(self, client_id: int, won_on: date | None) -> None:
        self.won_dates[client_id] = won_on
        self._follow_default_intent()

    def _chosen_client(self) -> Candidate | None:
        if not self.is_mounted:
            return self.client
        return self.query_one(ClientPicker).chosen

    def _default_intent(self) -> Intent:
        """The intent saved unless the user picks one: by the kind, and whether the
        client had a won deal on the touch's day."""
        kind = self.query_one(KindPicker).kind if self.is_mounted else Kind.CALL
        try:
            when = self._when() if self.is_mounted else None
        except ValidationError:
            when = None
        client = self._chosen_client()
        won_on = self.won_dates.get(client.id) if client is not None else None
        return validation.default_intent(kind, (when or self.now).date(), won_on)

    def _follow_default_intent(self) -> None:
        intent = self.query_one(IntentToggle)
        if not intent.chosen_by_user:
            intent.intent = self._default_intent()

    @on(Input.Changed, "#when")
    def _day_changed(self) -> None:
        self._follow_default_intent()

    def _kind_changed(self, kind: Kind) -> None:
        info = KIND_INFO[kind]
        self._follow_default_intent()
        duration = self.query_one("#duration", Input)
        if duration.value.strip() in (self.auto_minutes, ""):  # not typed by the user
            self.auto_minutes = duration.value = str(info.minutes)

    def _when(self) -> datetime | None:
        return self.query_one("#when", MomentField).read()

    def action_cancel(self) -> None:
        """Esc: a note already typed is not thrown away without asking."""
        if not self.query_one("#summary", TextArea).text.strip():
            self.dismiss(None)
            return

        def answered(choice: str | None) -> None:
            if choice == "discard":
                self.dismiss(None)

        self.app.push_screen(
            Confirm("Discard this touch and its note?", [("discard", "Discard")]), answered
        )

    def action_toggle_intent(self) -> None:
        self.query_one(IntentToggle).action_toggle()

    def read(self) -> LogValues:
        picker = self.query_one(ClientPicker)
        picker.settle()
        if picker.unresolved:
            typed = picker.typed.strip()
            if typed:
                raise ValidationError(f"Client: no client matches {typed!r}")
            raise ValidationError("Client: type part of a name or company")
        kind = self.query_one(KindPicker).kind
        toggle = self.query_one(IntentToggle)
        known = picker.chosen.id in self.won_dates
        # The intent shown, unless it waits for the won date: saving then chooses it.
        intent = toggle.intent.value if toggle.chosen_by_user or known else None
        try:
            duration = phrases.parse_duration(self.query_one("#duration", Input).value)
        except ValidationError as error:
            raise ValidationError(f"Minutes: {error.message}") from None
        when = self._when()
        follow_up = self.query_one("#follow_up", DateField).read()
        interval = self.query_one("#interval", IntervalField).read()
        touch = TouchFields(
            kind=kind.value,
            intent=intent,
            when=when,
            duration_min=duration,
            summary=self.query_one("#summary", TextArea).text.strip(),
            follow_up_on=follow_up,
        )
        closing: tuple[int, ...] = ()
        if self.follow_ups and self.client is not None and picker.chosen.id == self.client.id:
            closing = tuple(self.query_one("#close_follow_ups", SelectionList).selected)
        values = LogValues(
            client=picker.chosen,
            touch=touch,
            keep_in_touch_days=interval,
            close_follow_ups=closing,
        )
        validation.interaction_row(values.client.id, **touch.as_keywords())  # as saving does
        return values


def log_touch(
    main,
    client_id: int | None = None,
    on_logged: Callable[[LoggedTouch], None] | None = None,
    client: Candidate | None = None,
    follow_ups: Sequence[OpenFollowUp] = (),
    back_on_cockpit: bool = False,
) -> None:
    """The flow: the quick log for the client the cockpit's main screen `main` has
    selected (or `client_id`; `client` names one the list does not hold, such as an
    archived client from a review), over whichever screen is on top; `follow_ups`, that
    client's open ones, are offered to close (from a brief); `back_on_cockpit`: the screen
    it is logged from closes with it onto the cockpit, where undo is offered."""
    from cockpit import clock
    from cockpit.storage import book
    from cockpit.ui.widgets.client_list import ClientList

    if not main.candidates:
        main.notify("No clients yet: press n to add one.", severity="warning")
        return
    if client_id is None:
        selected = main.query_one(ClientList).selected
        client_id = selected.id if selected else None
    verdict = main.by_id.get(client_id) if client_id is not None else None
    chosen = Candidate(verdict.id, verdict.name, verdict.company) if verdict else client
    # Undo is offered on the cockpit, where `u` is not text in a field.
    from_cockpit = main.app.screen is main or back_on_cockpit

    def interval_of(other_id: int) -> str:
        other = main.by_id.get(other_id)
        days = other and (other.keep_in_touch_days or other.plan_interval)
        return f"now {round(days)} days" if days else ""

    def store(values: LogValues) -> tuple[LogValues, LoggedTouch]:
        logged = main.app.in_book_now(
            lambda: book.log_touch(
                values.client.id,
                keep_in_touch_days=values.keep_in_touch_days,
                close_follow_ups=values.close_follow_ups,
                **values.touch.as_keywords(),
            )
        )
        return values, logged

    def saved(result: tuple[LogValues, LoggedTouch] | None) -> None:
        if result is None:
            return
        values, logged = result
        if on_logged is not None:
            on_logged(logged)
        _say_logged(main, logged, values, offer_undo=from_cockpit)
        shown = main.query_one(ClientList).selected
        main.load_book(shown.id if shown is not None else values.client.id)

    def won_on_of(other_id: int) -> date | None:
        with main.app.database.connection_context():
            return book.won_dates([other_id]).get(other_id)

    form = LogForm(
        main.candidates, chosen, clock.now_local(), interval_of, store, won_on_of, follow_ups
    )
    main.app.push_screen(form, saved)


def _say_logged(main, logged: LoggedTouch, values: LogValues, offer_undo: bool) -> None:
    from cockpit.vocabulary import a_kind

    touch = values.touch
    follow = f" Follow up on {touch.follow_up_on.isoformat()}." if touch.follow_up_on else ""
    closed = len(values.close_follow_ups)
    if closed:
        follow += f" Closed {closed} follow-up{'s' if closed > 1 else ''}."
    message = f"Logged {a_kind(touch.kind)} with {values.client.name}.{follow}"
    if offer_undo:
        main.offer_undo(logged, message)
    else:
        main.notify(printable(message), markup=False)
