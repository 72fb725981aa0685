from django.apps import AppConfig


class AchievementsConfig(AppConfig):
    name = "plugins.achievements"
    label = "achievements"
    verbose_name = "Achievements"

    def ready(self):
        from plugins.achievements import subscribers  # noqa: F401  (event subscribers and signals)
