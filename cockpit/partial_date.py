"""Dates whose year may be unknown, such as a birthday noted as `--04-15`."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from cockpit.errors import ValidationError

_FULL = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NO_YEAR = re.compile(r"^--(\d{1,2})-?(\d{2})$")


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
        """Read `YYYY-MM-DD` or, without a year, `--MM-DD` (the vCard and ISO form)."""
        value = text.strip()
        if match := _FULL.match(value):
            year, month, day = (int(part) for part in match.groups())
            return cls(year, month, day)
        if match := _NO_YEAR.match(value):
            month, day = (int(part) for part in match.groups())
            return cls(None, month, day)
        raise ValidationError(f"{text!r} is not a date; use YYYY-MM-DD, or --MM-DD without a year")

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
        before_anniversary = (day.month, day.day) < (self.month, self.day)
        return day.year - self.year - before_anniversary
