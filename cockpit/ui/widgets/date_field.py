"""Fields for a day or a moment, typed as a date or a phrase ("yesterday 16:00", "next
friday", "in 2 weeks", "2026-12-01"), that say which day they mean as they are typed."""

from __future__ import annotations

from datetime import date, datetime

from cockpit import phrases
from cockpit.dates import ago, short_day
from cockpit.errors import ValidationError
from cockpit.ui.widgets.phrase_field import PhraseField

DAY_HINT = "a date or a phrase: friday, next friday, in 2 weeks, 2026-12-01"
MOMENT_HINT = "a date or a phrase, a time if you like: yesterday 16:00, friday 9am"


def day_in_words(day: date, today: date) -> str:
    """ "Fri 11 Dec (in 8 days)", with the year when it is not this year's."""
    year = f" {day.year}" if day.year != today.year else ""
    return f"{short_day(day)}{year} ({ago(day, today)})"


class DateField(PhraseField):
    """A day. A bare weekday or a day without a year is the next one to come when
    `future`, else the latest one past; `from_today` refuses a day already past."""

    def __init__(
        self,
        day: date | str | None,
        today: date,
        *,
        future: bool = True,
        from_today: bool = False,
        **options,
    ) -> None:
        super().__init__(day.isoformat() if isinstance(day, date) else day or "", **options)
        self.today = today
        self.future = future
        self.from_today = from_today

    def parse(self, text: str) -> date:
        if self.from_today:
            return phrases.parse_day_to_come(text, self.today)
        return phrases.parse_date(text, self.today, future=self.future)

    def meaning(self, value: date) -> str:
        rule = phrases.weekday_rule(self.value, self.today)
        return f"means {day_in_words(value, self.today)}" + (f"; {rule}" if rule else "")


class MomentField(PhraseField):
    """A moment: a day phrase and a time (`yesterday 16:00`), a time alone (today), or
    `now`; `past` refuses one after `now`."""

    def __init__(self, moment: datetime | None, now: datetime, *, past: bool, **options) -> None:
        super().__init__(moment.strftime("%Y-%m-%d %H:%M") if moment else "", **options)
        self.now = now
        self.past = past

    def parse(self, text: str) -> datetime:
        try:
            if self.past:
                return phrases.parse_past_moment(text, self.now)
            return phrases.parse_moment(text, self.now)
        except ValidationError as error:
            if " is not a " not in error.message:
                raise
            raise ValidationError(
                f"{text.strip()!r} is not a date and time; use 2026-11-20 10:00, "
                "yesterday 16:00 or friday 9am"
            ) from None

    def meaning(self, value: datetime) -> str:
        return f"means {day_in_words(value.date(), self.now.date())}, {value:%H:%M}"
