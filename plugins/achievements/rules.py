"""The rules engine: domain events count activity, and automatic achievements are awarded when due.

An automatic achievement names a trigger and a threshold ("10 solutions"); counting is per member and
trigger, so an editor adds a new rung without code. Profile triggers (biography written, profile
completed) are read from the profile itself rather than counted.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from plugins.achievements.models import Achievement, AchievementAward, ActivityCount
from plugins.achievements.services import AwardError, award_achievement
from plugins.achievements.triggers import PROFILE_TRIGGERS, Trigger, activity_reason
from plugins.points.services import add_activity


def profile_state(profile) -> dict[str, int]:
    """1 for a profile trigger the profile meets now, else 0."""
    has_link = any([profile.website, profile.github, profile.linkedin, profile.twitter])
    return {
        Trigger.BIOGRAPHY_UPDATED: int(bool(profile.biography.strip())),
        Trigger.PROFILE_COMPLETED: int(bool(profile.avatar_id and profile.biography.strip() and has_link)),
    }


@transaction.atomic
def record(profile, trigger: str, by: int = 1) -> int:
    """Count ``by`` more of ``trigger`` for the member, award what became due, return the new count."""
    counter, _ = ActivityCount.objects.get_or_create(profile=profile, trigger=trigger)
    ActivityCount.objects.filter(pk=counter.pk).update(count=F("count") + by)
    add_activity(profile, by)
    count = ActivityCount.objects.get(pk=counter.pk).count
    award_due(profile, trigger, count)
    return count


def award_due(profile, trigger: str, count: int) -> list[AchievementAward]:
    """Award every published automatic achievement on ``trigger`` whose threshold ``count`` has reached.

    A repeatable one is awarded once per multiple of its threshold.
    """
    awarded = []
    for achievement in Achievement.objects.filter(live=True, trigger=trigger, threshold__lte=max(count, 0)):
        due = count // achievement.threshold if achievement.repeatable else 1
        held = AchievementAward.objects.filter(
            profile=profile, achievement=achievement, revoked_at__isnull=True
        ).count()
        for _ in range(due - held):
            try:
                awarded.append(award_achievement(profile, achievement, reason=activity_reason(trigger, count)))
            except AwardError:
                break  # held already (a concurrent event won the race)
    return awarded


def check_profile(profile) -> list[AchievementAward]:
    """Award the profile triggers the profile meets now (after an edit)."""
    awarded = []
    for trigger, met in profile_state(profile).items():
        if met:
            awarded += award_due(profile, trigger, met)
    return awarded


def backfill(achievement: Achievement) -> int:
    """Award a (new) automatic achievement to every member who already qualifies; return how many."""
    from plugins.profiles.models import Profile

    if not achievement.live or achievement.trigger == Trigger.MANUAL:
        return 0
    given = 0
    if achievement.trigger in PROFILE_TRIGGERS:
        for profile in Profile.objects.iterator(chunk_size=1000):
            if profile_state(profile)[achievement.trigger]:
                given += len(award_due(profile, achievement.trigger, 1))
        return given
    counts = ActivityCount.objects.filter(trigger=achievement.trigger, count__gte=achievement.threshold)
    for counter in counts.select_related("profile").iterator(chunk_size=1000):
        given += len(award_due(counter.profile, achievement.trigger, counter.count))
    return given
