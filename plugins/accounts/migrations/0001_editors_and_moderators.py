"""Create the Editors and Moderators groups with the permissions their names imply.

Permissions are created here when missing (Django and Wagtail create theirs only after every
migration has run), so that the groups are complete as soon as ``migrate`` finishes. The lists
are written out rather than imported, so that this migration keeps meaning what it meant.
"""

from django.db import migrations

CONTENT = {
    # app label, model, verbose name, has draft/publish and locking
    ("profiles", "profile", "community profile", False),
    ("teams", "team", "small team", True),
    ("jobs", "joblisting", "job listing", True),
    ("achievements", "achievement", "achievement", True),
    ("achievements", "achievementgroup", "achievement group", False),
    ("rewards", "rewardproduct", "reward product", True),
}

# Collection-scoped media permissions: (app label, model, verbose name, actions) per group.
EDITOR_MEDIA = [
    # Wagtail checks image permissions against its base image model, whatever the image model.
    ("wagtailimages", "image", "image", ("add", "change", "delete", "choose")),
    ("wagtaildocs", "document", "document", ("add", "change", "delete", "choose")),
]
MODERATOR_MEDIA = [("wagtailimages", "image", "image", ("add", "choose"))]


def _permission(apps, app_label, model, action, verbose_name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_{model}",
        defaults={"name": f"Can {action} {verbose_name}"},
    )
    return permission


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    access_admin = _permission(apps, "wagtailadmin", "admin", "access", "Wagtail admin")
    # Wagtail's own migrations create groups of these names for page editing; this CMS has no
    # pages, so the groups are given exactly the permissions below and nothing else.
    editors, _ = Group.objects.get_or_create(name="Editors")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    GroupPagePermission.objects.filter(group__in=[editors, moderators]).delete()
    GroupCollectionPermission.objects.filter(group__in=[editors, moderators]).delete()

    editor_permissions = [access_admin]
    moderator_permissions = [access_admin]
    for app_label, model, verbose_name, editorial in sorted(CONTENT):
        actions = ["add", "change", "delete", "view"] + (["publish", "lock", "unlock"] if editorial else [])
        editor_permissions += [_permission(apps, app_label, model, action, verbose_name) for action in actions]
        moderator_actions = ["view", "change"] if model == "profile" else ["view"]
        moderator_permissions += [_permission(apps, app_label, model, a, verbose_name) for a in moderator_actions]
    editors.permissions.set(editor_permissions)
    moderators.permissions.set(moderator_permissions)

    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for group, media in ((editors, EDITOR_MEDIA), (moderators, MODERATOR_MEDIA)):
        for app_label, model, verbose_name, actions in media:
            for action in actions:
                GroupCollectionPermission.objects.create(
                    group=group,
                    collection=root,
                    permission=_permission(apps, app_label, model, action, verbose_name),
                )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Moderators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("assets", "0001_initial"),
        ("profiles", "0001_initial"),
        ("teams", "0001_initial"),
        ("jobs", "0002_initial"),
        ("achievements", "0002_initial"),
        ("rewards", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
