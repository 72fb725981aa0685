from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "plugins.points"
    label = "points"
    verbose_name = "Points"

    def ready(self):
        from plugins.points import subscribers  # noqa: F401  (points from activity)
