from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "plugins.points"
    label = "points"
    verbose_name = "Points"
