from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "plugins.rewards"
    label = "rewards"
    verbose_name = "Rewards store"

    def ready(self):
        from plugins.rewards import subscribers  # noqa: F401  (the monitoring webhook)
