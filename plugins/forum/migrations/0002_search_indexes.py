"""PostgreSQL indexes that make full-text search fast on a big forum (nothing to do elsewhere).

Wagtail's PostgreSQL search matches ``title || body`` and joins entries to rows on ``id::varchar``;
without indexes on exactly those expressions every search scans the index table and the questions.
"""

from django.db import migrations

TABLES = ("forum_question", "forum_reply", "profiles_profile")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_entry_title_body ON wagtailsearch_indexentry USING GIN ((title || body))"
    )
    for table in TABLES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_id_text ON {table} (((id)::varchar(50)::text))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_entry_title_body")
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_id_text")


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0001_initial"),
        ("profiles", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
