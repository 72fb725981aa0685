"""PostHog's forum schema: questions pinned per topic, replies marked helpful, teams following topics."""

from django.db import migrations, models


def pinned_in_their_topics(apps, schema_editor):
    # A question pinned before was pinned at the top of all its topics.
    Question = apps.get_model("forum", "Question")
    for question in Question.objects.filter(pinned=True).prefetch_related("topics"):
        question.pinned_topics.set(question.topics.all())


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0003_text_length_limits"),
        ("teams", "0004_posthog_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="pinned_topics",
            field=models.ManyToManyField(blank=True, related_name="pinned_questions", to="forum.topic"),
        ),
        migrations.AddField(
            model_name="reply",
            name="helpful",
            field=models.BooleanField(blank=True, default=None, null=True),
        ),
        migrations.AddField(
            model_name="topic",
            name="team_subscribers",
            field=models.ManyToManyField(blank=True, related_name="topic_subscriptions", to="teams.team"),
        ),
        migrations.RunPython(pinned_in_their_topics, migrations.RunPython.noop),
    ]
