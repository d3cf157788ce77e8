"""Properties of what people type: dates, times, durations, intervals and amounts.

Any text either gives a value of the right type or a ValidationError (the one-line
message a user sees), never another exception; and the values mean what they say.
The importers' properties are in test_properties_import.py.
"""

from __future__ import annotations

import calendar
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cockpit.date_limits import FIRST_DAY, is_kept
from cockpit.errors import ValidationError
from cockpit.partial_date import PartialDate
from cockpit.phrases import (
    WEEKDAYS,
    add_months,
    parse_date,
    parse_day_to_come,
    parse_duration,
    parse_interval,
    parse_moment,
    parse_past_moment,
    parse_time,
)
from cockpit.storage import book
from cockpit.storage.book import MAX_AMOUNT, parse_amount
from cockpit.storage.models import Client, Deal, Interaction

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 30)
FAST = settings(max_examples=300, deadline=None, database=None)
# Each example writes to the same book (the fixture is made once per test, not per example).
SLOW = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Words and pieces the parsers look for, and pieces that have broken parsers elsewhere.
PIECES = (
    *("in", "ago", "every", "next", "last", "this", "now", "today", "tomorrow", "yesterday"),
    *("day", "days", "week", "weeks", "month", "months", "year", "years", "d", "w", "m", "y"),
    *("monday", "fri", "sun", "april", "feb", "sept", "of", "15th", "29", "31", "1975"),
    *("9am", "12pm", "13pm", "0am", "16:00", "24:00", "23:60", "1h30", "90 min", "h", "T"),
    *("2026-02-30", "2026-02-29", "2028-02-29", "--02-29", "--0230", "0000-01-01"),
    *("9999-12-31", "0001-01-01", "2026-11-20T10:00+05:00", "2026-11-20T08:15", "20261120"),
    *("0001-01-01T00:00+14:00", "9999-12-31T23:59-14:00", "2026-W47-5"),
    *("1e309", "1E+999999999999", "1e-999", "NaN", "sNaN", "inf", "-inf", "-5", "-0", "0"),
    *("0.001", "12,500.50", "1,00", "1_000", "+5", "999999999999.99", "1000000000000"),
    *("99999999999999999999", "9" * 5000, "١٢", "²", "\U0001d7d7"),
    *("\x00", "\x1b[2J", "\u200f", "\u202e", "\u2028", "\u00a0", "\t", "\r\n", "😀", " "),
)
typed = st.one_of(
    st.text(),
    st.lists(st.sampled_from(PIECES), max_size=4).map(" ".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=5).map("".join),
)
days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
todays = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))  # what a clock says
MONTH_NAMES = [name.lower() for name in calendar.month_name[1:]]


def value_or_validation_error(parse, *args):
    """What `parse` gives, or None when it refused with a ValidationError."""
    try:
        return parse(*args)
    except ValidationError as error:
        # One line, and no control character of what was typed reaches the terminal.
        assert error.message and not any(unicodedata.category(c) == "Cc" for c in error.message)
        return None


# Any text: a value of the right type, or a ValidationError


@FAST
@given(text=typed, today=todays)
@example(text="in 99999 months", today=TODAY)  # was AssertionError("unreachable")
@example(text="in 999999 weeks", today=TODAY)  # was OverflowError
@example(text="in 99999999999 days", today=TODAY)  # was OverflowError
@example(text="9" * 5000 + " days ago", today=TODAY)  # was ValueError (int of 4300+ digits)
def test_parse_date_gives_a_day_or_refuses(text, today):
    for future in (True, False):
        day = value_or_validation_error(partial(parse_date, today=today, future=future), text)
        assert day is None or type(day) is date


@FAST
@given(typed)
def test_parse_time_gives_a_time_or_refuses(text):
    value = value_or_validation_error(parse_time, text)
    assert value is None or type(value) is time


@FAST
@given(text=typed)
@example(text="2026-11-20T10:00+05:00")  # was TypeError in parse_past_moment
@example(text="0001-01-01T00:00+14:00")
def test_moments_are_naive_and_past_ones_are_not_later_than_now(text):
    moment = value_or_validation_error(parse_moment, text, NOW)
    assert moment is None or (type(moment) is datetime and moment.tzinfo is None)
    past = value_or_validation_error(parse_past_moment, text, NOW)
    assert past is None or (past == moment and past <= NOW.replace(second=59))


