"""Outgoing CMS webhooks (Strapi's): what editors configure, and a log of every delivery."""

from __future__ import annotations

import json
import secrets

from django.core.exceptions import ValidationError
from django.db import models

EVENTS = (
    "entry.create",
    "entry.update",
    "entry.delete",
    "entry.publish",
    "entry.unpublish",
    "media.create",
    "media.update",
    "media.delete",
)
# Headers the delivery sets itself; an editor's header of the same name would be ambiguous.
RESERVED_HEADERS = {"content-type", "content-length", "host", "x-strapi-event", "x-webhook-signature",
                    "x-webhook-timestamp", "x-webhook-delivery"}  # fmt: skip


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    name = models.CharField(max_length=120, unique=True)
    url = models.URLField("URL", max_length=500)
    headers = models.JSONField(
        default=dict, blank=True, help_text='Extra request headers, e.g. {"Authorization": "Bearer …"}.'
    )
    events = models.JSONField(default=list, help_text="The events that trigger it.")
    enabled = models.BooleanField(default=True)
    secret = models.CharField(
        max_length=200,
        default=new_secret,
        help_text="Signs every delivery (HMAC-SHA256 in X-Webhook-Signature); the receiver checks it with the same "
        "secret.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if not isinstance(self.events, list) or not self.events:
            errors["events"] = "Choose at least one event."
        elif unknown := sorted(set(self.events) - set(EVENTS)):
            errors["events"] = f"Unknown event {unknown[0]!r}; the events are {', '.join(EVENTS)}."
        if not isinstance(self.headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.headers.items()
        ):
            errors["headers"] = 'Enter the headers as an object of names to text values, e.g. {"X-Token": "abc"}.'
        elif reserved := sorted(k for k in self.headers if k.lower() in RESERVED_HEADERS):
            errors["headers"] = f"{reserved[0]} is set by the delivery itself."
        elif bad := sorted(k for k in self.headers if not k or any(c in k for c in " :\r\n")):
            errors["headers"] = f"{bad[0]!r} is not a valid header name."
        elif any("\n" in v or "\r" in v for v in self.headers.values()):
            errors["headers"] = "A header value cannot contain a line break."
        if errors:
            raise ValidationError(errors)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RETRYING = "retrying", "Failed, will retry"
    SUCCEEDED = "succeeded", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one webhook: the payload as sent, and how each attempt went."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, db_index=True)
    payload = models.JSONField()
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event} → {self.webhook} ({self.get_status_display()})"

    def payload_text(self) -> str:
        """The payload as indented JSON, for reading in the admin."""
        return json.dumps(self.payload, indent=2, ensure_ascii=False)

    payload_text.short_description = "Payload"
