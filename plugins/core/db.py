"""Database connection set-up the read path's speed depends on.

Django (5.2) reads every ``timestamptz`` through its own subclass of psycopg's pure-Python loader (so
that the value carries the connection's time zone), and that parser was about a seventh of a populated
list's time: two timestamps a row, thousands of rows. In UTC, the zone Django gives the connection
unless ``DATABASES`` names another, ``FastTzLoader`` parses the same text with
``datetime.fromisoformat`` (C) and gives the same value. Text it can't read (years past 9999, BC dates,
``infinity``) goes to psycopg's parser, which gives what it always gave. In any other zone Django's own
loader stays: it converts a value to the zone, which keeps the repeated hour of a daylight-saving
change apart, where putting the zone on the text's wall time would not.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache


def use_fast_timestamps(sender, connection, **kwargs) -> None:
    """On a new PostgreSQL connection in UTC, read ``timestamptz`` with ``FastTzLoader`` (``connection_created``)."""
    if connection.vendor != "postgresql" or connection.timezone is not UTC:
        return
    loader = _fast_tz_loader()
    if loader is not None:
        connection.connection.adapters.register_loader("timestamptz", loader)


@cache
def _fast_tz_loader():
    """The loader class, made once (not a class per connection)."""
    from django.db.backends.postgresql import psycopg_any

    if not psycopg_any.is_psycopg3:
        return None

    class FastTzLoader(psycopg_any.BaseTzLoader):
        # Django's ``cursor()`` compares this with the connection's time zone and, when they differ,
        # registers its own loader on the cursor.
        timezone = UTC

        def load(self, data):
            try:
                value = datetime.fromisoformat(bytes(data).decode())
            except ValueError:
                return super().load(data)
            # The session is in UTC: the text's offset is +00, and fromisoformat gives UTC itself.
            return value if value.tzinfo is UTC else value.astimezone(UTC)

    return FastTzLoader
