"""Where Cockpit keeps its data and configuration on this platform."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_data_path

APP_NAME = "cockpit"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    return user_config_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    return user_cache_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    return data_dir() / "cockpit.db"


def demo_database_path() -> Path:
    return data_dir() / "demo.db"


def config_file_path() -> Path:
    return config_dir() / "config.toml"
