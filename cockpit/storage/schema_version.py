"""The schema version this Cockpit writes, and the keys of the facts a book keeps about
itself; apart from the migrations so the cockpit's first page can check a book without
loading Peewee."""

SCHEMA_VERSION = 15  # bump with a new step in migrations.py
SCHEMA_VERSION_KEY = "schema_version"
HONEYMOON_DAYS_KEY = "honeymoon_days"  # the honeymoon length behind client.honeymoon_end
TEAM_SETTING_PREFIX = "health."  # a team book's shared [health] settings: health.NAME