@FAST
@given(text=typed, today=todays)
def test_a_day_to_come_is_never_before_today(text, today):
    day = value_or_validation_error(parse_day_to_come, text, today)
    assert day is None or (type(day) is date and day >= today)


@FAST
@given(typed)
@example("9" * 5000)  # was ValueError (int of 4300+ digits)
def test_parse_duration_gives_minutes_of_at_most_a_day_or_refuses(text):
    minutes = value_or_validation_error(parse_duration, text)
    assert minutes is None or (type(minutes) is int and 0 <= minutes <= 24 * 60)


@FAST
@given(typed)
@example("every " + "9" * 5000 + " days")  # was ValueError (int of 4300+ digits)
def test_parse_interval_gives_one_day_to_ten_years_or_refuses(text):
    interval = value_or_validation_error(parse_interval, text)
    assert interval is None or (type(interval) is int and 1 <= interval <= 3660)


@FAST
@given(typed)
def test_partial_dates_parse_or_refuse_and_their_iso_form_reads_back(text):
    parsed = value_or_validation_error(PartialDate.parse, text)
    if parsed is not None:
        assert PartialDate.parse(parsed.iso()) == parsed


# What the values mean


@FAST
@given(days)
def test_an_iso_date_reads_back_as_itself(day):
    if is_kept(day):
        assert parse_date(day.isoformat(), TODAY) == day
    else:
        with pytest.raises(ValidationError, match="outside the dates Cockpit keeps"):
            parse_date(day.isoformat(), TODAY)
    assert PartialDate.parse(day.isoformat()) == PartialDate.from_date(day)
    assert PartialDate.parse(day.isoformat()).iso() == day.isoformat()


@FAST
@given(days)
def test_a_day_without_its_year_reads_back_and_is_the_next_or_last_one(day):
    text = f"--{day.month:02d}-{day.day:02d}"
    partial = PartialDate.parse(text)
    assert (partial.year, partial.iso()) == (None, text)
    assert PartialDate.parse(f"{day.day} {MONTH_NAMES[day.month - 1]}") == partial
    ahead = parse_date(text, TODAY)
    behind = parse_date(text, TODAY, future=False)
    assert TODAY <= ahead < TODAY + timedelta(days=366)
    assert TODAY - timedelta(days=366) < behind <= TODAY
    for found in (ahead, behind):  # Feb 29 falls on Feb 28 in other years
        assert found.month == day.month and found.day in (day.day, 28)


@FAST
@given(st.dates(min_value=FIRST_DAY, max_value=TODAY), st.times())
def test_a_past_day_as_a_moment_is_the_same_whatever_its_form(day, at):
    iso = parse_past_moment(day.isoformat(), NOW)
    spoken = parse_past_moment(f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}", NOW)
    assert iso == spoken  # noon, or now for today
    assert iso.time() == (NOW.time() if day == TODAY else time(12, 0))
    at = at.replace(second=0, microsecond=0)
    stamp = f"{day.isoformat()} {at:%H:%M}"
    if datetime.combine(day, at) <= NOW:
        assert parse_past_moment(stamp, NOW) == datetime.combine(day, at)


def test_an_iso_day_alone_is_noon_as_any_other_day_phrase():
    """Found by the property above: `2026-11-20` gave midnight, `20 November 2026` noon,
    and today's date gave midnight rather than now."""
    assert parse_moment("2026-11-20", NOW) == datetime(2026, 11, 20, 12, 0)
    assert parse_moment("2026-11-23", NOW) == NOW


def test_a_moment_with_a_utc_offset_is_local_time():
    """Found by the properties: `parse_past_moment` raised TypeError comparing an aware
    moment with now, and `parse_moment` gave an aware one."""
    moment = parse_past_moment("2026-11-20T10:00+00:00", NOW)
    assert moment.tzinfo is None
    assert moment == parse_moment("2026-11-20T10:00Z", NOW)
    with pytest.raises(ValidationError, match="beyond the calendar"):
        parse_moment("9999-12-31T23:59-14:00", NOW)


