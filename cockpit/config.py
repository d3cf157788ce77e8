"""User settings, read once from `config.toml` in the user's config directory.

Every setting has a default, so the file is optional. Unknown keys are refused
with a message naming them, so a typo never silently does nothing.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cockpit.errors import ConfigError
from cockpit.locations import config_file_path

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Settings:
    currency: str = "USD"  # the home currency: only deals in it are summed as revenue
    timezone: str | None = None  # an IANA name; None means the machine's own


def _validated(raw: dict, path: str) -> Settings:
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    settings = Settings(**raw)
    if not isinstance(settings.currency, str) or not CURRENCY_CODE.match(settings.currency):
        raise ConfigError(f"{path}: currency must be a three-letter code such as EUR or USD")
    if settings.timezone is not None:
        try:
            ZoneInfo(str(settings.timezone))
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"{path}: unknown timezone {settings.timezone!r} (use a name such as Europe/Paris)"
            ) from None
    return settings


@cache
def settings() -> Settings:
    """The settings in force, from the config file when there is one."""
    path = config_file_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    return _validated(raw, str(path))
