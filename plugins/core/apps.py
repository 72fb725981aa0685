from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "plugins.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from plugins.core import metrics  # noqa: F401  (task and store counters)
        from plugins.core.db import use_fast_timestamps

        connection_created.connect(use_fast_timestamps, dispatch_uid="core-fast-timestamps")
        post_migrate.connect(_make_cache_table, sender=self, dispatch_uid="core-cache-table")


def _make_cache_table(using="default", **kwargs):
    """With the database as the shared cache, ``migrate`` makes its table (once; again is a no-op)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
