"""User settings, read once from `config.toml` in the user's config directory.

Every setting has a default, so the file is optional. Unknown keys are refused
with a message naming them, so a typo never silently does nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cockpit.email_addresses import is_address
from cockpit.errors import ConfigError, UsageError
from cockpit.locations import config_file_path

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class HealthSettings:
    """The thresholds of the relationship-health rules (README, "How Cockpit judges")."""

    honeymoon_days: int = 90  # the honeymoon: this many days from the won date
    min_honeymoon_touches: int = 3  # touch days needed to say how often it was then
    cadence_core_days: int = 30  # the keep-in-touch cadence of a core client,
    cadence_other_days: int = 60  # of the others,
    cadence_peripheral_days: int = 90  # and of a peripheral one, unless the client has its own
    cadence_tolerance: float = 1.25  # drifting: no touch for this many cadences
    honeymoon_silence_days: int = 21  # in the honeymoon, drifting after a silence this long...
    honeymoon_silence_factor: float = 3.0  # ...or this many of its usual gaps, if longer
    lapsed_days: int = 365  # lapsed: no touch for this long
    stake_days: int = 730  # what is at stake: the revenue of this trailing window
    stake_high_share: float = 0.10  # a big stake: this share of it (or pinned as strategic)
    stake_some_share: float = 0.02  # some stake
    core_share: float = 0.8  # core: the clients that bring this share of revenue
    window_days: int = 365  # revenue and time are counted over this trailing window
    recent_days: int = 90  # the give ratio and how often lately look this far back
    give_ratio_floor: float = 0.5  # fewer gives than this share of touches: "mostly asks"
    referral_every_days: int = 180  # a referral ask is due this long after the last one
    small_book: int = 12  # below this many clients, peripheral means intensity >= ...
    small_book_intensity: float = 2.0

    def cadence_days(self, tier: str) -> int:
        """The keep-in-touch cadence of a tier, for a client without its own."""
        return {
            "core": self.cadence_core_days,
            "peripheral": self.cadence_peripheral_days,
        }.get(tier, self.cadence_other_days)


# [health] settings of earlier rules: accepted for one release with a one-line warning.
RENAMED_HEALTH = {
    "plan_core_days": "cadence_core_days",
    "plan_other_days": "cadence_other_days",
    "plan_peripheral_days": "cadence_peripheral_days",
}
RETIRED_HEALTH = frozenset({"drift_factor", "lapse_factor", "plan_factor", "plan_min_days"})


def without_retired(raw: dict, where: str) -> dict:
    """[health] settings with those of earlier rules renamed or left out, each said once."""
    from cockpit.notices import say_once

    kept = {}
    for name, value in raw.items():
        if name in RENAMED_HEALTH:
            new = RENAMED_HEALTH[name]
            say_once(f"{where}: {name} is now called {new}; rename it (the old name goes soon)")
            if new not in raw:
                kept[new] = value
        elif name in RETIRED_HEALTH:
            say_once(
                f"{where}: {name} is no longer used (README, How Cockpit judges a "
                "relationship); remove it"
            )
        else:
            kept[name] = value
    return kept


@dataclass(frozen=True)
class MailSettings:
    """How `cockpit today --mail` reaches a mail server (config.toml's [mail] table). The
    password is never a setting: it comes from an environment variable (`password_env`)
    or a command's output (`password_command`), when it is needed."""

    host: str | None = None
    port: int | None = None  # default: 465 with ssl, else 587
    starttls: bool | None = None  # default: true, unless ssl
    ssl: bool = False  # implicit TLS from the first byte (port 465)
    user: str | None = None  # logs in when set
    sender: str | None = None  # the `from` setting: "you@example.com" or "Ann <ann@x.com>"
    password_env: str | None = None  # the name of the environment variable holding it
    password_command: str | None = None  # a command printing it (run without a shell)
    cafile: str | None = None  # the certificates to trust instead of the system's

    @property
    def port_used(self) -> int:
        return self.port or (465 if self.ssl else 587)

    @property
    def uses_starttls(self) -> bool:
        return not self.ssl and self.starttls is not False


@dataclass(frozen=True)
class Settings:
    currency: str = "USD"  # the home currency: only deals in it are summed as revenue
    reply_within_days: int = 3  # a client's message unanswered this long is in the review
    timezone: str | None = None  # an IANA name; None means the machine's own
    rep: str | None = None  # who you are on a SQLite book (owner of new clients); login name
    capacity_hours_per_week: float | None = None  # the hours a week you have for your clients
    me: tuple[str, ...] = ()  # your own email addresses, which imports of calendars know you by
    health: HealthSettings = HealthSettings()
    mail: MailSettings = MailSettings()


def _check_known(raw: dict, cls: type, where: str) -> None:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(
            f"{where}: unknown setting {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )


# The largest value each [health] setting takes; days settings default to ten years.
_HEALTH_LIMIT = {
    "cadence_tolerance": 100,
    "honeymoon_silence_factor": 100,
    "stake_high_share": 1,
    "stake_some_share": 1,
    "core_share": 1,
    "give_ratio_floor": 1,
    "min_honeymoon_touches": 1000,
    "small_book": 1_000_000,
    "small_book_intensity": 1000,
}


def _health(raw: object, path: str) -> HealthSettings:
    where = f"{path} [health]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table of settings")
    raw = without_retired(raw, where)
    _check_known(raw, HealthSettings, where)
    for name, value in raw.items():
        check_health_value(name, value, where)
    return HealthSettings(**{key: value for key, value in raw.items()})


def health_setting_is_whole(name: str) -> bool:
    return {f.name: f.type in ("int", int) for f in fields(HealthSettings)}[name]


def check_health_value(name: str, value: object, where: str) -> None:
    """Refuse a value a [health] setting cannot take, naming `where` it came from."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{where}: {name} must be a number")
    if health_setting_is_whole(name) and not isinstance(value, int):
        raise ConfigError(f"{where}: {name} must be a whole number")
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(f"{where}: {name} must be a number above zero")
    if value > _HEALTH_LIMIT.get(name, 3650):
        raise ConfigError(
            f"{where}: {name} = {value} is out of range (at most {_HEALTH_LIMIT.get(name, 3650)})"
        )


_MAIL_KEYS = {f.name: f.name for f in fields(MailSettings) if f.name != "sender"} | {
    "from": "sender"
}
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MAIL_TEXT = ("host", "user", "from", "password_env", "password_command", "cafile")


def _mail(raw: object, path: str) -> MailSettings:
    """The [mail] table, each value checked; whether it says enough to send is for
    `check_mail` to say when a mail is to be sent."""
    where = f"{path} [mail]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a table of settings")
    if "password" in raw:
        raise ConfigError(
            f"{where}: Cockpit never reads a password from its settings; remove password and "
            "set password_env (the name of an environment variable holding it) or "
            "password_command (a command that prints it)"
        )
    unknown = sorted(set(raw) - set(_MAIL_KEYS))
    if unknown:
        known = ", ".join(sorted(_MAIL_KEYS))
        raise ConfigError(f"{where}: unknown setting {', '.join(unknown)} (known: {known})")
    for name in _MAIL_TEXT:
        value = raw.get(name)
        if value is not None and (
            not isinstance(value, str) or not value.strip() or not value.isprintable()
        ):
            raise ConfigError(f'{where}: {name} must be a line of text, such as {name} = "…"')
    for name in ("starttls", "ssl"):
        if name in raw and not isinstance(raw[name], bool):
            raise ConfigError(f"{where}: {name} must be true or false")
    port = raw.get("port")
    if port is not None and (
        isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536
    ):
        raise ConfigError(f"{where}: port must be a port number, such as 587")
    if raw.get("ssl") and raw.get("starttls"):
        raise ConfigError(
            f"{where}: ssl (implicit TLS, port 465) and starttls (port 587) exclude each "
            "other; keep one"
        )
    if "password_env" in raw and "password_command" in raw:
        raise ConfigError(f"{where}: set password_env or password_command, not both")
    if "password_env" in raw and not _ENV_NAME.match(raw["password_env"]):
        raise ConfigError(
            f"{where}: password_env is the name of an environment variable, such as "
            'password_env = "COCKPIT_MAIL_PASSWORD"'
        )
    if ("password_env" in raw or "password_command" in raw) and "user" not in raw:
        raise ConfigError(f"{where}: a password is for logging in: set user too")
    return MailSettings(**{_MAIL_KEYS[name]: value for name, value in raw.items()})


def _validated(raw: dict, path: str) -> Settings:
    _check_known(raw, Settings, path)
    if "health" in raw:
        raw = {**raw, "health": _health(raw["health"], path)}
    if "mail" in raw:
        raw = {**raw, "mail": _mail(raw["mail"], path)}
    if "reply_within_days" in raw:
        check_reply_within(raw["reply_within_days"], path)
    settings = Settings(**raw)
    if not isinstance(settings.currency, str) or not CURRENCY_CODE.match(settings.currency):
        raise ConfigError(f"{path}: currency must be a three-letter code such as EUR or USD")
    if settings.rep is not None and (not isinstance(settings.rep, str) or not settings.rep.strip()):
        raise ConfigError(f'{path}: rep must be a name, such as rep = "alice"')
    if settings.capacity_hours_per_week is not None:
        check_capacity(settings.capacity_hours_per_week, path)
    if "me" in raw:
        settings = replace(settings, me=_addresses(raw["me"], path))
    if settings.timezone is not None:
        try:
            ZoneInfo(str(settings.timezone))
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ConfigError(
                f"{path}: unknown timezone {settings.timezone!r} (use a name such as Europe/Paris)"
            ) from None
    return settings


def _addresses(value: object, path: str) -> tuple[str, ...]:
    """The `me` setting: your addresses, a list of them (or one)."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(item, str) for item in values):
        raise ConfigError(
            f'{path}: me must be a list of your email addresses, such as me = ["ann@acme.com"]'
        )
    for item in values:
        text = item.strip()
        if "@" not in text or any(char.isspace() for char in text) or len(text) > 254:
            raise ConfigError(f"{path}: me: {item!r} is not an email address")
    return tuple(item.strip() for item in values)


CAPACITY_MOST_HOURS = 168  # the hours of a week


def check_capacity(value: object, where: str) -> float:
    """The capacity setting's value, refused with a message naming `where` it came from."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{where}: capacity_hours_per_week must be a number of hours, such as 10")
    if not 0 < value <= CAPACITY_MOST_HOURS:
        raise ConfigError(
            f"{where}: capacity_hours_per_week = {value} is out of range "
            f"(above 0, at most {CAPACITY_MOST_HOURS}: the hours of a week)"
        )
    return float(value)


REPLY_WITHIN_MOST_DAYS = 365


def check_reply_within(value: object, where: str) -> int:
    """The reply_within_days setting's value, refused with a message naming `where`."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{where}: reply_within_days must be a whole number of days, such as 3")
    if not 1 <= value <= REPLY_WITHIN_MOST_DAYS:
        raise ConfigError(
            f"{where}: reply_within_days = {value} is out of range "
            f"(1 to {REPLY_WITHIN_MOST_DAYS} days)"
        )
    return value


EXAMPLE_ADDRESS = "ann@acme.com"  # as the `me` setting's message says it


class MyAddressesMissing(UsageError):
    """Mail to import, and no address of the user's to tell theirs from their clients'."""


def my_addresses(given: Sequence[str] = ()) -> tuple[str, ...]:
    """Your email addresses for an import that needs them (mail): those given on the
    command line (`--me`), else the `me` setting's, each once. UsageError when one given
    is not an address, or when there are none, saying both ways of giving them."""
    for each in given:
        if not is_address(each.strip()):
            raise UsageError(
                f"--me {each}: not an email address (give the address alone, such as "
                f"--me {EXAMPLE_ADDRESS})"
            )
    found = tuple(dict.fromkeys(each.strip() for each in (given or settings().me)))
    if not found:
        raise MyAddressesMissing(
            f"which mail is yours? Give your address with --me (--me {EXAMPLE_ADDRESS}; "
            f'repeat it for each), or set me = ["{EXAMPLE_ADDRESS}"] in {config_file_path()}'
        )
    return found


def local_rep() -> str:
    """Who uses a SQLite book: the `rep` setting, else the login name ("" if none)."""
    import getpass

    try:
        return settings().rep or getpass.getuser()
    except (KeyError, OSError):  # no login name on this system
        return ""


# A team book's [health] settings, stored in the book, in force while it is open.
_team_health: HealthSettings | None = None


def use_team_health(health: HealthSettings | None) -> None:
    """Put a team book's [health] settings in force over the file's (None: the file's)."""
    global _team_health
    _team_health = health
    settings.cache_clear()


@cache
def settings() -> Settings:
    """The settings in force: the config file's, with a team book's [health] settings
    over its own while such a book is open."""
    found = file_settings()
    return found if _team_health is None else replace(found, health=_team_health)


@cache
def file_settings() -> Settings:
    """The settings of the config file, when there is one."""
    path = config_file_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None
    import tomllib  # only with a file to read: every command starts here

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    return _validated(raw, str(path))
