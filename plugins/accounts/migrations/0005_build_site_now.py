"""Editors may start a whole build of the static site from the admin (Settings › Site builds)."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="sitebuild", model="sitebuild")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="add_sitebuild", defaults={"name": "Can add site build"}
    )
    apps.get_model("auth", "Group").objects.get(name="Editors").permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    editors = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="sitebuild", codename="add_sitebuild")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_webhooks"),
        ("sitebuild", "0002_whole_builds"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
