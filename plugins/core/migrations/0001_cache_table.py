"""The database cache's table, made whatever CACHE_URL is while migrating.

It used to be made after ``migrate`` only when the database was the configured cache, so a database
migrated during development (locmem) or with Redis answered every request with a 500 once served with
the database cache. ``createcachetable`` leaves a table that exists alone, so databases that have it
already migrate unchanged.
"""

from django.core.management import call_command
from django.db import migrations

# cms.cache_config.DATABASE_CACHE_TABLE, as it was when this migration was written (a migration is history).
DATABASE_CACHE_TABLE = "cms_cache"


def make_cache_table(apps, schema_editor):
    call_command("createcachetable", DATABASE_CACHE_TABLE, database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(make_cache_table, migrations.RunPython.noop, elidable=False)]
