from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "plugins.profiles"
    label = "profiles"
    verbose_name = "Community profiles"

    def ready(self):
        from plugins.profiles import signals, subscribers  # noqa: F401  (team-role receivers, event subscribers)
