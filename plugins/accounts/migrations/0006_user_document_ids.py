"""Every user gets a Strapi documentId (users-permissions users have one in Strapi 5) and an analytics
distinctId; ``Member`` is the user as the API shows one."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import plugins.core.document_ids


def give_every_user_one(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Account = apps.get_model("accounts", "Account")
    Account.objects.bulk_create(
        [
            Account(user_id=pk, document_id=plugins.core.document_ids.new_document_id())
            for pk in User.objects.values_list("pk", flat=True)
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_build_site_now"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="Account",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="account",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "document_id",
                    models.CharField(
                        default=plugins.core.document_ids.new_document_id, editable=False, max_length=24, unique=True
                    ),
                ),
                ("distinct_id", models.CharField(blank=True, max_length=200)),
            ],
        ),
        migrations.CreateModel(
            name="Member",
            fields=[],
            options={"proxy": True, "indexes": [], "constraints": []},
            bases=("auth.user",),
        ),
        migrations.RunPython(give_every_user_one, migrations.RunPython.noop),
    ]
