"""Icons, crests and avatars each get a collection of their own, and the images already used as one
move into it (the achievement icon chooser opened on hundreds of member avatars).

An image used in two ways goes where the more editorial use puts it: icons before crests before
avatars. Historical models have no tree methods, so the children's paths are made as treebeard
makes them (the parent's path and a four-character base-36 step).
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4
# Collection name → the (app, model, field) pairs whose images it holds; avatars first, icons last, so
# that an image used both ways ends up where the later (more editorial) use files it.
USES = {
    "Avatars": [("profiles", "Profile", "avatar")],
    "Crests": [("teams", "Team", "crest"), ("teams", "Team", "mini_crest")],
    "Icons": [("achievements", "Achievement", "icon"), ("achievements", "AchievementGroup", "icon")],
}


def _step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEP, "0")


def _child(Collection, root, name):
    existing = Collection.objects.filter(depth=2, name=name).first()
    if existing is not None:
        return existing
    last = Collection.objects.filter(depth=2, path__startswith=root.path).order_by("-path").first()
    number = int(last.path[-STEP:], len(ALPHABET)) + 1 if last else 1
    child = Collection.objects.create(name=name, depth=2, path=root.path + _step(number), numchild=0)
    root.numchild = Collection.objects.filter(depth=2, path__startswith=root.path).count()
    root.save(update_fields=["numchild"])
    return child


def file_images(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Image = apps.get_model("assets", "CommunityImage")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return  # no tree yet: nothing stored to file either
    for name, uses in USES.items():
        collection = _child(Collection, root, name)
        for app, model, field in uses:
            used = apps.get_model(app, model).objects.exclude(**{f"{field}__isnull": True}).values(field)
            Image.objects.filter(pk__in=used).update(collection=collection)


def unfile_images(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Image = apps.get_model("assets", "CommunityImage")
    root = Collection.objects.filter(depth=1).first()
    ours = Collection.objects.filter(depth=2, name__in=USES)
    if root is None:
        return
    Image.objects.filter(collection__in=ours).update(collection=root)


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("achievements", "0006_posthog_fields"),
        ("teams", "0004_posthog_fields"),
        ("profiles", "0003_posthog_schema"),
    ]

    operations = [migrations.RunPython(file_images, unfile_images)]
