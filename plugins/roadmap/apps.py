from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "plugins.roadmap"
    label = "roadmap"
    verbose_name = "Public roadmap"

    def ready(self):
        from plugins.roadmap import subscribers  # noqa: F401  (followers' e-mails)
