from django.apps import AppConfig


class SiteBuildConfig(AppConfig):
    name = "plugins.sitebuild"
    label = "sitebuild"
    verbose_name = "Static site build"
