"""The widgets of the cockpit screen, one per file."""
