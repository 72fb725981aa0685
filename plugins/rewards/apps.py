from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "plugins.rewards"
    label = "rewards"
    verbose_name = "Rewards store"
