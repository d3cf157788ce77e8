"""The forms of the cockpit, how to open each, and bad values with the message each gets.

Shared by tests/app/test_bad_input.py (every bad value) and tests/unit/test_date_limits.py
(dates outside the range Cockpit keeps).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from textual.widgets import TextArea

from cockpit.storage.models import Client, Deal, Interaction, PlannedCommunication, ProfileValue
from cockpit.ui.screens.client_form import ClientForm
from cockpit.ui.screens.date_prompt import DatePrompt
from cockpit.ui.screens.deal_form import DealForm
from cockpit.ui.screens.log_form import LogForm
from cockpit.ui.screens.plan_form import PlanForm
from cockpit.ui.screens.plans_screen import PlansScreen
from cockpit.ui.screens.review_screen import ReviewScreen
from cockpit.ui.screens.touch_form import TouchForm
from cockpit.ui.widgets.timeline_pane import TimelinePane
from tests.support.pilot import loaded

# Escape sequences and control characters, by what they would do to a terminal.
ESCAPES = {
    "NUL": "\x00",
    "ESC [ 2 J (clear the screen)": "\x1b[2J",
    "OSC 0 (set the title)": "\x1b]0;PWNED\x07",
    "OSC 8 (a hidden link)": "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07",
    "OSC 52 (write the clipboard)": "\x1b]52;c;ZXZpbA==\x07",
    "C1 CSI (8-bit ESC [)": "\x9b2J",
    "BEL": "\x07",
    "DEL": "\x7f",
}
REFUSED_CONTROL = "control characters|NUL characters"
BAD_DATES = ("2026-02-30", "2025-02-29", "2026-13-01")
BAD_NUMBERS = ("1e309", "-5", "NaN", "0", "inf")
NOT_MINUTES = ("1e309", "-5", "NaN", "inf")  # zero minutes is a fine duration
MARKUP = "[link=https://x]Ann[/link] [/] [bold]Bo[/bold]"
RTL = "مريم الحسيني"
EMOJI = "Zoë 🚀 Ünal 👩‍👩‍👧"
CJK = "山田商事"
BIG_NOTE = ("A hundred kilobytes of notes. " * 3500)[:99_999] + "."
# What must never reach a screen or a printout: control characters but the line break.
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def counts() -> tuple[int, ...]:
    return tuple(
        model.select().count()
        for model in (Client, Interaction, Deal, PlannedCommunication, ProfileValue)
    )


# The forms of the cockpit --------------------------------------------------------


async def _open_new_client(app, pilot) -> None:
    await pilot.press("n")


async def _open_log(app, pilot) -> None:
    await pilot.press("l")


async def _open_deal(app, pilot) -> None:
    await pilot.press("dollar_sign")


async def _open_plan(app, pilot) -> None:
    await pilot.press("P")
    await loaded(pilot)
    assert isinstance(app.screen, PlansScreen)
    await pilot.press("a")


async def _open_touch(app, pilot) -> None:
    timeline = app.query_one(TimelinePane)
    touch = Interaction.get(Interaction.summary == "Budget call")
    timeline.focus()
    timeline.highlighted = timeline.get_option_index(str(touch.id))
    await pilot.press("e")


async def _open_date_prompt(app, pilot) -> None:
    await pilot.press("w")
    await loaded(pilot)
    assert isinstance(app.screen, ReviewScreen)
    await pilot.press("s")


@dataclass
class Form:
    """A form, how to open it, values it accepts, and bad values with the message each gets."""

    screen: type
    open: object
    good: dict[str, str]
    bad: list[tuple[dict[str, str], str]] = field(default_factory=list)


def _escapes_in(widget_id: str, message: str) -> list[tuple[dict[str, str], str]]:
    return [({widget_id: f"x{sequence}y"}, message) for sequence in ESCAPES.values()]


FORMS = {
    "client form": Form(
        ClientForm,
        _open_new_client,
        {"name": "Nina New"},
        [
            ({"name": ""}, "Name cannot be empty"),
            ({"name": "   "}, "Name cannot be empty"),
            ({"name": "x" * 201}, "Name is longer than 200 characters"),
            ({"name": BIG_NOTE}, "Name is longer than 200 characters"),
            *_escapes_in("name", "Name cannot contain control characters"),
            *_escapes_in("company", "Company cannot contain control characters"),
            *_escapes_in("title", "Title cannot contain control characters"),
            ({"emails": "ann\x1b[2J@acme.example"}, "email address cannot contain control"),
            ({"phones": "+1 555\x1b]0;PWNED\x07"}, "phone number cannot contain control"),
            *[({"since": day}, f"Client since: '{day}' is not a date") for day in BAD_DATES],
            *[({"snooze": day}, f"Snoozed until: '{day}' is not a date") for day in BAD_DATES],
            *[({"keep": n}, f"Keep in touch: '{n}'") for n in BAD_NUMBERS],
        ],
    ),
    "log form": Form(
        LogForm,
        _open_log,
        {"client Input": "Ann Smith (Acme)", "summary": "Fine", "duration": "15"},
        [
            *_escapes_in("summary", REFUSED_CONTROL),
            *[({"duration": n}, f"Minutes: '{n}' is not a duration") for n in NOT_MINUTES],
            ({"duration": "\x1b[2J"}, r"Minutes: '\\x1b\[2J' is not a duration"),
            *[({"when": day}, f"When: '{day}' is not a date") for day in BAD_DATES],
            *[({"follow_up": day}, f"Follow up: '{day}' is not a date") for day in BAD_DATES],
            *[({"interval": n}, "Keep in touch every:") for n in BAD_NUMBERS],
            ({"client Input": "nobody at all"}, "Client: no client matches 'nobody at all'"),
            ({"client Input": "\x1b]0;PWNED\x07"}, r"Client: no client matches '\\x1b\]0;"),
            ({"client Input": ""}, "Client: type part of a name or company"),
        ],
    ),
    "deal form": Form(
        DealForm,
        _open_deal,
        {"amount": "1200", "currency": "", "won_on": "2026-11-20", "description": ""},
        [
            ({"amount": "1e309"}, r"1e309 is larger than Cockpit can store"),
            ({"amount": "-5"}, "amount must be more than zero"),
            ({"amount": "0"}, "amount must be more than zero"),
            ({"amount": "NaN"}, "'NaN' is not an amount"),
            ({"amount": "inf"}, "'inf' is not an amount"),
            ({"amount": ""}, "'' is not an amount"),
            ({"amount": "\x1b[2J"}, r"'\\x1b\[2J' is not an amount"),
            ({"currency": "[b]"}, "'\\[b\\]' is not a currency code"),
            ({"currency": "€€€"}, "is not a currency code"),
            *[({"won_on": day}, f"Won on: '{day}' is not a date") for day in BAD_DATES],
            *_escapes_in("description", REFUSED_CONTROL),
        ],
    ),
    "plan form": Form(
        PlanForm,
        _open_plan,
        {"what": "Quarterly update", "every": "3", "next_due": "2026-12-01"},
        [
            ({"what": ""}, "what is planned cannot be empty"),
            ({"what": "x" * 201}, "what is planned is longer than 200 characters"),
            *_escapes_in("what", "what is planned cannot contain control characters"),
            *[({"every": n}, "Every: a whole number above zero") for n in BAD_NUMBERS],
            *[({"next_due": day}, f"Next due: '{day}' is not a date") for day in BAD_DATES],
        ],
    ),
    "touch form": Form(
        TouchForm,
        _open_touch,
        {"when": "2026-11-02 10:00", "duration": "15", "summary": "Budget call", "follow_up": ""},
        [
            *[({"when": f"{day} 10:00"}, "is not a date and time") for day in BAD_DATES],
            *[({"duration": n}, "Minutes: a whole number") for n in NOT_MINUTES],
            *_escapes_in("summary", REFUSED_CONTROL),
            *[({"follow_up": day}, f"Follow up on: '{day}' is not a date") for day in BAD_DATES],
        ],
    ),
    "date prompt (review)": Form(
        DatePrompt,
        _open_date_prompt,
        {"Input": "friday"},
        [
            *[({"Input": day}, f"'{day}' is not a date") for day in BAD_DATES],
            *[({"Input": n}, "is not a date") for n in ("1e309", "NaN", "-5")],
            ({"Input": "\x1b]0;PWNED\x07"}, r"'\\x1b\]0;PWNED\\x07' is not a date"),
            ({"Input": ""}, "Type a day"),
            ({"Input": "yesterday"}, "is not after today"),
        ],
    ),
}


def fill(screen, values: dict[str, str]) -> None:
    for selector, value in values.items():
        widget = screen.query_one(selector if selector[0].isupper() else f"#{selector}")
        if isinstance(widget, TextArea):
            widget.load_text(value)
        else:
            widget.value = value
