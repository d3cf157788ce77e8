"""Writing one top-level setting into config.toml, the rest of the file left as the user
wrote it (comments, order, tables), all at once: a reader never sees half a file."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from cockpit.config import file_settings, settings
from cockpit.errors import ConfigError
from cockpit.locations import config_file_path

_TABLE = re.compile(r"^\s*\[")


def set_setting(name: str, value: float | int | str | list[str]) -> Path:
    """Write `name = value` among the top-level settings of config.toml (replacing the
    line that sets it, else before the first table), and put it in force. Refused, with
    the file unchanged, if the file is not valid TOML or the line cannot be placed."""
    import tomllib

    path = config_file_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from None
    line = f"{name} = {_toml(value)}"
    try:
        before = tomllib.loads(text)
        written = _with_line(text, name, line)
        after = tomllib.loads(written)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}; add {line} by hand") from None
    if after.get(name) != value or {k: v for k, v in after.items() if k != name} != {
        k: v for k, v in before.items() if k != name
    }:
        raise ConfigError(f"could not place the setting in {path}: add {line} by hand")
    _write(path, written)
    file_settings.cache_clear()
    settings.cache_clear()
    return path


def _toml(value: float | int | str | list[str]) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(each) for each in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def _with_line(text: str, name: str, line: str) -> str:
    lines = text.splitlines()
    first_table = next((at for at, each in enumerate(lines) if _TABLE.match(each)), len(lines))
    setting = re.compile(rf"^\s*{re.escape(name)}\s*=")
    for at in range(first_table):
        if setting.match(lines[at]):
            lines[at] = line
            return "\n".join(lines) + "\n"
    top = lines[:first_table]
    while top and not top[-1].strip():
        top.pop()
    rest = lines[first_table:]
    return "\n".join([*top, line, *([""] if rest else []), *rest]) + "\n"


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".toml")
    except OSError as error:
        raise ConfigError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise ConfigError(f"cannot write {path}: {error.strerror or error}") from None
