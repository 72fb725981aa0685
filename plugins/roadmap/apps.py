from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "plugins.roadmap"
    label = "roadmap"
    verbose_name = "Public roadmap"
