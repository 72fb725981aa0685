"""PostHog's profile fields (amaEnabled, quotes) and moderators' blocks."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0002_text_length_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="ama_enabled",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="profile",
            name="blocked_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="profile",
            name="quotes",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
