"""A team book's [health] settings: stored in the book, the same for every member.

On a book on PostgreSQL the thresholds that make the verdicts are the team's, kept in
`cockpit_meta` as `health.NAME`: everyone reads them, only a manager (or the role that
owns the book) changes them, and the server holds to that. A member's own [health] in
config.toml is ignored there. A setting never stored is the default. On a SQLite book
the [health] settings are the user's own, in config.toml.
"""

from __future__ import annotations

import re
from dataclasses import asdict, fields

from cockpit.config import (
    HealthSettings,
    check_health_value,
    file_settings,
    health_setting_is_whole,
    use_team_health,
    without_retired,
)
from cockpit.errors import CockpitError, ConfigError, UsageError
from cockpit.notices import say_once
from cockpit.storage.models import BookInfo, database_proxy, set_info
from cockpit.storage.schema_version import TEAM_SETTING_PREFIX

NAMES = tuple(f.name for f in fields(HealthSettings))
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # as typed: ASCII digits, a point at most
_WHOLE = re.compile(r"-?[0-9]+")


def stored() -> dict[str, int | float]:
    """The team settings stored in the book (those set), by name."""
    rows = BookInfo.select(BookInfo.key, BookInfo.value).where(
        BookInfo.key.startswith(TEAM_SETTING_PREFIX)
    )
    values = {}
    found = {key[len(TEAM_SETTING_PREFIX) :]: text for key, text in database_proxy.execute(rows)}
    for name, text in without_retired(found, "the book's team settings").items():
        key = TEAM_SETTING_PREFIX + name
        if name not in NAMES:
            continue  # a setting of a newer Cockpit: this one has no use for it
        try:
            values[name] = _value(name, text, f"the team setting {key} stored in the book")
        except ConfigError as error:  # written around Cockpit (psql): the default stands
            say_once(f"{error.message}; its default applies until a manager sets it again")
    return values


def put_in_force() -> None:
    """Use the book's team settings for this run; say once (for this book and these
    settings of the user's) that the user's own [health] settings are not used."""
    use_team_health(HealthSettings(**stored()))
    own = file_settings().health
    if own != HealthSettings():
        from cockpit.locations import config_file_path

        say_once(
            f"your [health] settings in {config_file_path()} do not apply to a team book: "
            "its team settings do (cockpit settings lists them)",
            lasting=f"[health] ignored on {_book_name()}: {own!r}",
        )


def _book_name() -> str:
    db = database_proxy.obj
    return db.execute_sql("SELECT pg_catalog.current_database()").fetchone()[0] + (
        f" on {db.connect_params.get('host', '')}:{db.connect_params.get('port', '')}"
    )


def setting_name(text: str) -> str:
    """`health.honeymoon_days` (or `honeymoon_days`) as the setting's name."""
    name = text.strip().removeprefix(TEAM_SETTING_PREFIX)
    if name not in NAMES:
        known = ", ".join(TEAM_SETTING_PREFIX + known for known in NAMES)
        raise UsageError(f"{text!r} is not a team setting (team settings: {known})")
    return name


def change(name: str, text: str | None) -> None:
    """Set a team setting (None: back to its default), in force at once; when the
    honeymoon changes, every client's kept summary is made again in the same transaction."""
    from peewee import DatabaseError as PeeweeDatabaseError

    from cockpit.storage import book

    key = TEAM_SETTING_PREFIX + name
    values = stored()
    if text is None:
        values.pop(name, None)
    else:
        values[name] = _value(name, text, key)
    before = HealthSettings(**stored())
    try:
        with database_proxy.atomic():
            if text is None:
                BookInfo.delete().where(BookInfo.key == key).execute()
            else:
                set_info(key, str(values[name]))
            use_team_health(HealthSettings(**values))
            if name == "honeymoon_days":
                book.refresh_summaries()
    except PeeweeDatabaseError as error:
        use_team_health(before)
        if "row-level security" in str(error) or "permission denied" in str(error):
            raise CockpitError(
                "only a manager (a member of cockpit_manager) or the role that owns the book "
                "can change team settings"
            ) from None
        raise
    except BaseException:
        use_team_health(before)
        raise


def in_force() -> dict[str, int | float]:
    """Every team setting's value in force, set or default."""
    return {**asdict(HealthSettings()), **stored()}


def _value(name: str, text: str, where: str) -> int | float:
    whole = health_setting_is_whole(name)
    try:
        if not (_WHOLE if whole else _NUMBER).fullmatch(text.strip()):
            raise ValueError
        value = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise ConfigError(f"{where}: {name} must be {kind}, not {text!r}") from None
    check_health_value(name, value, where)
    return value
