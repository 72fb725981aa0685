from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    label = "api"
    verbose_name = "REST API"

    def ready(self):
        from django.db.models.signals import post_migrate

        from api import checks, content_types  # noqa: F401  (registers every content type, and their check)

        post_migrate.connect(_default_permissions, sender=self)

        from django.db.models.signals import post_save

        from api.me_views import forget_achievement_summaries
        from plugins.achievements.models import Achievement

        post_save.connect(forget_achievement_summaries, sender=Achievement, dispatch_uid="api-achievement-summaries")

        from api import webhook_events

        webhook_events.connect()


def _default_permissions(**kwargs):
    """Sane defaults for the role matrix after every migrate; rows already edited stay as they are."""
    from api.permissions import ensure_default_permissions

    ensure_default_permissions()
