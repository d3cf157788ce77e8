"""Cockpit: a keyboard-driven relationship cockpit for salespeople.

Nothing is imported here eagerly: `cockpit log` and other shell commands must
start without paying for Textual or the database layer.
"""

__version__ = "0.1.0"
