from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "plugins.jobs"
    label = "jobs"
    verbose_name = "Job listings"
