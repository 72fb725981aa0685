"""Database connection set-up the read path's speed depends on.

Django (5.2) reads every ``timestamptz`` through its own subclass of psycopg's pure-Python loader (so
that the value carries the connection's time zone), and that parser was about a seventh of a populated
list's time: two timestamps a row, thousands of rows. ``FastTzLoader`` parses the same text with
``datetime.fromisoformat`` (C) and keeps Django's contract: the connection's time zone put on the
value, as Django's own loader does. Text it can't read (years past 9999, BC dates, ``infinity``) goes
to psycopg's parser, which gives what it always gave.
"""

from __future__ import annotations

from datetime import datetime


def use_fast_timestamps(sender, connection, **kwargs) -> None:
    """On a new PostgreSQL connection, read ``timestamptz`` with ``FastTzLoader`` (``connection_created``)."""
    if connection.vendor != "postgresql":
        return
    from django.db.backends.postgresql import psycopg_any

    if not psycopg_any.is_psycopg3:
        return

    class FastTzLoader(psycopg_any.BaseTzLoader):
        # Django's ``cursor()`` compares this with the connection's time zone and, when they differ,
        # registers its own loader on the cursor: both stay right if the setting changes.
        timezone = connection.timezone

        def load(self, data):
            try:
                value = datetime.fromisoformat(bytes(data).decode())
            except ValueError:
                return super().load(data)
            # In UTC (the connection's zone, as Django sets it) the value already has it: no copy.
            return value if value.tzinfo is self.timezone else value.replace(tzinfo=self.timezone)

    connection.connection.adapters.register_loader("timestamptz", FastTzLoader)
