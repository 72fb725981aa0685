"""Site builds the webhook receiver scheduled: several publishes within the debounce window share one."""

from django.conf import settings
from django.db import models


class BuildStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Built"
    FAILED = "failed", "Failed"


class SiteBuild(models.Model):
    status = models.CharField(max_length=20, choices=BuildStatus.choices, default=BuildStatus.SCHEDULED)
    requests = models.PositiveIntegerField(default=1, help_text="Webhook events this build answers.")
    events = models.JSONField(default=list, help_text="The first events it answers (event and model).")
    whole = models.BooleanField(
        default=False, help_text="Render every page, rather than only what changed since the previous build."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    run_after = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one build waits at a time: that is the debounce.
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="scheduled"), name="one_scheduled_site_build"
            ),
            # Two builds writing the same folder at once would swap each other's output away.
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="running"), name="one_running_site_build"
            ),
        ]

    def __str__(self):
        return f"Site build {self.pk} ({self.get_status_display()})"
