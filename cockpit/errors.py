"""Errors a user may see: each carries a one-line message, never a traceback."""

from __future__ import annotations


class CockpitError(Exception):
    """A condition we can name and explain in one line."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(CockpitError):
    """Bad arguments or input given on the command line."""

    exit_code = 2


class ValidationError(CockpitError):
    """A value a user typed or imported that Cockpit cannot store."""

    exit_code = 2


class DatabaseError(CockpitError):
    """The database cannot be opened or used; the message names the path."""


class ConfigError(CockpitError):
    """The configuration file or an environment setting is wrong."""


class DeliveryError(CockpitError):
    """A mail or a notification was tried and did not go through (the server refused it,
    the connection or its encryption failed, notify-send failed)."""

    exit_code = 3