@FAST
@given(st.integers(min_value=0, max_value=24), st.integers(min_value=0, max_value=59))
def test_a_time_reads_as_typed(hour, minute):
    if hour == 24:
        with pytest.raises(ValidationError):
            parse_time(f"{hour}:{minute:02d}")
        return
    assert parse_time(f"{hour}:{minute:02d}") == time(hour, minute)
    twelve = hour % 12 or 12
    suffix = "am" if hour < 12 else "pm"
    assert parse_time(f"{twelve}{suffix}") == time(hour)
    assert parse_time(f"{twelve}:{minute:02d} {suffix.upper()}") == time(hour, minute)


@FAST
@given(st.integers(min_value=0, max_value=10**12))
def test_a_duration_in_minutes_is_that_many_minutes(minutes):
    hours, rest = divmod(minutes, 60)
    forms = (f"{minutes}", f"{minutes}m", f"{minutes} minutes", f"{minutes} min")
    if minutes <= 24 * 60:
        for text in forms:
            assert parse_duration(text) == minutes
        assert parse_duration(f"{hours}h{rest}") == minutes
        assert parse_duration(f"{hours}h {rest}m") == minutes
        assert parse_duration(f"{hours} hours") == hours * 60
    else:
        for text in (*forms, f"{hours}h{rest}"):
            with pytest.raises(ValidationError):
                parse_duration(text)


@FAST
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([(1, "days"), (7, "weeks")]))
def test_an_interval_is_that_many_days_or_weeks(count, unit):
    size, word = unit
    days_ = count * size
    for text in (f"{count} {word}", f"every {count} {word}", f"{count}{word[0]}"):
        if 1 <= days_ <= 3660:
            assert parse_interval(text) == days_
        else:
            with pytest.raises(ValidationError):
                parse_interval(text)


@FAST
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(("days", "weeks", "months")))
def test_relative_days_count_from_today(count, unit):
    expected: date | None
    try:
        if unit == "months":
            expected = add_months(TODAY, count)
        else:
            expected = TODAY + timedelta(days=count * (7 if unit == "weeks" else 1))
    except (ValidationError, OverflowError):
        expected = None
    if expected is None or not is_kept(expected):
        with pytest.raises(ValidationError):
            parse_date(f"in {count} {unit}", TODAY)
    else:
        assert parse_date(f"in {count} {unit}", TODAY) == expected
        assert parse_day_to_come(f"in {count} {unit}", TODAY) == expected
    ago = value_or_validation_error(parse_date, f"{count} {unit} ago", TODAY)
    assert ago is None or ago <= TODAY


@FAST
@given(st.sampled_from(range(7)), st.dates(min_value=date(1900, 1, 8), max_value=date(2200, 1, 1)))
def test_weekdays_are_the_next_or_last_one(weekday, today):
    name = WEEKDAYS[weekday]
    coming = parse_date(name, today)
    following = parse_date(f"next {name[:3]}", today)
    last = parse_date(f"last {name}", today)
    assert coming.weekday() == following.weekday() == last.weekday() == weekday
    assert today < coming <= today + timedelta(days=7)
    assert following == (coming if coming == today + timedelta(days=7) else coming + timedelta(7))
    assert today - timedelta(days=7) <= last < today


@FAST
@given(days, st.integers(min_value=-(10**6), max_value=10**6))
@example(TODAY, 99999 * 12)  # was AssertionError("unreachable")
def test_add_months_keeps_the_day_or_clamps_it_to_the_month_end(day, months):
    try:
        moved = add_months(day, months)
    except ValidationError as error:
        assert "beyond the calendar" in error.message
        total = day.year * 12 + day.month - 1 + months
        assert not 1 <= total // 12 <= 9999
        return
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == min(day.day, calendar.monthrange(moved.year, moved.month)[1])
    if moved.day == day.day:
        assert add_months(moved, -months) == day


def test_phrases_beyond_the_calendar_are_refused():
    """Found by the properties: each of these crashed instead of being refused."""
    for text in ("in 99999 months", "in 999999 weeks", "in 99999999999 days"):
        with pytest.raises(ValidationError, match=r"beyond the calendar|too large"):
            parse_date(text, TODAY)
    with pytest.raises(ValidationError, match="too large"):
        parse_date("9" * 5000 + " days ago", TODAY)
    with pytest.raises(ValidationError, match="too large"):
        parse_duration("9" * 5000)
    with pytest.raises(ValidationError, match="too large"):
        parse_interval("9" * 5000)
    with pytest.raises(ValidationError, match="beyond the calendar"):
        add_months(date(9999, 12, 1), 1)


