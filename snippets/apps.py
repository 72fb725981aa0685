from django.apps import AppConfig


class SnippetsConfig(AppConfig):
    name = "snippets"
    label = "community_snippets"
    verbose_name = "Community admin"
