"""Touches and won deals: the rows logging and recording make, and the checks of stored ones."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from cockpit import clock
from cockpit.date_limits import check_day
from cockpit.errors import ValidationError
from cockpit.validation.amounts import currency_code, parse_amount
from cockpit.validation.days import kept_days
from cockpit.validation.text import clean_text
from cockpit.vocabulary import KIND_INFO, Intent, Kind


def default_intent(kind: Kind | str, day: date, won_on: date | None) -> Intent:
    """The intent of a touch whose user chose none, so that no kind tilts the give/ask
    balance: an ask while the client had no won deal on the touch's day (`won_on`: the
    client's won date), a give once it had; a referral asked is always an ask."""
    if Kind(kind) is Kind.REFERRAL_ASKED or won_on is None or won_on > day:
        return Intent.SALES
    return Intent.RELATIONSHIP


def interaction_row(
    client_id: int,
    kind: Kind | str,
    *,
    when: datetime | None = None,
    summary: str = "",
    intent: Intent | str | None = None,
    duration_min: int | None = None,
    follow_up_on: date | None = None,
    created_at: datetime | None = None,
    won_on: date | None = None,
) -> dict:
    """A validated interaction, ready to insert; `when` is local time if naive. Without
    an intent it gets `default_intent` by the client's won date `won_on`."""
    kind, intent, duration_min = touch_kind(kind, intent, duration_min)
    kept_days(when, follow_up_on)  # before time zones move a day at the calendar's edge
    occurred_at = clock.to_utc(when) if when is not None else clock.now_utc()
    day = check_day(clock.local_day(occurred_at))
    if day > clock.today():
        raise ValidationError(
            f"{day.isoformat()} is in the future; log a touch once it happened "
            "(a follow-up date plans one)"
        )
    return {
        "client": client_id,
        "occurred_at": occurred_at,
        "day": day,
        "kind": kind.value,
        "intent": (default_intent(kind, day, won_on) if intent is None else intent).value,
        "duration_min": duration_min,
        "summary": clean_text(summary, "the summary"),
        "follow_up_on": follow_up_on,
        "follow_up_done": False,
        "created_at": created_at or clock.now_utc(),
    }


def touch_kind(
    kind: Kind | str, intent: Intent | str | None, duration_min: int | None
) -> tuple[Kind, Intent | None, int]:
    """A touch's kind, intent (None when not given) and minutes, checked; the kind's
    minutes when none are given."""
    try:
        kind = Kind(kind)
    except ValueError:
        known = ", ".join(item.value for item in Kind)
        raise ValidationError(
            f"{kind!r} is not a kind of interaction; use one of {known}"
        ) from None
    try:
        intent = Intent(intent) if intent is not None else None
    except ValueError:
        raise ValidationError(f"{intent!r} is not an intent; use sales or relationship") from None
    if duration_min is None:
        duration_min = KIND_INFO[kind].minutes
    if isinstance(duration_min, bool) or not isinstance(duration_min, int) or duration_min < 0:
        raise ValidationError("a duration must be a whole number of minutes, zero or more")
    if duration_min > 24 * 60:
        raise ValidationError("a duration cannot be longer than a day (1440 minutes)")
    return kind, intent, duration_min


def deal_row(
    client_id: int,
    amount: str | int | Decimal,
    *,
    currency: str | None = None,
    won_on: date | None = None,
    description: str = "",
    created_at: datetime | None = None,
    renews_on: date | None = None,
    term_months: int | None = None,
) -> dict:
    """A validated won deal, ready to insert (in the home currency unless another is
    given); a contract renews on `renews_on` and every `term_months` after it, or every
    `term_months` from the day it was won."""
    won_on = check_day(won_on or clock.today())
    if won_on > clock.today():
        raise ValidationError(
            f"{won_on.isoformat()} is in the future; record a deal once it is won"
        )
    if renews_on is not None:
        renews_on = check_day(renews_on)
        if renews_on <= won_on:
            raise ValidationError(
                f"a renewal on {renews_on.isoformat()} would come before the deal was won "
                f"({won_on.isoformat()})"
            )
    if term_months is not None and (
        isinstance(term_months, bool)
        or not isinstance(term_months, int)
        or not 0 < term_months <= MAX_TERM_MONTHS
    ):
        raise ValidationError(f"a term is 1 to {MAX_TERM_MONTHS} months")
    row = {
        "client": client_id,
        "amount_cents": int(parse_amount(amount) * 100),
        "currency": currency_code(currency),
        "won_on": won_on,
        "description": clean_text(description, "the description"),
        "created_at": created_at or clock.now_utc(),
    }
    if renews_on is not None or term_months is not None:  # bulk rows keep one shape
        row.update(renews_on=renews_on, term_months=term_months)
    return row


MAX_TERM_MONTHS = 120


def term_of(text: str) -> int:
    """A contract's term as typed ("12m", "12 months", "1y", "2 years", "18"), in months."""
    typed = text.strip().lower().replace(" ", "")
    for suffix, months in (
        ("months", 1),
        ("month", 1),
        ("mo", 1),
        ("m", 1),
        ("years", 12),
        ("year", 12),
        ("yr", 12),
        ("y", 12),
        ("", 1),
    ):
        if typed.endswith(suffix):
            number = typed[: len(typed) - len(suffix)] if suffix else typed
            if number.isascii() and number.isdigit():
                term = int(number) * months
                if 0 < term <= MAX_TERM_MONTHS:
                    return term
            break
    raise ValidationError(
        f"{text.strip()!r} is not a term; write it as 12m, 24 months or 1y (at most 10 years)"
    )


def check_stored_touch(kind: str, intent: str, duration_min: int, summary: str) -> None:
    """Raise ValidationError if a stored interaction holds what logging one refuses."""
    touch_kind(kind, intent, duration_min)
    clean_text(summary, "the summary")


def check_stored_deal(amount_cents: int, currency: str, description: str) -> None:
    """Raise ValidationError if a stored deal holds what recording one refuses."""
    sign, cents = ("-" if amount_cents < 0 else ""), abs(amount_cents)
    parse_amount(f"{sign}{cents // 100}.{cents % 100:02d}")
    if not currency or currency_code(currency) != currency:
        raise ValidationError(f"{currency!r} is not a currency code; use three letters such as EUR")
    clean_text(description, "the description")