# Amounts of money


@FAST
@given(typed)
@example("1e309")
@example("NaN")
@example("inf")
@example("-5")
@example("0")
@example(" 1e309\n")  # the message held the line break
@example("0.001\x1f")  # and this control character (str.strip takes it for a space)
def test_an_amount_is_positive_bounded_and_in_cents_or_refused(text):
    amount = value_or_validation_error(parse_amount, text)
    if amount is not None:
        assert type(amount) is Decimal and amount.is_finite()
        assert Decimal("0.01") <= amount <= MAX_AMOUNT
        assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize("text", ["1e309", "NaN", "sNaN", "inf", "-inf", "-5", "-0", "0", "0.00"])
def test_no_amount_that_is_not_more_than_zero_and_finite(text):
    with pytest.raises(ValidationError):
        parse_amount(text)


@FAST
@given(st.decimals(min_value=Decimal("0.01"), max_value=MAX_AMOUNT, places=2))
def test_an_amount_in_cents_reads_back_as_itself_in_every_form(amount):
    for text in (str(amount), f"{amount:f}", f"{amount:,}", f" {amount:.2f} ", f"{amount:,.2f}"):
        assert parse_amount(text) == amount
    assert parse_amount(amount) == amount
    more = amount + Decimal("0.001")
    with pytest.raises(ValidationError):
        parse_amount(more)


def test_an_amount_refused_is_named_on_one_line_without_control_characters():
    """Found by the property above: the message repeated the amount as given, line break
    (or other control character at its ends) included."""
    with pytest.raises(ValidationError) as refused:
        parse_amount(" 1e309\n")
    assert refused.value.message == "1e309 is larger than Cockpit can store (999,999,999,999.99)"
    with pytest.raises(ValidationError) as refused:
        parse_amount("0.001\x1f")
    assert refused.value.message == "0.001 has more than two decimals"


@SLOW
@given(text=typed)
@example(text="-5")
@example(text="1e309")
def test_a_deal_stores_a_positive_amount_or_nothing(db, today, text):
    client = book.add_client("Ann Smith")
    before = Deal.select().count()
    try:
        deal = book.add_deal(client, text)
    except ValidationError:
        assert Deal.select().count() == before
        return
    stored = Deal.get_by_id(deal.id)
    assert stored.amount_cents > 0 and stored.amount == parse_amount(text)


# Text for the book: stored as given (trimmed), or refused; never a database error

any_text = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=60),  # lone surrogates too
    st.sampled_from(["[bold]x[/]", "\x1b[2J", "\x1b]0;title\x07", "A\udce9", "\u202eevil"]),
    typed,
)


@SLOW
@given(name=any_text, company=any_text, note=any_text)
@example(name="A\udce9", company="", note="")  # was UnicodeEncodeError from the database
@example(name="Ann", company="", note="x\udce9")
def test_client_text_is_stored_as_given_or_refused(db, today, name, company, note):
    try:
        client = book.add_client(name, company)
    except ValidationError as error:
        assert not any(unicodedata.category(c) == "Cc" for c in error.message)
    else:
        stored = Client.get_by_id(client.id)
        assert (stored.name, stored.company) == (name.strip(), company.strip())
        assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in stored.name)
    try:
        touch = book.add_interaction(
            Client.select().first() or book.add_client("Ann"), "note", summary=note
        )
    except ValidationError:
        return
    summary = Interaction.get_by_id(touch.id).summary
    assert summary == note.replace("\r\n", "\n").strip()


def test_text_that_is_not_utf8_is_refused_before_the_database():
    """Found by the property above: a lone surrogate (what Python makes of a command-line
    argument holding a byte that is not UTF-8) passed the checks and the database write
    raised UnicodeEncodeError."""
    with pytest.raises(ValidationError, match="not valid text"):
        book.clean_line("A\udce9", "a client's name")
    with pytest.raises(ValidationError, match="not valid text"):
        book.clean_text("x\udce9", "the summary")
