"""Editors configure outgoing webhooks and read their delivery log and the site builds."""

from django.db import migrations

EDITOR_PERMISSIONS = [
    ("notifications", "webhook", "webhook", ("add", "change", "delete", "view")),
    ("notifications", "webhookdelivery", "webhook delivery", ("view",)),
    ("sitebuild", "sitebuild", "site build", ("view",)),
]


def _permission(apps, app_label, model, action, verbose_name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {verbose_name}"}
    )
    return permission


def grant(apps, schema_editor):
    editors = apps.get_model("auth", "Group").objects.get(name="Editors")
    for app_label, model, verbose_name, actions in EDITOR_PERMISSIONS:
        editors.permissions.add(*[_permission(apps, app_label, model, a, verbose_name) for a in actions])


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label__in=["notifications", "sitebuild"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_forum"),
        ("notifications", "0001_webhooks"),
        ("sitebuild", "0001_site_builds"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
