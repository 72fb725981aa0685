from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "plugins.assets"
    label = "assets"
    verbose_name = "Images and files"
