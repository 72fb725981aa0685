from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "plugins.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
