"""What the achievements plugin does when the rest of the system reports activity."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django_tasks import task
from wagtail.signals import published

from plugins.achievements import rules
from plugins.achievements.models import Achievement
from plugins.achievements.triggers import Trigger
from plugins.core.events import subscribe
from plugins.profiles.models import Profile


def _profile(profile_id):
    return Profile.objects.filter(pk=profile_id).first()


@subscribe("question_asked")
def question_asked(*, author_id, **payload):
    if profile := _profile(author_id):
        rules.record(profile, Trigger.QUESTIONS_ASKED)


@subscribe("reply_posted")
def reply_posted(*, author_id, **payload):
    if profile := _profile(author_id):
        rules.record(profile, Trigger.ANSWERS_POSTED)


@subscribe("solution_marked")
def solution_marked(*, reply_author_id, **payload):
    if profile := _profile(reply_author_id):
        rules.record(profile, Trigger.SOLUTIONS)


@subscribe("roadmap_voted")
def roadmap_voted(*, profile_id, **payload):
    if profile := _profile(profile_id):
        rules.record(profile, Trigger.ROADMAP_VOTES)


@subscribe("profile_updated")
def profile_updated(*, profile_id, **payload):
    if profile := _profile(profile_id):
        rules.check_profile(profile)


@task()
def backfill_achievement(achievement_id: int) -> int:
    """Background task: award a newly published automatic achievement to those who already qualify."""
    achievement = Achievement.objects.filter(pk=achievement_id).first()
    return rules.backfill(achievement) if achievement else 0


@receiver(published, sender=Achievement)
def achievement_published(sender, instance, **kwargs):
    if instance.trigger != Trigger.MANUAL:
        backfill_achievement.enqueue(instance.pk)


@receiver(post_save, sender=Profile)
def profile_saved(sender, instance, created, **kwargs):
    # Edits from the admin or the API are profile updates too.
    from plugins.core.events import emit

    emit("profile_updated", profile_id=instance.pk)
