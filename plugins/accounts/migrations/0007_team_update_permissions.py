"""Editors manage the roadmap's team updates (listed under Community beside the roadmap); Moderators see them.

The roadmap's permissions (0002) were granted before team updates existed, so until now only a
superuser could open their list.
"""

from django.db import migrations

EDITOR_ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="roadmap", model="teamupdate")
    permissions = {
        action: Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_teamupdate", defaults={"name": f"Can {action} team update"}
        )[0]
        for action in EDITOR_ACTIONS
    }
    Group.objects.get(name="Editors").permissions.add(*permissions.values())
    Group.objects.get(name="Moderators").permissions.add(permissions["view"])


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="roadmap", codename__endswith="_teamupdate").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_user_document_ids"),
        ("roadmap", "0004_posthog_schema"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
