from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "plugins.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.db.backends.signals import connection_created

        from plugins.core import metrics  # noqa: F401  (task and store counters)
        from plugins.core.db import use_fast_timestamps

        connection_created.connect(use_fast_timestamps, dispatch_uid="core-fast-timestamps")
        from plugins.core import checks  # noqa: F401  (the backends' start-up checks)
