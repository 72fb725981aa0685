from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "plugins.teams"
    label = "teams"
    verbose_name = "Small teams"
