from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "plugins.forum"
    label = "forum"
    verbose_name = "Community forum"

    def ready(self):
        from plugins.forum import subscribers  # noqa: F401  (reply e-mails)
