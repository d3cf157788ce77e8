"""Marks for the tests that need an optional extra of Cockpit (pyproject.toml)."""

from __future__ import annotations

import importlib

import pytest


def _missing(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return True
    return False


# The `postgres` extra: psycopg, the PostgreSQL driver. Without it a PostgreSQL URL is refused
# for the missing driver before anything else about it is looked at.
needs_psycopg = pytest.mark.skipif(
    _missing("psycopg"),
    reason="needs the postgres extra (psycopg): pip install -e '.[test,postgres]'",
)
