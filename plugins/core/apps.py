from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "plugins.core"
    label = "core"
    verbose_name = "Core"
