"""The public roadmap: what the small teams are building, have built, and might build next."""

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel

from plugins.core.models import DocumentIdMixin, EditorialMixin, TimestampedMixin
from plugins.core.slugs import AutoSlugMixin
from plugins.core.text import long_text


class RoadmapItem(AutoSlugMixin, DocumentIdMixin, TimestampedMixin, EditorialMixin, ClusterableModel):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, blank=True, help_text="Left empty, it is made from the title.")
    tagline = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.", validators=[long_text])
    image = models.ForeignKey(
        "assets.CommunityImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(max_length=80, blank=True)
    teams = ParentalManyToManyField("teams.Team", related_name="roadmap_items", blank=True)
    # The forum topic where it is discussed (posthog.com's roadmap ``topic``).
    topic = models.ForeignKey(
        "forum.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="roadmap_items"
    )
    milestone = models.BooleanField(default=False)
    complete = models.BooleanField(default=False)
    beta_available = models.BooleanField(default=False)
    date_completed = models.DateField(null=True, blank=True)
    projected_completion = models.DateField(null=True, blank=True)
    github_urls = models.JSONField(default=list, blank=True, help_text="Links to the GitHub issues it tracks.")
    cta_label = models.CharField("call to action label", max_length=80, blank=True)
    cta_url = models.URLField("call to action URL", blank=True)

    class Meta:
        ordering = ["-projected_completion", "title"]
        verbose_name = "roadmap item"
        verbose_name_plural = "roadmap items"

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if not isinstance(self.github_urls, list) or not all(isinstance(u, str) for u in self.github_urls):
            raise ValidationError({"github_urls": "Enter a list of URLs."})
        if self.complete and not self.date_completed:
            raise ValidationError({"date_completed": "A completed item needs its completion date."})


class RoadmapVote(models.Model):
    """A member wants this: one vote each, removable."""

    item = models.ForeignKey(RoadmapItem, on_delete=models.CASCADE, related_name="votes")
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="roadmap_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "profile"], name="one_roadmap_vote_per_member")]

    def __str__(self):
        return f"{self.profile} votes for {self.item}"


class RoadmapSubscription(models.Model):
    """A member hears (by e-mail) when the item is published with changes."""

    item = models.ForeignKey(RoadmapItem, on_delete=models.CASCADE, related_name="subscriptions")
    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="roadmap_subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "profile"], name="one_roadmap_subscription")]

    def __str__(self):
        return f"{self.profile} follows {self.item}"


class TeamUpdate(DocumentIdMixin, TimestampedMixin, models.Model):
    """A small team's weekly update: what shipped (a roadmap item) or was answered (a question); one may
    be the team's "thing of the week". posthog.com's team pages and roadmap read them."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="updates")
    description = models.TextField(blank=True, validators=[long_text], help_text="Markdown.")
    roadmap = models.ForeignKey(RoadmapItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="updates")
    question = models.ForeignKey(
        "forum.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="team_updates"
    )
    thing_of_the_week = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        about = self.roadmap or self.question
        return f"{self.team}: {about}" if about else f"{self.team}: update of {self.created_at:%Y-%m-%d}"
