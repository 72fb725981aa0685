from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "plugins.profiles"
    label = "profiles"
    verbose_name = "Community profiles"

    def ready(self):
        from plugins.profiles import signals  # noqa: F401  (connects the team-role receivers)
