"""The forum in the admin: Editors manage it all; Moderators and Community moderators moderate questions and replies."""

from django.db import migrations

FORUM = [
    ("topicgroup", "topic group"),
    ("topic", "topic"),
    ("docstopicmapping", "docs topic mapping"),
    ("internaltag", "internal tag"),
    ("question", "question"),
    ("reply", "reply"),
]
MODERATED = {"question", "reply"}


def _permission(apps, app_label, model, action, verbose_name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=f"{action}_{model}", defaults={"name": f"Can {action} {verbose_name}"}
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editors, moderators = Group.objects.get(name="Editors"), Group.objects.get(name="Moderators")
    community, _ = Group.objects.get_or_create(name="Community moderators")
    community.permissions.add(_permission(apps, "wagtailadmin", "admin", "access", "Wagtail admin"))
    for model, verbose_name in FORUM:
        editors.permissions.add(
            *[_permission(apps, "forum", model, action, verbose_name) for action in ("add", "change", "delete", "view")]
        )
        moderator_actions = ("view", "change") if model in MODERATED else ("view",)
        moderators.permissions.add(*[_permission(apps, "forum", model, a, verbose_name) for a in moderator_actions])
        if model in MODERATED:
            community.permissions.add(_permission(apps, "forum", model, "view", verbose_name))


def revoke(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Community moderators").delete()
    apps.get_model("auth", "Permission").objects.filter(content_type__app_label="forum").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roadmap_permissions"),
        ("forum", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
