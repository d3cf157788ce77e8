"""The mail settings (issue 25, point 2): `me`, your addresses, from config.toml or
`--me`, refused for mail when neither gives one; and `reply_within_days`, 3 unless
set. (The `me` setting is read as the calendar import reads it.)"""

from __future__ import annotations

import pytest

from cockpit.config import my_addresses, settings
from cockpit.errors import ConfigError, UsageError


def test_without_settings_no_address_is_yours_and_replies_are_due_in_3_days():
    assert settings().me == ()
    assert settings().reply_within_days == 3


def test_me_is_a_list_of_addresses(write_config):
    write_config('me = ["ann@acme.example", " ann.lee@acme.example "]\n')
    assert settings().me == ("ann@acme.example", "ann.lee@acme.example")
    write_config('me = "ann@acme.example"\n')
    assert settings().me == ("ann@acme.example",)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("me = 3", r"me must be a list of your email addresses, such as me = \["),
        ('me = ["ann@acme.example", 4]', "me must be a list of your email addresses"),
        (
            'me = ["Ann <ann@acme.example>"]',
            r"me: 'Ann <ann@acme.example>' is not an email address",
        ),
        ('me = ["ann"]', "me: 'ann' is not an email address"),
    ],
)
def test_a_bad_me_is_refused_by_name(write_config, line, message):
    path = write_config(line + "\n")
    with pytest.raises(ConfigError, match=message) as refused:
        settings()
    assert refused.value.message.startswith(str(path))


def test_reply_within_days(write_config):
    write_config("reply_within_days = 5\n")
    assert settings().reply_within_days == 5
    for value, message in (
        ("0", "reply_within_days = 0 is out of range .1 to 365 days."),
        ("400", "reply_within_days = 400 is out of range"),
        ("2.5", "reply_within_days must be a whole number of days, such as 3"),
        ("true", "reply_within_days must be a whole number of days"),
    ):
        write_config(f"reply_within_days = {value}\n")
        with pytest.raises(ConfigError, match=message):
            settings()


def test_my_addresses_are_the_command_lines_else_the_settings(write_config):
    """As calendars take them: `--me` stands for the setting for that import."""
    write_config('me = ["ann@acme.example", "ann@home.example"]\n')
    assert my_addresses(["sales@acme.example", " sales@acme.example"]) == ("sales@acme.example",)
    assert my_addresses() == ("ann@acme.example", "ann@home.example")


def test_without_either_way_the_error_names_both(home):
    with pytest.raises(UsageError) as refused:
        my_addresses()
    said = refused.value.message
    assert "--me ann@acme.com" in said
    path = home / "config" / "cockpit" / "config.toml"
    assert f'me = ["ann@acme.com"] in {path}' in said
    assert "\n" not in said
    assert refused.value.exit_code == 2


def test_a_bad_me_on_the_command_line_is_a_usage_error(write_config):
    write_config('me = ["ann@acme.example"]\n')
    for bad in ("ann", "Ann <ann@acme.example>", "ann\u202e@acme.example"):
        with pytest.raises(UsageError, match=r"--me .*: not an email address"):
            my_addresses([bad])
