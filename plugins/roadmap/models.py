"""The public roadmap: what the small teams are building, have built, and might build next."""

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel

from plugins.core.models import DocumentIdMixin, EditorialMixin, TimestampedMixin
from plugins.core.slugs import AutoSlugMixin


class RoadmapItem(AutoSlugMixin, DocumentIdMixin, TimestampedMixin, EditorialMixin, ClusterableModel):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, blank=True, help_text="Left empty, it is made from the title.")
    tagline = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    image = models.ForeignKey(
        "assets.CommunityImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(max_length=80, blank=True)
    teams = ParentalManyToManyField("teams.Team", related_name="roadmap_items", blank=True)
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
