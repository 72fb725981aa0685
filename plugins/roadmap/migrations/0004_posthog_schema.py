"""PostHog's roadmap schema: an item's forum topic, and the small teams' updates."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

import plugins.core.document_ids


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0004_posthog_schema"),
        ("roadmap", "0003_text_length_limits"),
        ("teams", "0004_posthog_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="roadmapitem",
            name="topic",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="roadmap_items",
                to="forum.topic",
            ),
        ),
        migrations.CreateModel(
            name="TeamUpdate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "document_id",
                    models.CharField(
                        default=plugins.core.document_ids.new_document_id,
                        editable=False,
                        help_text="Stable public identifier used by the REST API.",
                        max_length=24,
                        unique=True,
                        verbose_name="document id",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "description",
                    models.TextField(
                        blank=True, help_text="Markdown.", validators=[django.core.validators.MaxLengthValidator(50000)]
                    ),
                ),
                ("thing_of_the_week", models.BooleanField(default=False)),
                (
                    "question",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="team_updates",
                        to="forum.question",
                    ),
                ),
                (
                    "roadmap",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="updates",
                        to="roadmap.roadmapitem",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="updates", to="teams.team"
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
    ]
