"""Editors manage the public roadmap; Moderators see it."""

from django.db import migrations

EDITOR_ACTIONS = ("add", "change", "delete", "view", "publish", "lock", "unlock")


def _permission(apps, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="roadmap", model="roadmapitem")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=f"{action}_roadmapitem", defaults={"name": f"Can {action} roadmap item"}
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editors, moderators = Group.objects.get(name="Editors"), Group.objects.get(name="Moderators")
    editors.permissions.add(*[_permission(apps, action) for action in EDITOR_ACTIONS])
    moderators.permissions.add(_permission(apps, "view"))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="roadmap").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_editors_and_moderators"),
        ("roadmap", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
