from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "plugins.demo"
    label = "demo"
    verbose_name = "Demo data"
