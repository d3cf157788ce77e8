"""Showing user text safely; dates without a year; today; settings."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cockpit import clock
from cockpit.config import settings
from cockpit.dates import ago
from cockpit.errors import ConfigError, ValidationError
from cockpit.partial_date import PartialDate
from cockpit.text import printable, safe_text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Plain Name", "Plain Name"),
        ("\x1b]0;pwned\x07Ann", "␛]0;pwned␇Ann"),
        ("\x1b[2J", "␛[2J"),
        ("a\x00b\x7fc\x9bd", "a␀b␡c\ufffdd"),
        ("two\nlines\ttab", "two lines tab"),
        ("مرحبا 👋 Zoë", "مرحبا 👋 Zoë"),
    ],
)
def test_control_characters_become_visible_symbols(raw, shown):
    assert printable(raw) == shown


def test_multiline_text_keeps_its_line_breaks():
    assert printable("one\r\ntwo\x1b", multiline=True) == "one\ntwo␛"


def test_safe_text_is_never_markup():
    text = safe_text("[bold red]Evil[/] [link=http://x]y[/link]")
    assert text.plain == "[bold red]Evil[/] [link=http://x]y[/link]"
    assert not text.spans


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("1975-04-15", PartialDate(1975, 4, 15)),
        ("--04-15", PartialDate(None, 4, 15)),
        ("--0415", PartialDate(None, 4, 15)),
        (" --02-29 ", PartialDate(None, 2, 29)),
    ],
)
def test_partial_dates_parse(typed, parsed):
    assert PartialDate.parse(typed) == parsed
    assert PartialDate.parse(parsed.iso()) == parsed


@pytest.mark.parametrize("typed", ["2026-02-30", "2025-02-29", "--13-01", "--04-31", "April", ""])
def test_impossible_dates_are_refused(typed):
    with pytest.raises(ValidationError):
        PartialDate.parse(typed)


def test_next_occurrence_and_age():
    birthday = PartialDate(1980, 11, 25)
    assert birthday.next_occurrence(date(2026, 11, 23)) == date(2026, 11, 25)
    assert birthday.next_occurrence(date(2026, 11, 26)) == date(2027, 11, 25)
    assert birthday.age_on(date(2026, 11, 24)) == 45
    assert birthday.age_on(date(2026, 11, 25)) == 46
    assert PartialDate(None, 11, 25).age_on(date(2026, 11, 25)) is None
    assert PartialDate(None, 2, 29).next_occurrence(date(2027, 1, 1)) == date(2027, 2, 28)


def test_ago_speaks_in_words():
    today = date(2026, 11, 23)
    assert ago(None, today) == "never"
    assert ago(today, today) == "today"
    assert ago(date(2026, 11, 22), today) == "yesterday"
    assert ago(date(2026, 11, 20), today) == "3 days ago"
    assert ago(date(2026, 11, 16), today) == "7 days ago"
    assert ago(date(2026, 11, 10), today) == "13 days ago"  # not "a week ago"
    assert ago(date(2026, 11, 8), today) == "2 weeks ago"
    assert ago(date(2026, 11, 2), today) == "3 weeks ago"
    assert ago(date(2026, 10, 9), today) == "6 weeks ago"  # 45 days: not "a month ago"
    assert ago(date(2026, 9, 23), today) == "2 months ago"
    assert ago(date(2026, 8, 20), today) == "3 months ago"
    assert ago(date(2025, 12, 1), today) == "a year ago"
    assert ago(date(2025, 11, 20), today) == "a year ago"
    assert ago(date(2023, 11, 1), today) == "3 years ago"
    assert ago(date(2026, 11, 26), today) == "in 3 days"


def test_cockpit_today_fixes_the_date_and_now(monkeypatch):
    monkeypatch.setenv("COCKPIT_TODAY", "2030-01-02")
    assert clock.today() == date(2030, 1, 2)
    assert clock.local_day(clock.now_utc()) == date(2030, 1, 2)


def test_a_bad_cockpit_today_is_named(monkeypatch):
    monkeypatch.setenv("COCKPIT_TODAY", "tomorrow")
    with pytest.raises(ConfigError, match="COCKPIT_TODAY"):
        clock.today()


def test_settings_come_from_the_config_file(write_config):
    assert settings().currency == "USD"
    write_config('currency = "EUR"\ntimezone = "Asia/Tokyo"\n[health]\nhoneymoon_days = 60\n')
    assert settings().currency == "EUR"
    assert settings().health.honeymoon_days == 60
    assert settings().health.core_share == 0.8
    assert clock.local_day(datetime(2026, 3, 1, 20, 0)) == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("currency = ", "not valid TOML"),
        ('colour = "red"\n', "unknown setting colour"),
        ('timezone = "Mars/Olympus"\n', "unknown timezone"),
        ("currency = 3\n", "three-letter code"),
        ('timezone = "Europe"\n', "unknown timezone"),
        ("[health]\ncadence_tolerance = inf\n", "number above zero"),
        ("[health]\ncadence_tolerance = nan\n", "number above zero"),
        ("[health]\nhoneymoon_days = 0\n", "number above zero"),
        ("[health]\nhoneymoon_days = 2.5\n", "whole number"),
        ("[health]\ncore_share = 1.5\n", "out of range"),
        ("[health]\nhoneymoon_days = 99999999\n", "out of range"),
        ("[health]\nhoneymon_days = 30\n", "unknown setting honeymon_days"),
        ('health = "yes"\n', "must be a table"),
    ],
)
def test_a_bad_config_file_is_refused_with_its_path(write_config, content, message):
    path = write_config(content)
    with pytest.raises(ConfigError, match=message) as caught:
        settings()
    assert str(path) in caught.value.message


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("  Ann  SMITH ", "ann smith"),
        ("José Müller", "jose muller"),
        ("Straße", "strasse"),
        ("x\tY", "x y"),
    ],
)
def test_folding_for_search_is_the_same_on_the_fast_ascii_path(text, folded):
    from cockpit.search import fold

    assert fold(text) == folded


def test_counted_things_agree_with_their_number():
    from cockpit.text import counted

    assert counted(1, "weekly review") == "1 weekly review"
    assert counted(2, "weekly review") == "2 weekly reviews"
    assert counted(0, "client") == "0 clients"
    assert counted(1, "reply", "replies") == "1 reply"
    assert counted(3, "reply", "replies") == "3 replies"
