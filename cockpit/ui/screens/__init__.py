"""Screens for modes, modals for short tasks."""
