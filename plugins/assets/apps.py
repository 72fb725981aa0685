from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "plugins.assets"
    label = "assets"
    verbose_name = "Images and files"

    def ready(self):
        from plugins.assets import signals  # noqa: F401  (makes formats on upload)
