"""Editors manage the roadmap's team updates (listed under Community beside the roadmap); Moderators see them.

The roadmap's permissions (0002) were granted before team updates existed, so until now only a
superuser could open their list.
"""

from django.db import migrations

EDITOR_ACTIONS = ("add", "change", "delete", "view")


def _permission(apps, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="roadmap", model="teamupdate")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=f"{action}_teamupdate", defaults={"name": f"Can {action} team update"}
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editors, moderators = Group.objects.get(name="Editors"), Group.objects.get(name="Moderators")
    editors.permissions.add(*[_permission(apps, action) for action in EDITOR_ACTIONS])
    moderators.permissions.add(_permission(apps, "view"))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="roadmap", codename__endswith="_teamupdate").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_user_document_ids"),
        ("roadmap", "0004_posthog_schema"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
