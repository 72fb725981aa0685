import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_that_database_url_names():
    """CI runs the suite twice; this proves the second run really is on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_timestamps_read_from_postgresql_are_those_psycopg_reads():
    """``plugins.core.db.FastTzLoader`` parses timestamptz itself: every form PostgreSQL writes reads as
    psycopg's own parser reads it (with the connection's time zone), the ones it can't to psycopg."""
    if connection.vendor != "postgresql":
        pytest.skip("the loader is PostgreSQL's; SQLite stores text that Django parses")
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    samples = [
        "2024-05-01 10:20:30.123456+00",
        "2024-05-01 10:20:30.1+00",
        "2024-05-01 10:20:30+00",
        "1999-12-31 23:59:59.999999-08",
        "2024-03-31 01:30:00+05:30",
        "0001-01-01 00:00:00+00",
        "9999-12-31 23:59:59.999999+00",
    ]
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(cursor.cursor.adapters.types["timestamptz"].oid, 0)
        assert loader.__name__ == "FastTzLoader"
        reference = type("Reference", (BaseTzLoader,), {"timezone": connection.timezone})(
            cursor.cursor.adapters.types["timestamptz"].oid, cursor.cursor
        )
        for sample in samples:
            cursor.execute("SELECT %s::timestamptz, (%s::timestamptz)::text", [sample, sample])
            value, text = cursor.fetchone()
            expected = reference.load(text.encode())
            assert value == expected and value.tzinfo == expected.tzinfo == connection.timezone, sample
        # Text fromisoformat refuses (a year past 9999) goes to psycopg, which says what it always said.
        with pytest.raises(Exception, match="year"):
            cursor.execute("SELECT '10000-01-01 00:00:00+00'::timestamptz")
            cursor.fetchone()
