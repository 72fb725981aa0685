from django.apps import AppConfig


class AchievementsConfig(AppConfig):
    name = "plugins.achievements"
    label = "achievements"
    verbose_name = "Achievements"
