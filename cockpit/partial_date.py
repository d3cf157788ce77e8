"""Dates whose year may be unknown, such as a birthday noted as `--04-15`."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from cockpit.errors import ValidationError

_FULL = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NO_YEAR = re.compile(r"^--(?:(\d{1,2})-(\d{1,2})|(\d{2})(\d{2}))$")
_DAY_MONTH = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?([^\W\d_]+)\.?(?:,?\s+(\d{4}))?$"
)
_MONTH_DAY = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
FORMS = "YYYY-MM-DD, --MM-DD, 15 April or April 15 (a year may follow)"


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int | None
    month: int
    day: int

    def __post_init__(self) -> None:
        # Feb 29 is valid without a year; with one it must be a leap year.
        probe_year = self.year if self.year is not None else 2000
        if not 1 <= self.month <= 12:
            raise ValidationError(f"there is no month {self.month}")
        if not 1 <= self.day <= calendar.monthrange(probe_year, self.month)[1]:
            raise ValidationError(f"{self.iso()} is not a date on the calendar")
        if self.year is not None and not 1 <= self.year <= 9999:
            raise ValidationError(f"{self.year} is not a usable year")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read `YYYY-MM-DD`, `--MM-DD` (the vCard form without a year), `15 April`,
        `April 15`, `15 Apr 1975` or `April 15, 1975` (English month names)."""
        value = " ".join(text.split())
        if match := _FULL.match(value):
            year, month, day = (int(part) for part in match.groups())
            return cls(year, month, day)
        if match := _NO_YEAR.match(value):
            month, day = (int(part) for part in match.groups() if part is not None)
            return cls(None, month, day)
        for pattern, day_first in ((_DAY_MONTH, True), (_MONTH_DAY, False)):
            if match := pattern.match(value):
                first, second, year = match.groups()
                day, name = (first, second) if day_first else (second, first)
                month = MONTHS.get(name.casefold())
                if month is None:
                    raise ValidationError(f"{name!r} is not a month; write it in English")
                return cls(int(year) if year else None, month, int(day))
        raise ValidationError(f"{text!r} is not a date; use {FORMS}")

    @classmethod
    def from_date(cls, value: date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    def iso(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:
        return self.iso()

    def next_occurrence(self, on_or_after: date) -> date:
        """The next anniversary of this date, on or after a day (Feb 29 falls on Feb 28)."""
        for year in (on_or_after.year, on_or_after.year + 1):
            day = min(self.day, calendar.monthrange(year, self.month)[1])
            candidate = date(year, self.month, day)
            if candidate >= on_or_after:
                return candidate
        raise AssertionError("unreachable: a date recurs within a year")

    def age_on(self, day: date) -> int | None:
        """Whole years since this date on `day`, when the year is known."""
        if self.year is None:
            return None
        anniversary = self.next_occurrence(date(day.year, 1, 1))  # Feb 29 falls on Feb 28
        before_anniversary = day < anniversary
        return day.year - self.year - before_anniversary
