"""Job listings, each tied to one or more small teams."""

from django.db import models
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.fields import RichTextField

from plugins.core.models import DocumentIdMixin, EditorialMixin, TimestampedMixin
from plugins.core.preview import SitePreviewMixin
from plugins.core.slugs import AutoSlugMixin
from plugins.core.text import long_text


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", "Full-time"
    PART_TIME = "part_time", "Part-time"
    CONTRACT = "contract", "Contract"
    INTERNSHIP = "internship", "Internship"


class JobListing(AutoSlugMixin, DocumentIdMixin, TimestampedMixin, EditorialMixin, SitePreviewMixin, ClusterableModel):
    site_page_label = "Job page"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, blank=True, help_text="Left empty, it is made from the title.")
    # Parental, so that the teams are part of a draft and its revisions, published with the rest.
    teams = ParentalManyToManyField("teams.Team", related_name="jobs", blank=False)
    department = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=120, blank=True)
    remote = models.BooleanField(default=True)
    employment_type = models.CharField(max_length=20, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME)
    description = RichTextField(validators=[long_text])
    apply_url = models.URLField("apply URL")

    class Meta:
        ordering = ["title"]
        verbose_name = "job listing"
        verbose_name_plural = "job listings"

    def __str__(self):
        return self.title
