"""Achievements, each worth points, grouped (optionally in bronze / silver / gold tiers)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from plugins.achievements.triggers import Trigger, activity_reason
from plugins.core.models import DocumentIdMixin, EditorialMixin, TimestampedMixin
from plugins.core.slugs import AutoSlugMixin
from plugins.core.text import long_text


class Tier(models.TextChoices):
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"


class AchievementGroup(AutoSlugMixin, DocumentIdMixin, TimestampedMixin, models.Model):
    slug_source = "name"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, blank=True, help_text="Left empty, it is made from the name.")
    description = models.TextField(blank=True, validators=[long_text])
    icon = models.ForeignKey(
        "assets.CommunityImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tiered = models.BooleanField(
        default=False, help_text="Its achievements are bronze / silver / gold of one activity."
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "achievement group"
        verbose_name_plural = "achievement groups"

    def __str__(self):
        return self.name


class Achievement(AutoSlugMixin, DocumentIdMixin, TimestampedMixin, EditorialMixin, models.Model):
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, blank=True, help_text="Left empty, it is made from the title.")
    description = models.TextField(blank=True, validators=[long_text])
    icon = models.ForeignKey(
        "assets.CommunityImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    points = models.PositiveIntegerField(
        validators=[MinValueValidator(1)], help_text="Points it is worth, more than 0."
    )
    group = models.ForeignKey(
        AchievementGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="achievements"
    )
    tier = models.CharField(max_length=10, choices=Tier.choices, blank=True, help_text="Only in a tiered group.")
    trigger = models.CharField(max_length=40, choices=Trigger.choices, default=Trigger.MANUAL)
    threshold = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1)], help_text="How many times the trigger must happen."
    )
    repeatable = models.BooleanField(default=False, help_text="Can a member hold it more than once?")

    class Meta:
        ordering = ["group__name", "points", "title"]
        verbose_name = "achievement"
        verbose_name_plural = "achievements"
        constraints = [
            models.CheckConstraint(condition=models.Q(points__gt=0), name="achievement_points_positive"),
            models.CheckConstraint(condition=models.Q(threshold__gt=0), name="achievement_threshold_positive"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_automatic(self) -> bool:
        return self.trigger != Trigger.MANUAL

    def clean(self):
        super().clean()
        errors = {}
        if self.tier and not (self.group and self.group.tiered):
            errors["tier"] = "A tier needs a tiered achievement group."
        if self.group and self.group.tiered and not self.tier:
            errors["tier"] = "Pick bronze, silver or gold for an achievement in a tiered group."
        if errors:
            raise ValidationError(errors)


class AchievementAward(models.Model):
    """A profile holding an achievement: who awarded it (nobody for an automatic one), why and when.

    Revoking keeps the row and records who revoked it, when and why. ``instance`` numbers the
    awards of a repeatable achievement; a non-repeatable one is always instance 1, so the
    database itself refuses a second active award of it.
    """

    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="achievement_awards")
    achievement = models.ForeignKey(Achievement, on_delete=models.PROTECT, related_name="awards")
    instance = models.PositiveIntegerField(default=1)
    awarded_at = models.DateTimeField(default=timezone.now, db_index=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=255, blank=True)
    # The member keeps it off their profile page (it still counts, and moderators still see it).
    hidden = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-awarded_at", "-pk"]
        verbose_name = "achievement award"
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "achievement", "instance"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_award_per_instance",
            )
        ]
        indexes = [models.Index(fields=["profile", "revoked_at"], name="award_profile_active")]

    def __str__(self):
        return f"{self.achievement} → {self.profile}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ActivityCount(models.Model):
    """How many times a member did what an automatic trigger counts (questions asked, answers …)."""

    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="activity_counts")
    trigger = models.CharField(max_length=40, choices=Trigger.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "trigger"], name="one_count_per_trigger")]

    def __str__(self):
        return f"{self.profile}: {activity_reason(self.trigger, self.count)}"
